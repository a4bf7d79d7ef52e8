"""Figures of 现代循环神经网络."""
from figures import figure
from figures.recurrent_neural_networks import _dot, _gap, _poly, _sym
from figures.style import ACCENT, LINE, MUTED, SMALL

_NEW = ACCENT["blue"]   # lines that a stage of a gated cell adds


def _legend(c, x, y, items):
    """One line of `symbol  meaning` pairs, right-aligned at x."""
    text = "　".join(f"{sym} {meaning}" for sym, meaning in items)
    c.text(x, y, text, size=SMALL, color=MUTED, ha="right")


def _box2(c, x, y, w, h, text, kind, size=SMALL + 1):
    """A box with two centred lines of text. Each line is its own text element: matplotlib places the
    lines of a multi-line text by DejaVu widths, which Chinese glyphs do not have, so they drift left."""
    first, second = text.split("\n")
    c.box(x, y, w, h, None, kind=kind)
    c.text(x + w / 2, y + h / 2 - 8, first, size=size)
    c.text(x + w / 2, y + h / 2 + 8, second, size=size)


# 门控循环单元 ------------------------------------------------------------------------------------------------
def _gru(c, stage):
    """The GRU cell in one layout; stage 1 draws the gates, 2 adds the candidate, 3 the new hidden state."""
    top, bus, xline = 60, 268, 292          # y of the state line, of the [Hₜ₋₁, Xₜ] bus, of the Xₜ line
    hx, rx, zx, cx = 100, 180, 280, 420     # x of the Hₜ₋₁ drop, the reset gate, the update gate, the candidate
    by, bw, bh = 215, 72, 40
    col = {s: (_NEW if s == stage and stage > 1 else None) for s in (1, 2, 3)}

    def line(points, s, head=True, dashed=False):
        _poly(c, points, color=col[s] or LINE, head=head, dashed=dashed)

    # 输入：Hₜ₋₁ 从左上进入，Xₜ 从下方进入，两者一起送进两个门
    c.text(36, top, "Hₜ₋₁")
    c.text(hx, 326, "Xₜ")
    line([(60, top), (hx, top), (hx, bus), (zx, bus)], 1, head=False)
    line([(hx, 312), (hx, bus)], 1, head=False)
    _dot(c, hx, bus)
    for x in (rx, zx):
        line([(x, bus), (x, by + bh / 2)], 1)
    _box2(c, rx - bw / 2, by - bh / 2, bw, bh, "重置门\nσ", kind="gate")
    _box2(c, zx - bw / 2, by - bh / 2, bw, bh, "更新门\nσ", kind="gate")
    z_top = 100                             # where Zₜ turns towards the state line in stage 3
    if stage >= 3:                          # Zₜ 先画：⊙ 的输出线要从它上面跨过去
        line([(zx, by - bh / 2), (zx, 150)], 1, head=False)
        line([(zx, 150), (zx, z_top), (480, z_top), (480, top + 11)], 3)
        _dot(c, 480, z_top)
    else:
        line([(zx, by - bh / 2), (zx, 150)], 1)
    c.text(zx + 6, 172, "Zₜ", ha="left")
    if stage < 2:
        line([(rx, by - bh / 2), (rx, 150)], 1)
        c.text(rx + 6, 172, "Rₜ", ha="left")
        _legend(c, 690, 326, [("σ", "全连接层 + sigmoid")])
        return

    # 候选隐状态：H̃ₜ = tanh(XₜWₓₕ + (Rₜ ⊙ Hₜ₋₁)Wₕₕ + bₕ)
    line([(rx, by - bh / 2), (rx, 141)], 1)
    c.text(rx + 6, 172, "Rₜ", ha="left")
    _dot(c, hx, 130)
    line([(hx, 130), (rx - 11, 130)], 2)
    c.circle(rx, 130, 11, "⊙")
    if stage >= 3:
        _gap(c, zx, 122, zx, 138)
    line([(rx + 11, 130), (350, 130), (350, by), (cx - bw / 2, by)], 2)
    _dot(c, hx, xline)
    line([(hx, xline), (cx, xline), (cx, by + bh / 2)], 2)
    _box2(c, cx - bw / 2, by - bh / 2, bw, bh, "候选\ntanh", kind="dense")
    if stage < 3:
        line([(cx, by - bh / 2), (cx, 150)], 2)
        c.text(cx + 6, 172, "H̃ₜ", ha="left")
        _legend(c, 690, 326, [("σ / tanh", "全连接层 + 激活函数"), ("⊙", "按元素乘")])
        return

    # 隐状态：Hₜ = Zₜ ⊙ Hₜ₋₁ + (1 − Zₜ) ⊙ H̃ₜ
    line([(cx, by - bh / 2), (cx, 150)], 2, head=False)
    line([(cx, 150), (cx, 140), (579, 140)], 3)
    c.text(cx + 6, 172, "H̃ₜ", ha="left")
    _dot(c, hx, top)
    line([(hx, top), (469, top)], 3)
    c.circle(480, top, 11, "⊙")
    line([(491, top), (579, top)], 3)
    c.circle(590, top, 11, "+")
    line([(601, top), (645, top)], 3)
    c.text(668, top, "Hₜ")
    line([(480, z_top), (518, z_top)], 3)
    c.circle(530, z_top, 12, "1−", size=SMALL)
    line([(539, z_top + 8), (582, 132)], 3)
    c.circle(590, 140, 11, "⊙")
    line([(590, 129), (590, top + 11)], 3)
    _legend(c, 690, 326, [("σ / tanh", "全连接层 + 激活函数"), ("⊙", "按元素乘"), ("+", "按元素加"),
                          ("1−", "用 1 减")])


