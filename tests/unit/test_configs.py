"""The re-run configurations (tools/book.py): what `make test` and benchmarks/spread.py run notebooks under."""
import re
import subprocess
import sys

import pytest

from tools.book import CONFIGS, FOREIGN_KERNELS, NOTEBOOK_ENV, ROOT, config_env, main, reference_seconds


def test_every_configuration_is_the_recorded_environment_with_changes():
    assert CONFIGS["recorded"] == {}
    for name in CONFIGS:
        env = config_env(name)
        assert set(NOTEBOOK_ENV) <= set(env) and env["D2LBOOK_PROFILE"] == "cpu"
    assert config_env("foreign").items() >= FOREIGN_KERNELS.items()
    assert config_env("threads-2")["D2LBOOK_NUM_THREADS"] == "2"


def test_unknown_configuration_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown configuration 'gpu'"):
        config_env("gpu")


def test_env_words_for_the_makefile(capsys):
    assert main(["env", "foreign"]) == 0
    words = capsys.readouterr().out.split()
    assert "ATEN_CPU_CAPABILITY=default" in words and "D2LBOOK_NUM_THREADS=1" in words
    assert main(["env"]) == 2


def test_execute_records_only_under_the_recorded_configuration():
    done = subprocess.run([sys.executable, "-m", "tools.execute", "--config", "foreign", "x.ipynb"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 2 and "--config foreign needs --output" in done.stderr


def test_budget_time_is_scaled_only_down_to_the_reference_machine():
    assert reference_seconds({"wall_time_s": 100.0}) == 100.0
    assert reference_seconds({"wall_time_s": 100.0, "matmul_gflops": 46.5}) == pytest.approx(50.0)
    assert reference_seconds({"wall_time_s": 100.0, "matmul_gflops": 200.0}) == 100.0


def test_parallel_nbval_keeps_each_notebook_on_one_worker():
    # Under xdist's default distribution the cells of one notebook go to both workers, and a cell runs in a
    # kernel that never saw the notebook's imports (a NameError in every cell after the first).
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    workers = [line for line in makefile.splitlines() if re.search(r"(^|\s)(-n|--numprocesses)\s+\w", line)]
    assert workers == ["PARALLEL := -n auto --dist loadscope"], workers
    assert "$(PARALLEL) chapters" in makefile
