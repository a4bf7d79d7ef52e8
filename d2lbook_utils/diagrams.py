"""Figures drawn from a lesson's own tensors: the numbers in the picture are the ones the code computes.

Each helper takes the tensors a section builds (an input and a kernel, a token sequence, a table of next-token
probabilities), computes the result itself with PyTorch, draws input, operands and result as grids of numbers
with the window that produces one output entry shaded, and returns what it computed, so the cell can check
it against its own code (`assert torch.equal(...)`). Labels are English and math only, like every plot
of the package (Colab has no Chinese font).
"""
from __future__ import annotations

from typing import Callable, Sequence

import torch
from torch.nn import functional as F

from ._checks import check_choice, check_int
from .plot import plt

__all__ = ["show_beam_search", "show_conv1x1", "show_correlation", "show_partition", "show_pooling"]

CELL = 0.5                 # inches per grid cell
WINDOW = "#fde68a"         # the shaded window and the entry it produces
PADDING = "#e5e7eb"        # zero padding
EDGE = "#374151"
ACCENT = "#b45309"


def _as_matrix_stack(name: str, value, dims: tuple[int, ...]) -> torch.Tensor:
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"{name} 必须是 torch.Tensor，收到 {type(value).__name__}")
    if value.dim() not in dims:
        raise ValueError(f"{name} 必须是 {' 或 '.join(map(str, dims))} 维张量，收到形状 {tuple(value.shape)}")
    if value.numel() == 0:
        raise ValueError(f"{name} 不能是空张量，收到形状 {tuple(value.shape)}")
    return value.detach().to("cpu", torch.float64)


def _fmt(v: float) -> str:
    if v in (float("inf"), float("-inf")):
        return "−∞" if v < 0 else "∞"
    return f"{v:.3g}" if abs(v - round(v)) > 1e-9 else str(int(round(v)))


def _grid(ax, x0, y0, values, shaded=frozenset(), padded=frozenset(), title=None):
    """Draw a matrix with its top-left corner at (x0, y0) in cell units (y down)."""
    rows, cols = values.shape
    for i in range(rows):
        for j in range(cols):
            face = WINDOW if (i, j) in shaded else PADDING if (i, j) in padded else "white"
            ax.add_patch(plt.Rectangle((x0 + j, y0 + i), 1, 1, facecolor=face, edgecolor=EDGE, linewidth=1))
            ax.text(x0 + j + 0.5, y0 + i + 0.5, _fmt(float(values[i, j])), ha="center", va="center", fontsize=11,
                    color="#6b7280" if (i, j) in padded and (i, j) not in shaded else "#111827")
    if (shaded_cells := [c for c in shaded if c[0] < rows and c[1] < cols]):
        top, left = min(c[0] for c in shaded_cells), min(c[1] for c in shaded_cells)
        bottom, right = max(c[0] for c in shaded_cells) + 1, max(c[1] for c in shaded_cells) + 1
        ax.add_patch(plt.Rectangle((x0 + left, y0 + top), right - left, bottom - top, facecolor="none",
                                   edgecolor=ACCENT, linewidth=2.2))
    if title:
        ax.text(x0 + cols / 2, y0 - 0.35, title, ha="center", va="bottom", fontsize=11)
    return cols, rows


def _canvas(width: float, height: float):
    fig = plt.figure(figsize=(width * CELL, height * CELL))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig, ax


def _symbol(ax, x, y, s):
    ax.text(x, y, s, ha="center", va="center", fontsize=22 if s == "⋆" else 16)


def _check_at(at, out_shape) -> tuple[int, int]:
    if not (isinstance(at, (tuple, list)) and len(at) == 2 and all(isinstance(v, int) for v in at)):
        raise TypeError(f"at 必须是两个整数 (行, 列)，收到 {at!r}")
    if not (0 <= at[0] < out_shape[0] and 0 <= at[1] < out_shape[1]):
        raise ValueError(f"at 必须在输出的形状 {tuple(out_shape)} 之内，收到 {tuple(at)}")
    return tuple(at)


