"""Figures of 现代卷积神经网络."""
from figures import figure
from figures.convolutional_neural_networks import column
from figures.style import ACCENT, LINE, MUTED, SMALL


@figure("convolutional-modern/alexnet", "alexnet", covers=("alexnet",), size=(580, 494),
        alt="两列从上到下并排对照。左列 LeNet（激活函数 sigmoid）：输入 1×28×28；5×5 卷积（填充 2），输出 6×28×28；"
            "2×2 平均汇聚（步幅 2），6×14×14；5×5 卷积，16×10×10；2×2 平均汇聚，16×5×5；然后直接接三个全连接层。"
            "右列 AlexNet（激活函数 ReLU，按 full 规模）：输入 1×224×224；11×11 卷积（步幅 4），输出 96×54×54；"
            "3×3 最大汇聚（步幅 2），96×26×26；5×5 卷积（填充 2），256×26×26；3×3 最大汇聚，256×12×12；"
            "三个 3×3 卷积（填充 1），依次输出 384、384、256 个通道，高宽 12×12；3×3 最大汇聚，256×5×5；"
            "两个带 dropout 的全连接层，各 4096 个单元；输出层 10 个单元。"
            "两列中作用相同的层画在同一行：LeNet 没有 AlexNet 中间那三个卷积层和第三个汇聚层。",
        caption="LeNet 与 AlexNet 逐层对照，框右边是输出形状（通道×高×宽）。AlexNet 按 full 规模（`width=1`、输入 224×224）标注；"
                "`cpu` 规模的通道数乘以 0.25，输入也小得多。")
def alexnet(c):
    lenet = [
        ("输入", "input", "1×28×28"),
        ("5×5 卷积，填充 2", "conv", "6×28×28"),
        ("2×2 平均汇聚，步幅 2", "pool", "6×14×14"),
        ("5×5 卷积", "conv", "16×10×10"),
        ("2×2 平均汇聚，步幅 2", "pool", "16×5×5"),
        None, None, None, None,
        ("全连接", "dense", "120"),
        ("全连接", "dense", "84"),
        ("全连接", "output", "10"),
    ]
    alex = [
        ("输入", "input", "1×224×224"),
        ("11×11 卷积，步幅 4", "conv", "96×54×54"),
        ("3×3 最大汇聚，步幅 2", "pool", "96×26×26"),
        ("5×5 卷积，填充 2", "conv", "256×26×26"),
        ("3×3 最大汇聚，步幅 2", "pool", "256×12×12"),
        ("3×3 卷积，填充 1", "conv", "384×12×12"),
        ("3×3 卷积，填充 1", "conv", "384×12×12"),
        ("3×3 卷积，填充 1", "conv", "256×12×12"),
        ("3×3 最大汇聚，步幅 2", "pool", "256×5×5"),
        ("全连接，dropout", "dense", "4096"),
        ("全连接，dropout", "dense", "4096"),
        ("全连接", "output", "10"),
    ]
    for x, title, act, rows in ((14, "LeNet", "激活：sigmoid", lenet), (300, "AlexNet", "激活：ReLU", alex)):
        c.text(x + 90, 18, title, weight="bold")
        c.text(x + 90, 36, act, size=SMALL, color=MUTED)
        column(c, x, 52, 180, rows, h=24, pitch=37)


ALEX_ROWS = [  # AlexNet without shapes, for the comparisons of later sections
    ("输入", "input", None),
    ("11×11 卷积，步幅 4", "conv", None),
    ("3×3 最大汇聚，步幅 2", "pool", None),
    ("5×5 卷积，填充 2", "conv", None),
    ("3×3 最大汇聚，步幅 2", "pool", None),
    ("3×3 卷积，填充 1", "conv", None),
    ("3×3 卷积，填充 1", "conv", None),
    ("3×3 卷积，填充 1", "conv", None),
    ("3×3 最大汇聚，步幅 2", "pool", None),
    ("全连接 4096，dropout", "dense", None),
    ("全连接 4096，dropout", "dense", None),
    ("全连接 10", "output", None),
]
VGG_ROWS = [("输入", "input", None)] + [(f"VGG 块 {cfg}", "conv", None) for cfg in
                                         ((1, 64), (1, 128), (2, 256), (2, 512), (2, 512))] + ALEX_ROWS[-3:]


