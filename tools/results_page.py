"""Generate chapters/appendix/results.md and its figure from the executed notebooks: every notebook's recorded
wall time, profile and threads, the summary lines its training cells printed, and d2l's published figure
beside it where the book quotes one.

    python -m tools.results_page          # rewrite the page and the figure
    python -m tools.results_page --check  # exit 1 if either is stale (tests/test_results_page.py)
"""
from __future__ import annotations

import argparse
import io
import json
import re
import sys
from pathlib import Path

from tools.book import ROOT, page_title, reference_seconds, toc_files, write_generated
from tools.nbval_policy import APPROX, SAMPLE

PAGE = ROOT / "chapters" / "appendix" / "results.md"
FIGURE = PAGE.with_name("time-per-chapter.svg")

# The summary lines printed by the package's training and evaluation functions (train_ch3/ch6, train_ch8,
# train_seq2seq, bleu in the translation sections, the Kaggle k-fold run).
SUMMARY = re.compile(r"^(loss \S+, train acc \S+, test acc \S+"
                     r"|perplexity \S+, \d+ tokens/sec on \S+"
                     r"|loss \S+, \d+ tokens/sec on \S+"
                     r"|\S.* => .*, bleu \d\.\d+"
                     r"|.*corpus bleu.*"
                     r"|(?!fold ).*valid log rmse \S+)$")

# d2l's published results (GPU runs of the book) for the sections that quote them.
PUBLISHED = {
    "linear-networks/softmax-regression-scratch": "test acc ≈ 0.836",
    "linear-networks/softmax-regression-concise": "test acc ≈ 0.836",
    "multilayer-perceptrons/kaggle-house-price": "valid log rmse 0.170",
    "convolutional-neural-networks/lenet": "test acc 0.779（V100）",
    "recurrent-neural-networks/rnn-scratch": "perplexity 1.0",
    "recurrent-neural-networks/rnn-concise": "perplexity 1.3",
    "recurrent-modern/gru": "perplexity 1.1（从零）/ 1.0（简洁）",
    "recurrent-modern/lstm": "perplexity 1.3（从零）/ 1.1（简洁）",
    "recurrent-modern/deep-rnn": "perplexity 1.0",
    "recurrent-modern/seq2seq": "bleu 1.000 / 1.000 / 0.658 / 0.447",
    "attention-mechanisms/bahdanau-attention": "bleu 1.000 / 1.000 / 0.658 / 1.000",
    "attention-mechanisms/transformer": "bleu 1.000 / 1.000 / 0.658 / 1.000",
}

HEADER = """# 各节的运行时间与结果

本页由 `python -m tools.results_page` 从笔记本里保存的输出生成，请勿手改；`make test` 会检查它是否过期。
时间是 `python -m tools.execute` 在双核 CPU、单个 PyTorch 线程下执行整本笔记本的墙钟时间，"规模"是当时的计算
规模（见《前言》）。笔记本不一定都在同一台机器上记录：在单线程矩阵乘法比参考机器（93 GFLOP/s）慢的机器上
记录的，另按两者速度之比折合到参考机器，合计、图和用时预算都用折合后的时间。"结果"摘自训练单元格打印的
汇总行，是记录那次运行的数值：在别的机器上重新运行时，它们在 `CONTRIBUTING.md` 规定的容差内变动，
翻译和生成的句子则可能完全不同。"d2l 原书"一栏是原书在 GPU 上发表的数字（只列出正文引用过的）。
"""


def _notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def summary_lines(nb: dict) -> list[str]:
    lines = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code" or not {APPROX, SAMPLE} & set(cell.get("metadata", {}).get("tags", [])):
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                lines += [line for line in "".join(output["text"]).splitlines() if SUMMARY.match(line)]
    return lines


def rows() -> list[dict]:
    """One row per notebook in reading order."""
    found, chapter = [], None
    for entry in toc_files():
        path = ROOT / f"{entry}.ipynb"
        if entry.endswith("/index") and (ROOT / f"{entry}.md").exists():
            chapter = page_title(ROOT / f"{entry}.md")
        if not path.exists():
            continue
        nb = _notebook(path)
        meta = nb["metadata"].get("d2lbook", {})
        key = f"{path.parent.name}/{path.stem}"
        found.append({"chapter": chapter, "key": key, "title": page_title(path), "wall_s": meta.get("wall_time_s"),
                      "reference_s": reference_seconds(meta) if "wall_time_s" in meta else None,
                      "gflops": meta.get("matmul_gflops"),
                      "profile": meta.get("profile"), "threads": meta.get("num_threads"),
                      "results": summary_lines(nb), "published": PUBLISHED.get(key, "")})
    return found


def figure_svg(table: list[dict]) -> str:
    import matplotlib

    matplotlib.use("svg")
    import matplotlib.pyplot as plt

    totals: dict[str, float] = {}
    for row in table:
        totals[row["chapter"]] = totals.get(row["chapter"], 0.0) + (row["reference_s"] or 0.0)
    labels = [f"Ch. {i + 1}" for i in range(len(totals))]
    with plt.rc_context({"svg.hashsalt": "d2lbook", "svg.fonttype": "none"}):
        fig, ax = plt.subplots(figsize=(6, 3))
        bars = ax.bar(labels, [t / 60 for t in totals.values()], color="tab:blue")
        ax.bar_label(bars, fmt="%.1f")
        ax.set_ylabel("minutes")
        ax.set_title("Time per chapter on the reference machine (1 thread)")
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
        plt.close(fig)
    return buffer.getvalue()


def render(table: list[dict]) -> str:
    chapters = list(dict.fromkeys(row["chapter"] for row in table))
    total_s = sum(row["reference_s"] or 0 for row in table)
    parts = [HEADER,
             f"全书 {len(table)} 个笔记本，折合到参考机器的执行时间合计 {total_s / 60:.1f} 分钟；最长的一节 "
             f"{max(row['reference_s'] or 0 for row in table):.0f} 秒。\n",
             f"![每章的执行时间（分钟）]({FIGURE.name})\n",
             "图中 Ch. 1 到 Ch. %d 依次是：%s。\n" % (len(chapters), "、".join(chapters))]
    for chapter in chapters:
        parts.append(f"## {chapter}\n")
        parts.append("| 小节 | 时间 | 规模 | 结果 | d2l 原书 |\n|---|---|---|---|---|")
        for row in (r for r in table if r["chapter"] == chapter):
            link = f"[{row['title']}](../{row['key']}.ipynb)"
            wall = "未记录" if row["wall_s"] is None else f"{row['wall_s']:.1f} 秒"
            if row["wall_s"] is not None and row["reference_s"] < row["wall_s"]:
                wall += f"（矩阵乘法 {row['gflops']:.0f} GFLOP/s 的机器；折合参考机器 {row['reference_s']:.0f} 秒）"
            results = "<br>".join(f"`{line}`" for line in row["results"]) or "—"
            profile = f"{row['profile']}，{row['threads']} 线程" if row["profile"] else "—"
            parts.append(f"| {link} | {wall} | {profile} | {results} | {row['published'] or '—'} |")
        parts.append("")
    return "\n".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the page or its figure is stale")
    args = parser.parse_args()
    table = rows()
    return write_generated({PAGE: render(table), FIGURE: figure_svg(table)}, args.check,
                           "python -m tools.results_page")


if __name__ == "__main__":
    sys.exit(main())