def _pair(name, value) -> tuple[int, int]:
    if isinstance(value, int):
        value = (value, value)
    if not (isinstance(value, (tuple, list)) and len(value) == 2):
        raise TypeError(f"{name} 必须是整数或两个整数 (高, 宽)，收到 {value!r}")
    return tuple(check_int(name, v, minimum=0) for v in value)


def _window(at, kernel, stride):
    """Cells of the padded input that output entry `at` reads."""
    r0, c0 = at[0] * stride[0], at[1] * stride[1]
    return frozenset((r0 + i, c0 + j) for i in range(kernel[0]) for j in range(kernel[1]))


def _padded(X2, padding, value=0.0):
    ph, pw = padding
    P = F.pad(X2, (pw, pw, ph, ph), value=value)
    cells = frozenset((i, j) for i in range(P.shape[0]) for j in range(P.shape[1])
                      if not (ph <= i < ph + X2.shape[0] and pw <= j < pw + X2.shape[1]))
    return P, cells


def show_correlation(X: torch.Tensor, K: torch.Tensor, padding=0, stride=1, at=(0, 0)) -> torch.Tensor:
    """画出二维互相关：输入（含零填充）、卷积核与输出，涂出输出元素 `at` 与它读取的窗口，并写出这一格的乘加算式。

    `X` 为 (高, 宽) 或 (通道, 高, 宽)，`K` 相应为 (核高, 核宽) 或 (通道, 核高, 核宽)：多通道时每个通道各算一次互相关，
    再逐元素相加。返回用 `F.conv2d` 算出的输出 (输出高, 输出宽)。见《图像卷积》《填充和步幅》《多输入多输出通道》。
    """
    X = _as_matrix_stack("X", X, (2, 3))
    K = _as_matrix_stack("K", K, (2, 3))
    if X.dim() != K.dim():
        raise ValueError(f"X 与 K 的维数必须相同（都是二维，或都是 (通道, 高, 宽)），收到 {tuple(X.shape)} 与 {tuple(K.shape)}")
    Xc, Kc = (X, K) if X.dim() == 3 else (X[None], K[None])
    if Xc.shape[0] != Kc.shape[0]:
        raise ValueError(f"X 与 K 的通道数必须相同，收到 {Xc.shape[0]} 与 {Kc.shape[0]}")
    padding, stride = _pair("padding", padding), _pair("stride", stride)
    if min(stride) < 1:
        raise ValueError(f"stride 必须是正整数，收到 {stride}")
    kernel = tuple(Kc.shape[1:])
    if any(Xc.shape[1 + d] + 2 * padding[d] < kernel[d] for d in range(2)):
        raise ValueError(f"填充后的输入 {tuple(Xc.shape[1:])}+2×{padding} 比卷积核 {kernel} 还小")
    Y = F.conv2d(Xc[None], Kc[None], padding=padding, stride=stride)[0, 0]
    at = _check_at(at, Y.shape)
    window = _window(at, kernel, stride)
    channels, (kh, kw) = Xc.shape[0], kernel
    r0, c0 = at[0] * stride[0], at[1] * stride[1]
    ph, pw = Xc.shape[1] + 2 * padding[0], Xc.shape[2] + 2 * padding[1]
    row_h = max(ph, kh) + 1.4
    x_out = 0.5 + pw + 1.2 + kw + (1.4 if channels == 1 else 2.2)
    width = x_out + Y.shape[1] + 0.5
    height = channels * row_h + 1.9
    fig, ax = _canvas(width, height)
    terms = []
    for c in range(channels):
        y0 = 0.9 + c * row_h
        P, pad_cells = _padded(Xc[c], padding)
        suffix = f" (channel {c})" if channels > 1 else ""
        _grid(ax, 0.5, y0, P, window, pad_cells, title="Input" + suffix)
        _symbol(ax, 0.5 + pw + 0.6, y0 + ph / 2, "⋆")
        _grid(ax, 0.5 + pw + 1.2, y0, Kc[c], frozenset((i, j) for i in range(kh) for j in range(kw)),
              title="Kernel" + suffix)
        terms += [f"{_fmt(float(P[r0 + i, c0 + j]))}×{_fmt(float(Kc[c, i, j]))}" for i in range(kh) for j in range(kw)]
    # One channel: "= Output" on the same row; several: their sum, centred beside the rows.
    y_mid = 0.9 + (channels * row_h - 1.4) / 2
    _symbol(ax, x_out - (0.7 if channels == 1 else 1.1), y_mid, "=" if channels == 1 else "Σ  =")
    _grid(ax, x_out, y_mid - Y.shape[0] / 2, Y, frozenset([at]), title="Output")
    ax.text(width / 2, height - 0.6, " + ".join(terms) + f" = {_fmt(float(Y[at]))}", ha="center", va="center",
            fontsize=10 if len(terms) <= 8 else 8)
    return Y.to(torch.get_default_dtype())


