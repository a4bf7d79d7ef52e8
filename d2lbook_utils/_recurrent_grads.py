"""Gradient pieces shared by the hand-written backward passes of `rnn_tanh`, `lstm` and `gru`."""
from __future__ import annotations

import torch


def check_state(state, size: int, shape: str) -> None:
    """`state` must be a tuple of `size` tensors (what init_rnn_state / init_lstm_state return)."""
    if not isinstance(state, tuple) or len(state) != size or not all(isinstance(s, torch.Tensor) for s in state):
        raise TypeError(f"state 必须是 {shape} 形式的张量元组（用 init_rnn_state 或 init_lstm_state 创建），"
                        f"收到 {type(state).__name__}")


def summed_over_steps(H0: torch.Tensor, Hs: torch.Tensor, dA: torch.Tensor) -> torch.Tensor:
    """Σ_t H_{t-1}ᵀ dA_t, the recurrent weight's gradient, as one large product instead of T small ones."""
    return torch.addmm(H0.t() @ dA[0], Hs[:-1].flatten(0, 1).t(), dA[1:].flatten(0, 1))


def input_grads(X: torch.Tensor, W_x: torch.Tensor, dA: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Gradients of the input weights (the rows the tokens selected) and of the bias, summed over all steps."""
    dA2 = dA.flatten(0, 1)
    return torch.zeros_like(W_x).index_add_(0, X.flatten(), dA2), dA2.sum(0)
