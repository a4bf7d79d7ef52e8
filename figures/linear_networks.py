"""Figures of 线性神经网络."""
import math

from matplotlib.patches import Ellipse

from figures import figure
from figures.style import ACCENT, FILLS, FONT_SIZE, INK, LINE, MUTED, SMALL

NODE_R = 16  # radius of a unit in the network diagrams of this and the next chapters


def _var(c, x, y, base, sub=None, size=FONT_SIZE, color=INK):
    """An italic variable with an optional subscript (any letter: Unicode has no subscript d), centred at (x, y)."""
    if sub is None:
        c.text(x, y, base, size=size, style="italic", color=color)
        return
    shift = 0.18 * size * len(str(sub))
    c.text(x - shift, y, base, size=size, style="italic", color=color)
    c.text(x - shift + 0.32 * size, y + 0.32 * size, str(sub), size=size * 0.72, ha="left",
           style="italic", color=color)


def _link(c, p, q, r=NODE_R, color=LINE, lw=1.0, dashed=False):
    """An arrow between two units' rims (centres p and q, radius r)."""
    (x1, y1), (x2, y2) = p, q
    d = math.hypot(x2 - x1, y2 - y1)
    ux, uy = (x2 - x1) / d, (y2 - y1) / d
    c.arrow(x1 + r * ux, y1 + r * uy, x2 - (r + 1) * ux, y2 - (r + 1) * uy, color=color, lw=lw, dashed=dashed)


def _network(c, layers, cx, gap=60, label_x=None, dropped=()):
    """A fully connected network drawn from the bottom up.

    layers: (y, kind, layer name, [(base, sub) or "⋯", ...]) from input to output; each layer's units are centred
    on x = cx, `gap` pixels apart. dropped: (layer index, unit index) pairs drawn dashed and crossed, without
    edges. Returns the units' centres, one list per layer.
    """
    centres = []
    for y, _kind, _name, units in layers:
        n = len(units)
        centres.append([(cx + (i - (n - 1) / 2) * gap, y) for i in range(n)])
    gone = set(dropped)
    for k in range(len(layers) - 1):
        for i, p in enumerate(centres[k]):
            for j, q in enumerate(centres[k + 1]):
                if (k, i) in gone or (k + 1, j) in gone or _is_dots(layers[k][3][i]) or _is_dots(layers[k + 1][3][j]):
                    continue
                _link(c, p, q)
    for k, (y, kind, name, units) in enumerate(layers):
        if name and label_x is not None:
            c.text(label_x, y, name, size=SMALL, ha="right", color=MUTED)
        for i, ((x, _), unit) in enumerate(zip(centres[k], units)):
            if _is_dots(unit):
                c.text(x, y, unit)
                continue
            dropped_here = (k, i) in gone
            c.circle(x, y, NODE_R, kind="plain" if dropped_here else kind, dashed=dropped_here,
                     edge=MUTED if dropped_here else LINE)
            _var(c, x, y, *unit, color=MUTED if dropped_here else INK)
            if dropped_here:
                a = NODE_R * 0.9
                c.line(x - a, y - a, x + a, y + a, color=ACCENT["red"], lw=1.6)
                c.line(x - a, y + a, x + a, y - a, color=ACCENT["red"], lw=1.6)
    return centres


def _is_dots(unit):
    return isinstance(unit, str)


# Eight house-free points for the least-squares sketch: y = 1 + 0.8 x plus fixed, hand-chosen deviations.
_FIT_X = (0.6, 1.3, 2.1, 2.8, 3.6, 4.3, 5.1, 5.8)
_FIT_NOISE = (0.55, -0.6, 0.35, -0.45, 0.7, -0.25, -0.65, 0.4)