def show_pooling(X: torch.Tensor, pool_size=2, stride=None, padding=0, mode: str = "max", at=(0, 0)) -> torch.Tensor:
    """画出二维汇聚（`mode` 为 'max' 或 'avg'）：输入、窗口与输出，涂出输出元素 `at` 与它的窗口，并写出这一格的算式。

    `X` 为 (高, 宽)；`stride` 默认等于 `pool_size`（与 `nn.MaxPool2d` 相同）；最大汇聚的填充画作 −∞，平均汇聚的填充按 0 计入。
    返回用 PyTorch 算出的输出。见《汇聚层》。
    """
    X = _as_matrix_stack("X", X, (2,))
    check_choice("mode", mode, ("max", "avg"))
    kernel = _pair("pool_size", pool_size)
    if min(kernel) < 1:
        raise ValueError(f"pool_size 必须是正整数，收到 {kernel}")
    stride = kernel if stride is None else _pair("stride", stride)
    if min(stride) < 1:
        raise ValueError(f"stride 必须是正整数，收到 {stride}")
    padding = _pair("padding", padding)
    if any(2 * padding[d] > kernel[d] for d in range(2)):
        raise ValueError(f"padding 最多是 pool_size 的一半（PyTorch 的要求），收到 padding {padding}、pool_size {kernel}")
    if any(X.shape[d] + 2 * padding[d] < kernel[d] for d in range(2)):
        raise ValueError(f"填充后的输入比汇聚窗口 {kernel} 还小")
    pool = F.max_pool2d if mode == "max" else F.avg_pool2d
    Y = pool(X[None, None], kernel, stride=stride, padding=padding)[0, 0]
    at = _check_at(at, Y.shape)
    window = _window(at, kernel, stride)
    # Max pooling pads with −∞ (never chosen); average pooling counts zeros (PyTorch's defaults).
    P, pad_cells = _padded(X, padding, float("-inf") if mode == "max" else 0.0)
    width = 0.5 + P.shape[1] + 1.4 + Y.shape[1] + 0.5
    height = max(P.shape[0], Y.shape[0]) + 2.4
    fig, ax = _canvas(width, height)
    _grid(ax, 0.5, 0.9, P, window, pad_cells, title="Input")
    _symbol(ax, 0.5 + P.shape[1] + 0.7, 0.9 + P.shape[0] / 2, "→")
    _grid(ax, 0.5 + P.shape[1] + 1.4, 0.9, Y, frozenset([at]), title=f"{mode} pooling {kernel[0]}×{kernel[1]}")
    values = ", ".join(_fmt(float(P[c])) for c in sorted(window))
    ax.text(width / 2, height - 0.6, f"{mode}({values}) = {_fmt(float(Y[at]))}", ha="center", va="center", fontsize=10)
    return Y.to(torch.get_default_dtype())


