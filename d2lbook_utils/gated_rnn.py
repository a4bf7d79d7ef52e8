"""门控循环网络的从零实现：LSTM 与 GRU，门的权重按列拼在一起，反向传播手写。

《长短期记忆网络（LSTM）》《门控循环单元（GRU）》先用一门一矩阵的写法讲清公式，再断言它与这里的实现
结果和梯度都相同。这里把各门的权重拼成一个矩阵，每个时间步只做一次（GRU 两次）矩阵乘法；和
`rnn.rnn_tanh` 一样，反向传播在时间上只传隐状态的梯度，权重的梯度在循环之后用一次大矩阵乘法算出。
用法与 `rnn_tanh` 相同：`RNNModelScratch(vocab_size, num_hiddens, get_params=get_lstm_params,
init_state=init_lstm_state, forward_fn=lstm)`。
"""
from __future__ import annotations

from typing import Sequence

import torch

from ._checks import check_int, check_sizes
from ._recurrent_grads import check_state, input_grads, summed_over_steps
from .rnn import State

__all__ = ["get_gru_params", "get_lstm_params", "gru", "init_lstm_state", "lstm"]


def _packed_params(vocab_size: int, num_hiddens: int, num_gates: int, device) -> list[torch.Tensor]:
    check_sizes(vocab_size=vocab_size, num_hiddens=num_hiddens)
    width = num_gates * num_hiddens
    params = [torch.randn(vocab_size, width, device=device) * 0.01,
              torch.randn(num_hiddens, width, device=device) * 0.01,
              torch.zeros(width, device=device),
              torch.randn(num_hiddens, vocab_size, device=device) * 0.01,
              torch.zeros(vocab_size, device=device)]
    return [p.requires_grad_() for p in params]


def get_lstm_params(vocab_size: int, num_hiddens: int, device: torch.device | None = None) -> list[torch.Tensor]:
    """LSTM 的参数 [W_x, W_h, b, W_hq, b_q]：W_x 为 (词表, 4h)、W_h 为 (h, 4h)、b 为 (4h,)，
    列按输入门 I、遗忘门 F、输出门 O、候选记忆元 C̃ 的顺序拼接；权重 ~ N(0, 0.01²)，偏置为 0。见《长短期记忆网络（LSTM）》。"""
    return _packed_params(vocab_size, num_hiddens, 4, device)


def init_lstm_state(batch_size: int, num_hiddens: int, device: torch.device | None = None) -> State:
    """LSTM 的初始状态：(隐状态 H, 记忆元 C)，都是全 0 的 (batch_size, num_hiddens)。见《长短期记忆网络（LSTM）》。"""
    check_int("batch_size", batch_size, minimum=1)
    return (torch.zeros(batch_size, num_hiddens, device=device), torch.zeros(batch_size, num_hiddens, device=device))


class _LSTM(torch.autograd.Function):
    """All time steps of an LSTM with packed gates [I, F, O, C̃] and a hand-written backward."""

    @staticmethod
    def forward(ctx, X, H0, C0, W_x, W_h, b):
        h = H0.shape[1]
        gates = torch.embedding(W_x, X).add_(b)  # (T, B, 4h); becomes the gate activations in place
        Hs, Cs = torch.empty_like(gates[..., :h]), torch.empty_like(gates[..., :h])
        H, C = H0, C0
        for t in range(gates.shape[0]):
            G = torch.addmm(gates[t], H, W_h, out=gates[t])
            G[:, :3 * h].sigmoid_()
            G[:, 3 * h:].tanh_()
            I, F_, O, C_tilde = G.split(h, dim=1)
            C = torch.addcmul(F_ * C, I, C_tilde, out=Cs[t])
            H = torch.mul(O, C.tanh(), out=Hs[t])
        ctx.save_for_backward(X, H0, C0, W_x, W_h, gates, Hs, Cs)
        return Hs, Cs

    @staticmethod
    def backward(ctx, dHs, dCs):
        X, H0, C0, W_x, W_h, gates, Hs, Cs = ctx.saved_tensors
        h = H0.shape[1]
        dG = torch.empty_like(gates)
        dH, dC = torch.zeros_like(H0), dCs[-1].clone()
        W_h_T = W_h.t()
        for t in range(gates.shape[0] - 1, -1, -1):
            I, F_, O, C_tilde = gates[t].split(h, dim=1)
            C_prev = Cs[t - 1] if t > 0 else C0
            tanh_C = Cs[t].tanh()
            dH = dH + dHs[t]
            if t < gates.shape[0] - 1:
                dC = dC + dCs[t]
            dC = dC + dH * O * (1 - tanh_C * tanh_C)
            dI, dF, dO, dC_tilde = dG[t].split(h, dim=1)
            torch.mul(dC * C_tilde, I * (1 - I), out=dI)
            torch.mul(dC * C_prev, F_ * (1 - F_), out=dF)
            torch.mul(dH * tanh_C, O * (1 - O), out=dO)
            torch.mul(dC * I, 1 - C_tilde * C_tilde, out=dC_tilde)
            dC = dC * F_
            dH = dG[t] @ W_h_T
        dW_h = summed_over_steps(H0, Hs, dG)
        dW_x, db = input_grads(X, W_x, dG)
        return None, dH, dC, dW_x, dW_h, db


