"""循环神经网络：从零实现的 RNN、简洁实现的包装、梯度裁剪、训练与文本生成。

《循环神经网络的从零开始实现》讲 `RNNModelScratch`、`rnn_tanh`、`grad_clipping`、`predict_ch8`、
`train_ch8`；《循环神经网络的简洁实现》讲 `RNNModel`；《采样与温度》讲 `predict_ch8` 的温度与 top-k。
"""
from __future__ import annotations

import math
from typing import Callable, Iterable, Sequence

import torch
from torch import nn
from torch.nn import functional as F

from ._checks import check_batches, check_choice, check_int, check_number, check_sizes, check_text
from ._loop import check_updater, fit, set_mode, update
from ._report import result_line
from ._recurrent_grads import check_state, input_grads, summed_over_steps
from .linear import sgd
from .plot import epoch_curve
from .timing import Accumulator, Timer

__all__ = [
    "RNNModel", "RNNModelScratch", "evaluate_perplexity", "get_rnn_params", "grad_clipping", "init_rnn_state",
    "predict_ch8", "rnn_tanh", "train_ch8", "train_epoch_ch8",
]

State = tuple[torch.Tensor, ...]


def get_rnn_params(vocab_size: int, num_hiddens: int, device: torch.device | None = None) -> list[torch.Tensor]:
    """RNN 的参数 [W_xh, W_hh, b_h, W_hq, b_q]：权重 ~ N(0, 0.01²)，偏置为 0。见《循环神经网络的从零开始实现》。"""
    check_sizes(vocab_size=vocab_size, num_hiddens=num_hiddens)
    shapes = [(vocab_size, num_hiddens), (num_hiddens, num_hiddens), (num_hiddens,),
              (num_hiddens, vocab_size), (vocab_size,)]
    params = [torch.randn(shape, device=device) * 0.01 if len(shape) == 2 else torch.zeros(shape, device=device)
              for shape in shapes]
    return [p.requires_grad_() for p in params]


def init_rnn_state(batch_size: int, num_hiddens: int, device: torch.device | None = None) -> State:
    """RNN 的初始隐状态：一个全 0 的 (batch_size, num_hiddens) 张量，放在元组里（LSTM 有两个）。见《循环神经网络的从零开始实现》。"""
    check_sizes(batch_size=batch_size, num_hiddens=num_hiddens)
    return (torch.zeros((batch_size, num_hiddens), device=device),)


class _RNNTanh(torch.autograd.Function):
    """H_t = tanh(W_xh[x_t] + b_h + H_{t-1} W_hh) over all time steps, with a hand-written backward.

    Autograd would record every step and, going back, do two small matrix products per step (for H and for
    W_hh). Here the backward loop only carries the gradient to H_{t-1}; the gradients of W_hh, W_xh and b_h
    are summed over all steps afterwards in one large product (and one index_add), which runs near peak.
    """

    @staticmethod
    def forward(ctx, X, H0, W_xh, W_hh, b_h):
        # tanh(a) = 2·sigmoid(2a) - 1, and PyTorch's CPU sigmoid is about 5x faster than its tanh (measured),
        # so each step computes 2a directly (alpha=2 below) and then sigmoid, ×2, -1, all in place.
        Hs = torch.embedding(W_xh, X).add_(b_h).mul_(2)  # 2(X_t W_xh + b_h); row selection == one_hot @ W_xh
        H = H0
        for t in range(Hs.shape[0]):
            H = torch.addmm(Hs[t], H, W_hh, alpha=2, out=Hs[t]).sigmoid_().mul_(2).sub_(1)
        ctx.save_for_backward(X, H0, W_xh, W_hh, Hs)
        return Hs

    @staticmethod
    def backward(ctx, dHs):
        X, H0, W_xh, W_hh, Hs = ctx.saved_tensors
        dA = dHs.clone()  # becomes the gradient before tanh, step by step
        W_hh_T, dH = W_hh.t(), torch.empty_like(H0)
        for t in range(Hs.shape[0] - 1, -1, -1):
            if t < Hs.shape[0] - 1:
                dA[t].add_(dH)  # the gradient arriving from step t + 1
            torch.ops.aten.tanh_backward.grad_input(dA[t], Hs[t], grad_input=dA[t])  # × (1 - H_t²), fused
            torch.mm(dA[t], W_hh_T, out=dH)
        dW_xh, db_h = input_grads(X, W_xh, dA)
        return None, dH, dW_xh, summed_over_steps(H0, Hs, dA), db_h


