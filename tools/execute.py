"""Execute notebooks in place with nbclient, under exactly the settings the tests use.

    python -m tools.execute                      # every notebook in _toc.yml, one after another
    python -m tools.execute chapters/preliminaries/ndarray.ipynb ...

Each notebook runs in its own folder with a fresh `python3` kernel and NOTEBOOK_ENV; widget state is
saved for the HTML; the wall time, profile and thread count go into the notebook's metadata
(`d2lbook`), where the hygiene tests and the results appendix read them. Run one at a time: two
training kernels on two cores slow each other down and the recorded times would be wrong.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from tools.book import NOTEBOOK_ENV, ROOT, budget_s, toc_notebooks


KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def execute(path: Path, timeout: int) -> float:
    nb = nbformat.read(path, as_version=4)
    # Keep only the metadata the book needs (authoring tools such as jupytext add their own).
    nb.metadata = nbformat.NotebookNode({"kernelspec": KERNELSPEC, "language_info": {"name": "python"}})
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", store_widget_state=True,
                            record_timing=False, resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    wall = time.perf_counter() - start
    nb.metadata["d2lbook"] = {
        "wall_time_s": round(wall, 1),
        "profile": NOTEBOOK_ENV["D2LBOOK_PROFILE"],
        "num_threads": int(NOTEBOOK_ENV["D2LBOOK_NUM_THREADS"]),
    }
    nbformat.write(nb, path)
    return wall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebook in _toc.yml")
    parser.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell")
    args = parser.parse_args(argv)
    os.environ.update(NOTEBOOK_ENV)
    paths = [p.resolve() for p in args.notebooks] or toc_notebooks()
    over = []
    for path in paths:
        wall = execute(path, args.timeout)
        flag = "" if wall <= budget_s(path) else f"  (over the {budget_s(path)} s budget)"
        print(f"{wall:7.1f} s  {path.relative_to(ROOT)}{flag}", flush=True)
        if flag:
            over.append(path)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