def lstm(X: torch.Tensor, state: State, params: Sequence[torch.Tensor]) -> tuple[torch.Tensor, State]:
    """LSTM 的前向计算：`X` 是 (时间步数, 批量大小) 的词元索引，`state` 是 (H, C)。
    返回 (时间步数×批量大小, 词表大小) 的输出和新状态 (H, C)。见《长短期记忆网络（LSTM）》。"""
    check_state(state, 2, "(H, C)")
    W_x, W_h, b, W_hq, b_q = params
    H0, C0 = state
    Hs, Cs = _LSTM.apply(X, H0, C0, W_x, W_h, b)
    return torch.addmm(b_q, Hs.flatten(0, 1), W_hq), (Hs[-1], Cs[-1])


def get_gru_params(vocab_size: int, num_hiddens: int, device: torch.device | None = None) -> list[torch.Tensor]:
    """GRU 的参数 [W_x, W_h, b, W_hq, b_q]：W_x 为 (词表, 3h)、W_h 为 (h, 3h)、b 为 (3h,)，
    列按更新门 Z、重置门 R、候选隐状态 H̃ 的顺序拼接；权重 ~ N(0, 0.01²)，偏置为 0。见《门控循环单元（GRU）》。"""
    return _packed_params(vocab_size, num_hiddens, 3, device)


class _GRU(torch.autograd.Function):
    """All time steps of a GRU with packed gates [Z, R, H̃] and a hand-written backward.

    Z, R = σ(X W_x[:, :2h] + H W_h[:, :2h] + b), H̃ = tanh(X W_x[:, 2h:] + (R ⊙ H) W_h[:, 2h:] + b),
    H_new = Z ⊙ H + (1 - Z) ⊙ H̃: two matrix products per step, because H̃ needs R first.
    """

    @staticmethod
    def forward(ctx, X, H0, W_x, W_h, b):
        h = H0.shape[1]
        gates = torch.embedding(W_x, X).add_(b)  # (T, B, 3h); becomes [Z, R, H̃] in place
        Hs = torch.empty_like(gates[..., :h])
        H = H0
        for t in range(gates.shape[0]):
            ZR, H_tilde = gates[t, :, :2 * h], gates[t, :, 2 * h:]
            torch.addmm(ZR, H, W_h[:, :2 * h], out=ZR).sigmoid_()
            Z, R = ZR.split(h, dim=1)
            torch.addmm(H_tilde, R * H, W_h[:, 2 * h:], out=H_tilde).tanh_()
            H = torch.addcmul(H_tilde, Z, H - H_tilde, out=Hs[t])  # Z ⊙ H + (1 - Z) ⊙ H̃
        ctx.save_for_backward(X, H0, W_x, W_h, gates, Hs)
        return Hs

    @staticmethod
    def backward(ctx, dHs):
        X, H0, W_x, W_h, gates, Hs = ctx.saved_tensors
        h = H0.shape[1]
        dG = torch.empty_like(gates)  # gradients of the pre-activations [Z, R, H̃]
        RH = torch.empty_like(Hs)  # R_t ⊙ H_{t-1}, the input of W_h[:, 2h:]
        W_zr_T, W_hh_T = W_h[:, :2 * h].t(), W_h[:, 2 * h:].t()
        dH = torch.zeros_like(H0)
        for t in range(gates.shape[0] - 1, -1, -1):
            Z, R, H_tilde = gates[t].split(h, dim=1)
            H_prev = Hs[t - 1] if t > 0 else H0
            torch.mul(R, H_prev, out=RH[t])
            dH = dH + dHs[t]
            dZ, dR, dA = dG[t].split(h, dim=1)
            torch.mul(dH * (H_prev - H_tilde), Z * (1 - Z), out=dZ)
            torch.mul(dH * (1 - Z), 1 - H_tilde * H_tilde, out=dA)
            dRH = dA @ W_hh_T
            torch.mul(dRH * H_prev, R * (1 - R), out=dR)
            dH = dH * Z + dRH * R + dG[t, :, :2 * h] @ W_zr_T
        dW_h = torch.cat([summed_over_steps(H0, Hs, dG[..., :2 * h]), RH.flatten(0, 1).t() @ dG[..., 2 * h:].flatten(0, 1)],
                         dim=1)
        dW_x, db = input_grads(X, W_x, dG)
        return None, dH, dW_x, dW_h, db


def gru(X: torch.Tensor, state: State, params: Sequence[torch.Tensor]) -> tuple[torch.Tensor, State]:
    """GRU 的前向计算：`X` 是 (时间步数, 批量大小) 的词元索引，`state` 是 (H,)（用 `init_rnn_state` 创建）。
    返回 (时间步数×批量大小, 词表大小) 的输出和新状态。见《门控循环单元（GRU）》。"""
    check_state(state, 1, "(H,)")
    W_x, W_h, b, W_hq, b_q = params
    Hs = _GRU.apply(X, state[0], W_x, W_h, b)
    return torch.addmm(b_q, Hs.flatten(0, 1), W_hq), (Hs[-1],)