def show_conv1x1(X: torch.Tensor, K: torch.Tensor, at=(0, 0)) -> torch.Tensor:
    """画出 1×1 卷积：每个输出通道是输入各通道在同一位置上的加权和。`X` 为 (输入通道, 高, 宽)，
    `K` 为 (输出通道, 输入通道) 或 (输出通道, 输入通道, 1, 1)。涂出位置 `at`，写出输出通道 0 在这里的算式。

    返回用 `F.conv2d` 算出的输出 (输出通道, 高, 宽)。见《多输入多输出通道》。
    """
    X = _as_matrix_stack("X", X, (3,))
    K = _as_matrix_stack("K", K, (2, 4))
    if K.dim() == 4:
        if K.shape[2:] != (1, 1):
            raise ValueError(f"K 的核必须是 1×1，收到形状 {tuple(K.shape)}")
        K = K[:, :, 0, 0]
    if K.shape[1] != X.shape[0]:
        raise ValueError(f"K 的输入通道数 {K.shape[1]} 必须等于 X 的通道数 {X.shape[0]}")
    Y = F.conv2d(X[None], K[:, :, None, None])[0]
    at = _check_at(at, Y.shape[1:])
    ci, co, (h, w) = X.shape[0], K.shape[0], X.shape[1:]
    width = 0.5 + w + 1.3 + ci + 1.3 + w + 0.5
    height = max(ci, co) * (h + 1.2) + 1.8
    fig, ax = _canvas(width, height)
    for c in range(ci):
        _grid(ax, 0.5, 0.9 + c * (h + 1.2), X[c], frozenset([at]), title=f"input channel {c}")
    xk = 0.5 + w + 1.3
    _grid(ax, xk, height / 2 - 1 - co / 2, K, frozenset((0, c) for c in range(ci)), title="K (out × in)")
    for c in range(co):
        _grid(ax, xk + ci + 1.3, 0.9 + c * (h + 1.2), Y[c], frozenset([at]) if c == 0 else frozenset(),
              title=f"output channel {c}")
    terms = " + ".join(f"{_fmt(float(K[0, c]))}×{_fmt(float(X[c][at]))}" for c in range(ci))
    ax.text(width / 2, height - 0.6, f"{terms} = {_fmt(float(Y[0][at]))}", ha="center", va="center", fontsize=10)
    return Y.to(torch.get_default_dtype())


def show_partition(tokens: Sequence[str], num_steps: int, offset: int) -> list[list[str]]:
    """画出一段词元序列在偏移 `offset` 处开始、每 `num_steps` 个一段的切法：丢掉的开头是灰色，每个子序列一个方框。

    返回切出的子序列（每段 `num_steps` 个词元；不足一段的结尾不算）。见《语言模型和数据集》。
    """
    if isinstance(tokens, str) or not isinstance(tokens, Sequence) or not all(isinstance(t, str) for t in tokens):
        raise TypeError("tokens 必须是字符串组成的列表（例如 list('the time machine')）")
    num_steps = check_int("num_steps", num_steps, minimum=1)
    offset = check_int("offset", offset, minimum=0)
    if offset >= num_steps:
        raise ValueError(f"offset 必须小于 num_steps={num_steps}，收到 {offset}")
    if len(tokens) < offset + num_steps:
        raise ValueError(f"tokens 至少要有 offset + num_steps = {offset + num_steps} 个，收到 {len(tokens)} 个")
    n, w = len(tokens), 0.45          # w: cell width in grid units, narrow enough for ~30 tokens on a page
    pieces = [list(tokens[s:s + num_steps]) for s in range(offset, n - num_steps + 1, num_steps)]
    fig, ax = _canvas(n * w + 1, 2.2)
    for i, t in enumerate(tokens):
        x = 0.5 + i * w
        used = offset <= i < offset + len(pieces) * num_steps
        ax.add_patch(plt.Rectangle((x, 0.5), w, 0.8, facecolor="white" if used else PADDING, edgecolor="#9ca3af",
                                   linewidth=0.6))
        ax.text(x + w / 2, 0.9, "␣" if t == " " else t, ha="center", va="center", fontsize=10,
                color="#111827" if used else "#6b7280")
    for k in range(len(pieces)):
        x = 0.5 + (offset + k * num_steps) * w
        ax.add_patch(plt.Rectangle((x, 0.45), num_steps * w, 0.9, facecolor="none", edgecolor=ACCENT, linewidth=2))
        ax.text(x + num_steps * w / 2, 1.75, f"#{k}", ha="center", va="center", fontsize=9, color=ACCENT)
    return pieces