_GRU_ALT = ("GRU 单元：上一步的隐状态 Hₜ₋₁ 从左上方进入，这一步的输入 Xₜ 从下方进入。两者一起送进两个全连接层，"
            "激活函数都是 sigmoid（σ），分别给出重置门 Rₜ 和更新门 Zₜ。")


@figure("recurrent-modern/gru", "gru-1", covers=("gru-1",), size=(700, 340),
        alt=_GRU_ALT,
        caption="重置门 Rₜ 和更新门 Zₜ 都由当前输入 Xₜ 和上一步的隐状态 Hₜ₋₁ 经全连接层和 sigmoid 算出，"
                "每个分量都在 (0, 1) 之间。")
def gru_1(c):
    _gru(c, 1)


@figure("recurrent-modern/gru", "gru-2", covers=("gru-2",), size=(700, 340),
        alt=_GRU_ALT + "在此之上（蓝色的线）：Rₜ 与 Hₜ₋₁ 按元素相乘（⊙），结果和 Xₜ 一起送进激活函数为 tanh 的全连接层，"
                       "得到候选隐状态 H̃ₜ。",
        caption="候选隐状态：重置门先与旧状态按元素相乘，Rₜ 接近 0 的分量就把过去挡在外面，H̃ₜ 只看当前输入。")
def gru_2(c):
    _gru(c, 2)


@figure("recurrent-modern/gru", "gru-3", covers=("gru-3",), size=(700, 340),
        alt=_GRU_ALT + "Rₜ 与 Hₜ₋₁ 按元素相乘后和 Xₜ 一起经 tanh 全连接层得到候选隐状态 H̃ₜ。"
                       "在此之上（蓝色的线）：更新门 Zₜ 与 Hₜ₋₁ 按元素相乘；Zₜ 还经过“1−”得到 1 − Zₜ，"
                       "再与 H̃ₜ 按元素相乘；两个乘积相加，得到新的隐状态 Hₜ，从右上方输出。",
        caption="新的隐状态是旧状态与候选的逐元素凸组合：Zₜ 接近 1 时保留 Hₜ₋₁，接近 0 时换成 H̃ₜ。")
def gru_3(c):
    _gru(c, 3)