def _vgg_block(c, x, y, w):
    """The VGG block: (3×3 convolution + ReLU) × num_convs, then 2×2 max pooling. (x, y): its title's centre line.
    Returns the y of the repeated part's centre."""
    c.text(x + w / 2, y, "VGG 块", weight="bold")
    c.group(x - 8, y + 34, w + 16, 58, "重复 num_convs 次")
    c.box(x, y + 42, w, 28, "3×3 卷积 + ReLU", kind="conv")
    c.text(x + w / 2, y + 81, "填充 1，高宽不变", size=SMALL, color=MUTED)
    c.arrow(x + w / 2, y + 92, x + w / 2, y + 114)
    c.box(x, y + 114, w, 28, "2×2 最大汇聚", kind="pool")
    c.text(x + w / 2, y + 154, "步幅 2，高宽减半", size=SMALL, color=MUTED)
    return y + 63


@figure("convolutional-modern/vgg", "vgg", covers=("vgg",), size=(630, 452),
        alt="三部分从左到右。左：AlexNet 一列，从上到下是输入、11×11 卷积、3×3 最大汇聚、5×5 卷积、3×3 最大汇聚、"
            "三个 3×3 卷积、3×3 最大汇聚、两个带 dropout 的 4096 单元全连接层和 10 单元的输出层，每层的核大小各不相同。"
            "中：VGG-11 一列，输入之后是五个 VGG 块，依次标着配置（1, 64）、（1, 128）、（2, 256）、（2, 512）、（2, 512），"
            "之后是与 AlexNet 相同的三个全连接层。右：一个 VGG 块的内部，虚线框中的“3×3 卷积 + ReLU”重复 num_convs 次，"
            "卷积填充 1、高宽不变；最后是 2×2 最大汇聚，步幅 2，高宽减半。",
        caption="AlexNet 一层一层地手工设计；VGG 把同一种块重复五次，每个块的（卷积层数，输出通道数）就是配置表 `VGG_11` 里的一项。"
                "通道数是 `width=1` 时的值，本节的 `full` 和 `cpu` 规模分别再乘以 0.25 和 0.125。")
def vgg(c):
    y0, h, pitch = 52, 24, 33
    alex_tops = [y0 + i * pitch for i in range(12)]
    step = (alex_tops[8] - alex_tops[1]) / 4  # the five VGG blocks span AlexNet's eight convolution/pooling rows
    vgg_tops = [alex_tops[0]] + [alex_tops[1] + k * step for k in range(5)] + alex_tops[9:]
    for x, w, title, rows, tops in ((14, 180, "AlexNet", ALEX_ROWS, alex_tops),
                                    (228, 180, "VGG-11", VGG_ROWS, vgg_tops)):
        c.text(x + w / 2, 20, title, weight="bold")
        column(c, x, y0, w, rows, h=h, tops=tops)
    c.text(228 + 90, 38, "（卷积层数, 输出通道数）", size=SMALL, color=MUTED)
    mid = _vgg_block(c, 450, 130, 160)
    c.line(408 + 4, vgg_tops[3] + h / 2, 442 - 4, mid, color=MUTED, dashed=True)


@figure("convolutional-modern/nin", "nin", covers=("nin",), size=(720, 400),
        alt="四列从左到右。第一列是 VGG 块的内部：虚线框中的“3×3 卷积 + ReLU”重复 num_convs 次，之后是 2×2 最大汇聚。"
            "第二列是 VGG-11：输入、五个 VGG 块（标着上一节配置表里的卷积层数和输出通道数），"
            "然后是 4096、4096、10 个单元的三个全连接层。"
            "第三列是 NiN：输入；NiN 块（11×11，96 通道）；3×3 最大汇聚；NiN 块（5×5，256 通道）；3×3 最大汇聚；"
            "NiN 块（3×3，384 通道）；3×3 最大汇聚；dropout；NiN 块（3×3，10 通道）；全局平均汇聚。没有全连接层。"
            "第四列是 NiN 块的内部：k×k 卷积 + ReLU，1×1 卷积 + ReLU，1×1 卷积 + ReLU。"
            "虚线把每个网络中的一个块连到它的内部结构。",
        caption="VGG 块由 3×3 卷积和最大汇聚组成，网络最后靠大的全连接层分类；NiN 块是一个普通卷积加两个 1×1 卷积，"
                "最后一个块直接输出 10 个类别通道，由全局平均汇聚得到类别得分。通道数是 `width=1` 时的值；"
                "本书去掉了最后一个 NiN 块末尾的 ReLU。")
