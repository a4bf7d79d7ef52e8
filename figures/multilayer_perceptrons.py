"""Figures of 多层感知机."""
import math

from figures import figure
from figures.linear_networks import _network
from figures.style import ACCENT, MUTED, SMALL

_INPUTS = [("x", i) for i in range(1, 5)]
_HIDDEN = [("h", i) for i in range(1, 6)]
_OUTPUTS = [("o", j) for j in range(1, 4)]


def _mlp(c, cx, top, label_x=None, dropped=()):
    """The MLP of this chapter's figures, 4 → 5 → 3, outputs at y = top, drawn upwards."""
    return _network(c, [(top + 190, "input", "输入层", _INPUTS), (top + 95, "state", "隐藏层", _HIDDEN),
                        (top, "output", "输出层", _OUTPUTS)], cx=cx, gap=56, label_x=label_x, dropped=dropped)


@figure("multilayer-perceptrons/mlp", "mlp", covers=("mlp",), size=(440, 244),
        alt="单隐藏层的多层感知机，自下而上三层：输入层四个单元 x₁ 到 x₄，隐藏层五个单元 h₁ 到 h₅，"
            "输出层三个单元 o₁ 到 o₃。每个输入单元都有箭头指向每个隐藏单元，每个隐藏单元都有箭头指向每个输出单元。",
        caption="一个单隐藏层的多层感知机（这里取 d = 4、h = 5、q = 3）：两层都是全连接层，隐藏层之后接激活函数。")
def mlp(c):
    _mlp(c, cx=260, top=27, label_x=112)


@figure("multilayer-perceptrons/dropout", "dropout2", covers=("dropout2",), size=(660, 280),
        alt="左右两个相同的多层感知机，输入层四个单元 x₁ 到 x₄，隐藏层五个单元 h₁ 到 h₅，输出层三个单元 o₁ 到 o₃。"
            "左图是暂退前，所有连接都在；右图是暂退后，h₂ 和 h₅ 画成虚线圆并打上红叉，"
            "连到它们和从它们出发的箭头都去掉了，输出只依赖 h₁、h₃、h₄。",
        caption="暂退法在一次前向计算中随机丢掉隐藏单元（这里是 h₂ 和 h₅）：它们的输出置为 0，"
                "和它们相连的边在这一步里都不起作用。")
def dropout2(c):
    for cx, title, dropped in ((200, "暂退前", ()), (510, "暂退后", ((1, 1), (1, 4)))):
        c.text(cx, 22, title, weight="bold")
        _mlp(c, cx=cx, top=62, label_x=60 if cx < 300 else None, dropped=dropped)


@figure("multilayer-perceptrons/underfit-overfit", "capacity-vs-error", covers=("capacity-vs-error",),
        size=(520, 290),
        alt="示意图：横轴是模型复杂度（容量），纵轴是误差。训练误差随复杂度增大一路下降；"
            "泛化误差先下降后上升，呈 U 形，它的最低点用竖直虚线标为“最优”。"
            "虚线左边是欠拟合区域，两条曲线都高且靠得近；右边是过拟合区域，训练误差很低，泛化误差却越来越高，两者差距越拉越大。",
        caption="训练误差随模型复杂度一路下降，泛化误差先降后升；两者之差在过拟合区域越拉越大。"
                "曲线只是示意，不是某次实验的结果。")
def capacity_vs_error(c):
    ox, oy, w, h = 60, 240, 420, 200       # axes: origin and size in pixels
    c.arrow(ox, oy, ox + w + 20, oy)
    c.arrow(ox, oy, ox, oy - h - 15)
    c.text(ox + w + 20, oy + 16, "模型复杂度", ha="right", size=SMALL)
    c.text(ox - 10, oy - h - 15, "误差", ha="right", size=SMALL)
    ts = [i / 200 for i in range(201)]                     # complexity from 0 to 1
    train = [0.08 + 0.8 * math.exp(-4 * t) for t in ts]    # schematic shapes, not data
    general = [e + 0.7 * t ** 2.2 for e, t in zip(train, ts)]
    best = min(range(len(ts)), key=lambda i: general[i])
    px = lambda t: ox + 10 + (w - 20) * t  # noqa: E731
    py = lambda e: oy - h * e  # noqa: E731
    xb = px(ts[best])
    c.line(xb, oy, xb, oy - h, color=MUTED, lw=1.0, dashed=True)
    c.curve([px(t) for t in ts], [py(e) for e in train], color=ACCENT["blue"])
    c.curve([px(t) for t in ts], [py(e) for e in general], color=ACCENT["red"], dashed=True)
    c.circle(xb, py(general[best]), 3.5, kind="output", edge=ACCENT["red"])
    c.text(xb, oy - h - 8, "最优", size=SMALL)
    c.text((ox + xb) / 2, oy - h + 10, "欠拟合", color=MUTED)
    c.text((xb + ox + w) / 2, oy - h + 10, "过拟合", color=MUTED)
    c.text(px(1) - 4, py(train[-1]) - 12, "训练误差", size=SMALL, ha="right", color=ACCENT["blue"])
    c.text(px(0.93), py(general[-1]) + 4, "泛化误差", size=SMALL, ha="right", color=ACCENT["red"])


