"""Figures of 注意力机制."""
from figures import figure
from figures.style import ACCENT, INK, LINE, MUTED, SMALL

_WHITE = "#ffffff"


def _eye(c, x, y, look=(0.0, 1.0)):
    """A schematic eye (almond outline, iris, pupil) centred at (x, y); the iris shifts towards `look`."""
    w, h = 24, 11
    xs = [x - w + i * (2 * w) / 40 for i in range(41)]
    c.curve(xs, [y - h * (1 - ((u - x) / w) ** 2) for u in xs], color=LINE, lw=1.4)
    c.curve(xs, [y + h * (1 - ((u - x) / w) ** 2) for u in xs], color=LINE, lw=1.4)
    dx, dy = look
    norm = (dx * dx + dy * dy) ** 0.5 or 1.0
    ix, iy = x + 4 * dx / norm, y + 2.5 * dy / norm
    c.circle(ix, iy, 7.5, kind="input", lw=1.0)
    c.circle(ix, iy, 3.2, kind=INK, edge=INK, lw=0.5)


def _newspaper(c, x, y):
    """A folded newspaper lying on the desk, bottom-left corner at (x, y). Returns its top centre."""
    w, h = 66, 46
    c.rect(x, y - h, w, h, fill="plain", edge=LINE)
    c.rect(x + 6, y - h + 6, w - 12, 8, fill="#374151", edge="#374151", lw=0.5)   # the masthead
    for i in range(4):
        yy = y - h + 20 + i * 6
        c.line(x + 6, yy, x + w / 2 - 3, yy, color=MUTED, lw=0.8)
        c.line(x + w / 2 + 3, yy, x + w - 6, yy, color=MUTED, lw=0.8)
    return x + w / 2, y - h


def _notebook(c, x, y):
    w, h = 46, 58
    c.rect(x, y - h, w, h, fill="plain", edge=LINE)
    c.rect(x, y - h, 7, h, fill="#374151", edge="#374151", lw=0.5)                 # the binding
    c.rect(x + 14, y - h + 12, w - 20, 12, fill="plain", edge=LINE, lw=0.8)        # the label on the cover
    return x + w / 2, y - h


def _book(c, x, y):
    w, h = 42, 70
    c.rect(x, y - h, w, h, fill="plain", edge=LINE)
    c.rect(x, y - h + 10, w, 10, fill="#374151", edge="#374151", lw=0.5)           # black bands on a white cover
    c.rect(x, y - 18, w, 6, fill="#374151", edge="#374151", lw=0.5)
    c.line(x + 8, y - h + 30, x + w - 8, y - h + 30, color=MUTED, lw=0.8)
    c.line(x + 8, y - h + 36, x + w - 14, y - h + 36, color=MUTED, lw=0.8)
    return x + w / 2, y - h


