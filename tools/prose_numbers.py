"""Numbers in a notebook's prose that no cell of the notebook produces.

    python -m tools.prose_numbers                 # every notebook in _toc.yml; exit 1 if any number is unsourced
    python -m tools.prose_numbers NB.ipynb ...

A number in a markdown cell is checked when it has three or more significant digits (0.853, 1.05, 80,412,
4.6566e-9) or is a percentage (72%). It is sourced when an output of the same notebook, or the source of one
of its code cells (a hyper-parameter the code sets), prints it or a number that rounds to it (0.853 for a prose
0.85 is not needed: two digits are not checked; 0.8531 for 0.853 is), or, for a percentage, a fraction that
rounds to it (0.7239 for 72%). What is left must be on ALLOWED below, with the reason it needs no cell.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path


from tools.book import ROOT, read_notebook, toc_notebooks

# A number: digits with optional thousands commas and decimals, an optional exponent; then an optional %.
NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:[eE]([-+]?\d+))?(?![\w])(\s?[%％])?")
# What the check never reads: hidden citation comments (line numbers of the notes), URLs, link targets, and
# formulas that compute their numbers in front of the reader ($62\times62=3844$, $\frac{1}{36}\approx0.0278$):
# arithmetic the reader can redo is not a measurement. A bare number in a formula ($4.00000002$) is read.
SKIP = re.compile(r"^%.*$|https?://\S+|\]\([^)]*\)|\{(?:doc|ref|numref)\}`[^`]*`", re.MULTILINE)
MATH = re.compile(r"\$\$.+?\$\$|\$[^$\n]+\$", re.DOTALL)
ARITHMETIC = re.compile(r"=|\\times|\\frac|\\cdot|\\sqrt|\\le|\\ge|\\to|[-+^<>]")
YEAR = re.compile(r"^(19|20)\d\d$")  # 1958 年, 等人（2014）

# Numbers quoted without a cell behind them, each with why. Keys: notebook (relative to chapters/, no suffix).
ALLOWED: dict[str, dict[str, str]] = {
    "attention-mechanisms/bahdanau-attention": {
        "0.371": "benchmarks/spread.py, column seed-offset-1 (seed 1): held-out corpus BLEU",
        "0.365": "benchmarks/spread.py, column seed-offset-2 (seed 2): held-out corpus BLEU",
        "0.360": "benchmarks/spread.py, column seed-offset-1 (seed 1) of recurrent-modern/seq2seq: held-out corpus BLEU",
        "0.355": "benchmarks/spread.py, column seed-offset-2 (seed 2) of recurrent-modern/seq2seq: held-out corpus BLEU",
        "799": "the last index of the held-out pairs 600-799 (code: `source[600:]` of 800 pairs)",
        "1.000": "d2l-zh §10.4's published BLEU of its four example sentences",
        "0.658": "d2l-zh §10.4's published BLEU of its four example sentences",
    },
    "attention-mechanisms/transformer": {
        "0.386": "benchmarks/spread.py, column seed-offset-2 (seed 2): held-out corpus BLEU",
        "0.360": "benchmarks/spread.py, column seed-offset-1 (seed 1) of recurrent-modern/seq2seq: held-out corpus BLEU",
        "0.355": "benchmarks/spread.py, column seed-offset-2 (seed 2) of recurrent-modern/seq2seq: held-out corpus BLEU",
        "0.371": "benchmarks/spread.py, column seed-offset-1 (seed 1) of attention-mechanisms/bahdanau-attention: held-out corpus BLEU",
        "0.365": "benchmarks/spread.py, column seed-offset-2 (seed 2) of attention-mechanisms/bahdanau-attention: held-out corpus BLEU",
        "799": "the last index of the held-out pairs 600-799 (code: `source[600:]` of 800 pairs)",
        "1.000": "d2l-zh §10.7's published BLEU of its four example sentences",
        "0.658": "d2l-zh §10.7's published BLEU of its four example sentences",
    },
    "convolutional-modern/batch-norm": {
        "0.876": "benchmarks/batch_norm.py (onecycle): lowest test acc of seeds 0-2, both versions",
        "0.877": "benchmarks/batch_norm.py (onecycle): highest test acc of seeds 0-2, both versions",
        "0.849": "benchmarks/batch_norm.py --schedule constant: lowest test acc of seeds 0-2 (nn.BatchNorm)",
        "0.868": "benchmarks/batch_norm.py --schedule constant: highest test acc of seeds 0-2 (from scratch)",
    },
    "convolutional-modern/googlenet": {
        "0.403": "tools.execute --config foreign on an Intel Xeon (CI's nbval-foreign): loss",
        "0.851": "tools.execute --config foreign on an Intel Xeon (CI's nbval-foreign): test acc",
        "0.856": "tools.execute --config seed-offset-1 on an Intel Xeon: test acc",
        "0.854": "tools.execute --config seed-offset-2 on an Intel Xeon: test acc",
        "0.385": "tools.execute --config seed-offset-1 on an Intel Xeon: loss",
        "0.412": "tools.execute --config seed-offset-2 on an Intel Xeon: loss",
        "0.874": "benchmarks/spread.py, column seed-offset-1 (seed 1) on an AMD EPYC: test acc",
        "0.846": "benchmarks/spread.py, column seed-offset-2 (seed 2) on an AMD EPYC: test acc",
        "30": "OneCycleLR's default pct_start=0.3 (d2lbook_utils/classify.py sets none); the plot cell peaks at step 422",
    },
    "convolutional-modern/nin": {
        "0.614": "benchmarks/spread.py, column seed-offset-1 (seed 1), before the last ReLU was removed: test acc",
        "0.653": "benchmarks/spread.py, column seed-offset-2 (seed 2), before the last ReLU was removed: test acc",
        "0.867": "benchmarks/spread.py, column seed-offset-1 (seed 1): test acc",
        "0.859": "benchmarks/spread.py, column seed-offset-2 (seed 2): test acc",
        "0.812": "benchmarks/nin_final_relu.py, last ReLU kept, seed 0: test acc",
        "0.379": "benchmarks/nin_final_relu.py, last ReLU kept, seed 1: test acc",
        "0.698": "benchmarks/nin_final_relu.py, last ReLU kept, seed 2: test acc",
        "0.847": "benchmarks/nin_final_relu.py, last ReLU removed, seed 0: test acc",
        "0.853": "benchmarks/nin_final_relu.py, last ReLU removed, seed 1: test acc",
        "0.862": "benchmarks/nin_final_relu.py, last ReLU removed, seed 2: test acc",
    },
    "convolutional-modern/vgg": {
        "0.883": "benchmarks/spread.py, column seed-offset-1 (seed 1): test acc",
        "0.879": "benchmarks/spread.py, column seed-offset-2 (seed 2): test acc",
        "1.38": "VGG-16's well-known 138M parameters (3-channel 224x224 input, 1000 classes; torchvision vgg16: 138,357,544)",
    },
    "convolutional-neural-networks/conv-layer": {
        "10.173": "the notes' recorded loss at batch 2, 002:L2204",
    },
    "convolutional-neural-networks/lenet": {
        "0.823": "benchmarks/spread.py, column seed-offset-1 (seed 1): last-epoch test acc",
        "0.797": "benchmarks/spread.py, column seed-offset-2 (seed 2): last-epoch test acc",
        "0.779": "d2l-zh §6.6's published test acc (V100)",
    },
    "deep-learning-computation/custom-layer": {
        "4.6566e-09": "the notes' recorded Y.mean(), 002:L1932",
    },
    "linear-networks/image-classification-dataset": {
        "4.07": "the notes' recorded epoch time with num_workers=4, 002:L736",
        "4.62": "the notes' recorded epoch time of load_data_fashion_mnist(4), 002:L766",
    },
    "linear-networks/softmax-regression-scratch": {
        "0.0517": "the notes' recorded untrained test accuracy, 002:L881",
    },
    "multilayer-perceptrons/dropout": {
        "0.844": "benchmarks/spread.py, column seed-offset-1 (seed 1): test acc of the scratch net with dropout (c15)",
        "0.848": "benchmarks/spread.py, column seed-offset-1 (seed 1): test acc of the scratch net without dropout (c17)",
        "0.865": "benchmarks/spread.py, column seed-offset-2 (seed 2): test acc of the scratch net with dropout (c15)",
        "0.846": "benchmarks/spread.py, column seed-offset-2 (seed 2): test acc of the scratch net without dropout (c17)",
        "0.859": "benchmarks/spread.py, column seed-offset-1 (seed 1): test acc of the concise net (c21)",
        "0.871": "benchmarks/spread.py, column seed-offset-2 (seed 2): test acc of the concise net (c21)",
        "0.605": "benchmarks/spread.py, column seed-offset-1 (seed 1): zero-weight net's test acc after epoch 2 (c32)",
        "0.621": "benchmarks/spread.py, column seed-offset-2 (seed 2): zero-weight net's test acc after epoch 2 (c32)",
    },
    "multilayer-perceptrons/kaggle-house-price": {
        "63": "benchmarks/spread.py, column seed-offset-2 (seed 2): 63% negative predictions of the untrained linear model (c60; seed 1: 7%)",
        "331": "the notes' recorded shape (2919, 331), 002:L1593; d2l-zh §4.10 also reports 331 features",
        "0.000529": "the notes' best train log rmse, 002:L1748",
    },
    "multilayer-perceptrons/mlp-scratch": {
        "0.828": "benchmarks/spread.py, column seed-offset-1 (seed 1): test acc",
        "0.846": "benchmarks/spread.py, column seed-offset-2 (seed 2): test acc",
    },
    "preliminaries/calculus": {
        "4.00000002": "the notes' recorded slope 4.000000019999117, 002:L236",
    },
    "recurrent-modern/beam-search": {
        "799": "the last index of the held-out pairs 600-799 (code: `source[600:]` of 800 pairs)",
    },
    "recurrent-modern/gru": {
        "1.14": "benchmarks/spread.py, column seed-offset-2 (seed 2): scratch perplexity",
    },
    "recurrent-modern/lstm": {
        "31144.6": "the notes' recorded result line on cuda:0, 003:L84",
        "1.06": "benchmarks/spread.py, column seed-offset-2 (seed 2): scratch perplexity; concise on an Intel Xeon",
        "1.07": "benchmarks/spread.py, column seed-offset-2 (seed 2): concise perplexity on an AMD EPYC",
        "18638.9": "the notes' recorded blog result line on cpu, 000:L115",
    },
    "recurrent-modern/seq2seq": {
        "799": "the last index of the held-out pairs 600-799 (code: `source[600:]` of 800 pairs)",
    },
    "recurrent-neural-networks/rnn-concise": {
        "1.31": "benchmarks/spread.py, columns seed-offset-1 and seed-offset-2 (seeds 1, 2): perplexity",
    },
    "recurrent-neural-networks/rnn-scratch": {
        "18638.9": "the notes' recorded blog result line on cpu, 000:L115",
    },
}


# Sections whose prose quotes the recorded results of earlier sections: their outputs count as sources too.
CITES: dict[str, list[str]] = {
    "attention-mechanisms/bahdanau-attention": ["recurrent-modern/seq2seq"],
    "attention-mechanisms/transformer": ["recurrent-modern/seq2seq", "attention-mechanisms/bahdanau-attention"],
}


def _value(integer: str, fraction: str | None, exponent: str | None) -> float:
    return float(integer.replace(",", "") + (fraction or "") + (f"e{exponent}" if exponent else ""))


def significant_digits(integer: str, fraction: str | None) -> int:
    digits = integer.replace(",", "") + (fraction or "")[1:]
    digits = digits.lstrip("0")
    if not fraction:
        digits = digits.rstrip("0")  # 600 句对, 300 轮: a round count, not a measured value
    return len(digits)


def prose_numbers(markdown: str) -> list[tuple[str, float, int, bool]]:
    """(as written, value, decimals, is_percentage) of each checked number in the markdown."""
    text = MATH.sub(lambda m: " " if ARITHMETIC.search(m.group(0)) else m.group(0), SKIP.sub(" ", markdown))
    found = []
    for m in NUMBER.finditer(text):
        integer, fraction, exponent, percent = m.groups()
        if not percent and (significant_digits(integer, fraction) < 3 or (not fraction and YEAR.match(integer))):
            continue
        text = m.group(0).strip()
        value = _value(integer, fraction, exponent)
        decimals = len(fraction) - 1 if fraction else 0
        if exponent:
            decimals -= int(exponent)
        found.append((text, value, decimals, bool(percent)))
    return found


def produced_numbers(nb) -> list[float]:
    """Every number an output of the notebook shows, or a code cell writes."""
    texts = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        texts.append(cell.source)
        for out in cell.get("outputs", []):
            texts.append(out.get("text", ""))
            for mime in ("text/plain", "text/html", "text/markdown", "text/latex"):
                value = out.get("data", {}).get(mime, "")
                texts.append(value if isinstance(value, str) else "".join(value))
            texts.extend(out.get("traceback", []))
    values = []  # magnitudes: a prose "−0.25" and an output "-0.25" are compared without sign
    for m in NUMBER.finditer("\n".join(texts)):
        integer, fraction, exponent, _ = m.groups()
        values.append(_value(integer, fraction, exponent))
    return values


def _rounds_to(value: float, decimals: int, target: float) -> bool:
    return abs(round(value, decimals) - target) <= 0.5 * 10.0 ** -(decimals + 6)


def unsourced(path: Path) -> list[str]:
    """The checked prose numbers of one notebook that no output or code produces and ALLOWED does not name."""
    nb = read_notebook(path)
    chapters = ROOT / "chapters"
    key = path.relative_to(chapters).with_suffix("").as_posix() if path.is_relative_to(chapters) else path.stem
    allowed = ALLOWED.get(key, {})
    produced = produced_numbers(nb)
    for cited in CITES.get(key, []):
        produced += produced_numbers(read_notebook(chapters / f"{cited}.ipynb"))
    missing = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        for text, value, decimals, percent in prose_numbers(cell.source):
            if text.rstrip("%％ ") in allowed:
                continue
            if any(_rounds_to(p, decimals, value) or (percent and _rounds_to(100 * p, decimals, value))
                   for p in produced):
                continue
            missing.append(f"cell {i}: {text}")
    return missing


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    paths = [Path(a).resolve() for a in args] or toc_notebooks()
    bad = 0
    for path in paths:
        for line in unsourced(path):
            print(f"{path.relative_to(ROOT)} {line}")
            bad += 1
    print(f"{bad} unsourced number(s) in {len(paths)} notebook(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