def rnn_tanh(X: torch.Tensor, state: State, params: Sequence[torch.Tensor]) -> tuple[torch.Tensor, State]:
    """RNN 的前向计算：`X` 是 (时间步数, 批量大小) 的词元索引，返回 (时间步数×批量大小, 词表大小) 的输出和新状态。

    与书中 one-hot 写法的结果和梯度相同（《循环神经网络的从零开始实现》用断言验证），
    只是用"取 W_xh 的行"代替 one-hot 矩阵乘法，并手写了反向传播，训练更快（见 benchmarks/rnn.py）。
    """
    check_state(state, 1, "(H,)")
    W_xh, W_hh, b_h, W_hq, b_q = params
    Hs = _RNNTanh.apply(X, state[0], W_xh, W_hh, b_h)
    Y = torch.addmm(b_q, Hs.flatten(0, 1), W_hq)
    return Y, (Hs[-1],)


class RNNModelScratch:
    """从零实现的循环神经网络语言模型。见《循环神经网络的从零开始实现》。

    `get_params(vocab_size, num_hiddens, device)` 创建参数，`init_state(batch_size, num_hiddens, device)`
    创建初始状态，`forward_fn(X, state, params)` 做前向计算，其中 X 是 (时间步数, 批量大小) 的词元索引。
    调用 `net(X, state)` 时 X 是 (批量大小, 时间步数)，先转置成时间在前的布局。
    """

    def __init__(self, vocab_size: int, num_hiddens: int, device: torch.device | None = None,
                 get_params: Callable = get_rnn_params, init_state: Callable = init_rnn_state,
                 forward_fn: Callable = rnn_tanh) -> None:
        check_int("vocab_size", vocab_size, minimum=1)
        check_int("num_hiddens", num_hiddens, minimum=1)
        self.vocab_size, self.num_hiddens = vocab_size, num_hiddens
        self.params = get_params(vocab_size, num_hiddens, device)
        self.init_state, self.forward_fn = init_state, forward_fn

    def __call__(self, X: torch.Tensor, state: State) -> tuple[torch.Tensor, State]:
        _check_tokens(X, self.vocab_size)
        return self.forward_fn(X.T, state, self.params)

    def begin_state(self, batch_size: int, device: torch.device | None = None) -> State:
        return self.init_state(batch_size, self.num_hiddens, device)

    def parameters(self) -> list[torch.Tensor]:
        return list(self.params)


def _check_tokens(X: torch.Tensor, vocab_size: int) -> None:
    if not isinstance(X, torch.Tensor) or X.ndim != 2 or X.dtype not in (torch.int64, torch.int32):
        raise ValueError("X 必须是形状为 (批量大小, 时间步数) 的整数张量（词元索引），"
                         f"收到 {getattr(X, 'dtype', type(X).__name__)} {tuple(getattr(X, 'shape', ()))}")


class RNNModel(nn.Module):
    """用 `nn.RNN`/`nn.GRU`/`nn.LSTM` 搭的语言模型：one-hot 输入 → 循环层 → 全连接输出。见《循环神经网络的简洁实现》。"""

    def __init__(self, rnn_layer: nn.RNNBase, vocab_size: int) -> None:
        super().__init__()
        if not isinstance(rnn_layer, nn.RNNBase):
            raise TypeError(f"rnn_layer 必须是 nn.RNN、nn.GRU 或 nn.LSTM，收到 {type(rnn_layer).__name__}")
        if rnn_layer.batch_first:
            raise ValueError("rnn_layer 必须是 batch_first=False 的循环层（输入形状为 (时间步数, 批量大小, 特征数)）")
        check_int("vocab_size", vocab_size, minimum=1)
        if rnn_layer.input_size != vocab_size:
            raise ValueError(f"rnn_layer 的 input_size 必须等于 vocab_size={vocab_size}，收到 {rnn_layer.input_size}")
        self.rnn, self.vocab_size = rnn_layer, vocab_size
        self.num_directions = 2 if rnn_layer.bidirectional else 1
        self.linear = nn.Linear(rnn_layer.hidden_size * self.num_directions, vocab_size)

    def forward(self, X: torch.Tensor, state):
        _check_tokens(X, self.vocab_size)
        inputs = F.one_hot(X.T.long(), self.vocab_size).float()
        Y, state = self.rnn(inputs, state)
        return self.linear(Y.reshape(-1, Y.shape[-1])), state

    def begin_state(self, batch_size: int, device: torch.device | None = None):
        shape = (self.num_directions * self.rnn.num_layers, batch_size, self.rnn.hidden_size)
        zeros = torch.zeros(shape, device=device)
        return (zeros, zeros.clone()) if isinstance(self.rnn, nn.LSTM) else zeros


