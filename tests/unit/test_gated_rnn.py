"""The packed-gate LSTM and GRU with hand-written backward passes, against the one-gate-one-matrix formulas."""
import pytest
import torch
from torch.nn import functional as F

from d2lbook_utils import gated_rnn


def lstm_reference(X, state, params):
    W_x, W_h, b, W_hq, b_q = params
    H, C = state
    outputs = []
    for x in F.one_hot(X, W_x.shape[0]).to(W_x.dtype):
        I, F_, O, C_tilde = (x @ W_x + H @ W_h + b).chunk(4, dim=1)
        C = torch.sigmoid(F_) * C + torch.sigmoid(I) * torch.tanh(C_tilde)
        H = torch.sigmoid(O) * torch.tanh(C)
        outputs.append(H @ W_hq + b_q)
    return torch.cat(outputs), (H, C)


def gru_reference(X, state, params):
    W_x, W_h, b, W_hq, b_q = params
    h = W_h.shape[0]
    H, = state
    outputs = []
    for x in F.one_hot(X, W_x.shape[0]).to(W_x.dtype):
        xz, xr, xh = (x @ W_x + b).split(h, dim=1)
        Z = torch.sigmoid(xz + H @ W_h[:, :h])
        R = torch.sigmoid(xr + H @ W_h[:, h:2 * h])
        H_tilde = torch.tanh(xh + (R * H) @ W_h[:, 2 * h:])
        H = Z * H + (1 - Z) * H_tilde
        outputs.append(H @ W_hq + b_q)
    return torch.cat(outputs), (H,)


CASES = [(gated_rnn.lstm, lstm_reference, gated_rnn.get_lstm_params, 2),
         (gated_rnn.gru, gru_reference, gated_rnn.get_gru_params, 1)]


@pytest.mark.parametrize("fast, reference, get_params, num_states", CASES)
def test_matches_the_reference_and_its_gradients(fast, reference, get_params, num_states):
    torch.manual_seed(0)
    params = [p.detach().double().normal_().mul_(0.5).requires_grad_() for p in get_params(6, 4)]
    X = torch.randint(0, 6, (5, 3))
    state = tuple(torch.randn(3, 4, dtype=torch.double, requires_grad=True) for _ in range(num_states))
    results = []
    for forward in (reference, fast):
        Y, new_state = forward(X, state, params)
        weight = torch.arange(Y.numel(), dtype=torch.double).reshape(Y.shape).cos()
        total = (Y * weight).sum() + sum((s * (i + 2)).sum() for i, s in enumerate(new_state))
        results.append((Y, new_state, torch.autograd.grad(total, [*params, *state])))
    (Y1, s1, g1), (Y2, s2, g2) = results
    assert torch.allclose(Y1, Y2) and all(torch.allclose(a, b) for a, b in zip(s1, s2))
    assert all(torch.allclose(a, b) for a, b in zip(g1, g2))


@pytest.mark.parametrize("fast, reference, get_params, num_states", CASES)
def test_gradcheck(fast, reference, get_params, num_states):
    torch.manual_seed(1)
    params = [p.detach().double().normal_().requires_grad_() for p in get_params(5, 3)]
    X = torch.randint(0, 5, (4, 2))
    state = [torch.randn(2, 3, dtype=torch.double, requires_grad=True) for _ in range(num_states)]

    def outputs(*tensors):
        Y, new_state = fast(X, tuple(tensors[:num_states]), tensors[num_states:])
        return (Y, *new_state)

    assert torch.autograd.gradcheck(outputs, (*state, *params))


def test_lstm_state_and_parameter_shapes():
    params = gated_rnn.get_lstm_params(28, 8)
    assert [tuple(p.shape) for p in params] == [(28, 32), (8, 32), (32,), (8, 28), (28,)]
    H, C = gated_rnn.init_lstm_state(2, 8)
    Y, (H1, C1) = gated_rnn.lstm(torch.randint(0, 28, (5, 2)), (H, C), params)
    assert Y.shape == (10, 28) and H1.shape == C1.shape == (2, 8)
    with pytest.raises(ValueError, match="num_hiddens 必须是正整数"):
        gated_rnn.get_gru_params(28, 0)
