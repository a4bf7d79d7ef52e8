"""The book's figures: every non-photo row of FIGURES.md has one, every committed SVG and figure cell is fresh,
every figure is shown once in its lesson, and the figures computed from a lesson's tensors are really drawn there."""
import re

import pytest

from figures import COMPUTED, INTERACTIVE, LEFT_OUT, PHOTOS, all_figures
from tools import figures as tool
from tools.book import ROOT, read_notebook

FIGURES_MD = ROOT.parent / "shared" / "FIGURES.md"
DRAWN = all_figures()


def d2l_rows() -> list[tuple[str, list[str], bool]]:
    """(section, d2l figure names, is a photo) for each row of FIGURES.md."""
    rows = []
    for line in FIGURES_MD.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or "/" not in cells[0] or cells[0].startswith("book"):
            continue
        names_cell = cells[1]
        photo = "(photo)" in names_cell
        names_cell = names_cell.replace("(photo)", "")
        names = []
        for part in (p.strip() for p in names_cell.split(",")):
            m = re.fullmatch(r"(\w+)-(\d) … \1-(\d)", part)
            names += [f"{m[1]}-{i}" for i in range(int(m[2]), int(m[3]) + 1)] if m else [part]
        rows.append((cells[0], [n for n in names if n], photo))
    return rows


def covered() -> set[str]:
    names = {n for f in DRAWN for n in f.covers}
    return names | {n for table in (COMPUTED, PHOTOS) for *_, covers in table.values() for n in covers}


def test_every_row_of_figures_md_has_a_figure_or_a_reason():
    missing = [(section, n) for section, names, photo in d2l_rows() for n in names
               if n not in covered() and not (photo and n in LEFT_OUT)]
    assert not missing, f"FIGURES.md rows without a figure of the book: {missing}"


def test_at_least_sixty_figures():
    assert len(DRAWN) + len(COMPUTED) + len(PHOTOS) >= 60


def test_committed_figures_and_cells_are_fresh(capsys):
    assert tool.build(check=True) == 0, capsys.readouterr().out


def test_each_drawn_figure_is_shown_once_in_its_lesson():
    problems = []
    by_name = {f.name: f for f in DRAWN}
    for nb_path in sorted((ROOT / "chapters").glob("*/*.ipynb")):
        cells = tool.figure_cells(read_notebook(nb_path))
        for name, found in cells.items():
            if name not in by_name:
                problems.append(f"{nb_path.name}: unknown figure {name}")
            elif tool.notebook_path(by_name[name]) != nb_path:
                problems.append(f"{nb_path.name} shows {name}, which belongs to {by_name[name].section}")
            elif len(found) != 1:
                problems.append(f"{nb_path.name} shows {name} {len(found)} times")
    shown = {n for p in (ROOT / "chapters").glob("*/*.ipynb") for n in tool.figure_cells(read_notebook(p))}
    problems += [f"{f.name} is not shown in {f.section}" for f in DRAWN if f.name not in shown]
    assert not problems, problems


def code_cells_drawing(section: str, name: str) -> list:
    return tool.figure_code_cells(read_notebook(ROOT / "chapters" / f"{section}.ipynb"), name)


@pytest.mark.parametrize("name", sorted({**COMPUTED, **PHOTOS}))
def test_computed_figures_are_drawn_from_the_lessons_tensors(name):
    section, helper, _ = {**COMPUTED, **PHOTOS}[name]
    cells = code_cells_drawing(section, name)
    assert len(cells) == 1, f"{section} needs one code cell with metadata figure={name!r}"
    cell = cells[0]
    assert f"d2l.{helper}(" in cell.source, f"{name} must be drawn with d2l.{helper}"
    assert any("image/png" in o.get("data", {}) for o in cell.outputs), f"{name}: the stored output has no image"
    mystnb = cell.metadata.get("mystnb", {})
    assert mystnb.get("image", {}).get("alt") and mystnb.get("figure", {}).get("caption"), \
        f"{name}: set metadata mystnb.image.alt and mystnb.figure.caption"


@pytest.mark.parametrize("name", sorted(INTERACTIVE))
def test_interactive_figures_are_widgets(name):
    section, helper = INTERACTIVE[name]
    cells = code_cells_drawing(section, name)
    assert len(cells) == 1, f"{section} needs one code cell with metadata figure={name!r}"
    cell = cells[0]
    assert f"d2l.{helper}(" in cell.source and "interactive" in cell.source
    assert "nbval-ignore-output" in cell.metadata.get("tags", [])
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in cell.outputs)


def test_figure_files_are_referenced():
    files = {p for p in (ROOT / "chapters").glob("*/img/*.svg")}
    wanted = {tool.svg_path(f) for f in DRAWN}
    assert not files - wanted, f"SVG files no figure draws: {sorted(str(p.relative_to(ROOT)) for p in files - wanted)}"


def test_svgs_are_deterministic_and_self_describing():
    for fig in DRAWN[:5]:
        a, b = tool.render(fig), tool.render(fig)
        assert a == b
        assert "<title>" in a and "dc:date" not in a.lower()
