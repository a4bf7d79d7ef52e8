"""Notebook hygiene: what nbval cannot see (it passes unexecuted cells silently)."""
from __future__ import annotations

import json
import re

import pytest

from tools.book import ROOT, all_notebooks, budget_s, read_notebook, reference_seconds, toc_files
from tools.bootstrap import TAGS, cell_source
from tools.nbval_policy import APPROX, SAMPLE, UNSTABLE, WIDGET

NOTEBOOKS = all_notebooks()
MACHINE_PATH = re.compile(r"(/work/|/tmp/|/root/|/home/|/Users/|/var/folders/|[A-Z]:\\\\|site-packages|ipykernel_\d+)")
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def ids(paths):
    return [str(p.relative_to(ROOT)) for p in paths]


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]


def test_toc_and_chapters_agree():
    listed = set(toc_files())
    for entry in listed:
        assert (ROOT / f"{entry}.ipynb").exists() or (ROOT / f"{entry}.md").exists(), f"_toc.yml: {entry} missing"
    unlisted = [str(p.relative_to(ROOT)) for p in NOTEBOOKS if str(p.relative_to(ROOT).with_suffix("")) not in listed]
    assert not unlisted, f"notebooks not in _toc.yml: {unlisted}"
    assert NOTEBOOKS, "no notebooks found"


@pytest.fixture(params=NOTEBOOKS, ids=ids(NOTEBOOKS))
def nb(request):
    notebook = read_notebook(request.param)
    notebook.path = request.param
    return notebook


def test_kernel_is_python3(nb):
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"


def test_bootstrap_cell_is_first_and_identical(nb):
    first = nb.cells[0]
    assert first.cell_type == "code" and first.source == cell_source(), "run `python -m tools.bootstrap`"
    assert first.metadata.get("tags") == TAGS and not first.outputs


def test_every_code_cell_executed_in_order(nb):
    counts = [c.execution_count for c in code_cells(nb)]
    assert counts == list(range(1, len(counts) + 1)), "run the notebook top to bottom with `python -m tools.execute`"


def test_errors_only_where_tagged(nb):
    for i, cell in enumerate(code_cells(nb)):
        tagged = "raises-exception" in cell.metadata.get("tags", [])
        has_error = any(o.output_type == "error" for o in cell.outputs)
        assert has_error == tagged, f"cell {i}: {'untagged error' if has_error else 'raises-exception tag without error'}"


def test_no_machine_paths_in_sources_or_outputs(nb):
    for i, cell in enumerate(nb.cells):
        # base64 image data is left out: its letters can spell "/tmp/" by chance
        outputs = [{**o, "data": {k: v for k, v in o.get("data", {}).items() if not k.startswith("image/png")}}
                   for o in cell.get("outputs", [])]
        text = cell.source + json.dumps(outputs, ensure_ascii=False)
        found = MACHINE_PATH.search(text)
        assert not found, f"cell {i} contains {found.group(0)!r}"


def test_no_control_characters_in_sources(nb):
    # e.g. "\approx" typed into a non-raw Python string becomes a bell character and breaks the formula
    for i, cell in enumerate(nb.cells):
        # A tab is allowed in code only: in markdown it is "\t" swallowed, as in "\text" typed in a plain string
        allowed = "\n\t" if cell.cell_type == "code" else "\n"
        bad = sorted({hex(ord(ch)) for ch in cell.source if ord(ch) < 32 and ch not in allowed})
        assert not bad, f"cell {i} contains control characters {bad}"


def test_skeleton(nb):
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert nb.cells[1].cell_type == "markdown" and nb.cells[1].source.startswith("# "), "title cell second"
    assert "d2l.setup(" in code_cells(nb)[1].source, "first lesson code cell calls d2l.setup()"
    assert "\n## 小结" in markdown and "\n## 练习" in markdown
    assert markdown.index("## 小结") < markdown.index("## 练习")
    assert ":::{dropdown} 参考答案" in markdown


def test_widget_cells_are_not_compared(nb):
    for i, cell in enumerate(code_cells(nb)):
        if any(WIDGET_MIME in o.get("data", {}) for o in cell.outputs):
            assert WIDGET in cell.metadata.get("tags", []), f"cell {i} shows a widget"


def test_only_widgets_skip_comparison(nb):
    # nbval-ignore-output would also hide a changed number or text; the policy keeps it for widgets
    for i, cell in enumerate(code_cells(nb)):
        if WIDGET in cell.metadata.get("tags", []):
            assert any(WIDGET_MIME in o.get("data", {}) for o in cell.outputs), f"cell {i} is not a widget"


def test_sample_cells_assert_what_the_lesson_claims(nb):
    # A model's text is not compared (tools/nbval_policy.py), so the cell itself must check its property.
    for i, cell in enumerate(code_cells(nb)):
        tags = cell.metadata.get("tags", [])
        for tag in (SAMPLE, UNSTABLE):
            if tag in tags:
                assert re.search(r"^\s*assert\b", cell.source, re.M), f"cell {i} is {tag} but asserts nothing"
        assert len({APPROX, SAMPLE, UNSTABLE} & set(tags)) <= 1, f"cell {i}: one comparison tag at most"


def test_recorded_run_is_within_budget(nb):
    record = nb.metadata.get("d2lbook", {})
    assert record.get("profile") == "cpu" and record.get("num_threads") == 1, "record with `python -m tools.execute`"
    seconds = reference_seconds(record)
    assert seconds <= budget_s(nb.path), f"recorded {record['wall_time_s']} s, {seconds:.0f} s on the reference machine"