# 长短期记忆网络 ----------------------------------------------------------------------------------------------
def _lstm(c, stage):
    """The LSTM cell in one layout; stage 0 draws the three gates, 1 adds the candidate memory,
    2 the memory cell, 3 the hidden state."""
    top, bus = 55, 270
    fx, ix, cx, ox = 170, 260, 350, 460
    by, bw, bh = 215, 72, 40
    mx, tx = 305, 560                        # x of the ⊙ of the input gate, of the tanh on the way out

    def line(points, s, head=True):
        _poly(c, points, color=_NEW if s == stage and stage > 0 else LINE, head=head)

    c.text(36, bus, "Hₜ₋₁")
    c.text(100, 332, "Xₜ")
    line([(62, bus), (ox, bus)], 0, head=False)
    line([(100, 314), (100, bus)], 0, head=False)
    _dot(c, 100, bus)
    boxes = [(fx, "遗忘门\nσ", "gate"), (ix, "输入门\nσ", "gate"), (ox, "输出门\nσ", "gate")]
    if stage >= 1:
        boxes.append((cx, "候选\ntanh", "dense"))
    for x, text, kind in boxes:
        line([(x, bus), (x, by + bh / 2)], 0 if kind == "gate" else 1)
        _box2(c, x - bw / 2, by - bh / 2, bw, bh, text, kind=kind)
    labels = {fx: "Fₜ", ix: "Iₜ", ox: "Oₜ", cx: "C̃ₜ"}
    for x, _, kind in boxes:
        c.text(x + 6, 172, labels[x], ha="left")

    if stage < 2:
        for x, _, kind in boxes:
            line([(x, by - bh / 2), (x, 150)], 0 if kind == "gate" else 1)
        legend = [("σ", "全连接层 + sigmoid")] if stage == 0 else [("σ / tanh", "全连接层 + 激活函数")]
        _legend(c, 690, 332, legend)
        return

    # 记忆元：Cₜ = Fₜ ⊙ Cₜ₋₁ + Iₜ ⊙ C̃ₜ
    c.text(36, top, "Cₜ₋₁")
    line([(62, top), (fx - 11, top)], 2)
    c.circle(fx, top, 11, "⊙")
    for x in (fx, ix, cx):                   # what stages 0 and 1 drew, led on from here
        line([(x, by - bh / 2), (x, 150)], 0, head=False)
    line([(ox, by - bh / 2), (ox, 150)], 0, head=stage < 3)
    line([(fx, 150), (fx, top + 11)], 2)
    line([(fx + 11, top), (mx - 11, top)], 2)
    c.circle(mx, top, 11, "+")
    line([(ix, 150), (ix, 130), (mx - 11, 130)], 2)
    line([(cx, 150), (cx, 130), (mx + 11, 130)], 2)
    c.circle(mx, 130, 11, "⊙")
    line([(mx, 119), (mx, top + 11)], 2)
    line([(mx + 11, top), (645, top)], 2)
    c.text(668, top, "Cₜ")
    if stage < 3:
        _legend(c, 690, 332, [("σ / tanh", "全连接层 + 激活函数"), ("⊙", "按元素乘"), ("+", "按元素加")])
        return

    # 隐状态：Hₜ = Oₜ ⊙ tanh(Cₜ)
    _dot(c, tx, top)
    line([(tx, top), (tx, 83)], 3)
    c.circle(tx, 100, 17, "tanh", size=SMALL)
    line([(tx, 117), (tx, 139)], 3)
    line([(ox, 150), (tx - 11, 150)], 3)
    c.circle(tx, 150, 11, "⊙")
    line([(tx + 11, 150), (645, 150)], 3)
    c.text(668, 150, "Hₜ")
    _legend(c, 690, 332, [("σ / tanh", "全连接层 + 激活函数"), ("⊙", "按元素乘"), ("+", "按元素加")])


_LSTM_ALT = ("LSTM 单元：上一步的隐状态 Hₜ₋₁ 从左下方进入，这一步的输入 Xₜ 从下方进入，两者一起送进激活函数为 "
             "sigmoid（σ）的全连接层，给出遗忘门 Fₜ、输入门 Iₜ 和输出门 Oₜ。")


@figure("recurrent-modern/lstm", "lstm-0", covers=("lstm-0",), size=(700, 350),
        alt=_LSTM_ALT,
        caption="LSTM 的三个门都由 Xₜ 和 Hₜ₋₁ 经全连接层和 sigmoid 算出，每个分量都在 (0, 1) 之间。")
def lstm_0(c):
    _lstm(c, 0)


@figure("recurrent-modern/lstm", "lstm-1", covers=("lstm-1",), size=(700, 350),
        alt=_LSTM_ALT + "在此之上（蓝色的线）：同样的输入再送进一个激活函数为 tanh 的全连接层，得到候选记忆元 C̃ₜ。",
        caption="候选记忆元 C̃ₜ 的算法和门一样，只是激活函数换成 tanh，取值可正可负。")
def lstm_1(c):
    _lstm(c, 1)


@figure("recurrent-modern/lstm", "lstm-2", covers=("lstm-2",), size=(700, 350),
        alt=_LSTM_ALT + "同样的输入经 tanh 全连接层得到候选记忆元 C̃ₜ。在此之上（蓝色的线）：上一步的记忆元 Cₜ₋₁ "
                        "从左上方进入，与遗忘门 Fₜ 按元素相乘；输入门 Iₜ 与 C̃ₜ 按元素相乘；两个乘积相加，"
                        "得到新的记忆元 Cₜ，从右上方输出。",
        caption="记忆元沿最上面一条线传递，每步只做按元素的“留下一部分旧的（Fₜ）、写进一部分新的（Iₜ）”，"
                "不经过矩阵乘法。")
def lstm_2(c):
    _lstm(c, 2)


@figure("recurrent-modern/lstm", "lstm-3", covers=("lstm-3",), size=(700, 350),
        alt=_LSTM_ALT + "同样的输入经 tanh 全连接层得到候选记忆元 C̃ₜ。上一步的记忆元 Cₜ₋₁ 与 Fₜ 按元素相乘，"
                        "Iₜ 与 C̃ₜ 按元素相乘，两者相加得到新的记忆元 Cₜ。在此之上（蓝色的线）：Cₜ 分出一支经过 tanh，"
                        "与输出门 Oₜ 按元素相乘，得到新的隐状态 Hₜ，从右侧输出。",
        caption="隐状态 Hₜ 是用 tanh 压回 (−1, 1) 的记忆元再乘上输出门：输出门决定记忆读出多少。")
