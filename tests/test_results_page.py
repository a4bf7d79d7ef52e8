"""The results and timings appendix is generated from the stored notebooks and must not go stale."""
import subprocess
import sys

from tools import results_page
from tools.book import ROOT, toc_notebooks


def test_results_page_is_up_to_date():
    result = subprocess.run([sys.executable, "-m", "tools.results_page", "--check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_notebook_has_a_row_with_its_recorded_time():
    rows = {row["key"]: row for row in results_page.rows()}
    for path in toc_notebooks():
        row = rows[f"{path.parent.name}/{path.stem}"]
        assert row["wall_s"] is not None and row["profile"] == "cpu", row


def test_summary_lines_are_the_training_functions_output():
    assert results_page.SUMMARY.match("loss 0.469, train acc 0.824, test acc 0.823")
    assert results_page.SUMMARY.match("perplexity 1.05, 40507 tokens/sec on cpu")
    assert results_page.SUMMARY.match("go . => va !, bleu 1.000")
    assert not results_page.SUMMARY.match("fold 1, train log rmse 0.170, valid log rmse 0.157")
    assert not results_page.SUMMARY.match("epoch 1: loss 2.303, test acc 0.100")