def _least_squares(xs, ys):
    """Slope and intercept of the line that minimises the sum of squared vertical errors."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    w = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    return w, my - w * mx


@figure("linear-networks/linear-regression", "fit-linreg", covers=("fit-linreg",), size=(460, 286),
        alt="平面直角坐标系，横轴为特征 x，纵轴为标签 y。八个蓝色样本点散布在一条上升的直线两侧，"
            "这条直线是用最小二乘拟合出的 ŷ = wx + b。每个点与直线之间有一条红色竖直线段，"
            "表示这个样本的预测值与真实标签之差 ŷ⁽ⁱ⁾ − y⁽ⁱ⁾，有的点在直线上方，有的在下方。",
        caption="每条红色竖线是一个样本的误差 ŷ⁽ⁱ⁾ − y⁽ⁱ⁾；平方损失取它的平方（再乘 ½），"
                "对所有样本平均就是 L，最小二乘找到的直线使 L 最小。")
def fit_linreg(c):
    ys = [1 + 0.8 * x + e for x, e in zip(_FIT_X, _FIT_NOISE)]
    w, b = _least_squares(_FIT_X, ys)
    ox, oy, sx, sy = 50, 250, 60, 40       # where (0, y0) lies on the canvas; pixels per unit of x and of y
    y0 = min(ys) - 0.6
    px = lambda x: ox + sx * x  # noqa: E731
    py = lambda y: oy - sy * (y - y0)  # noqa: E731
    c.arrow(ox, oy, 440, oy)
    c.arrow(ox, oy, ox, 20)
    c.text(440, oy + 16, "x", style="italic", ha="right")
    c.text(ox - 12, 24, "y", style="italic")
    x_lo, x_hi = 0.2, 6.3
    c.line(px(x_lo), py(w * x_lo + b), px(x_hi), py(w * x_hi + b), color=ACCENT["blue"], lw=1.8)
    c.text(px(5.4), oy - 85, "ŷ = wx + b", style="italic", color=ACCENT["blue"])
    c.line(px(5.4), oy - 97, px(5.4), py(w * 5.4 + b) + 4, color=MUTED, lw=0.8)
    for x, y in zip(_FIT_X, ys):
        c.line(px(x), py(y), px(x), py(w * x + b), color=ACCENT["red"], lw=1.5)
    for x, y in zip(_FIT_X, ys):
        c.circle(px(x), py(y), 5, kind="input", edge=ACCENT["blue"], lw=1.2)
    # label the largest error above the line, away from the others
    k = max(range(len(ys)), key=lambda i: ys[i] - (w * _FIT_X[i] + b))
    xk, yk = _FIT_X[k], ys[k]
    c.text(px(xk) - 10, (py(yk) + py(w * xk + b)) / 2, "ŷ⁽ⁱ⁾ − y⁽ⁱ⁾", size=SMALL, ha="right",
           color=ACCENT["red"], style="italic")


@figure("linear-networks/linear-regression", "singleneuron", covers=("singleneuron",), size=(420, 200),
        alt="单层神经网络：下面一行是输入层的 d 个单元 x₁、x₂、……、x_d，上面是输出层的一个单元 o₁；"
            "每个输入单元都有一条箭头指向 o₁。",
        caption="线性回归是只有一个输出的单层神经网络：d 个输入都连到输出 o₁，每条边上带一个权重。")
def singleneuron(c):
    inputs = [("x", 1), ("x", 2), ("x", 3), "⋯", ("x", "d")]
    _network(c, [(158, "input", "输入层", inputs), (42, "output", "输出层", [("o", 1)])],
             cx=240, gap=60, label_x=92)


def _ellipse(c, x, y, w, h, fill, edge=LINE, lw=1.2, angle=0):
    c.ax.add_patch(Ellipse((x, y), w, h, angle=angle, facecolor=fill, edgecolor=edge, linewidth=lw))


@figure("linear-networks/linear-regression", "neuron", covers=("neuron",), size=(640, 250),
        alt="生物神经元的示意图，信号从左向右传递。左边是细胞体，里面有细胞核；细胞体向左伸出许多分叉的树突，"
            "接收其他神经元传来的信号；细胞体向右伸出一条长长的轴突，轴突外面包着一节节髓鞘，"
            "末端分成几支轴突末梢，每支末端是一个突触，把信号传给下一个神经元。",
        caption="生物神经元：树突接收信号，细胞体把它们汇总，足够强时经轴突传出，再通过突触传给下一批神经元。")
def neuron(c):
    cx, cy = 170, 125
    dendrite = dict(color=LINE, lw=2.0)
    # dendrites: a few branching trunks to the left of the cell body
    for angle, length, forks in ((150, 70, (25, -25)), (180, 80, (20, -20)), (210, 70, (25, -25)),
                                 (115, 55, (25, -15)), (245, 55, (15, -25))):
        a = math.radians(angle)
        x1, y1 = cx + 30 * math.cos(a), cy - 30 * math.sin(a)
        x2, y2 = cx + length * math.cos(a), cy - length * math.sin(a)
        c.line(x1, y1, x2, y2, **dendrite)
        for f in forks:
            b = math.radians(angle + f)
            c.line(x2, y2, x2 + 28 * math.cos(b), y2 - 28 * math.sin(b), color=LINE, lw=1.4)
    # axon with myelin segments, then terminals ending in synapses
    ax0, ax1 = cx + 34, 500
    c.line(ax0, cy, ax1, cy, color=LINE, lw=2.2)
    for x in range(250, 470, 56):
        c.box(x, cy - 9, 44, 18, kind="param", lw=1.0)
    for dy in (-42, -14, 14, 42):
        tx, ty = 575, cy + dy
        c.line(ax1, cy, tx, ty, color=LINE, lw=1.6)
        c.circle(tx + 5, ty, 6, kind="output", edge=ACCENT["red"])
    _ellipse(c, cx, cy, 78, 66, FILLS["gate"], edge=ACCENT["orange"], lw=1.6)
    c.circle(cx + 4, cy - 2, 13, kind="state", edge=ACCENT["violet"])
    # labels with leader lines
    c.text(62, 30, "树突", ha="center")
    c.line(74, 40, 98, 72, color=MUTED, lw=0.8)
    c.text(cx + 6, 222, "细胞体", ha="center")
    c.line(cx + 6, 210, cx + 12, cy + 30, color=MUTED, lw=0.8)
    c.text(cx + 40, 42, "细胞核", ha="left")
    c.line(cx + 40, 48, cx + 12, cy - 10, color=MUTED, lw=0.8)
    c.text(320, 82, "轴突", ha="center")
    c.line(320, 92, 305, cy - 3, color=MUTED, lw=0.8)
    c.text(390, 180, "髓鞘", ha="center", size=SMALL, color=MUTED)
    c.line(390, 170, 384, cy + 9, color=MUTED, lw=0.8)
    c.text(510, 30, "轴突末梢", ha="center", size=SMALL, color=MUTED)
    c.line(515, 40, 530, cy - 24, color=MUTED, lw=0.8)
    c.text(588, 222, "突触", ha="center")
    c.line(588, 210, 582, cy + 50, color=MUTED, lw=0.8)
    c.arrow(230, 232, 330, 232, color=ACCENT["blue"])
    c.text(340, 232, "信号传递方向", size=SMALL, ha="left", color=ACCENT["blue"])


@figure("linear-networks/softmax-regression", "softmaxreg", covers=("softmaxreg",), size=(440, 200),
        alt="softmax 回归画成的单层神经网络：下面一行是输入层的四个单元 x₁、x₂、x₃、x₄，"
            "上面一行是输出层的三个单元 o₁、o₂、o₃；每个输入单元都有箭头指向每个输出单元，共十二条边。",
        caption="softmax 回归是一个单层全连接网络：四个像素输入，三个类别输出，每个输出都依赖所有输入。")
def softmaxreg(c):
    inputs = [("x", i) for i in range(1, 5)]
    outputs = [("o", j) for j in range(1, 4)]
    _network(c, [(158, "input", "输入层", inputs), (42, "output", "输出层", outputs)],
             cx=250, gap=70, label_x=110)
