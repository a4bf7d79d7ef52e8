"""作图：统一尺寸与格式的折线图、图片网格，以及训练时实时更新的 Animator（《微积分》一节介绍）。

图中文字只用英文和数学符号：Colab 和测试机器上没有中文字体。
"""
from __future__ import annotations

import time
from typing import Any, Sequence

import matplotlib

matplotlib.use(matplotlib.get_backend())  # keep the backend chosen by Jupyter or MPLBACKEND
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from ._checks import check_choice, check_int, check_number  # noqa: E402

__all__ = ["Animator", "plot", "plt", "set_axes", "set_figsize", "show_heatmaps", "show_images", "use_png"]

DEFAULT_FIGSIZE = (3.5, 2.5)
SCALES = ("linear", "log", "symlog", "logit")


def _in_notebook() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")


def use_png() -> None:
    """在 Jupyter 中以 PNG 显示图（体积小，nbval 不逐像素比较 PNG）；不在 Jupyter 中时什么也不做。见《微积分》。"""
    if _in_notebook():
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("png")


def set_figsize(figsize: tuple[float, float] = DEFAULT_FIGSIZE) -> None:
    """设置之后新建图的默认尺寸（英寸）。见《微积分》。"""
    _check_figsize(figsize)
    plt.rcParams["figure.figsize"] = figsize


def _check_figsize(figsize: Any) -> None:
    if not (isinstance(figsize, (tuple, list)) and len(figsize) == 2):
        raise TypeError(f"figsize 必须是 (宽, 高) 两个正数，收到 {figsize!r}")
    for v in figsize:
        check_number("figsize 的元素", v, positive=True)


def set_axes(axes, xlabel=None, ylabel=None, xlim=None, ylim=None, xscale="linear", yscale="linear", legend=None) -> None:
    """一次设置坐标轴的标签、范围、刻度类型和图例。见《微积分》。"""
    check_choice("xscale", xscale, SCALES)
    check_choice("yscale", yscale, SCALES)
    axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)
    axes.set_xscale(xscale)
    axes.set_yscale(yscale)
    if xlim is not None:
        axes.set_xlim(xlim)
    if ylim is not None:
        axes.set_ylim(ylim)
    if legend:
        axes.legend(legend)
    axes.grid(True)


def _as_array(values: Any) -> np.ndarray:
    """把张量、列表或数组转成 numpy 数组（张量先 detach 并移到 CPU）。"""
    if hasattr(values, "detach"):
        values = values.detach().cpu().numpy()
    return np.asarray(values)


def _is_series_list(values: Any) -> bool:
    """`values` 是多条曲线（列表套列表或二维数组）而不是一条曲线。"""
    if isinstance(values, (list, tuple)):
        return len(values) > 0 and np.ndim(_as_array(values[0])) == 1
    return np.ndim(_as_array(values)) == 2


def plot(X, Y=None, xlabel=None, ylabel=None, legend=None, xlim=None, ylim=None,
         xscale="linear", yscale="linear", fmts: Sequence[str] = ("-", "m--", "g-.", "r:"),
         figsize: tuple[float, float] | None = None, axes=None):
    """画一条或多条曲线。见《微积分》。

    `plot(y)` 以下标为横轴；`plot(x, y)`；`plot(x, [y1, y2])` 多条曲线共用横轴；`plot([x1, x2], [y1, y2])`。
    接受张量、numpy 数组和列表。`figsize` 为 None 时用 `set_figsize` 设定的尺寸；
    给了 `axes` 就画进这个坐标系。返回所用的 Axes。
    """
    if Y is None:
        X, Y = None, X
    ys = [_as_array(y) for y in Y] if _is_series_list(Y) else [_as_array(Y)]
    if X is None:
        xs = [np.arange(len(y)) for y in ys]
    elif _is_series_list(X):
        xs = [_as_array(x) for x in X]
    else:
        xs = [_as_array(X)] * len(ys)
    if len(xs) != len(ys):
        raise ValueError(f"X 与 Y 的曲线条数必须相同，收到 {len(xs)} 条 X、{len(ys)} 条 Y")
    for i, (x, y) in enumerate(zip(xs, ys)):
        if len(x) != len(y):
            raise ValueError(f"第 {i} 条曲线的 x 与 y 长度必须相同，收到 {len(x)} 与 {len(y)}")
    if legend is not None and len(legend) != len(ys):
        raise ValueError(f"legend 必须为每条曲线给一个名字：{len(ys)} 条曲线，收到 {len(legend)} 个名字")
    if axes is None:
        if figsize is not None:
            _check_figsize(figsize)
        _, axes = plt.subplots(figsize=figsize)
    for i, (x, y) in enumerate(zip(xs, ys)):
        axes.plot(x, y, fmts[i % len(fmts)])
    set_axes(axes, xlabel, ylabel, xlim, ylim, xscale, yscale, legend)
    return axes