# The computational graph of backprop.ipynb: (column, row, label, operator?, bold?)
_NODES = {
    "x": (0, 0, "x", False, True), "mul1": (1, 0, "×", True, False), "W1": (1, 1, "W⁽¹⁾", False, True),
    "z": (2, 0, "z", False, True), "phi": (3, 0, "φ", True, False), "h": (4, 0, "h", False, True),
    "mul2": (5, 0, "×", True, False), "W2": (5, 1, "W⁽²⁾", False, True), "o": (6, 0, "o", False, True),
    "l": (7, 0, "l", True, False), "y": (7, -1, "y", False, False), "L": (8, 0, "L", False, False),
    "norm": (3, 2, "‖·‖²", True, False), "s": (8, 2, "s", False, False), "plus": (9, 1, "+", True, False),
    "J": (10, 1, "J", False, False),
}
_EDGES = (("x", "mul1"), ("W1", "mul1"), ("mul1", "z"), ("z", "phi"), ("phi", "h"), ("h", "mul2"), ("W2", "mul2"),
          ("mul2", "o"), ("o", "l"), ("y", "l"), ("l", "L"), ("W1", "norm"), ("W2", "norm"), ("norm", "s"),
          ("L", "plus"), ("s", "plus"), ("plus", "J"))
_BOX_W, _BOX_H, _OP_R = 40, 30, 16
_OP_RADIUS = {"norm": 19}


def _norm_squared(c, x, y):
    """‖·‖² drawn with lines: the double bar's glyph differs too much between the book's fonts."""
    for bx in (-10, -7.5, 4.5, 7):
        c.line(x + bx, y - 7, x + bx, y + 7, lw=1.1)
    c.circle(x - 1.5, y, 1.3, kind="#1f2933", edge="none")
    c.text(x + 10, y - 6, "2", size=7, ha="left")


def _rim(node, toward):
    """The point where the segment from node's centre to `toward` leaves node's square or circle (radius r)."""
    (x, y), is_op, r = node
    dx, dy = toward[0] - x, toward[1] - y
    d = math.hypot(dx, dy)
    if is_op:
        return x + (r + 1) * dx / d, y + (r + 1) * dy / d
    t = min((_BOX_W / 2 + 1) / abs(dx) if dx else math.inf, (_BOX_H / 2 + 1) / abs(dy) if dy else math.inf)
    return x + t * dx, y + t * dy


@figure("multilayer-perceptrons/backprop", "forward", covers=("forward",), size=(700, 260),
        alt="前向传播的计算图，方框是变量，圆圈是运算，箭头是数据流向。主线从左到右：输入 x 与权重 W⁽¹⁾ 相乘得到 z，"
            "经激活函数 φ 得到 h，h 与权重 W⁽²⁾ 相乘得到 o，o 与标签 y 一起进入损失函数 l 得到损失 L。"
            "另一条支路：W⁽¹⁾ 和 W⁽²⁾ 都进入求平方范数的运算，得到惩罚项 s。最后 L 与 s 相加得到目标函数 J。",
        caption="单隐藏层网络加上 L₂ 惩罚后的计算图：前向传播沿箭头从 x 算到 J，"
                "两个权重各有两条路通向 J（经过损失 L 和经过惩罚项 s）。")
def forward(c):
    x0, dx, y0, dy = 35, 63, 100, 62
    pos = {k: ((x0 + col * dx, y0 + row * dy), is_op, _OP_RADIUS.get(k, _OP_R))
           for k, (col, row, _label, is_op, _bold) in _NODES.items()}
    for a, b in _EDGES:
        pa, pb = pos[a][0], pos[b][0]
        xa, ya = _rim(pos[a], pb)
        xb, yb = _rim(pos[b], pa)
        c.arrow(xa, ya, xb, yb, lw=1.0)
    for key, (col, row, label, is_op, bold) in _NODES.items():
        (x, y), _, r = pos[key]
        if is_op:
            c.circle(x, y, r, kind="op")
            if key == "norm":
                _norm_squared(c, x, y)
            else:
                c.text(x, y, label, style="italic" if key in ("l", "phi") else "normal")
        else:
            kind = "param" if key in ("W1", "W2") else "input" if key in ("x", "y") else \
                "output" if key in ("L", "s", "J") else "state"
            c.box(x - _BOX_W / 2, y - _BOX_H / 2, _BOX_W, _BOX_H, kind=kind, rounded=False)
            c.text(x, y, label, weight="bold" if bold else "normal", style="normal" if bold else "italic")
    c.box(20, 232, 18, 14, kind="plain", rounded=False, lw=1.0)
    c.text(44, 239, "变量", size=SMALL, ha="left", color=MUTED)
    c.circle(95, 239, 8, kind="op", lw=1.0)
    c.text(108, 239, "运算", size=SMALL, ha="left", color=MUTED)
