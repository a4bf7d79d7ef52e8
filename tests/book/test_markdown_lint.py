"""Markdown that renders as written: balanced `$`, no `\\_` inside `\\text{}`, no LaTeX command that lost its backslash.

Control characters (a `\\t` or `\\a` swallowed by a plain Python string) are checked for every cell in
test_notebooks.py; this file checks what survives as printable text but still renders wrong.
"""
from __future__ import annotations

import re

import pytest

from tools.book import ROOT, read_notebook, toc_files, toc_notebooks

CODE = re.compile(r"```.*?```|~~~.*?~~~|``[^`]*``|`[^`\n]*`", re.DOTALL)
# `\_` inside \text{...}: MathJax shows the backslash (it does not unescape inside text mode).
ESCAPED_UNDERSCORE_IN_TEXT = re.compile(r"\\(?:text|texttt|textrm)\{[^{}]*\\_")
# A "\n" typed in a plain string eats the backslash of \nabla, \neq, \nu, \not, \notin: the formula then holds a
# line break followed by the command's tail.
EATEN_N_COMMAND = re.compile(r"\n(?:abla|eq\b|otin\b|ot\b|u\b|ewline\b)")
MATH = re.compile(r"\$\$.+?\$\$|\$[^$]+?\$", re.DOTALL)


def problems(markdown: str) -> list[str]:
    text = CODE.sub(" ", markdown).replace(r"\$", " ")
    found = []
    if text.count("$") % 2:
        found.append("unbalanced $")
    for m in ESCAPED_UNDERSCORE_IN_TEXT.finditer(text):
        found.append(f"\\_ inside text: {m.group(0)!r}")
    for m in MATH.finditer(text):
        tail = EATEN_N_COMMAND.search(m.group(0))
        if tail:
            found.append(f"backslash lost before n{tail.group(0)[1:]!r} in {m.group(0)[:60]!r}")
    return found


def markdown_sources() -> list[tuple[str, str]]:
    sources = []
    for path in toc_notebooks():
        nb = read_notebook(path)
        sources += [(f"{path.relative_to(ROOT)} cell {i}", c.source) for i, c in enumerate(nb.cells)
                    if c.cell_type == "markdown"]
    pages = [ROOT / f"{f}.md" for f in toc_files() if (ROOT / f"{f}.md").exists()]
    sources += [(f"{p.relative_to(ROOT)}", p.read_text(encoding="utf-8")) for p in pages]
    return sources


def test_every_markdown_cell_and_page_is_clean():
    sources = markdown_sources()
    bad = [f"{where}: {p}" for where, source in sources for p in problems(source)]
    assert len(sources) > 500 and bad == []


@pytest.mark.parametrize("markdown, expected", [
    ("一个 $x$ 和 $y", "unbalanced $"),
    ("$D \\times \\text{num\\_layers}$", "\\_ inside text"),
    ("$$\\frac{a}{b}\nabla f$$", "backslash lost before n"),
])
def test_lint_catches(markdown, expected):
    assert any(p.startswith(expected) for p in problems(markdown))


@pytest.mark.parametrize("markdown", [
    "价格 \\$5 与 $x^2$", "`$HOME` 与 $a$", "$$\n\\nabla f\n$$", "$\\text{num_layers}$ 与 $\\mathrm{num\\_steps}$",
])
def test_lint_passes_clean_markdown(markdown):
    assert problems(markdown) == []
