"""Execute notebooks in place with nbclient, under exactly the settings the tests use.

    python -m tools.execute                      # every notebook in _toc.yml, one after another
    python -m tools.execute chapters/preliminaries/ndarray.ipynb ...
    python -m tools.execute --config foreign --output DIR NB ...   # run elsewhere, keep the stored outputs

Each notebook runs in its own folder with a fresh `python3` kernel and NOTEBOOK_ENV (or another of the
configurations in tools/book.py, for benchmarks/spread.py); widget state is
saved for the HTML; the wall time, profile and thread count go into the notebook's metadata
(`d2lbook`), where the hygiene tests and the results appendix read them. Run one at a time: two
training kernels on two cores slow each other down and the recorded times would be wrong.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path
from queue import Empty

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from tools.book import CONFIGS, ROOT, budget_s, config_env, matmul_gflops, read_notebook, reference_seconds, toc_notebooks

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
# A traceback frame inside an installed library names this machine's paths; the reader needs only the
# frames of the cell itself and the final error line.
LIBRARY_FRAME = re.compile(r"site-packages|/lib/python3|\.venv")


def trim_tracebacks(nb) -> None:
    """Drop library frames from stored error outputs (nbval never compares tracebacks)."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                output["traceback"] = [entry for entry in output["traceback"] if not LIBRARY_FRAME.search(entry)]


POLL_SLICE_S = 0.5


def _sliced(original):
    """Wrap an async channel's `get_msg` so that it polls in short slices.

    Measured here: now and then the asyncio zmq poll misses a message that has already arrived (an idle kernel
    and a waiting client) and notices it only when the whole cell timeout has run out. Polling in slices turns
    such a stall into a delay of at most POLL_SLICE_S.
    """
    async def get_msg(timeout: float | None = None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = POLL_SLICE_S if deadline is None else max(0.0, min(POLL_SLICE_S, deadline - time.monotonic()))
            try:
                return await original(timeout=left)
            except Empty:
                if deadline is not None and time.monotonic() >= deadline:
                    raise

    return get_msg


class SlicedPollingClient(NotebookClient):
    async def async_start_new_kernel_client(self):
        kc = await super().async_start_new_kernel_client()
        for channel in (kc.shell_channel, kc.iopub_channel):
            channel.get_msg = _sliced(channel.get_msg)
        return kc


def execute(path: Path, timeout: int, output: Path | None = None, speed: float | None = None) -> dict:
    """Execute `path` under the current environment; write the result to `output` (default: in place).

    Returns the record stored in the notebook's metadata; `speed` is the machine's matmul GFLOP/s."""
    nb = read_notebook(path)
    # Keep only the metadata the book needs (authoring tools such as jupytext add their own).
    nb.metadata = nbformat.NotebookNode({"kernelspec": KERNELSPEC, "language_info": {"name": "python"}})
    client = SlicedPollingClient(nb, timeout=timeout, kernel_name="python3", store_widget_state=True,
                                 record_timing=False, resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    wall = time.perf_counter() - start
    trim_tracebacks(nb)
    nb.metadata["d2lbook"] = {
        "wall_time_s": round(wall, 1),
        "profile": os.environ["D2LBOOK_PROFILE"],
        "num_threads": int(os.environ["D2LBOOK_NUM_THREADS"]),
    }
    if speed:
        nb.metadata["d2lbook"]["matmul_gflops"] = round(speed, 1)
    nbformat.write(nb, output or path)
    return nb.metadata["d2lbook"]


def execute_with_retry(path: Path, timeout: int, output: Path | None = None, speed: float | None = None) -> dict:
    """Execute; if the kernel stalls (a rare lost Jupyter message: an idle kernel and a waiting client), retry once."""
    try:
        return execute(path, timeout, output, speed)
    except (CellTimeoutError, DeadKernelError) as err:
        print(f"  retrying {path.relative_to(ROOT)} after {type(err).__name__}", flush=True)
        return execute(path, timeout, output, speed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebook in _toc.yml")
    parser.add_argument("--timeout", type=int, default=900, help="seconds allowed per cell (a slow machine needs several minutes for the longest training cells)")
    parser.add_argument("--config", choices=sorted(CONFIGS), default="recorded",
                        help="environment to run under (tools/book.py); only 'recorded' may write stored outputs")
    parser.add_argument("--output", type=Path, help="write executed notebooks into this folder, not in place")
    args = parser.parse_args(argv)
    if args.config != "recorded" and args.output is None:
        parser.error(f"--config {args.config} needs --output: stored outputs are recorded only under 'recorded'")
    os.environ.update(config_env(args.config))
    paths = [p.resolve() for p in args.notebooks] or toc_notebooks()
    if args.output:
        args.output.mkdir(parents=True, exist_ok=True)
    # Measured once per run, before any kernel starts, so that the budgets can be judged on any machine.
    speed = None if args.output else matmul_gflops()
    over, failed = [], []
    for path in paths:
        output = args.output / path.name if args.output else None
        try:
            record = execute_with_retry(path, args.timeout, output, speed)
        except (CellExecutionError, CellTimeoutError, DeadKernelError) as err:
            # The notebook is left as it was; go on with the others and report it at the end.
            last_line = str(err).strip().splitlines()[-1] if str(err).strip() else type(err).__name__
            print(f" FAILED    {path.relative_to(ROOT)}: {last_line}", flush=True)
            failed.append(path)
            continue
        wall = record["wall_time_s"]
        flag = "" if output or reference_seconds(record) <= budget_s(path) else f"  (over the {budget_s(path)} s budget)"
        print(f"{wall:7.1f} s  {path.relative_to(ROOT)}{flag}", flush=True)
        if flag:
            over.append(path)
    if failed:
        print(f"{len(failed)} notebook(s) failed and were not written: "
              + " ".join(str(p.relative_to(ROOT)) for p in failed), flush=True)
    return 1 if over or failed else 0


if __name__ == "__main__":
    sys.exit(main())
