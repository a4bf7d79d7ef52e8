"""The result lines the training functions print, formatted in one place, and the patterns that read them back.

`loss 0.336, train acc 0.876, test acc 0.866` (train_ch3/ch6), `3632 examples/sec on cpu` (train_ch6),
`perplexity 1.05, 40507 tokens/sec on cpu` and `valid perplexity 5.00` (train_ch8), `loss 0.187, 20148 tokens/sec
on cpu` (train_seq2seq). tools/nbval_policy.py compares them with RESULT_LINE, tools/results_page.py collects them
with SUMMARY, and tests/nbval_sanitize.cfg masks the throughput (tests/unit/test_report.py checks all three).
"""
from __future__ import annotations

import re

# Digits after the point: perplexities to 2 (as d2l prints them), losses and accuracies to 3.
DIGITS = {"perplexity": 2, "valid perplexity": 2}


def result_line(*pairs: tuple[str, float], throughput: tuple[float, str, object] | None = None) -> str:
    """`key value` pairs, then `N unit/sec on device`, joined by commas."""
    parts = [f"{key} {value:.{DIGITS.get(key, 3)}f}" for key, value in pairs]
    if throughput is not None:
        per_sec, unit, device = throughput
        parts.append(f"{per_sec:.0f} {unit}/sec on {device}")
    return ", ".join(parts)


# A result line is made only of `key value` pairs and throughputs (N once the sanitizer has masked the number).
PAIR = r"[A-Za-z][A-Za-z_ |:'-]*?\s[-+]?\d[\d.]*(?:[eE][-+]?\d+)?"
THROUGHPUT = r"(?:N|\d+(?:\.\d+)?) [a-z]+/sec(?: on [\w:]+)?"  # cpu, cuda:0
RESULT_LINE = re.compile(rf"(?:{PAIR}|{THROUGHPUT})(?:,\s*(?:{PAIR}|{THROUGHPUT}))*")

# The summary lines of the package's training functions, as the results appendix collects them.
SUMMARY = re.compile(r"^(loss \S+, train acc \S+, test acc \S+"
                     r"|perplexity \S+, \d+ tokens/sec on \S+"
                     r"|valid perplexity \S+"
                     r"|loss \S+, \d+ tokens/sec on \S+)$")