def nin(c):
    y0, h, pitch = 52, 24, 34
    vgg_rows = VGG_ROWS[:6] + [("全连接 4096", "dense", None), ("全连接 4096", "dense", None),
                               ("全连接 10", "output", None)]
    nin_rows = [
        ("输入", "input", None),
        ("NiN 块 11×11，96", "conv", None),
        ("3×3 最大汇聚", "pool", None),
        ("NiN 块 5×5，256", "conv", None),
        ("3×3 最大汇聚", "pool", None),
        ("NiN 块 3×3，384", "conv", None),
        ("3×3 最大汇聚", "pool", None),
        ("dropout", "layer", None),
        ("NiN 块 3×3，10", "conv", None),
        ("全局平均汇聚", "pool", None),
    ]
    for x, w, title, note, rows in ((186, 140, "VGG-11", "（卷积层数, 输出通道数）", vgg_rows),
                                    (370, 160, "NiN", "（卷积核大小，输出通道数）", nin_rows)):
        c.text(x + w / 2, 20, title, weight="bold")
        c.text(x + w / 2, 38, note, size=SMALL, color=MUTED)
        column(c, x, y0, w, rows, h=h, pitch=pitch)
    mid = _vgg_block(c, 22, 120, 130)
    c.line(186 - 4, y0 + 2 * pitch + h / 2, 160 + 4, mid, color=MUTED, dashed=True)
    x, w, y = 572, 130, 120
    c.text(x + w / 2, y, "NiN 块", weight="bold")
    c.group(x - 8, y + 34, w + 16, 146)
    for i, text in enumerate(("k×k 卷积 + ReLU", "1×1 卷积 + ReLU", "1×1 卷积 + ReLU")):
        top = y + 42 + i * 48
        c.box(x, top, w, 28, text, kind="conv")
        if i:
            c.arrow(x + w / 2, top - 20, x + w / 2, top)
    c.text(x + w / 2, y + 196, "k 随块而定", size=SMALL, color=MUTED)
    c.line(530 + 4, y0 + 3 * pitch + h / 2, x - 8 - 4, y + 34 + 73, color=MUTED, dashed=True)


@figure("convolutional-modern/googlenet", "inception", covers=("inception",), size=(640, 356),
        alt="Inception 块，从上到下。输入 192×12×12 分成四条并行路径：路径 1 是 1×1 卷积，输出 64 个通道；"
            "路径 2 是 1×1 卷积（96 个通道）接 3×3 卷积（填充 1），输出 128 个通道；"
            "路径 3 是 1×1 卷积（16 个通道）接 5×5 卷积（填充 2），输出 32 个通道；"
            "路径 4 是 3×3 最大汇聚（步幅 1、填充 1）接 1×1 卷积，输出 32 个通道。"
            "四条路径的输出沿通道维拼接，64 + 128 + 32 + 32 = 256，得到 256×12×12 的输出。",
        caption="Inception 块的四条路径，通道数取自本节的例子 `Inception(192, 64, (96, 128), (16, 32), 32)`；"
                "每条路径都保持高宽不变，输出才能沿通道维拼接。每个卷积之后都接 ReLU。")
def inception(c):
    w, gap, x0 = 140, 16, 16
    xs = [x0 + i * (w + gap) for i in range(4)]
    mids = [x + w / 2 for x in xs]
    full_l, full_r = xs[0], xs[3] + w
    cx = (full_l + full_r) / 2
    c.box(cx - 110, 12, 220, 30, "输入：192×12×12", kind="input")
    row1, row2, bh = 78, 150, 40
    paths = [
        (None, ("1×1 卷积", "64 通道")),
        (("1×1 卷积", "96 通道"), ("3×3 卷积，填充 1", "128 通道")),
        (("1×1 卷积", "16 通道"), ("5×5 卷积，填充 2", "32 通道")),
        (("3×3 最大汇聚", "步幅 1，填充 1"), ("1×1 卷积", "32 通道")),
    ]
    split = 58
    c.line(mids[0], split, mids[3], split)
    c.line(cx, 42, cx, split)
    for i, (x, m, (first, second)) in enumerate(zip(xs, mids, paths)):
        for top, spec in ((row1, first), (row2, second)):
            if spec is None:
                continue
            op, note = spec
            kind = "pool" if "汇聚" in op else "conv"
            c.box(x, top, w, bh, None, kind=kind)
            c.text(m, top + 14, op)
            c.text(m, top + 30, note, size=SMALL, color=MUTED)
        c.arrow(m, split, m, row1 if first else row2)
        if first:
            c.arrow(m, row1 + bh, m, row2)
        c.arrow(m, row2 + bh, m, 228)
    c.box(full_l + 40, 228, full_r - full_l - 80, 32, "沿通道维拼接：64 + 128 + 32 + 32 = 256", kind="op")
    c.arrow(cx, 260, cx, 290)
    c.box(cx - 110, 290, 220, 30, "输出：256×12×12", kind="output")
    c.text(cx, 336, "四条路径的高宽都是 12×12", size=SMALL, color=MUTED)


