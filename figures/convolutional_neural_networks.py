"""Figures of 卷积神经网络."""
from figures import figure
from figures.style import LINE, MUTED, SMALL


def _maps(c, x, mid, side, n, step, kind):
    """n feature maps of side `side`, stacked front to back with offset `step` up and right; returns width."""
    depth = (n - 1) * step
    top = mid - (side - depth) / 2  # the front map's top edge, so that the whole stack is centred on `mid`
    for i in reversed(range(n)):
        c.rect(x + i * step, top - i * step, side, side, fill=kind, lw=0.7 if n > 8 else 0.8)
    return side + depth


def column(c, x, y, w, rows, h=24, pitch=36, shape_dx=8, size=None, tops=None):
    """A top-down stack of boxes joined by arrows. rows: (text, kind, note) or None for an empty row (the arrow
    runs on past it). `note` (the output shape) is written to the right of its box. `tops` (optional) gives each
    row's top edge instead of y + i * pitch. Returns the row centres."""
    from figures.style import FONT_SIZE
    size = size or FONT_SIZE
    tops = tops or [y + i * pitch for i in range(len(rows))]
    centres, last = [], None
    for top, row in zip(tops, rows):
        centres.append(top + h / 2)
        if row is None:
            continue
        text, kind, note = row
        c.box(x, top, w, h, text, kind=kind, size=size)
        if note:
            c.text(x + w + shape_dx, top + h / 2, note, size=SMALL, ha="left", color=MUTED)
        if last is not None:
            c.arrow(x + w / 2, last, x + w / 2, top)
        last = top + h
    return centres


@figure("convolutional-neural-networks/lenet", "lenet", covers=("lenet",), size=(720, 212),
        alt="LeNet 的数据流，从左到右：1×28×28 的输入图像，经 5×5 卷积（填充 2）得到 6 个 28×28 的特征图，"
            "2×2 平均汇聚后是 6×14×14；再经 5×5 卷积得到 16×10×10，平均汇聚后是 16×5×5。"
            "这一段标为卷积编码器。之后展平成长度 400 的向量，依次经过输出 120、84、10 个单元的三个全连接层，"
            "这一段标为全连接部分。图下注明：卷积层和前两个全连接层之后都接 sigmoid。",
        caption="LeNet 里数据的形状（通道×高×宽，省略批量维）：卷积编码器把高宽从 28 缩到 5、通道从 1 增到 16，"
                "展平后由三个全连接层压缩到 10 个类别。")
def lenet(c):
    mid, scale = 104, 1.6
    maps = [  # (side in pixels of the data, channels, maps drawn, step, kind, shape label)
        (28, 1, 1, 0, "input", "1×28×28"),
        (28, 6, 6, 3, "conv", "6×28×28"),
        (14, 6, 6, 3, "pool", "6×14×14"),
        (10, 16, 16, 1.6, "conv", "16×10×10"),
        (5, 16, 16, 1.6, "pool", "16×5×5"),
    ]
    ops = ["5×5 卷积\n填充 2", "平均汇聚\n2×2", "5×5 卷积", "平均汇聚\n2×2", "展平"]
    gap, x, spans = 64, 12, []
    for side, _, n, step, kind, label in maps:
        w = _maps(c, x, mid, side * scale, n, step, kind)
        c.text(x + side * scale / 2, 160, label, size=SMALL)
        spans.append((x, x + w))
        x += w + gap
    bars = [(400, 96, "pool"), (120, 60, "dense"), (84, 46, "dense"), (10, 16, "output")]
    bar_w, bar_gap = 10, 32
    for length, h, kind in bars:
        c.rect(x, mid - h / 2, bar_w, h, fill=kind, lw=0.8)
        c.text(x + bar_w / 2, 160, str(length), size=SMALL)
        spans.append((x, x + bar_w))
        x += bar_w + bar_gap
    for i, ((_, a), (b, _)) in enumerate(zip(spans[:-1], spans[1:])):
        c.arrow(a + 4, mid, b - 4, mid)
        if i < len(ops):
            c.text((a + b) / 2, mid - 10, ops[i], size=SMALL, va="bottom")
    c.group(spans[1][0] - 12, 32, spans[4][1] - spans[1][0] + 24, 142, "卷积编码器")
    c.group(spans[5][0] - 16, 32, spans[8][1] - spans[5][0] + 32, 142, "全连接部分")
    assert spans[8][1] + 16 <= c.width - 10, spans
    c.text(360, 192, "卷积层和前两个全连接层之后都接 sigmoid；竖条表示向量，下面的数是它的长度",
           size=SMALL, color=MUTED)


@figure("convolutional-neural-networks/lenet", "lenet-vert", covers=("lenet-vert",), size=(400, 404),
        alt="LeNet 画成一列，从上到下：输入图像，形状 1×28×28；5×5 卷积（6 个卷积核，填充 2）加 sigmoid，输出 6×28×28；"
            "2×2 平均汇聚（步幅 2），输出 6×14×14；5×5 卷积（16 个卷积核）加 sigmoid，输出 16×10×10；"
            "2×2 平均汇聚（步幅 2），输出 16×5×5；展平，长度 400；全连接层加 sigmoid，120；全连接层加 sigmoid，84；"
            "全连接层，10。",
        caption="LeNet 的压缩画法：每个框是一层，右边是它的输出形状（通道×高×宽），与上面代码逐层打印的形状一致。")
def lenet_vert(c):
    rows = [
        ("输入图像", "input", "1×28×28"),
        ("5×5 卷积，6 个核，填充 2 + sigmoid", "conv", "6×28×28"),
        ("2×2 平均汇聚，步幅 2", "pool", "6×14×14"),
        ("5×5 卷积，16 个核 + sigmoid", "conv", "16×10×10"),
        ("2×2 平均汇聚，步幅 2", "pool", "16×5×5"),
        ("展平", "layer", "400"),
        ("全连接层 + sigmoid", "dense", "120"),
        ("全连接层 + sigmoid", "dense", "84"),
        ("全连接层", "output", "10"),
    ]
    column(c, 20, 32, 280, rows, h=26, pitch=42, shape_dx=12)
    c.text(312, 18, "输出形状", size=SMALL, color=LINE, ha="left")
