"""Facts about the book that several tools and tests need: its pages (`pages()`, `Page`), config and test settings."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]

# The environment under which stored outputs are recorded and checked: one torch thread per kernel
# (tests run kernels in parallel), the cpu profile, no hash randomisation.
NOTEBOOK_ENV = {
    "D2LBOOK_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "D2LBOOK_PROFILE": "cpu",
    "PYTHONHASHSEED": "0",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
}


def _threads(n: int) -> dict[str, str]:
    return {"D2LBOOK_NUM_THREADS": str(n), "OMP_NUM_THREADS": str(n), "MKL_NUM_THREADS": str(n)}


# Torch kernels other than the ones any x86-64 machine picks by itself: ATen's unvectorised code and oneDNN's
# AVX code (below AVX2 and AVX-512). Measured: with both, matmul, conv2d, LSTM and softmax results differ from
# the native ones in the last bits, as on another CPU model; on an ARM machine the two are ignored.
FOREIGN_KERNELS = {"ATEN_CPU_CAPABILITY": "default", "ONEDNN_MAX_CPU_ISA": "AVX"}

# Configurations in which stored outputs are re-created, each applied over NOTEBOOK_ENV. `make test` checks
# every notebook under "recorded" and under "foreign", and REPRO_SAMPLE under "threads-2"; benchmarks/spread.py
# measures how far the training results move under each.
CONFIGS: dict[str, dict[str, str]] = {
    "recorded": {},
    "foreign": FOREIGN_KERNELS,
    "threads-2": _threads(2),
    "seed-offset-1": {"D2LBOOK_SEED_OFFSET": "1"},
    "seed-offset-2": {"D2LBOOK_SEED_OFFSET": "2"},
}


def config_env(name: str) -> dict[str, str]:
    """NOTEBOOK_ENV with the named configuration applied over it."""
    if name not in CONFIGS:
        raise ValueError(f"unknown configuration {name!r}; expected one of {sorted(CONFIGS)}")
    return {**NOTEBOOK_ENV, **CONFIGS[name]}


# Seconds a notebook may take under NOTEBOOK_ENV on the 2-core reference machine, per chapter folder.
BUDGET_S = {"preliminaries": 30, "linear-networks": 90, "multilayer-perceptrons": 90,
            "deep-learning-computation": 90, "convolutional-neural-networks": 90,
            "convolutional-modern": 120, "recurrent-neural-networks": 120}
DEFAULT_BUDGET_S = 120
# The one exception: the notes' own run (500 epochs of a 512-unit RNN) needs ~110 s of training alone at ~41k
# tokens/sec on one thread, about 73% of this machine's matmul peak (benchmarks/rnn.py); the notebook says so.
NOTEBOOK_BUDGET_S = {"recurrent-neural-networks/rnn-scratch": 130}


# The notebooks `make repro` re-runs under two threads per kernel: a sample, because two 2-thread kernels on two
# cores crawl, so the whole suite that way would run one notebook at a time and double its time (CONTRIBUTING.md §3).
REPRO_SAMPLE = ["preliminaries/autograd", "preliminaries/probability", "linear-networks/softmax-regression-scratch",
                "multilayer-perceptrons/mlp-concise"]

# d2l's published results (GPU runs of the book), only where the notebook's prose quotes them as d2l's
# (tests/book/test_results_page.py finds each number in the notebook's markdown).
PUBLISHED = {
    "multilayer-perceptrons/kaggle-house-price": "valid log rmse 0.170",
    "convolutional-neural-networks/lenet": "test acc 0.779（V100）",
    "convolutional-modern/alexnet": "test acc ≈ 0.88",
    "convolutional-modern/vgg": "test acc ≈ 0.9",
    "convolutional-modern/resnet": "test acc ≈ 0.9",
    "convolutional-modern/densenet": "test acc ≈ 0.89",
    "recurrent-neural-networks/rnn-scratch": "perplexity 1.0",
    "recurrent-neural-networks/rnn-concise": "perplexity 1.3",
    "recurrent-modern/gru": "perplexity 1.1（从零）/ 1.0（简洁）",
    "recurrent-modern/lstm": "perplexity 1.3（从零）/ 1.1（简洁）",
    "recurrent-modern/deep-rnn": "perplexity 1.0",
    "recurrent-modern/seq2seq": "bleu 1.000 / 1.000 / 0.658 / 0.447",
    "attention-mechanisms/bahdanau-attention": "bleu 1.000 / 1.000 / 0.658 / 1.000",
    "attention-mechanisms/transformer": "bleu 1.000 / 1.000 / 0.658 / 1.000",
}


def main(argv: list[str] | None = None) -> int:
    """`python -m tools.book env NAME` prints a configuration as KEY=VALUE words for `env`;
    `python -m tools.book repro-sample` prints the REPRO_SAMPLE notebooks' paths (see the Makefile)."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    if args == ["repro-sample"]:
        print(" ".join(f"chapters/{key}.ipynb" for key in REPRO_SAMPLE))
        return 0
    if len(args) != 2 or args[0] != "env":
        print("usage: python -m tools.book {env {" + ",".join(CONFIGS) + "} | repro-sample}", file=sys.stderr)
        return 2
    print(" ".join(f"{key}={value}" for key, value in config_env(args[1]).items()))
    return 0