def _bracket(c, x, top, bottom, label, color=MUTED):
    """A square bracket on the left of a group of rows, with its label to the left."""
    c.line(x, top, x, bottom, color=color)
    c.line(x, top, x + 6, top, color=color)
    c.line(x, bottom, x + 6, bottom, color=color)
    c.text(x - 6, (top + bottom) / 2, label, size=SMALL, ha="right", color=color)


@figure("convolutional-modern/googlenet", "inception-full", covers=("inception-full",), size=(540, 480),
        alt="GoogLeNet 从上到下分为五段。输入 1×96×96。b1：7×7 卷积（64 通道，步幅 2），3×3 最大汇聚（步幅 2），输出 64×24×24。"
            "b2：1×1 卷积（64 通道），3×3 卷积（192 通道），3×3 最大汇聚，输出 192×12×12。"
            "b3：两个 Inception 块（输出 256、480 通道），3×3 最大汇聚，输出 480×6×6。"
            "b4：五个 Inception 块（输出 512、512、512、528、832 通道），3×3 最大汇聚，输出 832×3×3。"
            "b5：两个 Inception 块（输出 832、1024 通道），全局平均汇聚，得到长度 1024 的向量。最后是输出 10 个类别的全连接层。",
        caption="GoogLeNet 的五段：段与段之间用步幅 2 的最大汇聚把高宽减半，后三段由 Inception 块堆成，最后以全局平均汇聚收尾。形状按 `full` 规模"
                "（`width=1`、输入 96×96）标注；`cpu` 规模的通道数乘以 0.25，输入是 32×32。")
def inception_full(c):
    rows = [
        ("输入", "input", "1×96×96"),
        ("7×7 卷积，64，步幅 2", "conv", None),
        ("3×3 最大汇聚，步幅 2", "pool", "64×24×24"),
        ("1×1 卷积，64", "conv", None),
        ("3×3 卷积，192，填充 1", "conv", None),
        ("3×3 最大汇聚，步幅 2", "pool", "192×12×12"),
        ("Inception 块 ×2", "conv", "输出 256、480 通道"),
        ("3×3 最大汇聚，步幅 2", "pool", "480×6×6"),
        ("Inception 块 ×5", "conv", "输出 512、512、512、528、832 通道"),
        ("3×3 最大汇聚，步幅 2", "pool", "832×3×3"),
        ("Inception 块 ×2", "conv", "输出 832、1024 通道"),
        ("全局平均汇聚", "pool", "1024"),
        ("全连接", "output", "10"),
    ]
    x, w, h, pitch, y0 = 56, 200, 24, 35, 30
    c.text(x + w + 10, 14, "输出形状 / 通道数", size=SMALL, color=LINE, ha="left")
    column(c, x, y0, w, rows, h=h, pitch=pitch, shape_dx=12)
    for name, first, last in (("b1", 1, 2), ("b2", 3, 5), ("b3", 6, 7), ("b4", 8, 9), ("b5", 10, 11)):
        _bracket(c, x - 14, y0 + first * pitch, y0 + last * pitch + h, name)


def _ellipse_points(cx, cy, a, b, n=120):
    import math
    ts = [2 * math.pi * i / n for i in range(n + 1)]
    return [cx + a * math.cos(t) for t in ts], [cy + b * math.sin(t) for t in ts]


def _inside(e, x, y):
    cx, cy, a, b = e
    return ((x - cx) / a) ** 2 + ((y - cy) / b) ** 2 <= 1


