"""The book's comparison policy: what `pytest --nbval` compares exactly, what within a tolerance, what not at all.

Declared here once and described in CONTRIBUTING.md §3. A cell's tag decides:

- no tag: exact, after the sanitizers of tests/nbval_sanitize.cfg (timings, throughput, memory addresses).
- `nbval-approx`: results downstream of training (loss, accuracy, perplexity, BLEU, norms, fitted weights).
  The words must match exactly; every number within the tolerance of its kind (TOLERANCES), the kind read
  from the nearest keyword before the number on its line. Integers (epochs, counts, sizes) stay exact.
- `nbval-sample`: what a trained model wrote (generated text, translations, per-sentence scores). Only its
  result lines (`key value, key value`, see `is_result_line`) are compared, as under `nbval-approx`; the rest
  is the recorded run's sample and another machine writes another one. The cell must `assert` the property
  the lesson relies on (tests/book/test_notebooks.py checks that it has an assert).
- `nbval-unstable`: a training whose result itself moves more than its kind's tolerance from machine to machine
  (measured with benchmarks/spread.py; for example Adam's late spikes). Nothing is compared; like a sample
  cell it must `assert` what the lesson relies on, and the prose says that the run is unstable.
- `nbval-ignore-output` (nbval's own tag): widgets only; run, not compared.

The tolerances come from benchmarks/spread.py, which re-runs the training notebooks under other kernels,
thread counts and seeds (or reads another machine's recording from git) and prints each metric's spread
beside them.
"""
from __future__ import annotations

import copy
import re
from functools import lru_cache
from pathlib import Path
from typing import Callable

from nbval.plugin import get_sanitize_patterns

from d2lbook_utils._report import RESULT_LINE

APPROX = "nbval-approx"
SAMPLE = "nbval-sample"
UNSTABLE = "nbval-unstable"
WIDGET = "nbval-ignore-output"

# Kind of quantity -> (words that name it, absolute tolerance, relative tolerance). A number belongs to the
# kind whose word comes last before it on its line ("train acc 0.823", "corpus bleu: held-out pairs 0.356").
# A number with no such word before it is a "value" (a fitted weight, a norm, a gradient).
# Largest differences measured so far (benchmarks/spread.py; recordings of two machines and foreign kernels):
# accuracy 0.013, perplexity 3 % (1.03 vs 1.05), BLEU 0.022, loss 7 % (ResNet's 0.198 vs 0.212), values 0.2 %.
# Thresholds an assert checks must lie at least one tolerance beyond the recorded value (CONTRIBUTING.md §3).
TOLERANCES: dict[str, tuple[str, float, float]] = {
    "accuracy": (r"acc|accuracy|coverage", 0.02, 0.0),
    "perplexity": (r"perplexity", 0.0, 0.05),
    "bleu": (r"bleu", 0.03, 0.0),
    "loss": (r"loss|mse|rmse", 0.005, 0.10),
    "value": (r"", 0.005, 0.02),
}

NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?(?![\w.])")
_KIND_WORD = re.compile("|".join(rf"\b(?P<{kind}>{words})\b" for kind, (words, _, _) in TOLERANCES.items() if words),
                        re.I)


SANITIZE_CFG = Path(__file__).resolve().parents[1] / "tests" / "nbval_sanitize.cfg"


@lru_cache(maxsize=1)
def _sanitizers() -> list[tuple[re.Pattern, str]]:
    # nbval's own reader: a pattern it would not read (e.g. "replace:" without a space) is not used here either
    patterns = get_sanitize_patterns(SANITIZE_CFG.read_text(encoding="utf-8"))
    return [(re.compile(regex), replace) for regex, replace in patterns]


def sanitize(text: str) -> str:
    """`text` after the replacements nbval applies before comparing (tests/nbval_sanitize.cfg)."""
    for pattern, replace in _sanitizers():
        text = pattern.sub(replace, text)
    return text


def kind_of(text_before: str) -> str:
    """The kind of the number that follows `text_before` on its line."""
    words = list(_KIND_WORD.finditer(text_before.rsplit("\n", 1)[-1]))
    return words[-1].lastgroup if words else "value"