def lstm_3(c):
    _lstm(c, 3)


# 深层循环神经网络 --------------------------------------------------------------------------------------------
@figure("recurrent-modern/deep-rnn", "deep-rnn", covers=("deep-rnn",), size=(620, 350),
        alt="深层循环神经网络沿时间展开三个时间步 t−1、t、t+1。每一列自下而上是：输入 Xₜ，第 1 层的隐状态 Hₜ⁽¹⁾，"
            "中间若干层（省略号），第 L 层的隐状态 Hₜ⁽ᴸ⁾，最上面是输出 Oₜ。每个隐状态接收两个箭头："
            "一个来自下面一层同一时间步（第 1 层来自输入），一个来自同一层上一时间步；输出只由第 L 层算出。",
        caption="L 层的循环网络：第 l 层在时间步 t 的输入是下面一层同一时间步的隐状态 Hₜ⁽ˡ⁻¹⁾，"
                "它还沿时间接收本层上一步的 Hₜ₋₁⁽ˡ⁾；每层有自己的一套权重。")
def deep_rnn(c):
    cols = (200, 345, 490)
    subs = ("ₜ₋₁", "ₜ", "ₜ₊₁")
    y_o, y_L, y_dots, y_1, y_x = 40, 115, 180, 245, 315
    bw, bh = 72, 32
    for label, y in (("输出", y_o), ("第 L 层", y_L), ("第 1 层", y_1), ("输入", y_x)):
        c.text(20, y, label, ha="left", size=SMALL, color=MUTED)
    for x, s in zip(cols, subs):
        c.box(x - bw / 2, y_o - bh / 2, bw, bh, "O" + s, kind="output")
        c.box(x - bw / 2, y_L - bh / 2, bw, bh, "H" + s + "⁽ᴸ⁾", kind="state")
        c.box(x - bw / 2, y_1 - bh / 2, bw, bh, "H" + s + "⁽¹⁾", kind="state")
        c.box(x - bw / 2, y_x - bh / 2, bw, bh, "X" + s, kind="input")
        c.arrow(x, y_x - bh / 2, x, y_1 + bh / 2)
        c.arrow(x, y_1 - bh / 2, x, y_dots + 12)
        c.text(x, y_dots, "⋮", color=MUTED)
        c.arrow(x, y_dots - 12, x, y_L + bh / 2)
        c.arrow(x, y_L - bh / 2, x, y_o + bh / 2)
    for y in (y_L, y_1):
        for xa, xb in zip(cols[:-1], cols[1:]):
            c.arrow(xa + bw / 2, y, xb - bw / 2, y)
        c.text(cols[0] - 90, y, "…", color=MUTED)
        c.arrow(cols[0] - 76, y, cols[0] - bw / 2, y, color=MUTED)
        c.text(cols[-1] + 90, y, "…", color=MUTED)
        c.arrow(cols[-1] + bw / 2, y, cols[-1] + 76, y, color=MUTED)


# 双向循环神经网络 --------------------------------------------------------------------------------------------
@figure("recurrent-modern/bi-rnn", "hmm", covers=("hmm",), size=(600, 250),
        alt="隐马尔可夫模型，时间步 t−1、t、t+1 从左到右排开。上面一行是隐变量 hₜ₋₁、hₜ、hₜ₊₁，"
            "相邻的隐变量之间有向右的箭头，标着转移概率 P(hₜ₊₁ | hₜ)；每个隐变量向下指向同一列的观测 xₜ，标着 P(xₜ | hₜ)，"
            "观测画成浅蓝色的圆。两端的省略号表示序列继续。最上方一支蓝色长箭头从左指向右，表示 αₜ 从 t = 1 开始向右递推；"
            "最下方一支橙色长箭头从右指向左，表示 βₜ 从 t = T 开始向左递推。",
        caption="隐马尔可夫模型：隐变量 hₜ 只依赖上一个隐变量，观测 xₜ 只依赖同一时刻的隐变量；"
                "前向–后向算法沿这条链各扫一遍，得到 αₜ 和 βₜ。")
