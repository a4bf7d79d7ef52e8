"""Every number the prose quotes comes from a cell of its notebook (tools/prose_numbers.py)."""
from __future__ import annotations

import re

import nbformat
import pytest

from tools import prose_numbers
from tools.book import ROOT, read_notebook, toc_notebooks


@pytest.mark.parametrize("path", toc_notebooks(), ids=lambda p: p.stem)
def test_prose_numbers_have_a_source(path):
    assert prose_numbers.unsourced(path) == []


def _notebook(tmp_path, markdown: str, output: str, code: str = "print(x)"):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(code)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=output)]
    nb.cells = [nbformat.v4.new_markdown_cell(markdown), cell]
    path = tmp_path / "example.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.mark.parametrize("markdown, output, flagged", [
    ("测试精度是 0.853。", "test acc 0.853", []),
    ("测试精度是 0.853。", "test acc 0.8531", []),               # rounds to the quoted value
    ("测试精度是 0.863。", "test acc 0.853", ["cell 0: 0.863"]),  # a wrong digit
    ("测试精度约 0.85。", "test acc 0.912", []),                 # two significant digits are not checked
    ("参数少了 72%。", "ratio 0.7240", []),                      # a percentage of a printed fraction
    ("参数少了 75%。", "ratio 0.7240", ["cell 0: 75%"]),
    ("共 80,412 个参数。", "80412", []),
    ("共 80,413 个参数。", "80412", ["cell 0: 80,413"]),
    ("$62\\times62=3844$ 次。", "", []),                        # arithmetic shown in the formula
    ("约 $4.00000002$。", "", ["cell 0: 4.00000002"]),          # a bare measured value in a formula
    ("Glorot 与 Bengio（2010）", "", []),
    ("学习率 0.005 训练。", "", []),                              # ... unless a code cell sets it (below)
])
def test_checker(tmp_path, markdown, output, flagged):
    path = _notebook(tmp_path, markdown, output)
    assert prose_numbers.unsourced(path) == flagged


def test_a_number_set_in_code_is_sourced(tmp_path):
    path = _notebook(tmp_path, "学习率 0.0125。", "", code="lr = 0.0125")
    assert prose_numbers.unsourced(path) == []


def test_numbers_copied_from_the_seq2seq_section_match_its_outputs():
    # The Bahdanau section compares with the plain model's BLEU recorded in 《序列到序列学习》 (a constant in code).
    nb = read_notebook(ROOT / "chapters/attention-mechanisms/bahdanau-attention.ipynb")
    line = next(l for c in nb.cells for l in c.source.splitlines() if l.startswith("plain_train_bleu, plain_held_bleu ="))
    copied = [float(v) for v in re.findall(r"\d\.\d+", line.split("#")[0])]
    seq2seq = read_notebook(ROOT / "chapters/recurrent-modern/seq2seq.ipynb")
    printed = "".join(o.get("text", "") for c in seq2seq.cells for o in c.get("outputs", []))
    found = re.search(r"corpus bleu on training pairs (\d\.\d+), on held out pairs (\d\.\d+)", printed)
    assert found and copied == [float(found.group(1)), float(found.group(2))], (copied, found and found.groups())