@figure("convolutional-modern/resnet", "functionclasses", covers=("functionclasses",), size=(600, 262),
        alt="两幅示意图，各画三个椭圆表示函数类 F₁、F₂、F₃（依次变大），红点是真正想要的函数 f*。"
            "左图是非嵌套函数类：三个椭圆彼此交叠但互不包含，越大的椭圆越偏离 f*，最大的 F₃ 离 f* 最远。"
            "右图是嵌套函数类：F₁ 在 F₂ 里，F₂ 在 F₃ 里，椭圆一层套一层地朝 f* 扩大，最大的 F₃ 把 f* 包了进去。",
        caption="左：函数类不嵌套时，更大的类可能整体偏到别处，离 f* 反而更远；右：函数类一层套一层时，"
                "更大的类里仍有原来的解，只会离 f* 更近或一样近。")
def functionclasses(c):
    colours = (ACCENT["blue"], ACCENT["green"], ACCENT["violet"])
    panels = [
        ("非嵌套函数类", 0, (225, 78), [(190, 112, 38, 26), (145, 143, 62, 40), (100, 180, 86, 48)],
         [(192, 112), (182, 150), (70, 196)], "更大的类不一定更接近 f*"),
        ("嵌套函数类", 300, (202, 100), [(96, 178, 28, 18), (114, 162, 62, 40), (146, 138, 116, 78)],
         [(96, 178), (118, 138), (100, 88)], "更大的类包含较小的类，不会离 f* 更远"),
    ]
    for title, dx, star, ellipses, labels, note in panels:
        c.text(dx + 150, 16, title, weight="bold")
        for k, ((cx, cy, a, b), (lx, ly), colour) in enumerate(zip(ellipses, labels, colours)):
            xs, ys = _ellipse_points(dx + cx, cy, a, b)
            c.curve(xs, ys, color=colour, lw=1.4)
            c.text(dx + lx, ly, f"F{'₁₂₃'[k]}", color=colour, style="italic")
        sx, sy = star
        c.circle(dx + sx, sy, 4, kind="output", edge=ACCENT["red"])
        c.text(dx + sx + 8, sy - 8, "f*", color=ACCENT["red"], style="italic", ha="left")
        c.text(dx + 150, 246, note, size=SMALL, color=MUTED)
    # the pictures must say what they claim
    (_, _, _, (e1, e2, e3), *_), (_, _, star, (n1, n2, n3), *_) = panels
    ring = lambda e: list(zip(*_ellipse_points(*e, n=60)))
    assert all(_inside(n2, *p) for p in ring(n1)) and all(_inside(n3, *p) for p in ring(n2))
    assert _inside(n3, *star)
    assert not all(_inside(e2, *p) for p in ring(e1)) and not all(_inside(e3, *p) for p in ring(e2))


@figure("convolutional-modern/resnet", "residual-block", covers=("residual-block",), size=(540, 368),
        alt="两个块并排，数据从上往下流。左：普通块，输入 x 依次经过权重层、ReLU、权重层（这三层在虚线框里），"
            "虚线框的输出就是要学的映射 f(x)，再经 ReLU 输出。右：残差块，虚线框里是同样的三层，但它只需学出残差 "
            "g(x) = f(x) − x；输入 x 沿右侧的捷径绕过虚线框，与 g(x) 在加号处相加，得到 f(x) = x + g(x)，再经 ReLU 输出。",
        caption="普通块的虚线框要直接学出 f(x)；残差块的虚线框只学残差 g(x) = f(x) − x，x 由捷径加回来。"
                "理想映射是恒等映射时，残差块只需把 g 推向零。")
def residual_block(c):
    for cx, title, sub, residual in ((140, "普通块", "虚线框要学出 f(x)", False),
                                     (380, "残差块", "虚线框只需学出 g(x) = f(x) − x", True)):
        c.text(cx, 16, title, weight="bold")
        c.text(cx, 36, sub, size=SMALL, color=MUTED)
        c.text(cx, 62, "x", style="italic")
        c.arrow(cx, 72, cx, 96)
        c.group(cx - 78, 88, 156, 144)
        for i, (text, kind) in enumerate((("权重层", "conv"), ("ReLU", "act"), ("权重层", "conv"))):
            top = 96 + i * 46
            c.box(cx - 64, top, 128, 30, text, kind=kind)
            if i:
                c.arrow(cx, top - 16, cx, top)
        relu_top = 306
        if residual:
            c.arrow(cx, 232, cx, 257)
            c.text(cx - 8, 244, "g(x)", size=SMALL, style="italic", ha="right")
            c.circle(cx, 268, 11, "+")
            c.arrow(cx, 279, cx, relu_top)
            c.text(cx - 8, 292, "f(x) = x + g(x)", size=SMALL, style="italic", ha="right")
            c.path([(cx, 80), (cx + 118, 80), (cx + 118, 268), (cx + 11, 268)], color=ACCENT["blue"])
            c.text(cx + 124, 174, "x", size=SMALL, ha="left", color=ACCENT["blue"], style="italic")
            c.text(cx + 112, 174, "捷径", size=SMALL, ha="right", color=ACCENT["blue"])
        else:
            c.arrow(cx, 232, cx, relu_top)
            c.text(cx - 8, 268, "f(x)", size=SMALL, style="italic", ha="right")
        c.box(cx - 64, relu_top, 128, 30, "ReLU", kind="act")
        c.arrow(cx, relu_top + 30, cx, relu_top + 50)
        c.text(cx + 8, relu_top + 42, "输出", size=SMALL, ha="left", color=MUTED)


