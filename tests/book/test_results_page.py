"""The results and timings appendix is generated from the stored notebooks and must not go stale."""
import ast
import re
import subprocess
import sys

from tools import results_page
from tools.book import PUBLISHED, ROOT, pages


def test_results_page_is_up_to_date():
    result = subprocess.run([sys.executable, "-m", "tools.results_page", "--check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_notebook_has_a_row_with_its_recorded_time():
    rows = {row["key"]: row for row in results_page.rows()}
    for page in pages():
        if not page.is_notebook:
            continue
        row = rows[page.key]
        assert row["wall_s"] is not None and row["profile"] == "cpu", row


def test_summary_lines_are_the_training_functions_output():
    assert results_page.SUMMARY.match("loss 0.469, train acc 0.824, test acc 0.823")
    assert results_page.SUMMARY.match("perplexity 1.05, 40507 tokens/sec on cpu")
    assert results_page.SUMMARY.match("go . => va !, bleu 1.000")
    assert not results_page.SUMMARY.match("fold 1, train log rmse 0.170, valid log rmse 0.157")
    assert not results_page.SUMMARY.match("epoch 1: loss 2.303, test acc 0.100")
    assert results_page.SUMMARY.match("valid perplexity 4.98")


def _notebooks():
    return {page.key: page.notebook for page in pages() if page.is_notebook}


def test_every_summary_line_says_which_run_printed_it():
    notebooks = _notebooks()
    assert set(results_page.LABELS) <= set(notebooks), set(results_page.LABELS) - set(notebooks)
    for key, nb in notebooks.items():
        cells = results_page.summary_cells(nb)
        labels = results_page.LABELS.get(key, {})
        if sum(map(len, cells.values())) > 1:  # several lines: each training cell needs a label
            assert set(cells) <= set(labels), (key, "unlabelled cells", set(cells) - set(labels))
        # a label names a cell of this notebook that prints a summary line
        assert set(labels) <= set(cells), (key, "labels of no summary cell", set(labels) - set(cells))


NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?")  # not the 100 of V100


def test_published_figures_are_quoted_in_the_notebook_and_come_with_settings():
    notebooks = _notebooks()
    assert set(results_page.SETTINGS) == set(PUBLISHED)
    for key, figure in PUBLISHED.items():
        prose = "\n".join("".join(c["source"]) for c in notebooks[key]["cells"] if c["cell_type"] == "markdown")
        quoted = set(NUMBER.findall(prose))
        assert set(NUMBER.findall(figure)) <= quoted, (key, figure)


def _profiles(nb: dict) -> tuple[dict, dict] | None:
    """The notebook's `cpu = dict(...)` and `full = dict(...)` (full is d2l's setting), or None."""
    for cell in nb["cells"]:
        if cell["cell_type"] != "code" or "full = dict(" not in "".join(cell["source"]):
            continue
        found = {node.targets[0].id: {kw.arg: ast.literal_eval(kw.value) for kw in node.value.keywords}
                 for node in ast.parse("".join(cell["source"])).body
                 if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) in ("cpu", "full")}
        return found["cpu"], found["full"]
    return None


def test_settings_name_every_number_where_the_cpu_profile_differs_from_d2l():
    notebooks = _notebooks()
    for key, text in results_page.SETTINGS.items():
        profiles = _profiles(notebooks[key])
        if profiles is None:
            continue
        cpu, full = profiles
        stated = {float(n) for n in NUMBER.findall(text)}
        for name in cpu:
            if cpu[name] != full[name] and not isinstance(cpu[name], str):
                assert {float(cpu[name]), float(full[name])} <= stated, (key, name, cpu[name], full[name], text)