def hmm(c):
    cols = (190, 320, 450)
    subs = ("ₜ₋₁", "ₜ", "ₜ₊₁")
    y_h, y_x, r = 95, 175, 22
    c.text(20, y_h, "隐变量", ha="left", size=SMALL, color=MUTED)
    c.text(20, y_x, "观测", ha="left", size=SMALL, color=MUTED)
    for x, s in zip(cols, subs):
        c.circle(x, y_h, r, "h" + s, kind="state")
        c.circle(x, y_x, r, "x" + s, kind="input")
        c.arrow(x, y_h + r, x, y_x - r)
    c.text(cols[1] + 6, (y_h + y_x) / 2, "P(xₜ | hₜ)", size=SMALL, ha="left", color=MUTED)
    for xa, xb in zip(cols[:-1], cols[1:]):
        c.arrow(xa + r, y_h, xb - r, y_h)
    c.text((cols[1] + cols[2]) / 2, y_h - 10, "P(hₜ₊₁ | hₜ)", size=SMALL, color=MUTED, va="bottom")
    c.text(cols[0] - 95, y_h, "…", color=MUTED)
    c.arrow(cols[0] - 82, y_h, cols[0] - r, y_h, color=MUTED)
    c.text(cols[-1] + 95, y_h, "…", color=MUTED)
    c.arrow(cols[-1] + r, y_h, cols[-1] + 82, y_h, color=MUTED)
    x_a, x_b = cols[0] - 70, cols[-1] + 70
    c.arrow(x_a, 48, x_b, 48, color=ACCENT["blue"], lw=1.6)
    c.text(cols[1], 30, "αₜ：从 t = 1 开始向右递推", size=SMALL, color=ACCENT["blue"])
    c.arrow(x_b, 212, x_a, 212, color=ACCENT["orange"], lw=1.6)
    c.text(cols[1], 231, "βₜ：从 t = T 开始向左递推", size=SMALL, color=ACCENT["orange"])


@figure("recurrent-modern/bi-rnn", "birnn", covers=("birnn",), size=(640, 340),
        alt="双向循环层沿时间展开三个时间步 t−1、t、t+1。每一列最下面是输入 Xₜ，它同时送进前向隐状态 H⃗ₜ 和反向隐状态 H⃖ₜ。"
            "前向隐状态一行的箭头从左指向右（H⃗ₜ₋₁ → H⃗ₜ → H⃗ₜ₊₁），反向隐状态一行的箭头从右指向左（H⃖ₜ₊₁ → H⃖ₜ → H⃖ₜ₋₁），"
            "两行的参数互不共享。每一列的前向和反向隐状态一起指向最上面的输出 Oₜ：两者拼接成 Hₜ 后经输出层算出 Oₜ。",
        caption="双向循环层：前向一层从左往右读，反向一层从右往左读，每个位置把两者的隐状态拼接起来再送进输出层，"
                "所以 Oₜ 同时看过整条序列。")
def birnn(c):
    cols = (232, 372, 512)
    subs = ("ₜ₋₁", "ₜ", "ₜ₊₁")
    y_o, y_b, y_f, y_x = 42, 125, 205, 290
    bw, bh, off = 54, 32, 27
    for label, y in (("输出", y_o), ("反向隐状态", y_b), ("前向隐状态", y_f), ("输入", y_x)):
        c.text(20, y, label, ha="left", size=SMALL, color=MUTED)
    # 竖线先画：两行隐状态之间的横向箭头从它们上面跨过去
    for x in cols:
        c.arrow(x + off - 6, y_x - bh / 2, x + off - 6, y_b + bh / 2)           # Xₜ → 反向
        c.arrow(x - off + 6, y_f - bh / 2, x - off + 6, y_o + bh / 2)           # 前向 → Oₜ
        _gap(c, x + off - 6, y_f - 6, x + off - 6, y_f + 6)
        _gap(c, x - off + 6, y_b - 6, x - off + 6, y_b + 6)
    for x, s in zip(cols, subs):
        c.box(x - 36, y_o - bh / 2, 72, bh, "O" + s, kind="output")
        c.box(x + off - bw / 2, y_b - bh / 2, bw, bh, "H⃖" + s, kind="state")
        c.box(x - off - bw / 2, y_f - bh / 2, bw, bh, "H⃗" + s, kind="state")
        c.box(x - 36, y_x - bh / 2, 72, bh, "X" + s, kind="input")
        c.arrow(x - off + 6, y_x - bh / 2, x - off + 6, y_f + bh / 2)           # Xₜ → 前向
        c.arrow(x + off - 6, y_b - bh / 2, x + off - 6, y_o + bh / 2)           # 反向 → Oₜ
    for xa, xb in zip(cols[:-1], cols[1:]):
        c.arrow(xa - off + bw / 2, y_f, xb - off - bw / 2, y_f, color=ACCENT["blue"])
        c.arrow(xb + off - bw / 2, y_b, xa + off + bw / 2, y_b, color=ACCENT["orange"])
    left, right = cols[0] - off - bw / 2, cols[-1] + off + bw / 2
    c.text(left - 50, y_f, "…", color=MUTED)
    c.arrow(left - 38, y_f, left, y_f, color=ACCENT["blue"])
    c.text(left - 50, y_b, "…", color=MUTED)
    c.arrow(cols[0] + off - bw / 2, y_b, left - 38, y_b, color=ACCENT["orange"])
    c.text(right + 50, y_f, "…", color=MUTED)
    c.arrow(cols[-1] - off + bw / 2, y_f, right + 38, y_f, color=ACCENT["blue"])
    c.text(right + 50, y_b, "…", color=MUTED)
    c.arrow(right + 38, y_b, right, y_b, color=ACCENT["orange"])