def _parameters(net) -> list[torch.Tensor]:
    return [p for p in net.parameters() if p.requires_grad]


def grad_clipping(net, theta: float) -> float:
    """把所有参数的梯度拼成一个向量，范数超过 `theta` 时按比例缩小到 `theta`；返回裁剪前的范数。

    见《循环神经网络的从零开始实现》。`net` 可以是 nn.Module，也可以是有 `parameters()` 的从零实现模型。
    """
    check_number("theta", theta, positive=True)
    grads = [p.grad for p in _parameters(net) if p.grad is not None]
    norm = float(torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(g) for g in grads])))
    if norm > theta:
        for g in grads:
            g.mul_(theta / norm)
    return norm


def _detached(state):
    """Cut the graph at the start of this minibatch: the values stay, the history is dropped."""
    if isinstance(state, tuple):
        return tuple(s.detach() for s in state)
    return state.detach()


def train_epoch_ch8(net, train_iter: Iterable, loss: Callable, updater, device: torch.device | None = None,
                    use_random_iter: bool = False, theta: float = 1.0) -> tuple[float, float]:
    """训练一轮，返回 (困惑度, 每秒词元数)。见《循环神经网络的从零开始实现》。

    随机采样时每个小批量都从全 0 状态开始；顺序分区时沿用上一个小批量的最终状态，但先 detach，
    让反向传播只走到本小批量的开头（截断的 BPTT，见《通过时间反向传播》）。
    `updater` 可以是 torch.optim.Optimizer，也可以是 `updater(batch_size)` 形式的函数；损失取平均。
    """
    timer = Timer()
    loss_sum, tokens = _epoch_ch8(net, train_iter, loss, updater, device, use_random_iter, theta)
    return math.exp(loss_sum / tokens), tokens / timer.stop()


def _epoch_ch8(net, train_iter: Iterable, loss: Callable, updater, device: torch.device | None,
               use_random_iter: bool, theta: float) -> tuple[float, float]:
    """One epoch: (sum of the per-token losses, tokens). The loss is a mean, so a function updater gets 1."""
    check_updater(updater)
    set_mode(net, training=True)
    state = None
    metric = Accumulator(2)  # sum of losses, tokens
    for X, Y in train_iter:
        if device is not None:
            X, Y = X.to(device), Y.to(device)
        if state is None or use_random_iter:
            state = net.begin_state(X.shape[0], device)
        else:
            state = _detached(state)
        y = Y.T.reshape(-1)
        y_hat, state = net(X, state)
        l = loss(y_hat, y).mean()
        update(updater, l, 1, clip=lambda: grad_clipping(net, theta))
        metric.add(float(l.detach()) * y.numel(), y.numel())
    check_batches(metric[1], "train_iter")
    return metric[0], metric[1]


def evaluate_perplexity(net, data_iter: Iterable, device: torch.device | None = None) -> float:
    """模型在一个数据集上的困惑度 exp(平均交叉熵)，不更新参数。见《采样与温度》。

    与顺序分区训练时一样，隐状态从一个小批量传到下一个（所以请用 use_random_iter=False 的数据）。
    """
    set_mode(net, training=False)
    state, metric = None, Accumulator(2)  # sum of losses, tokens
    with torch.no_grad():
        for X, Y in data_iter:
            if device is not None:
                X, Y = X.to(device), Y.to(device)
            if state is None:
                state = net.begin_state(X.shape[0], device)
            y_hat, state = net(X, state)
            metric.add(float(F.cross_entropy(y_hat, Y.T.reshape(-1), reduction="sum")), Y.numel())
    check_batches(metric[1], "data_iter")
    return math.exp(metric[0] / metric[1])


def predict_ch8(prefix: str, num_preds: int, net, vocab, device: torch.device | None = None, *,
                temperature: float | None = None, top_k: int | None = None,
                generator: torch.Generator | None = None) -> str:
    """在 `prefix` 之后续写 `num_preds` 个字符。见《循环神经网络的从零开始实现》《采样与温度》。

    先把前缀逐个喂进网络预热隐状态（不做预测），再每步把上一步的输出当作下一步的输入。
    `temperature=None` 时每步取概率最大的字符（贪心）；给出温度时按 softmax(logits / 温度) 随机采样，
    `top_k` 只在概率最大的 k 个字符里采样，`generator` 控制随机性。
    """
    check_text("prefix", prefix)
    check_int("num_preds", num_preds, minimum=0)
    if temperature is not None:
        check_number("temperature", temperature, positive=True)
    if top_k is not None:
        check_int("top_k", top_k, minimum=1, maximum=len(vocab))
    set_mode(net, training=False)
    state = net.begin_state(1, device)
    outputs = [vocab[prefix[0]]]
    with torch.no_grad():
        for ch in prefix[1:]:  # warm-up: only the state matters here
            _, state = net(torch.tensor([[outputs[-1]]], device=device), state)
            outputs.append(vocab[ch])
        for _ in range(num_preds):
            y, state = net(torch.tensor([[outputs[-1]]], device=device), state)
            outputs.append(_choose(y[0], temperature, top_k, generator))
    return "".join(vocab.to_tokens(outputs))


