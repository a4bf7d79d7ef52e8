"""Figures of 循环神经网络."""
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from figures import figure
from figures.style import ACCENT, BACKGROUND, FONT_SIZE, INK, LINE, LINE_WIDTH, MUTED, SMALL

_TEXT_PATH = TextToPath()


# Private drawing helpers (recurrent_modern.py uses them too) -----------------------------------------------
def _width(s, size=FONT_SIZE):
    """Width in canvas pixels of Latin text `s` (DejaVu Sans metrics, the ones style.py lays out with)."""
    w, _, _ = _TEXT_PATH.get_text_width_height_descent(s, FontProperties(family="DejaVu Sans", size=size),
                                                       ismath=False)
    return w * 100 / 72


def _sym(c, x, y, base, sub, size=FONT_SIZE, color=INK, ha="center"):
    """`base` with a lowered, smaller `sub` (for subscripts Unicode lacks, such as the q of W_hq).

    Both parts are anchored at the point where they meet, so a browser font of another width moves only
    the outer ends, never opens a gap or an overlap between them."""
    small = size * 0.66
    wb, ws = _width(base, size), _width(sub, small)
    left = {"center": x - (wb + ws) / 2, "left": x, "right": x - wb - ws}[ha]
    joint = left + wb
    c.text(joint, y, base, size=size, ha="right", color=color)
    c.text(joint + 0.5, y + size * 0.35, sub, size=small, ha="left", color=color)


def _poly(c, points, color=LINE, lw=LINE_WIDTH, dashed=False, head=True):
    """A polyline drawn only with arrow patches, so that it keeps its place in the drawing order
    (style.Canvas.path draws its first segments as lines, which always lie above every patch)."""
    for (xa, ya), (xb, yb) in zip(points[:-1], points[1:]):
        last = (xb, yb) == tuple(points[-1])
        c.arrow(xa, ya, xb, yb, color=color, lw=lw, dashed=dashed, head=head and last)


def _gap(c, x1, y1, x2, y2, lw=7):
    """A background-coloured stroke: drawn between a line and the line that crosses over it, it opens a gap
    in the lower one, so a crossing does not read as a junction."""
    c.arrow(x1, y1, x2, y2, color=BACKGROUND, lw=lw, head=False)


def _dot(c, x, y, color=LINE):
    c.circle(x, y, 2.6, kind=color, edge=color, lw=0.8)


# 序列模型 ----------------------------------------------------------------------------------------------------
@figure("recurrent-neural-networks/sequence", "sequence-model", covers=("sequence-model",), size=(590, 256),
        alt="潜变量自回归模型，从左到右是时间步 t−1、t、t+1。中间一行是隐状态 hₜ₋₁、hₜ、hₜ₊₁，"
            "每个隐状态都由左边的上一个隐状态和左下方的上一个观测更新：hₜ = g(hₜ₋₁, xₜ₋₁)。"
            "下面一行是观测 xₜ₋₁、xₜ、xₜ₊₁；上面一行是预测 x̂ₜ₋₁、x̂ₜ、x̂ₜ₊₁，每个预测只由同一列的隐状态给出。"
            "两端的省略号表示序列向前、向后延续。",
        caption="潜变量模型用摘要 hₜ 概括全部历史：先用上一个观测 xₜ₋₁ 更新摘要，再由摘要预测 x̂ₜ；"
                "观测 xₜ 要到下一步才进入摘要。")
