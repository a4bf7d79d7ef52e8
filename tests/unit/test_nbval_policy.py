"""The comparison policy (tools/nbval_policy.py): each tolerance and mask still catches a real regression."""
import copy
import os
import subprocess
import sys

import nbformat
import pytest
from nbformat import NotebookNode

from tools.book import ROOT
from tools.nbval_policy import (APPROX, SAMPLE, UNSTABLE, close_enough, is_result_line, keep_result_lines, kind_of,
                                prepare, sanitize, snap_to_reference, tolerance)


def stream(text):
    return NotebookNode(output_type="stream", name="stdout", text=text)


@pytest.mark.parametrize("before, kind", [
    ("loss 0.469, train acc ", "accuracy"), ("valid perplexity ", "perplexity"), ("corpus bleu: ", "bleu"),
    ("corpus bleu: training pairs 0.654, held-out pairs ", "bleu"), ("train log rmse ", "loss"), ("w norm ", "value"),
    ("first line\nloss ", "loss"), ("loss 0.1\nw ", "value"), ("lstm accuracy ", "accuracy"), ("lossy ", "value"),
])
def test_kind_is_read_from_the_word_before_the_number(before, kind):
    assert kind_of(before) == kind


def test_recorded_spread_passes():
    # Differences of the size measured between CPUs and thread counts (benchmarks/spread.py).
    assert close_enough("loss 0.470, train acc 0.823, test acc 0.833", "loss 0.469, train acc 0.825, test acc 0.823")
    assert close_enough("perplexity 1.05, N tokens/sec on cpu", "perplexity 1.03, N tokens/sec on cpu")
    assert close_enough("held-out pairs, bleu 0.371", "held-out pairs, bleu 0.356")


@pytest.mark.parametrize("test, ref", [
    ("loss 0.469, train acc 0.823, test acc 0.779", "loss 0.469, train acc 0.823, test acc 0.829"),  # acc -0.05
    ("perplexity 1.24, N tokens/sec on cpu", "perplexity 1.03, N tokens/sec on cpu"),  # perplexity +20 %
    ("corpus bleu 0.306", "corpus bleu 0.356"),  # bleu -0.05
    ("train loss 0.020, test loss 0.014", "train loss 0.010, test loss 0.014"),  # a small loss doubled
    ("test loss 120.5", "test loss 96.250"),  # a large loss +25 %
    ("max |error in w| 0.0105", "max |error in w| 0.0005"),  # a fitted weight off by 0.01
    ("epoch 3, loss 0.000093", "epoch 2, loss 0.000093"),  # integers are exact
    ("loss 0.469, test acc 0.823", "loss 0.469, train acc 0.823"),  # words are exact
    ("loss 0.469", "loss 0.469, train acc 0.823"),
])
def test_real_regressions_fail(test, ref):
    assert not close_enough(test, ref)


def test_every_kind_has_a_tolerance_that_can_fail():
    for kind in ("accuracy", "perplexity", "bleu", "loss", "value"):
        atol, rtol = tolerance(kind)
        assert 0 <= atol < 0.05 and 0 <= rtol <= 0.1 and atol + rtol > 0


def test_result_lines():
    for line in ("loss 0.469, train acc 0.823, test acc 0.779", "perplexity 1.05, 40507 tokens/sec on cpu",
                 "valid perplexity 4.98", "loss 0.021, N tokens/sec on cpu", "train log rmse 0.099",
                 "corpus bleu: training pairs 0.654, held-out pairs 0.356"):
        assert is_result_line(line), line
    for line in ("time traveller you can show black", "go . => va !, bleu 1.000", "18 of 200 sentences differ",
                 "<Figure size 350x250 with 1 Axes>"):
        assert not is_result_line(line), line


