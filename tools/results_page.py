"""Generate chapters/appendix/results.md and its figure from the executed notebooks: every notebook's recorded
wall time, profile and threads, the summary lines its training cells printed (labelled by cell where a notebook
prints several), and d2l's published figure beside it, with how the book's settings differ, where the book
quotes one.

    python -m tools.results_page          # rewrite the page and the figure
    python -m tools.results_page --check  # exit 1 if either is stale (tests/book/test_results_page.py)
"""
from __future__ import annotations

import argparse
import io
import re
import sys

from d2lbook_utils._report import SUMMARY as PACKAGE_SUMMARY
from tools.book import ROOT, pages, reference_seconds, write_generated
from tools.nbval_policy import APPROX, SAMPLE, UNSTABLE

PAGE = ROOT / "chapters" / "appendix" / "results.md"
FIGURE = PAGE.with_name("time-per-chapter.svg")

# The summary lines: those of the package's training functions (d2lbook_utils/_report.py), and those the
# translation sections (bleu) and the Kaggle k-fold run print themselves.
SUMMARY = re.compile(rf"{PACKAGE_SUMMARY.pattern}|^(\S.* => .*, bleu \d\.\d+|.*corpus bleu.*|(?!fold ).*valid log rmse \S+)$")

# Beside each published figure: how the settings of the book's (cpu) run differ from d2l's, as each notebook's
# prose and code state them. For a notebook with `cpu = dict(...)` and `full = dict(...)` profiles (full is d2l's
# setting), tests/book/test_results_page.py checks that every number that differs between the two appears here.
SETTINGS = {
    "multilayer-perceptrons/kaggle-house-price": "基线与 d2l 相同（5 折，100 轮，学习率 5，批量 64，无权重衰减）；其余几行是本书的改进",
    "convolutional-neural-networks/lenet": "与 d2l 相同（批量 256，学习率 0.9，10 轮）",
    "convolutional-modern/alexnet": "通道 ×0.25（d2l ×1），全连接层宽 512（d2l 4096），输入边长 68（d2l 224），"
                                    "学习率 0.02（d2l 0.01），3 轮（d2l 10），动量 0.9（d2l 0），Kaiming 初始化（d2l Xavier）",
    "convolutional-modern/vgg": "通道 ×0.125（d2l ×0.25），全连接层宽 256（d2l 4096），输入边长 32（d2l 224），"
                                "学习率 0.02（d2l 0.05），4 轮（d2l 10），动量 0.9（d2l 0），Kaiming 初始化（d2l Xavier）",
    "convolutional-modern/resnet": "通道 ×0.25（d2l ×1），输入边长 32（d2l 96），批量 128（d2l 256），"
                                   "one-cycle 学习率调度、峰值 0.5（d2l 固定 0.05），5 轮（d2l 10）",
    "convolutional-modern/densenet": "通道和增长率 ×0.5（d2l ×1），输入边长 32（d2l 96），批量 128（d2l 256），"
                                     "one-cycle 学习率调度、峰值 0.1（d2l 固定 0.1），2 轮（d2l 10）",
    "recurrent-neural-networks/rnn-scratch": "顺序分区与 d2l 相同（512 个隐藏单元，学习率 1，500 轮）；随机采样只训练 10 轮"
                                             "（d2l 500），并且换用了随机采样的迭代器（d2l 沿用顺序分区的迭代器）",
    "recurrent-neural-networks/rnn-concise": "与 d2l 相同（256 个隐藏单元，学习率 1，500 轮）",
    "recurrent-modern/gru": "128 个隐藏单元（d2l 256）；从零：学习率 4、按余弦逐轮减小（d2l 固定 1），250 轮（d2l 500）；"
                            "简洁：Adam，学习率 0.003，200 轮（d2l SGD，学习率 1，500 轮）",
    "recurrent-modern/lstm": "128 个隐藏单元（d2l 256）；从零：学习率 8、按余弦逐轮减小（d2l 固定 1），300 轮（d2l 500）；"
                             "简洁：Adam，学习率 0.01、按余弦逐轮减小，200 轮（d2l SGD，固定学习率 1，500 轮）",
    "recurrent-modern/deep-rnn": "两层，128 个隐藏单元（d2l 256），Adam，学习率 0.01，150 轮（d2l SGD，学习率 2，500 轮）",
    "recurrent-modern/seq2seq": "与 d2l 相同（两层 GRU，32 个隐藏单元，学习率 0.005，300 轮）",
    "attention-mechanisms/bahdanau-attention": "200 轮（d2l 250），其余与 d2l 相同",
    "attention-mechanisms/transformer": "与 d2l 相同（d=32，4 个头，各 2 块，学习率 0.005，200 轮）",
}

