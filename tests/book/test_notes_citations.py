"""Every 学习笔记 box names the lines of the learner's notes it reports, in a comment readers do not see.

A box opens with `:::{admonition} 学习笔记：…`, its options, then a MyST comment such as
`% 笔记 002:L2210-2216, 004:L12`. The notes are fixed material beside the repository (`../shared/notes`); their
line counts are written down here so that a clone without them still checks every citation's range.
"""
from __future__ import annotations

import re

import pytest

from tools.book import ROOT, all_notebooks, read_notebook

NOTES_DIR = ROOT.parent / "shared" / "notes"
NOTES_LINES = {"000": 115, "001": 115, "002": 4158, "003": 98, "004": 238}  # numbered as `grep -n` does

BOX = re.compile(r"^(?P<fence>:{3,})\{admonition\}\s*学习笔记(?P<title>.*?)\n(?P<body>.*?)^(?P=fence)\s*$", re.S | re.M)
CITATION_LINE = re.compile(r"^% 笔记 (?P<refs>.+)$", re.M)
REF = re.compile(r"^(?P<file>\d{3}):L(?P<start>\d+)(?:-(?P<end>\d+))?$")


def citation_errors(markdown: str) -> list[str]:
    """What is wrong with the 学习笔记 boxes of one markdown text (empty when every box is cited correctly)."""
    errors = []
    for box in BOX.finditer(markdown):
        title = box["title"].strip("：: ") or "(untitled)"
        cited = CITATION_LINE.findall(box["body"])
        if not cited:
            errors.append(f"学习笔记 box {title!r} has no '% 笔记 NNN:La-b' line")
        for refs in cited:
            for ref in (part.strip() for part in refs.split(",")):
                match = REF.match(ref)
                if not match:
                    errors.append(f"box {title!r}: citation {ref!r} is not of the form 002:L12 or 002:L12-20")
                    continue
                start, end = int(match["start"]), int(match["end"] or match["start"])
                count = NOTES_LINES.get(match["file"])
                if count is None:
                    errors.append(f"box {title!r}: no notes file {match['file']}")
                elif not 1 <= start <= end <= count:
                    errors.append(f"box {title!r}: {ref} is outside lines 1-{count} of notes file {match['file']}")
    return errors


def markdown_texts():
    for path in all_notebooks():
        for i, cell in enumerate(read_notebook(path).cells):
            if cell.cell_type == "markdown":
                yield f"{path.relative_to(ROOT)} cell {i}", cell.source
    for path in sorted((ROOT / "chapters").rglob("*.md")) + [ROOT / "intro.md"]:
        yield str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")


def test_every_notes_box_cites_lines_that_exist():
    errors = [f"{where}: {error}" for where, text in markdown_texts() for error in citation_errors(text)]
    assert not errors, "\n".join(errors)


def test_the_recorded_line_counts_are_the_notes_files():
    if not NOTES_DIR.is_dir():
        pytest.skip("the notes are not beside this clone (../shared/notes)")
    for prefix, count in NOTES_LINES.items():
        (path,) = NOTES_DIR.glob(f"{prefix}_*.txt")
        assert len(path.read_text(encoding="utf-8").rstrip("\n").split("\n")) == count, path.name


GOOD = ":::{admonition} 学习笔记：预热\n:class: tip\n% 笔记 000:L3, 002:L10-12\n笔记里提醒预测前先预热。\n:::\n"


def test_a_cited_box_passes():
    assert citation_errors(GOOD) == []


@pytest.mark.parametrize("bad, complaint", [
    (GOOD.replace("% 笔记 000:L3, 002:L10-12\n", ""), "has no"),
    (GOOD.replace("002:L10-12", "002:L10-4159"), "outside lines 1-4158"),
    (GOOD.replace("002:L10-12", "002:L12-10"), "outside"),
    (GOOD.replace("000:L3", "007:L3"), "no notes file 007"),
    (GOOD.replace("000:L3", "L3"), "is not of the form"),
    ("::::{admonition} 学习笔记：x\n:class: tip\n正文\n::::\n", "has no"),
])
def test_an_uncited_or_misquoted_box_fails(bad, complaint):
    errors = citation_errors(bad)
    assert errors and complaint in errors[0], errors


def test_other_boxes_need_no_citation():
    assert citation_errors(":::{admonition} 提示：预热\n:class: note\n本书的建议。\n:::\n") == []