def show_images(imgs, num_rows: int, num_cols: int, titles: Sequence[str] | None = None, scale: float = 1.5):
    """把若干张图片排成 num_rows × num_cols 的网格显示，可选每张的标题。返回 Axes 数组。见《图像分类数据集》。"""
    check_int("num_rows", num_rows, minimum=1)
    check_int("num_cols", num_cols, minimum=1)
    check_number("scale", scale, positive=True)
    imgs = list(imgs)
    if len(imgs) > num_rows * num_cols:
        raise ValueError(f"imgs 有 {len(imgs)} 张，放不进 {num_rows}×{num_cols} 的网格")
    if titles is not None and len(titles) < len(imgs):
        raise ValueError(f"titles 至少要有 {len(imgs)} 个，收到 {len(titles)} 个")
    _, axes = plt.subplots(num_rows, num_cols, figsize=(num_cols * scale, num_rows * scale), squeeze=False)
    axes = axes.flatten()
    for i, ax in enumerate(axes):
        ax.axis("off")
        if i < len(imgs):
            ax.imshow(_as_array(imgs[i]), cmap="gray" if np.ndim(_as_array(imgs[i])) == 2 else None)
            if titles is not None:
                ax.set_title(titles[i])
    return axes


def show_heatmaps(matrices, xlabel: str, ylabel: str, titles: Sequence[str] | None = None,
                  figsize: tuple[float, float] = (2.5, 2.5), cmap: str = "Reds",
                  xticklabels: Sequence[str] | None = None, yticklabels: Sequence[str] | None = None):
    """把 (行数, 列数, 查询数, 键数) 的注意力权重画成一格一张的热图网格，右侧共用一个颜色条。

    行和列通常是（层，头）或（样本，头）。只有一张时也要传四维，例如 `weights.reshape(1, 1, n_q, n_k)`。
    有词元时把键和查询的词元传给 `xticklabels`、`yticklabels`，坐标轴上就写词元而不是位置。
    返回 Axes 数组。见《注意力提示》。
    """
    _check_figsize(figsize)
    matrices = _as_array(matrices)
    if matrices.ndim != 4:
        raise ValueError(f"matrices 必须是四维 (行数, 列数, 查询数, 键数)，收到形状 {matrices.shape}")
    num_rows, num_cols = matrices.shape[:2]
    if titles is not None and len(titles) < num_cols:
        raise ValueError(f"titles 至少要有 {num_cols} 个（每列一个），收到 {len(titles)} 个")
    for name, labels, n in (("xticklabels", xticklabels, matrices.shape[3]), ("yticklabels", yticklabels, matrices.shape[2])):
        if labels is not None and len(labels) != n:
            raise ValueError(f"{name} 必须有 {n} 个（每个{'键' if name[0] == 'x' else '查询'}一个），收到 {len(labels)} 个")
    fig, axes = plt.subplots(num_rows, num_cols, figsize=figsize, sharex=True, sharey=True, squeeze=False)
    for i in range(num_rows):
        for j in range(num_cols):
            ax = axes[i, j]
            image = ax.imshow(matrices[i, j], cmap=cmap, vmin=0, vmax=max(float(matrices.max()), 1e-12))
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # rows and columns are token positions
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
            if xticklabels is not None:
                ax.set_xticks(range(len(xticklabels)), xticklabels, rotation=90)
            if yticklabels is not None:
                ax.set_yticks(range(len(yticklabels)), yticklabels)
            if i == num_rows - 1:
                ax.set_xlabel(xlabel)
            if j == 0:
                ax.set_ylabel(ylabel)
            if titles is not None and i == 0:
                ax.set_title(titles[j])
    fig.colorbar(image, ax=axes, shrink=0.6)
    return axes