# 编码器-解码器 -----------------------------------------------------------------------------------------------
@figure("recurrent-modern/encoder-decoder", "encoder-decoder", covers=("encoder-decoder",), size=(660, 200),
        alt="编码器-解码器架构，从左到右：变长的输入序列（例如 go .）送进编码器；编码器读完整个输入，交出一个定长的状态；"
            "状态送进解码器；解码器一个词元一个词元地生成变长的输出序列（例如 va !），直到生成结束符 eos。"
            "一支从输出绕回解码器的虚线箭头表示：已经生成的词元作为解码器下一步的输入。",
        caption="编码器把变长的输入压缩成定长的状态，解码器从这个状态出发逐个生成输出；两者只通过状态交接。")
def encoder_decoder(c):
    y, h = 80, 44
    parts = ((20, 90, "变长输入", "input", "go ."), (150, 110, "编码器", "layer", None),
             (300, 80, "定长状态", "state", None), (420, 110, "解码器", "layer", None),
             (570, 80, "变长输出", "output", "va !"))
    for x, w, name, kind, example in parts:
        c.box(x, y - h / 2, w, h, None, kind=kind)
        if example:
            c.text(x + w / 2, y - 9, name, size=SMALL, color=MUTED)
            c.text(x + w / 2, y + 9, example)
        else:
            c.text(x + w / 2, y, name, weight="bold" if kind == "layer" else "normal")
    for (xa, wa, *_), (xb, *_) in zip(parts[:-1], parts[1:]):
        c.arrow(xa + wa, y, xb, y)
    above = y - h / 2 - 16
    _sym(c, 65, above, "x₁, …, x", "T", size=SMALL + 1, color=MUTED)
    c.text(205, above, "读完整个输入", size=SMALL, color=MUTED)
    c.text(340, above, "c", color=MUTED, weight="bold")
    c.text(475, above, "逐个生成，直到 <eos>", size=SMALL, color=MUTED)
    _sym(c, 610, above, "y₁, …, y", "T′", size=SMALL + 1, color=MUTED)
    # 生成的词元送回解码器
    _poly(c, [(610, y + h / 2), (610, 160), (475, 160), (475, y + h / 2)], color=ACCENT["blue"], dashed=True)
    c.text(542, 172, "已生成的词元作为下一步的输入", size=SMALL, color=ACCENT["blue"], va="top")


# 序列到序列学习 ----------------------------------------------------------------------------------------------
_SRC = ("i", "lost", ".", "<eos>")
_TGT_IN = ("<bos>", "j'ai", "perdu", ".")
_TGT_OUT = ("j'ai", "perdu", ".", "<eos>")


@figure("recurrent-modern/seq2seq", "seq2seq", covers=("seq2seq",), size=(680, 280),
        alt="用循环神经网络做序列到序列学习，以训练句对 i lost . → j'ai perdu . 为例。左边是编码器：四个时间步依次读入"
            "i、lost、.和结束符 eos，隐状态从左向右传递。编码器最后一步的隐状态向右交给解码器，作为它的初始隐状态。"
            "右边是解码器：四个时间步的输入是开始符 bos、j'ai、perdu、.，即右移一位的目标序列；"
            "每一步输出下一个词元 j'ai、perdu、.和结束符 eos。",
        caption="编码器读完源句（末尾是 `<eos>`），把最终隐状态交给解码器；训练时解码器的输入是以 `<bos>` 开头、"
                "右移一位的目标句，每一步预测下一个词元，最后预测 `<eos>`。")