def tolerance(kind: str) -> tuple[float, float]:
    _, atol, rtol = TOLERANCES[kind]
    return atol, rtol


def _numbers_agree(test: str, ref: str, kind: str) -> bool:
    if not any(c in ref for c in ".eE"):  # an integer: a count, an epoch, a size
        return test == ref
    atol, rtol = tolerance(kind)
    t, r = float(test), float(ref)
    return abs(t - r) <= atol + rtol * abs(r)


def close_enough(test: str, ref: str) -> bool:
    """True when the two texts have the same words and their numbers agree within their kinds' tolerances."""
    test_words, ref_words = NUMBER.split(test), NUMBER.split(ref)
    if test_words != ref_words:
        return False
    prefix, kinds = "", []
    for words in ref_words[:-1]:
        prefix += words
        kinds.append(kind_of(prefix))
        prefix += " "
    return all(_numbers_agree(t, r, k) for t, r, k in zip(NUMBER.findall(test), NUMBER.findall(ref), kinds))


def is_result_line(line: str) -> bool:
    """A line made only of `key value` pairs and a throughput: `perplexity 1.05, 40507 tokens/sec on cpu`."""
    return bool(RESULT_LINE.fullmatch(line.strip()))


def result_lines(text: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True) if is_result_line(line))


def _text_fields(output) -> list[tuple[dict, str]]:
    if output.get("output_type") == "stream":
        return [(output, "text")]
    data = output.get("data", {})
    return [(data, key) for key in data if key.startswith("text/")]


def keep_result_lines(outputs: list, keep: Callable[[str], str] = result_lines) -> list:
    """Copies of `outputs` in which every text keeps only its result lines (how `nbval-sample` cells compare)."""
    kept = copy.deepcopy(outputs)
    for output in kept:
        for holder, key in _text_fields(output):
            if isinstance(holder[key], str):
                holder[key] = keep(holder[key])
    return kept


def snap_to_reference(test_outputs: list, ref_outputs: list, normalize: Callable[[str], str] = lambda s: s) -> None:
    """Replace test texts by the reference texts where `close_enough` (after `normalize`, nbval's sanitizers)."""
    for test, ref in zip(test_outputs, ref_outputs):
        if test.get("output_type") != ref.get("output_type") or test.get("name") != ref.get("name"):
            continue
        for (t_holder, key), (r_holder, r_key) in zip(_text_fields(test), _text_fields(ref)):
            if key == r_key and isinstance(t_holder[key], str) and isinstance(r_holder[key], str) \
                    and close_enough(normalize(t_holder[key]), normalize(r_holder[key])):
                t_holder[key] = r_holder[key]


def prepare(tags: list[str], test: list, ref: list, normalize: Callable[[str], str]) -> tuple[list, list]:
    """The (test, reference) outputs that nbval's exact comparison should see for a cell with these tags.

    May change `test` in place (the caller passes copies)."""
    if UNSTABLE in tags:  # only the kinds and number of outputs still have to match
        return keep_result_lines(test, lambda text: ""), keep_result_lines(ref, lambda text: "")
    if SAMPLE in tags:
        test, ref = keep_result_lines(test), keep_result_lines(ref)
    if SAMPLE in tags or APPROX in tags:
        snap_to_reference(test, ref, normalize)
    return test, ref


def install() -> None:
    """Route nbval's output comparison through `prepare`."""
    from nbval.plugin import IPyNbCell, coalesce_streams

    original = IPyNbCell.compare_outputs
    if getattr(original, "_d2lbook_policy", False):
        return

    def compare_outputs(self, test, ref, skip_compare=None):
        tags = self.cell.metadata.get("tags", [])
        # coalesce_streams merges in place, so it gets copies
        test, ref = (coalesce_streams(copy.deepcopy(list(outputs))) for outputs in (test, ref))
        test, ref = prepare(tags, test, ref, self.sanitize)
        return original(self, test, ref, skip_compare)

    compare_outputs._d2lbook_policy = True
    IPyNbCell.compare_outputs = compare_outputs