def sequence_model(c):
    cols = (215, 340, 465)
    subs = ("ₜ₋₁", "ₜ", "ₜ₊₁")
    y_hat, y_h, y_x = 45, 125, 205
    bw, bh = 60, 32
    for label, y in (("预测", y_hat), ("隐状态", y_h), ("观测", y_x)):
        c.text(20, y, label, ha="left", size=SMALL, color=MUTED)
    for x, s in zip(cols, subs):
        c.box(x - bw / 2, y_hat - bh / 2, bw, bh, "x̂" + s, kind="output")
        c.box(x - bw / 2, y_h - bh / 2, bw, bh, "h" + s, kind="state")
        c.box(x - bw / 2, y_x - bh / 2, bw, bh, "x" + s, kind="input")
        c.arrow(x, y_h - bh / 2, x, y_hat + bh / 2)                        # 摘要 → 预测
    # 隐状态沿时间传递；上一个观测从左下方进入
    for xa, xb in zip(cols[:-1], cols[1:]):
        c.arrow(xa + bw / 2, y_h, xb - bw / 2, y_h)
        c.arrow(xa + bw / 2, y_x - bh / 2 + 4, xb - bw / 2, y_h + bh / 2 - 4)
    x0 = cols[0] - 110                     # 更早的时间步
    c.text(x0, y_h, "…", color=MUTED)
    c.text(x0, y_x, "…", color=MUTED)
    c.arrow(x0 + 14, y_h, cols[0] - bw / 2, y_h, color=MUTED)
    c.arrow(x0 + 14, y_x - 6, cols[0] - bw / 2, y_h + bh / 2 - 4, color=MUTED)
    x1 = cols[-1] + 100                    # 更晚的时间步
    c.text(x1, y_h, "…", color=MUTED)
    c.arrow(cols[-1] + bw / 2, y_h, x1 - 14, y_h, color=MUTED)
    c.arrow(cols[-1] + bw / 2, y_x - bh / 2 + 4, x1 - 14, y_h + bh / 2 - 4, color=MUTED)
    c.text(cols[1], 238, "hₜ = g(hₜ₋₁, xₜ₋₁)，  x̂ₜ = P(xₜ | hₜ)", size=SMALL, color=MUTED)


# 循环神经网络 ------------------------------------------------------------------------------------------------
@figure("recurrent-neural-networks/rnn", "rnn", covers=("rnn",), size=(600, 290),
        alt="循环神经网络沿时间展开三个时间步 t−1、t、t+1。每一列下面是输入 Xₜ，中间是隐状态 Hₜ，上面是输出 Oₜ。"
            "输入经权重 Wₓₕ 向上进入同一列的隐状态，隐状态经权重 W_hq 向上给出输出；"
            "相邻两列的隐状态之间有一条向右的箭头，标着 Wₕₕ：上一步的隐状态 Hₜ₋₁ 是这一步的输入之一。"
            "三列箭头上标的是同一组权重。下方写着更新公式 Hₜ = φ(XₜWₓₕ + Hₜ₋₁Wₕₕ + bₕ)。",
        caption="沿时间展开的 RNN：每一步的隐状态由这一步的输入和上一步的隐状态算出，再由它给出这一步的输出；"
                "所有时间步共用同一组参数。")
def rnn(c):
    cols = (180, 320, 460)
    subs = ("ₜ₋₁", "ₜ", "ₜ₊₁")
    y_o, y_h, y_x = 45, 140, 235
    bw, bh = 64, 32
    for label, y in (("输出", y_o), ("隐状态", y_h), ("输入", y_x)):
        c.text(20, y, label, ha="left", size=SMALL, color=MUTED)
    for x, s in zip(cols, subs):
        c.box(x - bw / 2, y_o - bh / 2, bw, bh, "O" + s, kind="output")
        c.box(x - bw / 2, y_h - bh / 2, bw, bh, "H" + s, kind="state")
        c.box(x - bw / 2, y_x - bh / 2, bw, bh, "X" + s, kind="input")
        c.arrow(x, y_x - bh / 2, x, y_h + bh / 2)
        c.text(x + 6, (y_x + y_h) / 2, "Wₓₕ", size=SMALL, ha="left", color=ACCENT["blue"])
        c.arrow(x, y_h - bh / 2, x, y_o + bh / 2)
        _sym(c, x + 6, (y_h + y_o) / 2, "W", "hq", size=SMALL, color=ACCENT["blue"], ha="left")
    for xa, xb in zip(cols[:-1], cols[1:]):
        c.arrow(xa + bw / 2, y_h, xb - bw / 2, y_h)
        c.text((xa + xb) / 2, y_h - 9, "Wₕₕ", size=SMALL, color=ACCENT["blue"])
    c.text(cols[0] - 100, y_h, "…", color=MUTED)
    c.arrow(cols[0] - 86, y_h, cols[0] - bw / 2, y_h, color=MUTED)
    c.text(cols[-1] + 100, y_h, "…", color=MUTED)
    c.arrow(cols[-1] + bw / 2, y_h, cols[-1] + 86, y_h, color=MUTED)
    c.text(cols[1], 274, "Hₜ = φ(XₜWₓₕ + Hₜ₋₁Wₕₕ + bₕ)", size=SMALL, color=MUTED)


