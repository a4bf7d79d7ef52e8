"""The linear-regression parts: synthetic data, squared loss, minibatch SGD; and load_array (arrays.py)."""
import pytest
import torch

import d2lbook_utils as d2l


def test_synthetic_data_follows_the_model():
    gen = torch.Generator().manual_seed(0)
    w, b = torch.tensor([2.0, -3.4]), 4.2
    X, y = d2l.synthetic_data(w, b, 1000, noise=0.0, generator=gen)
    assert X.shape == (1000, 2) and y.shape == (1000, 1)
    assert torch.allclose(y, d2l.linreg(X, w.reshape(2, 1), b), atol=1e-5)
    with pytest.raises(ValueError, match="num_examples 必须是正整数"):
        d2l.synthetic_data(w, b, 0)
    with pytest.raises(TypeError, match="w 必须是一维张量"):
        d2l.synthetic_data([2.0], b, 5)


def test_sgd_step_and_loss():
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    loss = d2l.squared_loss(torch.stack([w.sum(), w.sum()]), torch.tensor([[0.0], [1.0]]).reshape(2))
    assert torch.allclose(loss, torch.tensor([4.5, 2.0]))
    loss.sum().backward()  # gradient per component: 3 + 2 = 5
    d2l.sgd([w], lr=0.1, batch_size=2)
    assert torch.allclose(w, torch.tensor([0.75, 1.75])) and torch.equal(w.grad, torch.zeros(2))
    with pytest.raises(ValueError, match="lr 必须大于 0"):
        d2l.sgd([w], lr=0, batch_size=2)


def test_load_array_batches_and_checks_lengths():
    X, y = torch.arange(10.0).reshape(5, 2), torch.arange(5.0)
    batches = list(d2l.load_array((X, y), 2, is_train=False))
    assert [len(b[1]) for b in batches] == [2, 2, 1] and torch.equal(batches[0][1], torch.tensor([0.0, 1.0]))
    with pytest.raises(ValueError, match="长度必须相同"):
        d2l.load_array((X, y[:3]), 2)