# Which run printed which summary line, for the notebooks that print several: notebook -> {cell id -> label}.
# Cell ids survive re-execution; tests/book/test_results_page.py requires a label for every such cell.
LABELS = {
    "linear-networks/softmax-regression-concise": {
        "d3a53827": "学习率 0.1", "2d0a086b": "练习 1，学习率 0.01", "a38f8e12": "练习 3，多加一层 softmax"},
    "multilayer-perceptrons/dropout": {
        "774fe15a": "从零实现", "4cea5127": "从零实现，不暂退（对照）", "9cc3ed17": "简洁实现"},
    "multilayer-perceptrons/kaggle-house-price": {
        "0a7c29eb": "基线（d2l 的设置）", "4e23af5d": "第一步，对数目标", "523a2e65": "第二步，再压缩偏斜特征",
        "0824d435": "第三步，多层感知机", "44b08b84": "四个模型汇总", "687b061d": "练习 1", "93114c9d": "练习 5"},
    "convolutional-neural-networks/lenet": {
        "ab233d8b": "sigmoid LeNet，10 轮", "3dfd4d2d": "练习 2，ReLU、最大汇聚、Adam，2 轮"},
    "convolutional-modern/batch-norm": {"26433e11": "从零实现", "3f0677e6": "简洁实现"},
    "recurrent-neural-networks/rnn-scratch": {"7f30c6ac": "顺序分区，500 轮", "0a597add": "随机采样，10 轮"},
    "recurrent-neural-networks/sampling-and-temperature": {"8e47eeb5": "训练集与验证集"},
    "recurrent-modern/gru": {"d0ddb8d5": "从零实现", "a94e6448": "简洁实现"},
    "recurrent-modern/lstm": {"85b633ae": "从零实现", "fad9d9b2": "简洁实现"},
    "recurrent-modern/bi-rnn": {"d26de890": "双向 LSTM", "a8adae57": "单向 LSTM（对照）"},
    "recurrent-modern/seq2seq": {"17d4dd2b": "训练", "37c68713": "d2l 的四个测试句", "e61d038f": "语料 BLEU"},
    "recurrent-modern/beam-search": {"538fb002": "训练", "0db34bb2": "留出集上的贪心解码与束搜索",
                                     "b7bbb87c": "长度惩罚 α 的对照（随机器而变）"},
    "recurrent-modern/deep-rnn": {"b133f555": "两层", "b7d1dba0": "单层（对照，随机器而变）"},
    "convolutional-modern/googlenet": {"38f1f503": "随机器而变，见正文"},
    "attention-mechanisms/bahdanau-attention": {
        "1166b6c9": "训练", "8fda1562": "d2l 的四个测试句", "5474138b": "语料 BLEU，与普通模型对照"},
    "attention-mechanisms/transformer": {"0921805d": "训练", "cb7be7da": "d2l 的四个测试句", "59a2aa0b": "语料 BLEU"},
}

HEADER = """# 各节的运行时间与结果

本页由 `python -m tools.results_page` 从笔记本里保存的输出生成，请勿手改；`make test` 会检查它是否过期。
时间是 `python -m tools.execute` 在双核 CPU、单个 PyTorch 线程下执行整本笔记本的墙钟时间，"规模"是当时的计算
规模（见《前言》）。笔记本不一定都在同一台机器上记录：在单线程矩阵乘法比参考机器（93 GFLOP/s）慢的机器上
记录的，另按两者速度之比折合到参考机器，合计、图和用时预算都用折合后的时间。"结果"摘自训练单元格打印的
汇总行，是记录那次运行的数值；一节打印多行时，冒号前注明是哪一次训练。在别的机器上重新运行时，这些数值在
`CONTRIBUTING.md` 规定的容差内变动，翻译和生成的句子则可能完全不同。"d2l 原书"一栏是原书在 GPU 上发表的数字
（只列出正文引用过的）；这些行的"规模"一栏还写明本书这次运行的设置与 d2l 有何不同。
"""


def summary_cells(nb: dict) -> dict[str, list[str]]:
    """Cell id -> the summary lines that training cell printed, in notebook order."""
    cells = {}
    for cell in nb["cells"]:
        if cell["cell_type"] != "code" or not {APPROX, SAMPLE, UNSTABLE} & set(cell.get("metadata", {}).get("tags", [])):
            continue
        lines = [line for output in cell.get("outputs", []) if output.get("output_type") == "stream"
                 for line in "".join(output["text"]).splitlines() if SUMMARY.match(line)]
        if lines:
            cells[cell["id"]] = lines
    return cells


def rows() -> list[dict]:
    """One row per notebook in reading order."""
    found, chapter = [], None
    for page in pages():
        if page.path.stem == "index" and not page.is_notebook:
            chapter = page.title
        if not page.is_notebook:
            continue
        meta = page.record
        found.append({"chapter": chapter, "key": page.key, "title": page.title, "wall_s": meta.get("wall_time_s"),
                      "reference_s": reference_seconds(meta) if "wall_time_s" in meta else None,
                      "gflops": meta.get("matmul_gflops"),
                      "profile": meta.get("profile"), "threads": meta.get("num_threads"),
                      "results": [(LABELS.get(page.key, {}).get(cell_id), lines)
                                  for cell_id, lines in summary_cells(page.notebook).items()],
                      "published": page.published, "settings": SETTINGS.get(page.key)})
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
            results = "<br>".join((f"{label}：" if label else "") + "<br>".join(f"`{line}`" for line in lines)
                                  for label, lines in row["results"]) or "—"
            profile = f"{row['profile']}，{row['threads']} 线程" if row["profile"] else "—"
            if row["settings"]:
                profile += f"<br>设置：{row['settings']}"
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