@figure("recurrent-neural-networks/rnn", "rnn-train", covers=("rnn-train",), size=(620, 320),
        alt="基于 RNN 的字符级语言模型，文本是 machine。六个时间步 t=0 到 t=5 从左到右排开，"
            "最下面一行是输入字符 m、a、c、h、i、n，每个字符向上更新这一步的隐状态 H₀ 到 H₅，"
            "隐状态之间有向右的箭头，最左边的初始隐状态是全 0。每个隐状态向上给出输出 O₀ 到 O₅（28 个字符的得分），"
            "输出与最上面一行的标签 a、c、h、i、n、e 算交叉熵。每一步的标签正是下一步的输入。",
        caption="输入是 machin，标签是错开一位的 achine：每一步都要根据读过的字符预测下一个字符，"
                "输出 Oₜ 与标签算交叉熵。")
def rnn_train(c):
    inputs, labels = "machin", "achine"
    x0, dx = 165, 84
    y_l, y_o, y_h, y_x, y_t = 40, 125, 195, 265, 298
    bw, bh = 48, 30
    for label, y in (("标签", y_l), ("输出", y_o), ("隐状态", y_h), ("输入", y_x)):
        c.text(20, y, label, ha="left", size=SMALL, color=MUTED)
    c.text(20, (y_l + y_o) / 2, "交叉熵", ha="left", size=SMALL, color=ACCENT["red"])
    digits = "₀₁₂₃₄₅"
    for i, (a, b) in enumerate(zip(inputs, labels)):
        x = x0 + i * dx
        c.box(x - bw / 2, y_l - bh / 2, bw, bh, b, kind="output")
        c.box(x - bw / 2, y_o - bh / 2, bw, bh, "O" + digits[i], kind="layer")
        c.box(x - bw / 2, y_h - bh / 2, bw, bh, "H" + digits[i], kind="state")
        c.box(x - bw / 2, y_x - bh / 2, bw, bh, a, kind="input")
        c.arrow(x, y_x - bh / 2, x, y_h + bh / 2)
        c.arrow(x, y_h - bh / 2, x, y_o + bh / 2)
        c.arrow(x, y_o - bh / 2, x, y_l + bh / 2, color=ACCENT["red"], dashed=True, head=False, both=False)
        c.text(x, y_t, f"t={i}", size=SMALL, color=MUTED)
        if i:
            c.arrow(x - dx + bw / 2, y_h, x - bw / 2, y_h)
    c.text(x0 - 50, y_h - 11, "全 0", size=SMALL, color=MUTED)
    c.arrow(x0 - 72, y_h, x0 - bw / 2, y_h, color=MUTED)


# 通过时间反向传播 --------------------------------------------------------------------------------------------
@figure("recurrent-neural-networks/bptt", "truncated-bptt", covers=("truncated-bptt",), size=(640, 260),
        alt="三行示意图，每行是同一条 60 个时间步的序列，画成 60 个小格，格子上方的折线箭头从一段的末尾指回这一段的开头，"
            "表示梯度在这一段里往回传。第一行“随机截断”：序列被切成长短不一的几段，梯度只在各段之内回传。"
            "第二行“每 k 步截断”：每 10 步 detach 一次隐状态，六段一样长，梯度最多回传 10 步。"
            "第三行“完整计算”：只有一段，梯度从第 60 步一路传回第 1 步。",
        caption="三种计算梯度的方式：随机截断的段长随机变化；本节的截断每隔 k 步 detach 一次（这里 k = 10），"
                "梯度最多回传 k 步；完整的 BPTT 把梯度一路传回序列开头。")
def truncated_bptt(c):
    T, cell = 60, 8
    x_start = 130
    rows = (("随机截断", (6, 14, 3, 11, 8, 18), 62),
            ("每 k 步截断", (10,) * 6, 142),
            ("完整计算", (60,), 222))
    for name, lengths, y in rows:
        c.text(20, y, name, ha="left")
        start = 0
        for j, n in enumerate(lengths):
            kind = "state" if j % 2 == 0 else "input"
            for i in range(start, start + n):
                c.rect(x_start + i * cell, y - 7, cell, 14, fill=kind, edge=MUTED, lw=0.5)
            xl, xr = x_start + start * cell + 2, x_start + (start + n) * cell - 2
            top = y - 30
            _poly(c, [(xr, y - 9), (xr, top), (xl, top), (xl, y - 9)], color=ACCENT["red"], lw=1.1)
            start += n
        if name == "每 k 步截断":
            c.text(x_start + 5 * cell, y - 38, "k = 10", size=SMALL, color=ACCENT["red"], va="bottom")
    c.text(x_start + cell / 2, 244, "1", size=SMALL, color=MUTED)
    c.text(x_start + (T - 0.5) * cell, 244, "60", size=SMALL, color=MUTED)
    c.text(x_start + T * cell / 2, 244, "时间步", size=SMALL, color=MUTED)