@figure("convolutional-modern/resnet", "resnet-block", covers=("resnet-block",), size=(640, 404),
        alt="两个残差块并排，数据从上往下流。左：Residual(3, 3)，输入形状 (4, 3, 6, 6)，主路依次是 3×3 卷积、批量规范化、ReLU、"
            "3×3 卷积、批量规范化，输入沿右侧的恒等捷径直接加到主路的输出上，相加后经 ReLU，输出形状仍是 (4, 3, 6, 6)。"
            "右：Residual(3, 6, use_1x1conv=True, strides=2)，输入 (4, 3, 6, 6)，主路相同，只是第一个 3×3 卷积的步幅是 2；"
            "捷径上多了一个步幅为 2 的 1×1 卷积，把输入变成与主路输出相同的形状后再相加，经 ReLU 输出 (4, 6, 3, 3)。",
        caption="本节 `Residual` 类的两种用法。形状不变时捷径就是恒等映射；通道数改变、高宽减半时，捷径上的 1×1 卷积"
                "（步幅与主路相同）把 X 变成主路输出的形状，两者才能相加。形状取自上面的两行检查。")
def resnet_block(c):
    specs = ((130, "形状不变的残差块", "Residual(3, 3)", "3×3 卷积", "(4, 3, 6, 6)", False),
             (440, "带 1×1 卷积的残差块", "Residual(3, 6, use_1x1conv=True, strides=2)", "3×3 卷积，步幅 2",
              "(4, 6, 3, 3)", True))
    w, h, pitch = 140, 26, 40
    for cx, title, code, first, out, conv in specs:
        c.text(cx, 16, title, weight="bold")
        c.text(cx, 36, code, size=SMALL, color=MUTED)
        c.text(cx, 62, "X：(4, 3, 6, 6)", size=SMALL)
        c.arrow(cx, 72, cx, 92)
        layers = ((first, "conv"), ("批量规范化", "norm"), ("ReLU", "act"), ("3×3 卷积", "conv"), ("批量规范化", "norm"))
        for i, (text, kind) in enumerate(layers):
            top = 92 + i * pitch
            c.box(cx - w / 2, top, w, h, text, kind=kind)
            if i:
                c.arrow(cx, top - pitch + h, cx, top)
        plus = 300
        c.arrow(cx, 92 + 4 * pitch + h, cx, plus - 11)
        c.circle(cx, plus, 11, "+")
        c.arrow(cx, plus + 11, cx, 330)
        c.box(cx - w / 2, 330, w, h, "ReLU", kind="act")
        c.arrow(cx, 356, cx, 378)
        c.text(cx, 390, out, size=SMALL)
        sx = cx + 135
        if conv:
            c.path([(cx, 82), (sx, 82), (sx, 168)], color=ACCENT["blue"], head=True)
            c.box(sx - 48, 168, 96, 40, None, kind="conv", edge=ACCENT["blue"])
            c.text(sx, 181, "1×1 卷积")
            c.text(sx, 197, "步幅 2", size=SMALL, color=MUTED)
            c.path([(sx, 208), (sx, plus), (cx + 11, plus)], color=ACCENT["blue"])
        else:
            c.path([(cx, 82), (sx, 82), (sx, plus), (cx + 11, plus)], color=ACCENT["blue"])
            c.text(sx + 6, 190, "恒等捷径", size=SMALL, ha="left", color=ACCENT["blue"])