def _choose(logits: torch.Tensor, temperature: float | None, top_k: int | None,
            generator: torch.Generator | None) -> int:
    if temperature is None:
        return int(logits.argmax())
    logits = logits.float().cpu() / temperature
    if top_k is not None:
        kth = torch.topk(logits, top_k).values[-1]
        logits = logits.masked_fill(logits < kth, float("-inf"))
    return int(torch.multinomial(torch.softmax(logits, 0), 1, generator=generator))


def train_ch8(net, train_iter: Iterable, vocab, lr: float, num_epochs: int, device: torch.device | None = None,
              use_random_iter: bool = False, *, theta: float = 1.0,
              prefixes: Sequence[str] = ("time traveller", "traveller"), valid_iter: Iterable | None = None,
              optimizer: str = "sgd", schedule: str = "constant") -> dict[str, float]:
    """训练字符级语言模型：画出困惑度曲线，结束时续写 `prefixes` 并打印
    `perplexity X, N tokens/sec on 设备`。见《循环神经网络的从零开始实现》。

    从零实现的模型用 `d2l.sgd`，nn.Module 用 torch.optim.SGD（`optimizer="adam"` 时用 Adam），学习率都是
    `lr`；每个小批量都裁剪梯度。`schedule="cosine"` 让第 e 轮（从 0 数）的学习率为
    lr·(1 + cos(πe/num_epochs))/2，从 `lr` 沿余弦降到接近 0（见《门控循环单元（GRU）》）；默认 "constant" 全程不变。
    给出 `valid_iter` 时同时画验证集困惑度，并打印 `valid perplexity X`。
    返回 {"perplexity", "tokens_per_sec"}，有验证集时再加 "valid_perplexity"。
    """
    check_number("lr", lr, positive=True)
    check_int("num_epochs", num_epochs, minimum=1)
    check_choice("optimizer", optimizer, ("sgd", "adam"))
    check_choice("schedule", schedule, ("constant", "cosine"))
    current_lr = lr
    if isinstance(net, nn.Module):
        make = torch.optim.SGD if optimizer == "sgd" else torch.optim.Adam
        updater = make(net.parameters(), lr)
    elif optimizer != "sgd":
        raise ValueError("从零实现的模型只支持 optimizer=\"sgd\"")
    else:
        def updater(batch_size: int) -> None:
            sgd(net.parameters(), current_lr, batch_size)
    loss = nn.CrossEntropyLoss()
    animator, every = epoch_curve(num_epochs, "perplexity", ["train"] if valid_iter is None else ["train", "valid"])
    result: dict[str, float] = {}

    def before_epoch(epoch):
        nonlocal current_lr
        if schedule == "cosine":
            current_lr = lr * (1 + math.cos(math.pi * epoch / num_epochs)) / 2
            if isinstance(updater, torch.optim.Optimizer):
                for group in updater.param_groups:
                    group["lr"] = current_lr

    def run_epoch():
        loss_sum, tokens = _epoch_ch8(net, train_iter, loss, updater, device, use_random_iter, theta)
        return (math.exp(loss_sum / tokens),), tokens

    def on_point(epoch, values):
        if valid_iter is not None:
            result["valid_perplexity"] = evaluate_perplexity(net, valid_iter, device)
        animator.add(epoch, [*values] + ([result["valid_perplexity"]] if valid_iter is not None else []))

    (ppl,), tokens, seconds = fit(num_epochs, run_epoch, on_point, every=every, before_epoch=before_epoch)
    for prefix in prefixes:
        print(predict_ch8(prefix, 50, net, vocab, device))
    speed = tokens / seconds
    print(result_line(("perplexity", ppl), throughput=(speed, "tokens", device or "cpu")))
    if valid_iter is not None:
        print(result_line(("valid perplexity", result["valid_perplexity"])))
    return {"perplexity": ppl, "tokens_per_sec": speed, **result}