def _cup(c, x, y):
    w, h = 34, 38
    c.circle(x + w + 1, y - h / 2 - 2, 9, kind="none", edge=ACCENT["red"], lw=3.0)  # the handle
    c.box(x, y - h, w, h, kind=ACCENT["red"], edge=ACCENT["red"], rounded=True)
    for dx in (10, 22):                                                              # steam
        xs = [x + dx + 3 * ((-1) ** (i // 4)) * (i % 4) / 4 for i in range(13)]
        c.curve(xs, [y - h - 6 - i * 1.3 for i in range(13)], color=MUTED, lw=1.0)
    return x + w / 2, y - h - 22


@figure("attention-mechanisms/attention-cues", "attention-cues-desk", covers=("eye-coffee", "eye-book"),
        size=(700, 270),
        alt="两幅并排的示意图，画的是同一张桌子：桌上从左到右放着报纸、笔记本、书和一杯红色的咖啡，"
            "报纸、笔记本和书都是黑白的。左图标题是“不随意线索”：桌子上方的眼睛沿一条红色箭头看向红色的咖啡杯，"
            "注明“红杯子最显眼，目光不由自主地落在它上面”。右图标题是“随意线索”：眼睛旁有一个写着“想读书”的想法框，"
            "目光沿一条蓝色箭头看向书，注明“想读书了，主动把视线移到书上”。",
        caption="同一张桌子上的两种线索：左边，目光被最显眼的红色杯子吸引（不随意线索）；"
                "右边，想读书的意图把目光引向并不显眼的书（随意线索）。")
def attention_cues_desk(c):
    for x0, title, note, volitional in (
            (10, "不随意线索", "红杯子最显眼，目光不由自主地落在它上面", False),
            (360, "随意线索", "想读书了，主动把视线移到书上", True)):
        c.text(x0 + 165, 22, title, weight="bold")
        c.text(x0 + 165, 42, note, size=SMALL, color=MUTED)
        desk_y = 222
        c.box(x0 + 5, desk_y, 320, 10, kind="layer", rounded=False)
        c.line(x0 + 25, desk_y + 10, x0 + 25, desk_y + 26, color=LINE, lw=2.0)
        c.line(x0 + 305, desk_y + 10, x0 + 305, desk_y + 26, color=LINE, lw=2.0)
        paper = _newspaper(c, x0 + 18, desk_y)
        note_top = _notebook(c, x0 + 100, desk_y)
        book = _book(c, x0 + 168, desk_y)
        cup = _cup(c, x0 + 246, desk_y)
        for (lx, _), label in ((paper, "报纸"), (note_top, "笔记本"), (book, "书"), (cup, "咖啡")):
            c.text(lx if label != "咖啡" else lx + 4, desk_y + 20, label, size=SMALL)
        ex, ey = x0 + 70, 88
        target = (cup[0] - 4, cup[1] - 4) if not volitional else (book[0], book[1] - 6)
        _eye(c, ex, ey, look=(target[0] - ex, target[1] - ey))
        color = ACCENT["blue"] if volitional else ACCENT["red"]
        c.arrow(ex + 20, ey + 12, *target, color=color, lw=1.8, dashed=True, curve=-0.15)
        if volitional:
            c.box(x0 + 108, 62, 64, 24, "想读书", kind="state", size=SMALL)
            for i, (bx, by) in enumerate(((x0 + 100, 84), (x0 + 94, 88))):
                c.circle(bx, by, 2.6 - i * 0.8, kind="state", lw=0.8)


@figure("attention-mechanisms/attention-cues", "attention-pooling-qkv", covers=("qkv",), size=(640, 320),
        alt="注意力汇聚的示意图。左上是查询 q（随意线索）。右边排着 n 个键值对 (k₁, v₁)、(k₂, v₂)、…、(kₙ, vₙ)，"
            "键相当于不随意线索。查询沿一条横线分别送到每个键 kᵢ，与它比对，得到注意力权重 α(q, kᵢ)；"
            "每个权重与同一对里的值 vᵢ 相乘，所有乘积汇入求和 Σ，得到输出 f(q) = Σᵢ α(q, kᵢ) vᵢ。"
            "图中注明：权重非负、和为 1。",
        caption="注意力汇聚：查询与每个键比对得到权重，输出是值按这些权重的加权平均；换一个查询，权重和输出随之改变。")
def attention_pooling_qkv(c):
    c.box(20, 30, 96, 32, "查询 q", kind="input")
    c.text(68, 74, "随意线索", size=SMALL, color=MUTED)
    cols = [(160, "1"), (290, "2"), (470, "n")]
    bus_y = 46
    c.line(116, bus_y, cols[-1][0] + 25, bus_y)
    c.text(150, bus_y - 9, "比对", size=SMALL, color=MUTED)
    c.group(148, 94, 442, 54)
    c.text(80, 112, "键值对 (kᵢ, vᵢ)", size=SMALL, color=MUTED)
    c.text(80, 130, "键：不随意线索", size=SMALL, color=MUTED)
    products = []
    for x, i in cols:
        sub = "₁₂ₙ"["12n".index(i)]
        kx, vx = x, x + 58
        c.arrow(kx + 25, bus_y, kx + 25, 105)
        c.box(kx, 105, 50, 32, f"k{sub}", kind="attention")
        c.box(vx, 105, 50, 32, f"v{sub}", kind="state")
        c.arrow(kx + 25, 137, kx + 25, 172)
        c.box(kx - 8, 172, 66, 28, f"α(q, k{sub})", kind="param", size=SMALL)
        c.circle(vx + 25, 186, 10, "×")
        c.arrow(kx + 58, 186, vx + 15, 186)
        c.arrow(vx + 25, 137, vx + 25, 176)
        products.append((vx + 25, 196))
    c.text(434, 121, "⋯", size=14)
    c.text(434, 186, "⋯", size=14)
    sx, sy = 300, 240
    c.circle(sx, sy, 12, "Σ")
    for px, py in products:
        c.arrow(px, py, sx + (px - sx) * 12 / ((px - sx) ** 2 + (py - sy) ** 2) ** 0.5,
                sy + (py - sy) * 12 / ((px - sx) ** 2 + (py - sy) ** 2) ** 0.5)
    c.arrow(sx, sy + 12, sx, 270)
    c.box(sx - 110, 270, 220, 32, "输出 f(q) = Σᵢ α(q, kᵢ) vᵢ", kind="output")
    c.text(sx + 122, 286, "权重 α(q, kᵢ) 非负、和为 1", size=SMALL, color=MUTED, ha="left")


@figure("attention-mechanisms/bahdanau-attention", "bahdanau-attention-model",
        covers=("seq2seq-attention-details",), size=(700, 385),
        alt="左边是编码器：源词元 i'm、home、.、<eos> 经过嵌入层，送进两层 GRU，沿时间从左到右传递隐状态；"
            "每一步最顶层的输出 h₁ 到 h₄ 汇成一条线，作为键和值送进右边解码器里的“加性注意力”。"
            "右边是解码器的第 t′ 步：上一步的隐状态 sₜ′₋₁（第一步取编码器的最终隐状态）从左边进入 GRU（2 层），"
            "它的顶层同时作为查询送进加性注意力；注意力用有效长度掩蔽 <pad>，输出上下文 cₜ′。"
            "输入词元经嵌入层后与 cₜ′ 拼接，送进 GRU，GRU 输出新的隐状态 sₜ′（传给下一步），"
            "再经全连接层得到输出 ŷₜ′，即词表上的得分。",
        caption="带 Bahdanau 注意力的编码器–解码器：解码器每一步用上一步的顶层隐状态作查询，"
                "对编码器各步的输出做加性注意力，得到的上下文与输入词元的嵌入拼接后送进 GRU。")
def bahdanau_attention_model(c):
    # encoder
    c.group(20, 188, 272, 164, label="编码器（嵌入层 + 两层 GRU）", label_at="bottom")
    xs = [58, 124, 190, 256]
    c.box(32, 268, 248, 24, "嵌入层", kind="layer")
    for i, (x, tok) in enumerate(zip(xs, ["i'm", "home", ".", "<eos>"])):
        c.box(x - 28, 318, 56, 24, tok, kind="input", size=SMALL)
        c.arrow(x, 318, x, 292)
        c.arrow(x, 268, x, 236)
        c.box(x - 26, 200, 52, 36, "GRU", kind="state")
        if i:
            c.arrow(xs[i - 1] + 26, 218, x - 26, 218)
        c.arrow(x, 200, x, 161, head=False)
        c.text(x + 5, 180, f"h{'₁₂₃₄'[i]}", size=SMALL, ha="left")
    bus = 160
    c.path([(xs[0], bus), (306, bus), (306, 222), (330, 222)], color=ACCENT["blue"])
    for x in xs:
        c.line(x, 200, x, bus, color=ACCENT["blue"])
    c.text(160, 146, "键 = 值：编码器顶层各步的输出 h₁, …, h₄", size=SMALL, color=ACCENT["blue"])

    # decoder, one step t'
    c.group(318, 14, 370, 338, label="解码器（第 t′ 步）", label_at="bottom")
    dx = 584
    c.box(330, 200, 120, 44, "加性注意力", kind="attention")
    c.text(390, 256, "有效长度掩蔽 <pad>", size=SMALL, color=MUTED)
    c.box(dx - 55, 318, 110, 24, "输入词元", kind="input", size=SMALL)
    c.arrow(dx, 318, dx, 292)
    c.box(dx - 75, 268, 150, 24, "嵌入层", kind="layer")
    c.arrow(dx, 268, dx, 234)
    c.box(dx - 75, 206, 150, 28, "拼接 [cₜ′, 嵌入]", kind="op")
    c.arrow(450, 220, dx - 75, 220, color=ACCENT["green"])
    c.text(482, 210, "cₜ′", size=SMALL, color=ACCENT["green"])
    c.arrow(dx, 206, dx, 170)
    c.box(dx - 75, 134, 150, 36, "GRU（2 层）", kind="state")
    s_y = 152
    c.arrow(330, s_y, dx - 75, s_y, color=ACCENT["orange"])
    c.text(334, s_y - 12, "sₜ′₋₁：上一步的隐状态", size=SMALL, ha="left", color=ACCENT["orange"])
    c.text(334, s_y - 28, "（第一步取编码器的最终隐状态）", size=SMALL, ha="left", color=MUTED)
    c.line(390, s_y, 390, 200, color=ACCENT["orange"])
    c.arrow(390, 190, 390, 200, color=ACCENT["orange"])
    c.text(396, 176, "查询：顶层的 sₜ′₋₁", size=SMALL, ha="left", color=ACCENT["orange"])
    c.arrow(dx + 75, s_y, 676, s_y, dashed=True)
    c.text(dx + 78, s_y - 10, "sₜ′", size=SMALL, ha="left")
    c.arrow(dx, 134, dx, 104)
    c.box(dx - 75, 78, 150, 26, "全连接层", kind="dense")
    c.arrow(dx, 78, dx, 52)
    c.box(dx - 75, 26, 150, 26, "输出 ŷₜ′（词表上的得分）", kind="output", size=SMALL)


def _sublayers(c, cx, bottom, layers, side):
    """A stack of sublayers, each followed by an AddNorm box with its residual path on `side` (-1 left, +1 right).

    `layers` lists (text, kind, qkv): qkv draws the three arrows of self-attention. Returns the y of each
    sublayer box's centre and the top of the stack."""
    w, bh, nh = 176, 30, 22
    y = bottom
    centres = []
    for text, kind, qkv in layers:
        box_top = y - 18 - bh
        c.box(cx - w / 2, box_top, w, bh, text, kind=kind, size=SMALL if len(text) > 7 else 11)
        if qkv:   # the same input serves as queries, keys and values
            c.line(cx, y, cx, y - 10)
            c.line(cx - 40, y - 10, cx + 40, y - 10)
            for dx in (-40, 0, 40):
                c.arrow(cx + dx, y - 10, cx + dx, box_top + bh)
        else:
            c.arrow(cx, y, cx, box_top + bh)
        centres.append(box_top + bh / 2)
        norm_top = box_top - 12 - nh
        c.arrow(cx, box_top, cx, norm_top + nh)
        c.box(cx - w / 2, norm_top, w, nh, "相加 + 层规范化", kind="norm", size=SMALL)
        rx = cx + side * (w / 2 + 14)
        branch = y - 5
        c.path([(cx, branch), (rx, branch), (rx, norm_top + nh / 2), (cx + side * w / 2, norm_top + nh / 2)],
               color=MUTED)
        y = norm_top - 4
        c.line(cx, norm_top, cx, y)
    return centres, y


@figure("attention-mechanisms/transformer", "transformer-architecture", covers=("transformer",), size=(640, 516),
        alt="Transformer 的结构，左边是编码器，右边是解码器，都从下往上读。编码器：源词元经过嵌入层（乘 √d），"
            "与位置编码相加，进入一个重复 n 次的块；块里先是多头自注意力（同一个输入同时作为查询、键和值），"
            "然后是“相加 + 层规范化”，再是逐位置前馈网络和又一个“相加 + 层规范化”；每个子层旁边有一条残差连接，"
            "把子层的输入直接加到它的输出上。解码器：目标词元（以 <bos> 开头）经过同样的嵌入层和位置编码，"
            "进入一个重复 n 次的块，块里依次是带因果掩码的多头自注意力、编码器–解码器注意力、逐位置前馈网络，"
            "每个子层后面都有“相加 + 层规范化”和残差连接。编码器最后的输出作为键和值，送进解码器每一块的"
            "编码器–解码器注意力，查询来自解码器下面的子层。解码器顶上是一个全连接层，输出词表上的得分。",
        caption="Transformer 的编码器和解码器各由 n 个相同的块叠成，每个子层都包着残差连接和层规范化；"
                "编码器的输出作为键和值送进解码器每一块的编码器–解码器注意力。")
def transformer_architecture(c):
    ex, dx = 170, 456
    tok_y, emb_y, pe_y, block_bottom = 456, 412, 390, 366
    for cx, token, side in ((ex, "源词元", -1), (dx, "目标词元（以 <bos> 开头）", 1)):
        c.box(cx - 88, tok_y, 176, 24, token, kind="input", size=SMALL)
        c.arrow(cx, tok_y, cx, emb_y + 24)
        c.box(cx - 88, emb_y, 176, 24, "嵌入层（× √d）", kind="layer", size=SMALL)
        c.arrow(cx, emb_y, cx, pe_y + 10)
        c.circle(cx, pe_y, 10, "+")
        lx = cx + side * 60
        c.arrow(lx, pe_y, cx + side * 10, pe_y)
        c.text(lx + side * 4, pe_y, "位置编码", size=SMALL, ha="right" if side < 0 else "left")
        c.line(cx, pe_y - 10, cx, block_bottom)
        c.text(cx, tok_y + 40, "编码器" if side < 0 else "解码器", weight="bold")
    # encoder block
    _, enc_top = _sublayers(c, ex, block_bottom, [("多头自注意力", "attention", True),
                                                  ("逐位置前馈网络", "dense", False)], side=-1)
    c.group(ex - 120, enc_top, 228, block_bottom - enc_top + 4)
    c.text(ex - 136, (enc_top + block_bottom) / 2, "n ×", weight="bold")
    # decoder block
    centres, dec_top = _sublayers(c, dx, block_bottom, [("多头自注意力（因果掩码）", "attention", True),
                                                        ("编码器–解码器注意力", "attention", False),
                                                        ("逐位置前馈网络", "dense", False)], side=1)
    c.group(dx - 108, dec_top, 228, block_bottom - dec_top + 4)
    c.text(dx + 136, (dec_top + block_bottom) / 2, "n ×", weight="bold")
    c.arrow(dx, dec_top, dx, dec_top - 22)
    c.box(dx - 88, dec_top - 48, 176, 26, "全连接层", kind="dense")
    c.arrow(dx, dec_top - 48, dx, dec_top - 64)
    c.box(dx - 88, dec_top - 88, 176, 24, "输出：词表上的得分", kind="output", size=SMALL)
    # encoder output -> keys and values of every decoder block's cross-attention
    cross_y = centres[1]
    c.path([(ex, enc_top), (ex, enc_top - 10), (ex + 140, enc_top - 10), (ex + 140, cross_y),
            (dx - 88, cross_y)], color=ACCENT["blue"])
    c.text(ex + 70, enc_top - 22, "编码器输出（键和值）", size=SMALL, color=ACCENT["blue"])


def _cells(c, x, y, labels, w=52, h=26, kind="plain", size=SMALL):
    """A row of labelled cells (a vector drawn entry by entry), top-left corner at (x, y)."""
    for j, s in enumerate(labels):
        c.rect(x + j * w, y, w, h, fill=kind if s != "⋯" else "plain", lw=1.0)
        c.text(x + (j + 0.5) * w, y + h / 2, s, size=size if s != "⋯" else 12)
    return x + len(labels) * w


@figure("attention-mechanisms/attention-scoring-functions", "attention-scoring-output",
        covers=("attention-output",), size=(660, 330),
        alt="注意力汇聚的输出怎样算出来。左上是查询 q，旁边一行是键 k₁、k₂、…、kₘ，右上一行是与之一一对应的值 "
            "v₁、v₂、…、vₘ。查询和键一起送进“评分函数 a(q, kᵢ)”，得到一行分数 a(q, k₁)、…、a(q, kₘ)；"
            "分数经过 softmax，变成一行注意力权重 α(q, k₁)、…、α(q, kₘ)，非负、和为 1。"
            "权重和值一起送进右边的“加权求和”，得到输出 f(q) = Σᵢ α(q, kᵢ) vᵢ。",
        caption="评分函数 a 给查询和每个键打分，softmax 把分数变成和为 1 的权重，输出是值按权重的加权和；"
                "不同的注意力只是评分函数 a 不同。")
def attention_scoring_output(c):
    x0, xv = 160, 440
    c.box(20, 26, 84, 30, "查询 q", kind="input")
    c.text(150, 41, "键", size=SMALL, color=MUTED, ha="right")
    end = _cells(c, x0, 28, ["k₁", "k₂", "⋯", "kₘ"], kind="attention", size=11)
    c.text(xv - 8, 41, "值", size=SMALL, color=MUTED, ha="right")
    _cells(c, xv, 28, ["v₁", "v₂", "⋯", "vₘ"], kind="state", size=11)
    mid = (x0 + end) / 2
    c.arrow(mid, 54, mid, 84)
    c.path([(62, 56), (62, 100), (x0, 100)])
    c.box(x0, 84, end - x0, 32, "评分函数 a(q, kᵢ)", kind="op")
    c.arrow(mid, 116, mid, 140)
    c.text(150, 153, "分数", size=SMALL, color=MUTED, ha="right")
    _cells(c, x0, 140, ["a(q, k₁)", "a(q, k₂)", "⋯", "a(q, kₘ)"])
    c.arrow(mid, 166, mid, 190)
    c.box(x0, 190, end - x0, 28, "softmax", kind="act")
    c.arrow(mid, 218, mid, 242)
    c.text(150, 255, "权重", size=SMALL, color=MUTED, ha="right")
    _cells(c, x0, 242, ["α(q, k₁)", "α(q, k₂)", "⋯", "α(q, kₘ)"], kind="param")
    c.text(mid, 284, "非负，和为 1", size=SMALL, color=MUTED)
    vmid = xv + 104
    c.box(xv, 240, 208, 30, "加权求和 Σᵢ α(q, kᵢ) vᵢ", kind="op", size=SMALL)
    c.arrow(vmid, 54, vmid, 240)
    c.arrow(end, 255, xv, 255)
    c.arrow(vmid, 270, vmid, 292)
    c.box(vmid - 60, 292, 120, 28, "输出 f(q)", kind="output")


def _w_label(c, cx, cy, sub, sup):
    """W with a subscript (a Unicode subscript character) and a raised, smaller superscript like (q)."""
    c.text(cx + 2, cy + 2, "W" + sub, ha="right", size=10)
    c.text(cx + 2, cy - 4, f"({sup})", ha="left", size=7)


@figure("attention-mechanisms/multihead-attention", "multi-head-attention", covers=("multi-head-attention",),
        size=(640, 380),
        alt="多头注意力的结构，从下往上读。最下面是三条输入线：查询、键、值，每条线都连到每一个头。"
            "画出了头 1、头 2 和头 h，中间用省略号表示其余的头。每个头里有三个各不相同的线性投影："
            "Wᵢ⁽q⁾ 作用于查询，Wᵢ⁽k⁾ 作用于键，Wᵢ⁽v⁾ 作用于值；三个投影的结果送进这个头的缩放点积注意力，"
            "得到头的输出 hᵢ。h 个头的输出在上方拼接起来，经过全连接层 Wₒ，得到多头注意力的输出。",
        caption="多头注意力：每个头先用自己的线性投影变换查询、键和值，再做一次缩放点积注意力；"
                "h 个头的输出拼接后经全连接层 Wₒ 融合。")
def multi_head_attention(c):
    heads = [(100, "1", "₁"), (270, "2", "₂"), (470, "h", "ₕ")]
    buses = [("查询", "q", 352, ACCENT["blue"]), ("键", "k", 336, ACCENT["green"]), ("值", "v", 320, ACCENT["orange"])]
    for name, _, y, color in buses:
        c.text(20, y, name, size=SMALL, ha="left", color=color)
        c.arrow(58, y, heads[-1][0] + 126, y, color=color, head=False)   # a patch, so the gaps below can cover it
    box_top, box_h = 262, 30
    for x0, label, sub in heads:
        c.group(x0 - 8, 170, 164, 134)
        c.text(x0 - 2, 182, f"头 {label}", size=SMALL, ha="left", color=MUTED)
        for j, (_, sup, y, color) in enumerate(buses):
            bx = x0 + j * 52
            cx = bx + 22
            c.rect(cx - 4, box_top + box_h + 8, 8, y - 3 - box_top - box_h - 8, fill=_WHITE, edge=_WHITE, lw=0)
            c.circle(cx, y, 2.4, kind=color, edge=color, lw=0.5)
            c.arrow(cx, y, cx, box_top + box_h, color=color)
            c.box(bx, box_top, 44, box_h, kind="dense")
            _w_label(c, cx, box_top + box_h / 2, sub, sup)
            c.arrow(cx, box_top, cx, 228)
        c.box(x0, 196, 148, 32, "缩放点积注意力", kind="attention", size=SMALL)
        c.arrow(x0 + 74, 196, x0 + 74, 146)
        c.text(x0 + 80, 162, f"h{sub}", size=SMALL, ha="left")
    c.text(450, 245, "⋯", size=14)
    c.box(100, 120, 518, 26, "拼接", kind="op")
    mid = 359
    c.arrow(mid, 120, mid, 96)
    c.box(mid - 80, 70, 160, 26, "全连接层 Wₒ", kind="dense")
    c.arrow(mid, 70, mid, 46)
    c.box(mid - 80, 20, 160, 26, "输出", kind="output")


@figure("attention-mechanisms/self-attention-and-positional-encoding", "cnn-rnn-self-attention",
        covers=("cnn-rnn-self-attention",), size=(690, 250),
        alt="三幅并排的示意图，每幅的下方是 5 个输入位置 x₁ 到 x₅，上方是 5 个输出位置。"
            "左：卷积（核大小 k = 3），每个输出只连到下方相邻的 3 个输入（两端是 2 个），"
            "x₁ 只连到前两个输出，用彩色标出。中：循环，每个输入连到正上方的隐状态，隐状态从左到右依次传递，"
            "x₁ 的信息要沿着彩色的链走过所有时间步才能到达最后一个位置。右：自注意力，每个输出都连到全部 5 个输入，"
            "x₁ 一步直达每个输出，用彩色标出。",
        caption="三种序列层里位置之间怎样相连（彩色是从 x₁ 出发的连接）：单层卷积只连相邻的 k 个位置，"
                "循环要沿时间一步步传，自注意力一步连通所有位置；最大路径长度分别是 O(n/k)、O(n) 和 O(1)。")
def cnn_rnn_self_attention(c):
    n, gap, r = 5, 40, 11
    hl = ACCENT["blue"]
    panels = [(20, "卷积（k = 3）", "最大路径长度 O(n/k)"), (250, "循环", "最大路径长度 O(n)"),
              (480, "自注意力", "最大路径长度 O(1)")]
    bottom, top = 190, 76
    for px, title, note in panels:
        c.text(px + 95, 22, title, weight="bold")
        c.text(px + 95, 232, note, size=SMALL, color=MUTED)
        xs = [px + 15 + i * gap for i in range(n)]
        if title == "循环":
            edges = [(i, i) for i in range(n)]
            lit = {(0, 0)}
        elif title == "自注意力":
            edges = [(i, j) for i in range(n) for j in range(n)]
            lit = {(0, j) for j in range(n)}
        else:
            edges = [(i, j) for j in range(n) for i in range(n) if abs(i - j) <= 1]
            lit = {(0, 0), (0, 1)}
        for i, j in sorted(edges, key=lambda e: e in lit):
            x1, x2 = xs[i], xs[j]
            dist = ((x2 - x1) ** 2 + (top - bottom) ** 2) ** 0.5
            ux, uy = (x2 - x1) / dist, (top - bottom) / dist
            on = (i, j) in lit
            c.arrow(x1 + ux * r, bottom + uy * r, x2 - ux * r, top - uy * r, color=hl if on else "#9ca3af",
                    lw=1.6 if on else 0.9)
        for i, x in enumerate(xs):
            c.circle(x, bottom, r, kind="input", edge=hl if i == 0 else LINE)
            c.text(x, bottom + 21, f"x{'₁₂₃₄₅'[i]}", size=SMALL)
            c.circle(x, top, r, kind="state" if title == "循环" else "output")
        if title == "循环":
            for i in range(n - 1):
                c.arrow(xs[i] + r, top, xs[i + 1] - r, top, color=hl, lw=1.6)
            for i, x in enumerate(xs):
                c.text(x, top - 22, f"h{'₁₂₃₄₅'[i]}", size=SMALL)
