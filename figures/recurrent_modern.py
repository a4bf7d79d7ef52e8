"""Figures of 现代循环神经网络."""
from figures import figure
from figures.recurrent_neural_networks import _dot, _gap, _poly
from figures.style import ACCENT, MUTED, SMALL

_NEW = ACCENT["blue"]   # lines that a stage of a gated cell adds


def _legend(c, x, y, items):
    """One line of `symbol  meaning` pairs, right-aligned at x."""
    text = "　".join(f"{sym} {meaning}" for sym, meaning in items)
    c.text(x, y, text, size=SMALL, color=MUTED, ha="right")


# 门控循环单元 ------------------------------------------------------------------------------------------------
def _gru(c, stage):
    """The GRU cell in one layout; stage 1 draws the gates, 2 adds the candidate, 3 the new hidden state."""
    top, bus, xline = 60, 268, 292          # y of the state line, of the [Hₜ₋₁, Xₜ] bus, of the Xₜ line
    hx, rx, zx, cx = 100, 180, 280, 420     # x of the Hₜ₋₁ drop, the reset gate, the update gate, the candidate
    by, bw, bh = 215, 72, 40
    col = {s: (_NEW if s == stage and stage > 1 else None) for s in (1, 2, 3)}

    def line(points, s, head=True, dashed=False):
        _poly(c, points, color=col[s] or "#374151", head=head, dashed=dashed)

    # 输入：Hₜ₋₁ 从左上进入，Xₜ 从下方进入，两者一起送进两个门
    c.text(36, top, "Hₜ₋₁")
    c.text(hx, 326, "Xₜ")
    line([(60, top), (hx, top), (hx, bus), (zx, bus)], 1, head=False)
    line([(hx, 312), (hx, bus)], 1, head=False)
    _dot(c, hx, bus)
    for x in (rx, zx):
        line([(x, bus), (x, by + bh / 2)], 1)
    c.box(rx - bw / 2, by - bh / 2, bw, bh, "重置门\nσ", kind="gate", size=SMALL + 1)
    c.box(zx - bw / 2, by - bh / 2, bw, bh, "更新门\nσ", kind="gate", size=SMALL + 1)
    z_top = 100 if stage >= 3 else 150
    if stage >= 3:                          # Zₜ 先画：⊙ 的输出线要从它上面跨过去
        line([(zx, by - bh / 2), (zx, z_top), (480, z_top), (480, top + 11)], 3)
        _dot(c, 480, z_top)
    else:
        line([(zx, by - bh / 2), (zx, z_top)], 1)
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
    c.box(cx - bw / 2, by - bh / 2, bw, bh, "候选\ntanh", kind="dense", size=SMALL + 1)
    if stage < 3:
        line([(cx, by - bh / 2), (cx, 150)], 2)
        c.text(cx + 6, 172, "H̃ₜ", ha="left")
        _legend(c, 690, 326, [("σ / tanh", "全连接层 + 激活函数"), ("⊙", "按元素乘")])
        return

    # 隐状态：Hₜ = Zₜ ⊙ Hₜ₋₁ + (1 − Zₜ) ⊙ H̃ₜ
    line([(cx, by - bh / 2), (cx, 140), (579, 140)], 3)
    c.text(cx + 6, 172, "H̃ₜ", ha="left")
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
        _poly(c, points, color=_NEW if s == stage and stage > 0 else "#374151", head=head)

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
        c.box(x - bw / 2, by - bh / 2, bw, bh, text, kind=kind, size=SMALL + 1)
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
    line([(fx, by - bh / 2), (fx, top + 11)], 2)
    line([(fx + 11, top), (mx - 11, top)], 2)
    c.circle(mx, top, 11, "+")
    line([(ix, by - bh / 2), (ix, 130), (mx - 11, 130)], 2)
    line([(cx, by - bh / 2), (cx, 130), (mx + 11, 130)], 2)
    c.circle(mx, 130, 11, "⊙")
    line([(mx, 119), (mx, top + 11)], 2)
    line([(mx + 11, top), (645, top)], 2)
    c.text(668, top, "Cₜ")
    if stage < 3:
        line([(ox, by - bh / 2), (ox, 150)], 0)
        _legend(c, 690, 332, [("σ / tanh", "全连接层 + 激活函数"), ("⊙", "按元素乘"), ("+", "按元素加")])
        return

    # 隐状态：Hₜ = Oₜ ⊙ tanh(Cₜ)
    _dot(c, tx, top)
    line([(tx, top), (tx, 93)], 3)
    c.circle(tx, 110, 17, "tanh", size=SMALL)
    line([(tx, 127), (tx, 159)], 3)
    line([(ox, by - bh / 2), (ox, 170), (tx - 11, 170)], 3)
    c.circle(tx, 170, 11, "⊙")
    line([(tx + 11, 170), (645, 170)], 3)
    c.text(668, 170, "Hₜ")
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