@figure("convolutional-modern/resnet", "resnet18", covers=("resnet18",), size=(480, 564),
        alt="ResNet-18 从上到下：输入 1×224×224；开头一段是 7×7 卷积（64 通道，步幅 2）、批量规范化和 ReLU、"
            "3×3 最大汇聚（步幅 2），输出 64×56×56。之后是四个残差阶段，每个阶段两个残差块："
            "阶段 1 的两个块都是 64 通道，输出 64×56×56；阶段 2、3、4 的第一个块用步幅 2 把高宽减半、通道加倍，"
            "捷径上带 1×1 卷积，第二个块形状不变，三个阶段依次输出 128×28×28、256×14×14、512×7×7。"
            "最后是全局平均汇聚（长度 512 的向量）和输出 10 个类别的全连接层。",
        caption="ResNet-18：开头的卷积和汇聚把高宽缩小到 1/4，之后四个阶段各有两个残差块。形状是 `width=1`、"
                "输入 224×224 时的值，取自练习 3 打印的逐层表；本节 `cpu` 规模的通道数乘以 0.25，输入是 32×32。")
def resnet18(c):
    rows = [
        ("输入", "input", "1×224×224"),
        ("7×7 卷积，64，步幅 2", "conv", None),
        ("批量规范化 + ReLU", "norm", None),
        ("3×3 最大汇聚，步幅 2", "pool", "64×56×56"),
        ("残差块，64", "conv", None),
        ("残差块，64", "conv", "64×56×56"),
    ]
    for channels, side in ((128, 28), (256, 14), (512, 7)):
        rows += [(f"残差块，{channels}，步幅 2", "conv", "捷径带 1×1 卷积"),
                 (f"残差块，{channels}", "conv", f"{channels}×{side}×{side}")]
    rows += [("全局平均汇聚", "pool", "512"), ("全连接", "output", "10")]
    x, w, h, pitch, y0 = 76, 200, 24, 35, 32
    c.text(x + w + 10, 16, "输出形状", size=SMALL, color=LINE, ha="left")
    column(c, x, y0, w, rows, h=h, pitch=pitch, shape_dx=12)
    for name, first, last in (("开头", 1, 3), ("阶段 1", 4, 5), ("阶段 2", 6, 7), ("阶段 3", 8, 9), ("阶段 4", 10, 11)):
        _bracket(c, x - 14, y0 + first * pitch, y0 + last * pitch + h, name)
    c.text(c.width / 2, 530, "每个残差块含两个 3×3 卷积：共 1 + 4×2×2 = 17 个卷积层，",
           size=SMALL, color=MUTED)
    c.text(c.width / 2, 547, "加上全连接层是 18 层（捷径上的 1×1 卷积不计）", size=SMALL, color=MUTED)


@figure("convolutional-modern/densenet", "densenet-block", covers=("densenet-block",), size=(600, 290),
        alt="两幅图并排，数据从上往下流。左：ResNet，输入 x 经过一层 g 得到 g(x)，x 沿右侧的捷径过来与 g(x) 在加号处相加，"
            "输出 x + g(x)，通道数与 x 相同。右：DenseNet，输入 x 经过一层 f₁ 得到 f₁(x)，x 沿捷径过来与 f₁(x) 拼接，"
            "输出 [x, f₁(x)] 由两段组成，前一段是原样保留的 x，后一段是 f₁(x)；以本节的例子，3 个通道加 10 个新通道共 13 个通道。",
        caption="ResNet 把 x 加到层的输出上，通道数不变；DenseNet 把 x 与层的输出沿通道维拼接，x 原样保留，通道数变多。"
                "右图的通道数取自本节的稠密块例子。")