def test_sample_cells_compare_only_result_lines():
    ref = [stream("time traveller said filby\nperplexity 1.05, 40507 tokens/sec on cpu\n")]
    other_text = [stream("time traveller held in his hand\nperplexity 1.06, 3 tokens/sec on cpu\n")]
    test, kept_ref = prepare([SAMPLE], keep_result_lines(other_text), ref, normalize=lambda s: s.split(",")[0])
    assert test[0].text == kept_ref[0].text == "perplexity 1.05, 40507 tokens/sec on cpu\n"
    worse = [stream("time traveller\nperplexity 1.30, 40507 tokens/sec on cpu\n")]
    test, kept_ref = prepare([SAMPLE], worse, ref, normalize=lambda s: s)
    assert test[0].text != kept_ref[0].text
    assert ref[0].text.startswith("time traveller")  # the stored outputs are not changed


def test_unstable_cells_compare_no_text_but_still_the_outputs():
    ref = [stream("perplexity 1.08, 99671 tokens/sec on cpu\n")]
    test, kept_ref = prepare([UNSTABLE], [stream("perplexity 1.19, 3 tokens/sec on cpu\n")], ref, lambda s: s)
    assert test == kept_ref and ref[0].text.startswith("perplexity 1.08")
    test, kept_ref = prepare([UNSTABLE], [], ref, lambda s: s)
    assert test != kept_ref  # an output that disappeared is still noticed


def test_snap_replaces_only_close_texts_after_normalising():
    test = [stream("loss 0.4701, 3.1 sec\n")]
    ref = [stream("loss 0.4699, 9.9 sec\n")]
    snap_to_reference(test, ref, normalize=lambda s: s.split(",")[0])
    assert test[0].text == ref[0].text
    far = [stream("loss 0.9, 3.1 sec\n")]
    snap_to_reference(far, ref)
    assert far[0].text == "loss 0.9, 3.1 sec\n"


def test_untagged_cells_are_left_to_exact_comparison():
    test, ref = [stream("loss 0.4701\n")], [stream("loss 0.4699\n")]
    assert prepare([], copy.deepcopy(test), ref, normalize=lambda s: s)[0] == test


def _cell(source, output, tags=()):
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": list(tags)} if tags else {})
    cell.execution_count = 1
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=output)]
    return cell


def test_nbval_with_the_policy_catches_regressions(tmp_path):
    """End to end through nbval: stored outputs that a real regression would produce must fail."""
    cells = {
        "exact_same": _cell('print("shape (2, 3)")', "shape (2, 3)\n"),
        "exact_wrong_token": _cell('print("shape (2, 3)")', "shape (2, 4)\n"),
        "approx_within": _cell('print("loss 0.4712, test acc 0.8234")', "loss 0.4700, test acc 0.8200\n", [APPROX]),
        "approx_acc_drop": _cell('print("loss 0.47, test acc 0.779")', "loss 0.47, test acc 0.829\n", [APPROX]),
        "sample_other_text": _cell('print("the time traveller ran\\nperplexity 1.05")',
                                   "the time traveller said\nperplexity 1.04\n", [SAMPLE]),
        "sample_perplexity_up": _cell('print("the time traveller\\nperplexity 1.26")',
                                      "the time traveller\nperplexity 1.05\n", [SAMPLE]),
    }
    nb = nbformat.v4.new_notebook(cells=list(cells.values()))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "policy.ipynb"
    nbformat.write(nb, path)
    report = tmp_path / "report.json"
    (tmp_path / "conftest.py").write_text("from tools import nbval_policy\nnbval_policy.install()\n")
    subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--nbval", "--nbval-current-env",
                    "-q", "--rootdir", str(tmp_path), "--junitxml", str(report), str(path)],
                   cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True)
    import xml.etree.ElementTree as ET

    cases = ET.parse(report).getroot().iter("testcase")
    failed = [case.find("failure") is not None for case in cases]
    assert failed == [("drop" in name or "wrong" in name or "_up" in name) for name in cells], failed


def test_python_313_spelling_suggestions_are_not_compared():
    message = "Conv2d.__init__() got an unexpected keyword argument 'kernle_size'"
    assert sanitize(message + ". Did you mean 'kernel_size'?") == sanitize(message) == message
    assert sanitize(message.replace("kernle_size", "stride")) != sanitize(message)