# The budgets above are seconds on the machine that recorded the first outputs. Its one-thread matmul speed
# (a 2048x2048 torch.mm, as benchmarks/rnn.py measures it) was 93 GFLOP/s: benchmarks/rnn.py reported
# 40,847 tokens/s at 72.6 % of peak for 3 x (2*512^2 + 2*512*28) FLOPs per token. A notebook recorded on a
# slower machine is judged by its time scaled to that speed (tools/execute.py records the speed).
REFERENCE_MATMUL_GFLOPS = 93.0


def matmul_gflops(num_threads: int = 1) -> float:
    """This machine's matmul speed in GFLOP/s at `num_threads` threads: the best of 5 at 2048x2048."""
    import time

    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(num_threads)
    try:
        a, b = torch.randn(2048, 2048), torch.randn(2048, 2048)
        torch.mm(a, b)
        best = float("inf")
        for _ in range(5):
            start = time.perf_counter()
            torch.mm(a, b)
            best = min(best, time.perf_counter() - start)
    finally:
        torch.set_num_threads(threads)
    return 2 * 2048 ** 3 / best / 1e9


def reference_seconds(record: dict) -> float:
    """A notebook's recorded wall time scaled to the reference machine's speed (never scaled up)."""
    speed = record.get("matmul_gflops")
    factor = min(1.0, speed / REFERENCE_MATMUL_GFLOPS) if speed else 1.0
    return record["wall_time_s"] * factor


def config() -> dict:
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


def toc() -> dict:
    return yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))


def toc_files() -> list[str]:
    """Every `file:` entry of _toc.yml (without suffix), root first, in reading order."""
    found: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            for key in ("root", "file"):
                if key in node:
                    found.append(node[key])
            for value in node.values():
                if isinstance(value, (list, dict)):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc())
    return found


def toc_notebooks() -> list[Path]:
    """The notebooks listed in _toc.yml, in reading order."""
    return [ROOT / f"{f}.ipynb" for f in toc_files() if (ROOT / f"{f}.ipynb").exists()]


def widget_notebooks() -> list[Path]:
    """Notebooks in the TOC whose stored outputs hold a widget view (drawn from saved widget state in the HTML)."""
    return [nb for nb in toc_notebooks() if "application/vnd.jupyter.widget-view+json" in nb.read_text(encoding="utf-8")]


def all_notebooks() -> list[Path]:
    """Every notebook under chapters/, listed in the TOC or not."""
    return sorted(p for p in (ROOT / "chapters").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def read_notebook(path: Path) -> nbformat.NotebookNode:
    """The one way the tools read a notebook (a dict that also allows attribute access: `nb.cells`)."""
    return nbformat.read(path, as_version=4)


@dataclass(frozen=True)
class Page:
    """One page of the book: where it is, what it is called, and (for a notebook) its recorded run and budget."""

    path: Path

    @property
    def key(self) -> str:
        """`chapter/section`, the key of the tables about pages (budgets, published numbers, prose allow-lists)."""
        return f"{self.path.parent.name}/{self.path.stem}"

    @property
    def is_notebook(self) -> bool:
        return self.path.suffix == ".ipynb"

    @functools.cached_property
    def notebook(self) -> nbformat.NotebookNode:
        return read_notebook(self.path)

    @property
    def title(self) -> str:
        return page_title(self.path)

    @property
    def record(self) -> dict:
        """The recorded run (tools/execute.py): wall_time_s, matmul_gflops, num_threads, profile; {} if none."""
        return dict(self.notebook.metadata.get("d2lbook", {})) if self.is_notebook else {}

    @property
    def budget_s(self) -> int:
        return budget_s(self.path)

    @property
    def published(self) -> str:
        return PUBLISHED.get(self.key, "")


def pages() -> list[Page]:
    """Every page in _toc.yml that exists, notebook or markdown, in reading order."""
    found = []
    for entry in toc_files():
        for suffix in (".ipynb", ".md"):
            if (ROOT / f"{entry}{suffix}").exists():
                found.append(Page(ROOT / f"{entry}{suffix}"))
                break
    return found


def budget_s(notebook: Path) -> int:
    key = f"{notebook.parent.name}/{notebook.stem}"
    return NOTEBOOK_BUDGET_S.get(key, BUDGET_S.get(notebook.parent.name, DEFAULT_BUDGET_S))


def repository_url() -> str:
    return config()["repository"]["url"].rstrip("/")


def branch() -> str:
    return config()["repository"]["branch"]


def page_title(path: Path) -> str:
    """The `# ` title of a notebook (its first markdown cell) or of a markdown page."""
    if path.suffix == ".ipynb":
        text = next(c.source for c in read_notebook(path).cells if c.cell_type == "markdown")
    else:
        text = path.read_text(encoding="utf-8")
    return re.search(r"^#\s+(.+)$", text, re.M).group(1).strip()


def write_generated(files: dict[Path, str], check: bool, command: str) -> int:
    """Write generated files, or with `check` report the stale ones (exit status 1) without writing."""
    if check:
        stale = [p for p, text in files.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
        for path in stale:
            print(f"{path.relative_to(ROOT)} is stale: run `{command}`")
        return 1 if stale else 0
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