def densenet_block(c):
    for cx, title, sub, dense in ((150, "ResNet：相加", "f(x) = x + g(x)", False),
                                  (440, "DenseNet：拼接", "[x, f₁(x)]", True)):
        c.text(cx, 16, title, weight="bold")
        c.text(cx, 36, sub, size=SMALL, color=MUTED, style="italic")
        c.box(cx - 30, 54, 60, 22, "x", kind="input", rounded=False)
        c.arrow(cx, 76, cx, 100)
        c.box(cx - 50, 100, 100, 28, "f₁" if dense else "g", kind="conv")
        c.arrow(cx, 128, cx, 152)
        c.text(cx - 8, 140, "f₁(x)" if dense else "g(x)", size=SMALL, style="italic", ha="right")
        if dense:
            c.box(cx - 30, 152, 60, 24, "拼接", kind="op")
            join_x, join_y = cx + 30, 164
        else:
            c.circle(cx, 164, 12, "+")
            join_x, join_y = cx + 12, 164
        c.path([(cx + 30, 65), (cx + 90, 65), (cx + 90, join_y), (join_x, join_y)], color=ACCENT["blue"])
        c.text(cx + 96, 114, "x", size=SMALL, ha="left", color=ACCENT["blue"], style="italic")
        c.arrow(cx, 176, cx, 200)
        if dense:
            c.box(cx - 60, 200, 60, 22, "x", kind="input", rounded=False)
            c.box(cx, 200, 60, 22, "f₁(x)", kind="conv", rounded=False)
            c.text(cx, 240, "通道：3 + 10 = 13", size=SMALL, color=MUTED)
            c.text(cx, 258, "x 原样保留，后面的层可以直接使用", size=SMALL, color=MUTED)
        else:
            c.box(cx - 30, 200, 60, 22, "x + g(x)", kind="state", rounded=False)
            c.text(cx, 240, "通道数与 x 相同", size=SMALL, color=MUTED)
            c.text(cx, 258, "x 与 g(x) 混在同一组通道里", size=SMALL, color=MUTED)


@figure("convolutional-modern/densenet", "densenet", covers=("densenet",), size=(700, 268),
        alt="一个稠密块和其后的过渡层，从左到右：输入（64 个通道）、卷积块 1、卷积块 2、卷积块 3、卷积块 4、过渡层。"
            "相邻的框之间有箭头，上方还有弧线把每个框连到它后面的每一个卷积块和过渡层，表示每个卷积块的输入是前面所有输出的拼接。"
            "框下标着输入通道数：卷积块 1 到 4 依次是 64、96、128、160，每个卷积块新增 32 个通道；过渡层的输入是全部拼接起来的通道（64 再加上 4 个 32），"
            "它把通道减半到 96，并把高宽减半。",
        caption="稠密块里每个卷积块都接收前面所有输出的拼接（上方的弧线），每块新增“增长率”个通道；过渡层再把通道和高宽减半。"
                "通道数是 `full` 规模（`width=1`、增长率 32）第一个稠密块的值；`cpu` 规模的开头通道数和增长率都乘以 0.5。")
def densenet(c):
    names = ["输入", "卷积块 1", "卷积块 2", "卷积块 3", "卷积块 4", "过渡层"]
    kinds = ["input", "conv", "conv", "conv", "conv", "pool"]
    notes = [("64 个通道", ""), ("输入 64", "新增 32"), ("输入 96", "新增 32"), ("输入 128", "新增 32"),
             ("输入 160", "新增 32"), ("输入 192", "输出 96，高宽减半")]
    w, h, gap, x0, top = 82, 36, 32, 18, 118
    xs = [x0 + i * (w + gap) for i in range(len(names))]
    for i, (x, name, kind, (n1, n2)) in enumerate(zip(xs, names, kinds, notes)):
        c.box(x, top, w, h, name, kind=kind)
        c.text(x + w / 2, top + h + 14, n1, size=SMALL, color=MUTED)
        if n2:
            c.text(x + w / 2, top + h + 30, n2, size=SMALL, color=MUTED)
        if i:
            c.arrow(xs[i - 1] + w, top + h / 2, x, top + h / 2)
    for i in range(len(names)):
        for j in range(i + 2, len(names)):
            k = j - i - 2  # longer arcs leave further right and arrive further left
            a, b = xs[i] + w * 0.56 + 9 * k, xs[j] + w * 0.44 - 9 * k
            c.arrow(a, top, b, top, curve=-0.28, color=ACCENT["blue"], lw=1.0)
    y = top + h + 44
    left, right = xs[0], xs[4] + w
    c.line(left, y, right, y, color=MUTED)
    c.line(left, y, left, y - 6, color=MUTED)
    c.line(right, y, right, y - 6, color=MUTED)
    c.text((left + right) / 2, y + 12, "稠密块（4 个卷积块，增长率 32）", size=SMALL, color=MUTED)
    c.text(c.width / 2, 252, "卷积块 = 批量规范化 → ReLU → 3×3 卷积；过渡层 = 批量规范化 → ReLU → 1×1 卷积 → 2×2 平均汇聚",
           size=SMALL, color=MUTED)
