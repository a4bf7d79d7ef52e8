"""How far the stored training results move when a notebook runs under other kernels, thread counts or seeds.

    D2LBOOK_DATA=... python benchmarks/spread.py                      # run, then print the table
    D2LBOOK_DATA=... python benchmarks/spread.py --configs threads-2,foreign NB.ipynb ...
    python benchmarks/spread.py --report                              # print the table of the last runs
    python benchmarks/spread.py --report --configs git:REV,foreign    # also against the outputs stored at REV

Every notebook with an `nbval-approx` or `nbval-sample` cell is executed under each configuration of
tools/book.py (default: foreign, threads-2, seed-offset-1) with `python -m tools.execute --config C
--output DIR`, into the cache folder (D2LBOOK_CACHE, default ~/.cache/d2lbook). Two one-thread runs go side
by side on a two-core machine; a two-thread configuration runs alone. The stored outputs are not touched.

The report compares each run with the stored outputs the way nbval does (tools/nbval_policy.py: the result
lines of `nbval-sample` cells, every number of `nbval-approx` cells, after the sanitizers):
1. per kind of quantity, the declared tolerance, how many numbers were compared, the largest difference, the
   largest share of the tolerance used and how many numbers nbval would reject (`nbval-unstable` cells are
   measured but not counted there: nbval does not compare them);
2. per notebook, the result lines' numbers (and any number outside its tolerance) under each configuration,
   beside the cell's `assert` lines;
3. texts whose words changed, and untagged cells whose text differs at all: these fail under nbval
   (a sample cell's model text is not compared and is not listed).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from d2lbook_utils.data import cache_dir  # noqa: E402
from tools.book import CONFIGS, ROOT, config_env, read_notebook, toc_notebooks  # noqa: E402
from tools.nbval_policy import (APPROX, NUMBER, SAMPLE, TOLERANCES, UNSTABLE, WIDGET, is_result_line,  # noqa: E402
                                kind_of, result_lines, sanitize, tolerance)

DEFAULT_CONFIGS = ["foreign", "threads-2", "seed-offset-1", "seed-offset-2"]


def out_dir(config: str) -> Path:
    return cache_dir() / "spread" / config


def exact_cells(nb: dict) -> list[tuple[int, dict]]:
    return [(i, c) for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"
            and not {APPROX, SAMPLE, UNSTABLE, WIDGET} & set(c.get("metadata", {}).get("tags", []))]


def compared_cells(nb: dict) -> list[tuple[int, dict]]:
    return [(i, c) for i, c in enumerate(nb["cells"])
            if c["cell_type"] == "code" and {APPROX, SAMPLE, UNSTABLE} & set(c.get("metadata", {}).get("tags", []))]


def training_notebooks() -> list[Path]:
    return [p for p in toc_notebooks() if compared_cells(read_notebook(p))]


def _relative(path: Path) -> str:
    return str(path.relative_to(ROOT / "chapters").with_suffix(""))


def run(config: str, notebooks: list[Path]) -> None:
    env = {**os.environ, **config_env(config)}
    jobs = max(1, (os.cpu_count() or 1) // int(env["D2LBOOK_NUM_THREADS"]))
    target = out_dir(config)

    def one(path: Path) -> str:
        folder = target / path.parent.name
        done = subprocess.run([sys.executable, "-m", "tools.execute", "--config", config, "--output", str(folder),
                               str(path)], cwd=ROOT, env=env, capture_output=True, text=True)
        failure = [line for line in (done.stdout + done.stderr).splitlines() if "FAILED" in line or "Error" in line]
        status = done.stdout.strip() if done.returncode == 0 else f"FAILED: {failure[-1:] or done.stderr[-300:]}"
        return f"[{config}] {_relative(path)}: {status}"

    with ThreadPoolExecutor(jobs) as pool:
        for line in pool.map(one, notebooks):
            print(line, flush=True)


def cell_text(cell: dict, tags: list[str] | None = None) -> str:
    """Every text nbval compares in a cell's outputs (streams and text/* data), sanitized like nbval does.

    `tags` (default: the cell's own) decide whether only result lines count."""
    text = ""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            text += "".join(output["text"])
        for key, value in sorted(output.get("data", {}).items()):
            if key.startswith("text/"):
                text += "".join(value) + "\n"
    text = sanitize(text)
    tags = cell.get("metadata", {}).get("tags", []) if tags is None else tags
    # An unstable cell is measured like a sample cell here, to show how far it moves, though nbval compares none of it.
    return result_lines(text) if SAMPLE in tags or UNSTABLE in tags else text


def numbers(text: str) -> list[tuple[str, str, str, bool]]:
    """(label, kind, value, on a result line) for every non-integer number of `text`."""
    found = []
    for match in NUMBER.finditer(text):
        value = match.group()
        if any(c in value for c in ".eE"):
            before = text[:match.start()]
            line_start = before.rfind("\n") + 1
            line = text[line_start:text.find("\n", match.end()) if "\n" in text[match.end():] else len(text)]
            label = re.sub(r"\s+", " ", before[line_start:]).strip()[-40:]
            found.append((label, kind_of(before), value, is_result_line(line)))
    return found


def asserts(cell: dict) -> list[str]:
    return [line.strip() for line in "".join(cell["source"]).splitlines() if line.strip().startswith("assert")]


def report(configs: list[str], notebooks: list[Path]) -> None:
    per_kind = {kind: {"n": 0, "max_abs": 0.0, "max_share": 0.0, "outside": 0, "worst": ""} for kind in TOLERANCES}
    changed_words, details = [], []
    for path in notebooks:
        ref_nb = read_notebook(path)
        runs = {}
        for config in configs:
            if config.startswith("git:"):  # the outputs stored at an earlier commit (another machine's recording)
                shown = subprocess.run(["git", "show", f"{config[4:]}:{path.relative_to(ROOT).as_posix()}"],
                                       cwd=ROOT, capture_output=True, text=True)
                if shown.returncode == 0 and shown.stdout != path.read_text(encoding="utf-8"):
                    runs[config] = json.loads(shown.stdout)
                continue
            run_path = out_dir(config) / path.parent.name / path.name
            if run_path.exists():
                runs[config] = read_notebook(run_path)
        if not runs:
            continue
        for index, cell in exact_cells(ref_nb):
            for config, nb in runs.items():
                test_text, ref_text = cell_text(nb["cells"][index]), cell_text(cell)
                if test_text != ref_text:
                    changed_words.append(f"{_relative(path)} c{index} [{config}] (exact): " + next(
                        (f"{t!r} vs {r!r}" for t, r in zip(test_text.splitlines(), ref_text.splitlines()) if t != r),
                        "different number of lines"))
        for index, cell in compared_cells(ref_nb):
            ref_text = cell_text(cell)
            ref_numbers = numbers(ref_text)
            values = {}
            for config, nb in runs.items():
                test_text = cell_text(nb["cells"][index], cell.get("metadata", {}).get("tags", []))
                if NUMBER.split(test_text) != NUMBER.split(ref_text):
                    changed_words.append(f"{_relative(path)} c{index} [{config}]: "
                                         + next((f"{t!r} vs {r!r}" for t, r in zip(test_text.splitlines(),
                                                 ref_text.splitlines()) if NUMBER.split(t) != NUMBER.split(r)),
                                                "different number of lines"))
                    continue
                found = [value for _, _, value, _ in numbers(test_text)]
                if len(found) != len(ref_numbers):  # e.g. a run whose assert failed printed a traceback instead
                    changed_words.append(f"{_relative(path)} c{index} [{config}]: {len(found)} numbers, "
                                         f"recorded {len(ref_numbers)}")
                    continue
                values[config] = found
            unstable = UNSTABLE in cell.get("metadata", {}).get("tags", [])
            for k, (label, kind, ref_value, headline) in enumerate(ref_numbers):
                atol, rtol = tolerance(kind)
                allowed = atol + rtol * abs(float(ref_value))
                row, outside = [], False
                for config in configs:
                    if config not in values:
                        row.append("-")
                        continue
                    diff = abs(float(values[config][k]) - float(ref_value))
                    stats = per_kind[kind]
                    stats["n"] += 1
                    stats["max_abs"] = max(stats["max_abs"], diff)
                    share = diff / allowed if allowed else (0.0 if diff == 0 else float("inf"))
                    if share > stats["max_share"] or not stats["worst"]:
                        stats["max_share"] = share
                        stats["worst"] = (f"{_relative(path)} c{index} {label[-24:]} "
                                          f"{ref_value} -> {values[config][k]} [{config}]")
                    stats["outside"] += diff > allowed and not unstable
                    outside |= diff > allowed
                    row.append(values[config][k] + ("!" if diff > allowed else ""))
                if headline or outside:
                    details.append((f"{_relative(path)} c{index}", label, kind, ref_value, row,
                                    ("[nbval-unstable: not compared] " if unstable else "") + "; ".join(asserts(cell))))

    print("1. per kind of quantity (all numbers of nbval-approx cells and of sample cells' result lines)")
    print(f"{'kind':<11} {'tolerance':<22} {'numbers':>7} {'max |diff|':>10} {'max share':>9} {'outside':>7}  "
          "largest share at")
    for kind, stats in per_kind.items():
        atol, rtol = tolerance(kind)
        print(f"{kind:<11} {f'{atol:g} + {rtol:g}*|recorded|':<22} {stats['n']:>7} {stats['max_abs']:>10.4g} "
              f"{stats['max_share']:>9.2f} {stats['outside']:>7}  {stats['worst']}")
    print(f"\n2. result lines and numbers outside the tolerance (recorded, then {', '.join(configs)}; '!' = outside)")
    for where, label, kind, ref_value, row, asserted in details:
        print(f"{where:<52} {label[-28:]:>28} {ref_value:>9} | {' '.join(f'{v:>9}' for v in row)}"
              + (f"   {asserted}" if asserted else ""))
    print("\n3. changed words (fail under nbval):" + ("" if changed_words else " none"))
    for line in changed_words:
        print("  " + line)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebook with compared cells")
    parser.add_argument("--configs", type=lambda s: s.split(","), default=DEFAULT_CONFIGS,
                        help=f"comma-separated, from {sorted(c for c in CONFIGS if c != 'recorded')}; with --report "
                             "also git:REV, the outputs stored at an earlier commit")
    parser.add_argument("--report", action="store_true", help="only print the table of the last runs")
    args = parser.parse_args()
    unknown = {c for c in args.configs if not c.startswith("git:")} - set(CONFIGS) | ({"recorded"} & set(args.configs))
    if not args.report and any(c.startswith("git:") for c in args.configs):
        parser.error("git:REV columns (outputs stored at an earlier commit) need --report")
    if unknown:
        parser.error(f"unknown or not comparable configuration(s) {sorted(unknown)}; expected some of "
                     f"{sorted(c for c in CONFIGS if c != 'recorded')}")
    notebooks = [p.resolve() for p in args.notebooks] or training_notebooks()
    if not args.report:
        for config in args.configs:
            run(config, notebooks)
    report(args.configs, notebooks)
    return 0


if __name__ == "__main__":
    sys.exit(main())