class Animator:
    """训练时实时更新的折线图。见《自动微分》。

    在 Jupyter 中每次 `add` 都就地刷新同一张图，单元格运行结束后只留下一张最终的静态图
    （保存在笔记本输出和 HTML 中）；不在 Jupyter 中（脚本、无界面）时只记录数据，
    需要时用 `animator.fig.savefig(...)` 保存。
    """

    REFRESH_S = 1.0

    def __init__(self, xlabel=None, ylabel=None, legend=None, xlim=None, ylim=None,
                 xscale="linear", yscale="linear", fmts: Sequence[str] = ("-", "m--", "g-.", "r:"),
                 nrows: int = 1, ncols: int = 1, figsize: tuple[float, float] = DEFAULT_FIGSIZE) -> None:
        check_int("nrows", nrows, minimum=1)
        check_int("ncols", ncols, minimum=1)
        _check_figsize(figsize)
        check_choice("xscale", xscale, SCALES)
        check_choice("yscale", yscale, SCALES)
        self.fig, axes = plt.subplots(nrows, ncols, figsize=figsize, squeeze=False)
        # Detach the figure from pyplot so the inline backend does not show it a second time at cell end.
        plt.close(self.fig)
        self.axes = axes.flatten()
        self.legend = legend
        self._config = lambda: set_axes(self.axes[0], xlabel, ylabel, xlim, ylim, xscale, yscale, legend)
        self.fmts = fmts
        self.X: list[list[float]] | None = None
        self.Y: list[list[float]] | None = None
        self._handle = None
        self._shown_at, self._pending, self._render_s = 0.0, False, 0.0

    def add(self, x, y) -> None:
        """加入一个（或每条曲线一个）新点；`y` 可以是数或数的列表，其中 None 表示这条曲线本次没有点。"""
        ys = list(y) if isinstance(y, (list, tuple)) else [y]
        xs = list(x) if isinstance(x, (list, tuple)) else [x] * len(ys)
        if len(xs) != len(ys):
            raise ValueError(f"x 与 y 的个数必须相同，收到 {len(xs)} 与 {len(ys)}")
        if self.X is None:
            self.X, self.Y = [[] for _ in ys], [[] for _ in ys]
        if len(ys) != len(self.Y):
            raise ValueError(f"Animator 已有 {len(self.Y)} 条曲线，这次收到 {len(ys)} 个值")
        for i, (a, b) in enumerate(zip(xs, ys)):
            if a is not None and b is not None:
                self.X[i].append(float(a))
                self.Y[i].append(float(b))
        self._redraw()

    def _redraw(self) -> None:
        ax = self.axes[0]
        ax.cla()
        for i, (x, y) in enumerate(zip(self.X, self.Y)):
            ax.plot(x, y, self.fmts[i % len(self.fmts)])
        self._config()
        if not _in_notebook():
            return
        # Rendering a PNG costs ~0.1 s, so refresh at most every REFRESH_S seconds and at most 2% of the time
        # (50 render times apart); a hook at the end of the cell draws the final state, so the stored figure
        # always shows every point.
        gap = max(self.REFRESH_S, 50 * self._render_s)
        if self._handle is None or time.perf_counter() - self._shown_at >= gap:
            self._show()
        elif not self._pending:
            self._pending = True
            _after_cell(self._show)

    def _show(self) -> None:
        from IPython.display import display

        start = time.perf_counter()
        if self._handle is None:
            self._handle = display(self.fig, display_id=True)
        else:
            self._handle.update(self.fig)
        self._shown_at, self._pending = time.perf_counter(), False
        self._render_s = self._shown_at - start


def _after_cell(callback) -> None:
    """Run `callback` once when the current Jupyter cell finishes."""
    from IPython import get_ipython

    events = get_ipython().events

    def once(*_):
        events.unregister("post_run_cell", once)
        callback()

    events.register("post_run_cell", once)


def epoch_curve(num_epochs: int, ylabel: str, legend: Sequence[str] | None = None) -> tuple[Animator, int]:
    """A training curve with about 50 points: the Animator and how many epochs apart the points are."""
    every = max(1, num_epochs // 50)
    xlim = [every, num_epochs] if num_epochs > every else None  # one point: let matplotlib choose the range
    return Animator(xlabel="epoch", ylabel=ylabel, legend=legend, xlim=xlim), every