def seq2seq(c):
    enc = [55 + 72 * i for i in range(4)]
    dec = [395 + 78 * i for i in range(4)]
    y_out, y_cell, y_in = 45, 140, 235
    cw, ch, tw, th = 46, 30, 56, 28
    c.group(enc[0] - 36, y_cell - 30, enc[-1] - enc[0] + 72, 60, "编码器", label_at="bottom")
    c.group(dec[0] - 36, y_cell - 30, dec[-1] - dec[0] + 72, 60, "解码器", label_at="bottom")
    for x, tok in zip(enc, _SRC):
        c.box(x - tw / 2, y_in - th / 2, tw, th, tok, kind="input", size=SMALL + 1)
        c.box(x - cw / 2, y_cell - ch / 2, cw, ch, None, kind="state")
        c.arrow(x, y_in - th / 2, x, y_cell + ch / 2)
    for x, tin, tout in zip(dec, _TGT_IN, _TGT_OUT):
        c.box(x - tw / 2, y_in - th / 2, tw, th, tin, kind="input", size=SMALL + 1)
        c.box(x - cw / 2, y_cell - ch / 2, cw, ch, None, kind="state")
        c.box(x - tw / 2, y_out - th / 2, tw, th, tout, kind="output", size=SMALL + 1)
        c.arrow(x, y_in - th / 2, x, y_cell + ch / 2)
        c.arrow(x, y_cell - ch / 2, x, y_out + th / 2)
    for row in (enc, dec):
        for xa, xb in zip(row[:-1], row[1:]):
            c.arrow(xa + cw / 2, y_cell, xb - cw / 2, y_cell)
    c.arrow(enc[-1] + cw / 2, y_cell, dec[0] - cw / 2, y_cell, color=ACCENT["violet"], lw=1.8)
    c.text((enc[-1] + dec[0]) / 2, y_cell - 36, "最终隐状态", size=SMALL, color=ACCENT["violet"], va="bottom")
    c.text(enc[0] - 36, 268, "源句（英语）", size=SMALL, color=MUTED, ha="left")
    c.text(dec[0] - 36, 268, "目标句右移一位（强制教学）", size=SMALL, color=MUTED, ha="left")


@figure("recurrent-modern/seq2seq", "seq2seq-details", covers=("seq2seq-details",), size=(700, 380),
        alt="序列到序列模型的各层，左边是编码器的四个时间步（输入 i、lost、.和结束符 eos），右边是解码器的四个时间步"
            "（输入开始符 bos、j'ai、perdu、.，输出 j'ai、perdu、.和结束符 eos）。编码器每一步自下而上是嵌入层和两层 GRU；"
            "解码器每一步自下而上是嵌入层、两层 GRU 和全连接层。同一层的 GRU 沿时间从左向右传递隐状态；"
            "编码器最后一步两层 GRU 的隐状态分别交给解码器第一步的同一层，作为初始隐状态。"
            "编码器最后一步第 2 层的隐状态还作为上下文 c（紫色虚线）拼接到解码器每一步的嵌入上，一起送进第 1 层 GRU。",
        caption="编码器是嵌入层加两层 GRU，解码器在此之上多一个全连接层；编码器的最终隐状态既是解码器的初始隐状态，"
                "它的最顶层又作为上下文 c 拼接到解码器每一步的输入上。")
def seq2seq_details(c):
    enc = [50 + 68 * i for i in range(4)]
    dec = [410 + 78 * i for i in range(4)]
    y_out, y_fc, y_g2, y_g1, y_emb, y_in = 32, 88, 148, 210, 280, 338
    bw, bh, tw, th = 54, 26, 54, 26
    ctx_y = 245                                  # 上下文 c 沿这条线送到解码器的每一步
    c.group(enc[0] - 32, y_g2 - 24, enc[-1] - enc[0] + 64, y_emb - y_g2 + 48, None)
    c.text((enc[0] + enc[-1]) / 2, y_g2 - 30, "编码器", size=SMALL, color=MUTED, va="bottom")
    c.group(dec[0] - 34, y_fc - 22, dec[-1] - dec[0] + 68, y_emb - y_fc + 44, None)
    c.text(dec[0] - 42, y_fc, "解码器", size=SMALL, color=MUTED, ha="right")
    # 上下文 c：编码器最后一步第 2 层的隐状态
    x_turn = (enc[-1] + dec[0]) / 2
    _dot(c, x_turn, y_g2)
    _poly(c, [(x_turn, y_g2), (x_turn, ctx_y), (dec[-1], ctx_y)], color=ACCENT["violet"], dashed=True, head=False)
    _gap(c, x_turn, y_g1 - 6, x_turn, y_g1 + 6)
    c.text(x_turn + 6, ctx_y + 4, "c", color=ACCENT["violet"], weight="bold", ha="left", va="top")
    layers = ((y_emb, "嵌入", "layer"), (y_g1, "GRU", "state"), (y_g2, "GRU", "state"))
    for x, tok in zip(enc, _SRC):
        c.box(x - tw / 2, y_in - th / 2, tw, th, tok, kind="input", size=SMALL)
        c.arrow(x, y_in - th / 2, x, y_emb + bh / 2)
        for (ya, ta, ka), (yb, *_) in zip(layers, layers[1:] + ((None,),)):
            c.box(x - bw / 2, ya - bh / 2, bw, bh, ta, kind=ka, size=SMALL)
            if yb is not None:
                c.arrow(x, ya - bh / 2, x, yb + bh / 2)
    for x, tin, tout in zip(dec, _TGT_IN, _TGT_OUT):
        c.box(x - tw / 2, y_in - th / 2, tw, th, tin, kind="input", size=SMALL)
        c.arrow(x, y_in - th / 2, x, y_emb + bh / 2)
        c.arrow(x, y_emb - bh / 2, x, y_g1 + bh / 2)
        _dot(c, x, ctx_y, color=ACCENT["violet"])
        for ya, ta, ka in layers:
            c.box(x - bw / 2, ya - bh / 2, bw, bh, ta, kind=ka, size=SMALL)
        c.arrow(x, y_g1 - bh / 2, x, y_g2 + bh / 2)
        c.arrow(x, y_g2 - bh / 2, x, y_fc + bh / 2)
        c.box(x - bw / 2, y_fc - bh / 2, bw, bh, "全连接", kind="dense", size=SMALL)
        c.arrow(x, y_fc - bh / 2, x, y_out + th / 2)
        c.box(x - tw / 2, y_out - th / 2, tw, th, tout, kind="output", size=SMALL)
    for y in (y_g1, y_g2):
        for row in (enc, dec):
            for xa, xb in zip(row[:-1], row[1:]):
                c.arrow(xa + bw / 2, y, xb - bw / 2, y)
        c.arrow(enc[-1] + bw / 2, y, dec[0] - bw / 2, y, color=ACCENT["violet"], lw=1.6)
    c.text(x_turn, y_g2 - 14, "最终隐状态", size=SMALL, color=ACCENT["violet"], va="bottom")
    c.text(690, 368, "● 与上下文 c 拼接后送进第 1 层 GRU", size=SMALL, color=ACCENT["violet"], ha="right")


