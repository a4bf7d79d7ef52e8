"""Draw the book's figures (figures/) into the chapters, and keep the notebook cells that show them fresh.

    python -m tools.figures                  # draw every figure, refresh every figure cell
    python -m tools.figures --check          # exit 1 if a committed SVG or figure cell is stale (make checks)
    python -m tools.figures --only resnet    # only the figures whose name or section contains "resnet"
    python -m tools.figures place NAME AFTER_CELL_ID   # insert NAME's cell after that cell of its notebook

Each figure is written to chapters/<chapter>/img/<name>.svg. A notebook shows it in a markdown cell whose
metadata names it ({"figure": NAME}); the cell's text is generated here from the figure's alt text and
caption, so do not edit it by hand. The image is referenced by its raw URL in the repository (the only
reference Colab can resolve: it sees the notebook but not the files beside it); the site's Sphinx extension
(_ext/d2lbook_sphinx.py) maps that URL back to the committed file, so the HTML and PDF read offline.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

from figures import Figure, all_figures
from figures.style import Canvas
from tools.book import ROOT, branch, read_notebook, repository_url

CHAPTERS = ROOT / "chapters"


def svg_path(fig: Figure) -> Path:
    return CHAPTERS / fig.chapter / "img" / f"{fig.name}.svg"


def notebook_path(fig: Figure) -> Path:
    return CHAPTERS / f"{fig.section}.ipynb"


def raw_prefix() -> str:
    """The URL under which the repository's files are served raw: Colab can fetch it, the site maps it back."""
    owner_repo = repository_url().removeprefix("https://github.com/")
    return f"https://raw.githubusercontent.com/{owner_repo}/{branch()}/"


def image_url(fig: Figure) -> str:
    # Without ?sanitize=true GitHub serves an SVG as text/plain (with nosniff), and browsers will not draw it.
    return raw_prefix() + svg_path(fig).relative_to(ROOT).as_posix() + "?sanitize=true"


def render(fig: Figure) -> str:
    """The figure as SVG text, the same bytes on every machine."""
    canvas = Canvas(*fig.size)
    fig.draw(canvas)
    return canvas.svg(fig.alt)


def plain_alt(fig: Figure) -> str:
    """The alt text a reader's browser shows. Square brackets would end Markdown's ![...], and MyST keeps only
    plain text in an alt, dropping even an escaped `<`: so `<eos>` is written ‹eos›."""
    return fig.alt.replace("[", "（").replace("]", "）").replace("<", "‹").replace(">", "›")


def _markdown_escaped(text: str) -> str:
    # `<eos>` would otherwise be read as an HTML tag and vanish from the page.
    return text.replace("<", "\\<").replace(">", "\\>")


def cell_source(fig: Figure) -> str:
    return f"![{plain_alt(fig)}]({image_url(fig)})\n\n**图**　{_markdown_escaped(fig.caption)}"


def figure_cells(nb) -> dict[str, list]:
    cells: dict[str, list] = {}
    for cell in nb.cells:
        name = cell.get("metadata", {}).get("figure")
        if cell.cell_type == "markdown" and name:
            cells.setdefault(name, []).append(cell)
    return cells


def figure_code_cells(nb, name: str) -> list:
    """The code cells that draw a computed figure (their metadata names it)."""
    return [c for c in nb.cells if c.cell_type == "code" and c.get("metadata", {}).get("figure") == name]


def selected(only: str | None) -> list[Figure]:
    figs = all_figures()
    return [f for f in figs if only is None or only in f.name or only in f.section]


def build(only: str | None = None, check: bool = False) -> int:
    figs = selected(only)
    stale: list[str] = []
    for fig in figs:
        path = svg_path(fig)
        svg = render(fig)
        if not path.exists() or path.read_text(encoding="utf-8") != svg:
            stale.append(str(path.relative_to(ROOT)))
            if not check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(svg, encoding="utf-8")
    by_notebook: dict[Path, list[Figure]] = {}
    for fig in figs:
        by_notebook.setdefault(notebook_path(fig), []).append(fig)
    for nb_path, nb_figs in by_notebook.items():
        nb = read_notebook(nb_path)
        cells = figure_cells(nb)
        changed = False
        for fig in nb_figs:
            for cell in cells.get(fig.name, []):
                if cell.source != cell_source(fig):
                    cell.source = cell_source(fig)
                    changed = True
        if changed:
            stale.append(f"{nb_path.relative_to(ROOT)} (figure cells)")
            if not check:
                nbformat.write(nb, nb_path)
    verb = "stale" if check else "wrote"
    for item in stale:
        print(f"{verb} {item}" + ("  (run `python -m tools.figures`)" if check else ""))
    print(f"{len(figs)} figures, {len(stale)} {verb}")
    return 1 if check and stale else 0


def place(name: str, after: str) -> int:
    figs = {f.name: f for f in all_figures()}
    if name not in figs:
        raise SystemExit(f"没有名为 {name!r} 的图；已有：{', '.join(sorted(figs))}")
    fig = figs[name]
    nb_path = notebook_path(fig)
    nb = read_notebook(nb_path)
    if name in figure_cells(nb):
        raise SystemExit(f"{nb_path.relative_to(ROOT)} 已经有图 {name!r} 的单元格")
    ids = [c.get("id") for c in nb.cells]
    if after not in ids:
        raise SystemExit(f"{nb_path.relative_to(ROOT)} 没有 id 为 {after!r} 的单元格")
    cell = nbformat.v4.new_markdown_cell(cell_source(fig), metadata={"figure": name})
    nb.cells.insert(ids.index(after) + 1, cell)
    nbformat.write(nb, nb_path)
    print(f"placed {name} after cell {after} of {nb_path.relative_to(ROOT)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["place"]:
        p = argparse.ArgumentParser(prog="python -m tools.figures place")
        p.add_argument("name")
        p.add_argument("after", help="id of the cell the figure follows")
        a = p.parse_args(argv[1:])
        return place(a.name, a.after)
    p = argparse.ArgumentParser(prog="python -m tools.figures", description=__doc__.splitlines()[0])
    p.add_argument("--check", action="store_true")
    p.add_argument("--only")
    a = p.parse_args(argv)
    return build(a.only, a.check)


if __name__ == "__main__":
    raise SystemExit(main())
