"""The result lines are formatted in one place and read back by the same module's patterns and by the sanitizer."""
import re

from d2lbook_utils._report import RESULT_LINE, SUMMARY, result_line
from tools.nbval_policy import is_result_line, sanitize
from tools.results_page import SUMMARY as PAGE_SUMMARY

LINES = [
    result_line(("loss", 0.33612), ("train acc", 0.8764), ("test acc", 0.8661)),
    result_line(throughput=(3632.4, "examples", "cpu")),
    result_line(("perplexity", 1.0512), throughput=(40507.3, "tokens", "cpu")),
    result_line(("valid perplexity", 4.996)),
    result_line(("loss", 0.1874), throughput=(20148.0, "tokens", "cuda:0")),
]


def test_result_lines_keep_the_digits_readers_know():
    assert LINES == ["loss 0.336, train acc 0.876, test acc 0.866", "3632 examples/sec on cpu",
                     "perplexity 1.05, 40507 tokens/sec on cpu", "valid perplexity 5.00",
                     "loss 0.187, 20148 tokens/sec on cuda:0"]


def test_every_line_is_a_result_line_before_and_after_the_sanitizer():
    for line in LINES:
        assert RESULT_LINE.fullmatch(line) and is_result_line(line)
        masked = sanitize(line)
        assert is_result_line(masked)
        if "/sec" in line:  # tests/nbval_sanitize.cfg masks the machine-dependent speed
            assert re.search(r"(^|, )N [a-z]+/sec on ", masked), masked


def test_the_summary_lines_are_collected_by_the_results_page():
    summaries = [line for line in LINES if line != "3632 examples/sec on cpu"]  # the speed line is not a result
    assert all(SUMMARY.match(line) and PAGE_SUMMARY.match(line) for line in summaries)
    assert not PAGE_SUMMARY.match("fold 1, train log rmse 0.170, valid log rmse 0.157")