@figure("recurrent-modern/seq2seq", "seq2seq-predict", covers=("seq2seq-predict",), size=(680, 270),
        alt="用训练好的序列到序列模型逐词元预测。左边的编码器读入 i lost . 和结束符 eos，把最终隐状态交给解码器。"
            "解码器第一步的输入是开始符 bos，输出概率最大的词元 j'ai；j'ai 沿蓝色虚线送回，成为第二步的输入，"
            "第二步输出 perdu；perdu 再送回作为第三步的输入，输出 .；. 作为第四步的输入，输出结束符 eos，预测到此停止。",
        caption="预测时没有目标句可抄：解码器从 `<bos>` 出发，每一步取概率最大的词元，再把它当作下一步的输入，"
                "直到生成 `<eos>`。")
def seq2seq_predict(c):
    dec = [250 + 120 * i for i in range(4)]
    y_out, y_cell, y_in = 45, 140, 225
    cw, ch, tw, th = 48, 30, 56, 28
    c.box(20, y_cell - 22, 120, 44, "编码器", kind="layer", weight="bold")
    c.box(20, y_in - th / 2, 120, th, "i lost . <eos>", kind="input", size=SMALL + 1)
    c.arrow(80, y_in - th / 2, 80, y_cell + 22)
    c.arrow(140, y_cell, dec[0] - cw / 2, y_cell, color=ACCENT["violet"], lw=1.6)
    c.text((140 + dec[0] - cw / 2) / 2, y_cell + 8, "最终隐状态", size=SMALL, color=ACCENT["violet"], va="top")
    # 预测的词元送回下一步：先画，隐状态的箭头从它上面跨过去
    for xa, xb in zip(dec[:-1], dec[1:]):
        xm = xa + 60
        _poly(c, [(xa + tw / 2, y_out), (xm, y_out), (xm, y_in), (xb - tw / 2, y_in)],
              color=ACCENT["blue"], dashed=True)
        _gap(c, xm, y_cell - 6, xm, y_cell + 6)
    for i, (x, tout) in enumerate(zip(dec, _TGT_OUT)):
        c.box(x - cw / 2, y_cell - ch / 2, cw, ch, "解码器", kind="state", size=SMALL)
        c.box(x - tw / 2, y_out - th / 2, tw, th, tout, kind="output", size=SMALL + 1)
        c.arrow(x, y_cell - ch / 2, x, y_out + th / 2)
        if i == 0:
            c.box(x - tw / 2, y_in - th / 2, tw, th, "<bos>", kind="input", size=SMALL + 1)
        else:
            c.box(x - tw / 2, y_in - th / 2, tw, th, _TGT_OUT[i - 1], kind="output", size=SMALL + 1)
        c.arrow(x, y_in - th / 2, x, y_cell + ch / 2)
        if i:
            c.arrow(x - 120 + cw / 2, y_cell, x - cw / 2, y_cell)
    c.text(dec[0] - 6, (y_out + y_cell) / 2, "取概率最大的词元", size=SMALL, color=MUTED, ha="right")
    c.text(dec[-1], y_out - th / 2 - 6, "生成 <eos>，停止", size=SMALL, color=MUTED, va="bottom")