def show_beam_search(next_probs: Callable[[tuple[str, ...]], dict[str, float]], beam_size: int, max_len: int,
                     eos: str = "<eos>") -> list[tuple[tuple[str, ...], float]]:
    """画出束搜索的候选树，规则与《束搜索》的 `beam_step` 和 `d2l.beam_search` 相同：每一步把每个存活的候选接上每个词元，
    按整句概率排序；接上 `eos` 的候选排进前 `beam_size` 名才算结束，其余候选依次存活，直到凑够 `beam_size` 个；
    结束的候选够 `beam_size` 个、或没有存活的、或走满 `max_len` 步时停止。保留的画成实线，剪掉的画成灰色。
    `next_probs(前缀元组)` 返回下一个词元的概率字典。

    `beam_size=1` 就是贪心搜索。返回结束了的候选 [(词元元组, 概率)]（走满步数时也包括存活的），按概率从高到低。见《束搜索》。
    """
    if not callable(next_probs):
        raise TypeError(f"next_probs 必须是函数：前缀元组 → {{词元: 概率}}，收到 {type(next_probs).__name__}")
    beam_size = check_int("beam_size", beam_size, minimum=1)
    max_len = check_int("max_len", max_len, minimum=1)
    levels = []                          # per step: [(prefix, probability, kept)]
    alive, finished = [((), 1.0)], []
    for _ in range(max_len):
        expanded = []
        for prefix, p in alive:
            probs = next_probs(prefix)
            if not isinstance(probs, dict) or not probs:
                raise ValueError(f"next_probs({prefix!r}) 必须返回非空的 {{词元: 概率}} 字典")
            expanded += [(prefix + (token,), p * q) for token, q in probs.items()]
        expanded.sort(key=lambda c: -c[1])
        kept, alive = set(), []
        for rank, (c, q) in enumerate(expanded):
            if len(alive) == beam_size:
                break
            if c[-1] == eos:
                if rank < beam_size:     # an ending counts only among the top beam_size
                    finished.append((c, q))
                    kept.add(c)
            else:
                alive.append((c, q))
                kept.add(c)
        levels.append([(c, q, c in kept) for c, q in expanded])
        if len(finished) >= beam_size or not alive:
            break
    else:
        finished += alive
    finished.sort(key=lambda c: -c[1])
    _draw_tree(levels, eos)
    return finished


def _draw_tree(levels, eos):
    levels = [[((), 1.0, True)]] + levels
    rows = max(len(level) for level in levels)
    fig, ax = _canvas(len(levels) * 3.2 + 0.5, rows * 0.62 + 1.4)
    position = {(): (0.6, (rows * 0.62) / 2 + 0.9)}
    for depth, level in enumerate(levels[1:], start=1):
        x = 0.6 + depth * 3.2
        for r, (prefix, q, kept) in enumerate(level):
            y = 1.0 + r * 0.62 + (rows - len(level)) * 0.31
            position[prefix] = (x, y)
            px, py = position[prefix[:-1]]
            color = "#111827" if kept else "#9ca3af"
            ax.plot([px + 0.9, x - 0.1], [py, y], color=ACCENT if kept else "#d1d5db", linewidth=1.6 if kept else 0.8)
            label = f"{prefix[-1]}  {q:.3f}"
            ax.text(x, y, label, ha="left", va="center", fontsize=9, color=color,
                    fontweight="bold" if kept and prefix[-1] == eos else "normal",
                    bbox=dict(boxstyle="round,pad=0.15", facecolor=WINDOW if kept else "white",
                              edgecolor=ACCENT if kept else "#d1d5db", linewidth=0.8))
        ax.text(x + 0.6, 0.4, f"step {depth}", ha="center", va="center", fontsize=9, color="#6b7280")
    ax.text(0.6, position[()][1], "<bos>", ha="center", va="center", fontsize=9)