@figure("recurrent-neural-networks/bptt", "rnn-bptt", covers=("rnn-bptt",), size=(690, 360),
        alt="RNN 在三个时间步上的计算图。方框是变量：输入 x₁、x₂、x₃（蓝），隐状态 h₀ 到 h₃（紫），输出 o₁、o₂、o₃（红），"
            "最上面是损失 L。黄色方框是参数 Wₓₕ、Wₕₕ、W_hq，圆圈是运算。每个时间步里，tanh 运算接收上一步的隐状态、"
            "这一步的输入以及参数 Wₓₕ 和 Wₕₕ，算出新的隐状态；乘法运算把隐状态乘上 W_hq 得到输出；"
            "三个输出都指向损失 L。三个时间步的参数框写的是同一组参数。",
        caption="展开后的计算图：变量、参数和运算沿时间排开，每一步都用同一组参数。"
                "反向传播沿箭头逆向进行，L 经 o₃ 对 h₁ 的梯度要依次穿过 h₃、h₂（偏置 bₕ 没有画出）。")
def rnn_bptt(c):
    bw, bh = 40, 26
    y_L, y_o, y_mul, y_h, y_x = 28, 92, 152, 222, 300
    phis = (125, 315, 505)
    c.box(30 - bw / 2 + 12, y_h - bh / 2, bw, bh, "h₀", kind="state")
    prev_right = 30 + 12 + bw / 2
    outs = []
    for t, px in enumerate(phis, start=1):
        sub = "₁₂₃"[t - 1]
        hx = px + 75
        # 运算：hₜ = tanh(xₜWₓₕ + hₜ₋₁Wₕₕ + bₕ)
        c.circle(px, y_h, 18, "tanh", size=SMALL)
        c.arrow(prev_right, y_h, px - 18, y_h)
        c.box(px - 20, y_x - bh / 2, bw, bh, "x" + sub, kind="input")
        c.arrow(px, y_x - bh / 2, px, y_h + 18)
        c.box(px - 75, y_x - bh / 2, 44, bh, "Wₓₕ", kind="param", size=SMALL + 1)
        c.arrow(px - 53, y_x - bh / 2, px - 12, y_h + 13)
        c.box(px - 22, y_mul - bh / 2, 44, bh, "Wₕₕ", kind="param", size=SMALL + 1)
        c.arrow(px, y_mul + bh / 2, px, y_h - 18)
        c.box(hx - bw / 2, y_h - bh / 2, bw, bh, "h" + sub, kind="state")
        c.arrow(px + 18, y_h, hx - bw / 2, y_h)
        # 运算：oₜ = hₜ W_hq
        c.circle(hx, y_mul, 12, "×")
        c.arrow(hx, y_h - bh / 2, hx, y_mul + 12)
        c.box(hx + 30, y_mul - bh / 2, 44, bh, None, kind="param")
        _sym(c, hx + 52, y_mul, "W", "hq", size=SMALL + 1)
        c.arrow(hx + 30, y_mul, hx + 12, y_mul)
        c.box(hx - bw / 2, y_o - bh / 2, bw, bh, "o" + sub, kind="output")
        c.arrow(hx, y_mul - 12, hx, y_o + bh / 2)
        outs.append(hx)
        prev_right = hx + bw / 2
    lx = outs[1]
    c.box(lx - 22, y_L - 14, 44, 28, "L", kind="output", weight="bold")
    c.arrow(lx, y_o - bh / 2, lx, y_L + 14)
    for hx, side in ((outs[0], lx - 22), (outs[2], lx + 22)):
        _poly(c, [(hx, y_o - bh / 2), (hx, y_L), (side, y_L)])
    # 图例
    ly = 345
    for i, kind in enumerate(("input", "state", "output")):
        c.box(380 + i * 18, ly - 7, 14, 14, None, kind=kind, lw=0.8)
    c.text(436, ly, "变量", size=SMALL, ha="left")
    c.box(500, ly - 7, 22, 14, None, kind="param", lw=0.8)
    c.text(527, ly, "参数", size=SMALL, ha="left")
    c.circle(591, ly, 7, kind="op", lw=0.8)
    c.text(603, ly, "运算", size=SMALL, ha="left")
