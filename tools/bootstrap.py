"""Write the identical Colab bootstrap cell at the top of every notebook.

    python -m tools.bootstrap          # insert or refresh the cell in every notebook under chapters/
    python -m tools.bootstrap --check  # exit 1 if any notebook's first cell differs

The cell installs d2lbook_utils from the repository configured in _config.yml, only inside Colab.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

from tools.book import ROOT, all_notebooks, branch, read_notebook, repository_url

TAGS = ["remove-cell", "d2lbook-bootstrap"]


def cell_source() -> str:
    spec = f"d2lbook_utils @ git+{repository_url()}@{branch()}"
    return (
        "# 由 tools/bootstrap.py 生成，请勿手改。在 Colab 中安装本书的工具包；在其他环境中什么也不做。\n"
        "import sys\n"
        "\n"
        'if "google.colab" in sys.modules:\n'
        "    import subprocess\n"
        "\n"
        f'    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "{spec}"], check=True)'
    )


def is_bootstrap(cell) -> bool:
    return cell.cell_type == "code" and "d2lbook-bootstrap" in cell.metadata.get("tags", [])


def refresh(nb) -> bool:
    """Put the bootstrap cell first; return True when the notebook changed."""
    wanted = nbformat.v4.new_code_cell(cell_source(), metadata={"tags": TAGS})
    first = nb.cells[0] if nb.cells else None
    if first is not None and is_bootstrap(first):
        if first.source == wanted.source and first.metadata.get("tags") == TAGS:
            return False
        first.source, first.metadata["tags"] = wanted.source, TAGS
        return True
    nb.cells.insert(0, wanted)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebook under chapters/")
    parser.add_argument("--check", action="store_true", help="only report notebooks whose cell is stale")
    args = parser.parse_args(argv)
    stale = []
    for path in [p.resolve() for p in args.notebooks] or all_notebooks():
        nb = read_notebook(path)
        if refresh(nb):
            stale.append(path)
            if not args.check:
                nbformat.validator.normalize(nb)
                nbformat.write(nb, path)
    for path in stale:
        print(("stale: " if args.check else "updated: ") + str(path.relative_to(ROOT)))
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
