"""Figures of 深度学习计算."""
from figures import figure
from figures.style import ACCENT, MUTED, SMALL

_H = 40   # height of a layer box
_GAP = 18  # horizontal room for the arrow between two boxes


def _layer(c, x, yc, w, name, detail=None, kind="dense", tag=None, dashed=False, size=11):
    """A layer box (left edge x, vertical centre yc) with a name, an optional detail line and a tag above it."""
    c.box(x, yc - _H / 2, w, _H, kind=kind, dashed=dashed)
    if detail is None:
        c.text(x + w / 2, yc, name)
    else:
        c.text(x + w / 2, yc - 7, name, size=size)
        c.text(x + w / 2, yc + 10, detail, size=SMALL)
    if tag is not None:
        c.text(x + w / 2, yc - _H / 2 - 9, tag, size=SMALL, color=MUTED)
    return x + w


def _row(c, x, yc, items):
    """Boxes left to right from x, joined by arrows; items are keyword dicts for `_layer` (w included)."""
    for k, item in enumerate(items):
        if k:
            c.arrow(x - _GAP, yc, x - 1, yc)
        x = _layer(c, x, yc, **item) + _GAP
    return x - _GAP


def _linear(n_in, n_out, tag, **kw):
    return dict(w=74, name="Linear", detail=f"{n_in} → {n_out}", tag=tag, **kw)


_RELU = dict(w=50, name="ReLU", kind="act")


@figure("deep-learning-computation/model-construction", "blocks", covers=("blocks",), size=(700, 356),
        alt="下面代码搭出的 chimera 模型的结构，实线框是层，虚线框是块，数据沿箭头流动。输入 X（2 × 20）先进入块 NestMLP："
            "它的子块 net 是一个 nn.Sequential，依次是 Linear(20 → 64)、ReLU、Linear(64 → 32)、ReLU，"
            "然后是它自己的 linear 层 Linear(32 → 16)。接着是 Linear(16 → 20)。最后是块 ScalarHead，"
            "它的子块 FixedHiddenMLP 先用 linear 层 Linear(20 → 20)，再乘常数矩阵 rand_weight（它不是参数）、加 1、过 ReLU，"
            "然后再用一次同一个 linear 层，最后循环减半并求和，输出一个标量。这三部分合起来是最外层的 nn.Sequential，即整个模型。"
            "每个层上方标着它在父块里的名字，例如 net 里的 0、1、2、3。",
        caption="层（实线框）组成块（虚线框），块又能套进更大的块，整个模型也只是最外层的一个块；"
                "参数名就沿着这些名字拼成，例如 0.net.0.weight。")
def blocks(c):
    # row 1: X → NestMLP(net: Sequential(...), linear)
    y1, y2 = 120, 270
    _layer(c, 14, y1, 50, "X", "2 × 20", kind="input")
    c.arrow(64, y1, 107, y1)
    net_end = _row(c, 108, y1, [_linear(20, 64, "0"), dict(_RELU, tag="1"), _linear(64, 32, "2"),
                                dict(_RELU, tag="3")])
    c.group(98, 78, net_end + 10 - 98, 72, label="net：nn.Sequential")
    lin_x = net_end + 10 + _GAP + 4
    c.arrow(net_end, y1, lin_x - 1, y1)
    nest_end = _layer(c, lin_x, y1, **_linear(32, 16, "linear"))
    c.group(88, 54, nest_end + 10 - 88, 106, label="0：NestMLP")
    # row 2: Linear(16, 20) → ScalarHead(body: FixedHiddenMLP) → scalar
    c.path([(nest_end - 37, y1 + _H / 2), (nest_end - 37, 176), (90, 176), (90, y2), (107, y2)])
    first = _layer(c, 108, y2, **_linear(16, 20, "1"))
    body_x = first + _GAP + 14
    c.arrow(first, y2, body_x - 1, y2)
    body_end = _row(c, body_x, y2, [
        _linear(20, 20, "linear"),
        dict(w=92, name="× rand_weight", detail="+ 1，ReLU", kind="act", size=SMALL),
        _linear(20, 20, "同一个 linear", dashed=True),
        dict(w=70, name="循环减半", detail="求和", kind="op"),
    ])
    c.group(body_x - 10, 228, body_end + 10 - (body_x - 10), 72, label="body：FixedHiddenMLP")
    c.group(body_x - 20, 204, body_end + 20 - (body_x - 20), 106, label="2：ScalarHead")
    outer_right = max(nest_end, body_end) + 30
    c.group(76, 30, outer_right - 76, 290, label="chimera：nn.Sequential（整个模型）", label_at="bottom")
    out_x = outer_right + 14
    c.arrow(body_end, y2, out_x - 1, y2)
    _layer(c, out_x, y2, 50, "输出", "标量", kind="output")


@figure("deep-learning-computation/use-gpu", "copyto", covers=("copyto",), size=(620, 240),
        alt="左边的虚线框是 CPU，里面有张量 Y；右边的虚线框是 GPU（cuda:0），里面有张量 Z。"
            "蓝色箭头表示 Y.to(Z.device)：把 Y 复制一份到 cuda:0 上，原来的 Y 仍留在 CPU。"
            "复制得到的张量和 Z 一起进入加法运算，结果也在 cuda:0 上。"
            "一条红色虚线从 CPU 上的 Y 直接连到加法，上面打着叉，表示不先复制就相加会报错。",
        caption="两个张量必须在同一个设备上才能运算：先用 .to 把 Y 复制到 Z 所在的 cuda:0，再相加，结果也留在 cuda:0；"
                "PyTorch 不会替你自动搬运。")
def copyto(c):
    c.group(20, 40, 140, 180, label="CPU")
    c.group(290, 40, 310, 180, label="GPU（cuda:0）")
    c.box(40, 72, 100, 36, "Y", kind="input")
    c.box(310, 72, 110, 36, "Y 的副本", kind="input")
    c.box(310, 146, 110, 36, "Z", kind="input")
    c.arrow(140, 90, 309, 90, color=ACCENT["blue"], lw=1.6)
    c.text(225, 79, "Y.to(Z.device)", size=SMALL, color=ACCENT["blue"])
    c.text(225, 102, "复制", size=SMALL, color=ACCENT["blue"])
    px, py = 470, 127
    c.circle(px, py, 14, "+")
    c.arrow(420, 92, px - 11, py - 9)
    c.arrow(420, 162, px - 11, py + 9)
    c.arrow(px + 14, py, 504, py)
    c.box(505, 109, 78, 36, "Y 副本 + Z", kind="output", size=SMALL)
    # the add that PyTorch refuses: straight from the CPU tensor
    c.path([(90, 108), (90, 204), (px, 204), (px, py + 15)], color=ACCENT["red"], dashed=True)
    c.text(225, 204, "✕", color=ACCENT["red"], weight="bold")
    c.text(250, 192, "不复制就直接 Y + Z：报错", size=SMALL, color=ACCENT["red"], ha="left")
