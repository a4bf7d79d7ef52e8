"""The from-scratch RNN (its hand-written backward), clipping, generation and the training loop."""
import contextlib
import io
import math

import pytest
import torch
from torch import nn
from torch.nn import functional as F

import d2lbook_utils as d2l


def one_hot_reference(X, state, params):
    """Plain autograd, one-hot inputs: the form the book teaches first."""
    W_xh, W_hh, b_h, W_hq, b_q = params
    H, outputs = state[0], []
    for x in F.one_hot(X, W_xh.shape[0]).to(W_xh.dtype):
        H = torch.tanh(x @ W_xh + H @ W_hh + b_h)
        outputs.append(H @ W_hq + b_q)
    return torch.cat(outputs), (H,)


def test_rnn_tanh_matches_the_one_hot_form_and_its_gradients():
    torch.manual_seed(0)
    params = [(p.detach() * 30).requires_grad_() for p in d2l.get_rnn_params(7, 5)]  # scaled: a non-trivial tanh
    X, H0 = torch.randint(0, 7, (4, 3)), torch.randn(3, 5)
    results = []
    for forward in (one_hot_reference, d2l.rnn_tanh):
        Y, (H,) = forward(X, (H0,), params)
        grads = torch.autograd.grad((Y * torch.arange(Y.numel()).reshape(Y.shape).cos()).sum() + H.sum(), params)
        results.append((Y, H, grads))
    (Y1, H1, g1), (Y2, H2, g2) = results
    assert torch.allclose(Y1, Y2, atol=1e-5) and torch.allclose(H1, H2, atol=1e-5)
    assert all(torch.allclose(a, b, atol=1e-4) for a, b in zip(g1, g2))


def test_rnn_tanh_gradcheck_in_double():
    torch.manual_seed(1)
    params = [p.detach().double().normal_().requires_grad_() for p in d2l.get_rnn_params(6, 4)]
    X = torch.randint(0, 6, (3, 2))
    H0 = torch.randn(2, 4, dtype=torch.double, requires_grad=True)
    assert torch.autograd.gradcheck(lambda h, *ps: d2l.rnn_tanh(X, (h,), ps)[0], (H0, *params))


def test_grad_clipping_scales_to_theta_and_reports_the_norm():
    w = torch.zeros(2, requires_grad=True)
    w.grad = torch.tensor([3.0, 4.0])
    net = nn.Linear(1, 1)
    net.weight.grad, net.bias.grad = torch.tensor([[3.0]]), torch.tensor([4.0])
    assert d2l.grad_clipping(net, 1.0) == pytest.approx(5.0)
    assert torch.allclose(net.weight.grad, torch.tensor([[0.6]])) and torch.allclose(net.bias.grad, torch.tensor([0.8]))
    assert d2l.grad_clipping(net, 10.0) == pytest.approx(1.0)  # below theta: unchanged
    with pytest.raises(ValueError, match="theta 必须大于 0"):
        d2l.grad_clipping(net, 0)


def tiny_model(seed=0):
    torch.manual_seed(seed)
    vocab = d2l.Vocab(list("abcab cab"))
    return d2l.RNNModelScratch(len(vocab), 8), vocab


def test_predict_greedy_top1_and_seeded_sampling():
    net, vocab = tiny_model()
    greedy = d2l.predict_ch8("ab", 10, net, vocab)
    assert greedy.startswith("ab") and greedy == d2l.predict_ch8("ab", 10, net, vocab)
    assert d2l.predict_ch8("ab", 10, net, vocab, temperature=1.0, top_k=1) == greedy
    sample = [d2l.predict_ch8("ab", 20, net, vocab, temperature=2.0, generator=torch.Generator().manual_seed(0))
              for _ in range(2)]
    assert sample[0] == sample[1]
    for kwargs, message in [({"temperature": 0}, "temperature 必须大于 0"), ({"top_k": 0}, "top_k 必须是 1 到"),
                            ({"num_preds": -1}, "num_preds 必须是不小于 0 的整数")]:
        args = {"prefix": "ab", "num_preds": 3, "net": net, "vocab": vocab, **kwargs}
        with pytest.raises(ValueError, match=message):
            d2l.predict_ch8(**args)
    with pytest.raises(ValueError, match="prefix 必须是非空字符串"):
        d2l.predict_ch8("", 3, net, vocab)
    with pytest.raises(TypeError, match="prefix 必须是字符串"):
        d2l.predict_ch8(["a"], 3, net, vocab)


def test_evaluate_perplexity_of_a_uniform_model_is_the_vocab_size():
    class Uniform:
        def __call__(self, X, state):
            return torch.zeros(X.numel(), 5), state

        def begin_state(self, batch_size, device=None):
            return (torch.zeros(batch_size, 1),)

    loader = d2l.SeqDataLoader([0, 1, 2, 3, 4] * 20, 2, 5)
    assert d2l.evaluate_perplexity(Uniform(), loader) == pytest.approx(5.0)


def test_train_ch8_lowers_perplexity_for_scratch_and_concise_models():
    corpus = [i % 5 for i in range(400)]  # a periodic sequence: easy to learn
    vocab = d2l.Vocab([str(i) for i in range(5)])
    corpus = [vocab[str(i)] for i in corpus]
    loader = d2l.SeqDataLoader(corpus, 4, 10, seed=0)
    valid = d2l.SeqDataLoader(corpus[:100], 2, 10, seed=0)
    for net, lr in [(d2l.RNNModelScratch(len(vocab), 16), 1.0),
                    (d2l.RNNModel(nn.GRU(len(vocab), 16), len(vocab)), 1.0)]:
        torch.manual_seed(0)
        with contextlib.redirect_stdout(io.StringIO()) as out:
            metrics = d2l.train_ch8(net, loader, vocab, lr, 30, prefixes=("0",), valid_iter=valid)
        assert metrics["perplexity"] < 2.0 and metrics["valid_perplexity"] < 2.0, metrics
        assert "perplexity" in out.getvalue() and "valid perplexity" in out.getvalue()
    with pytest.raises(ValueError, match="只支持 optimizer"):
        d2l.train_ch8(d2l.RNNModelScratch(len(vocab), 4), loader, vocab, 1.0, 1, optimizer="adam")


def test_train_ch8_cosine_schedule_sets_each_epochs_learning_rate(monkeypatch):
    from d2lbook_utils import rnn as rnn_module

    vocab = d2l.Vocab([str(i) for i in range(5)])
    loader = d2l.SeqDataLoader([i % 5 for i in range(200)], 4, 10, seed=0)
    expected = [2.0 * (1 + math.cos(math.pi * e / 4)) / 2 for e in range(4)]  # 2, 1.71, 1, 0.29
    seen = []
    real_epoch = rnn_module._epoch_ch8  # the epoch train_ch8 runs

    def recording_epoch(net, train_iter, loss, updater, *args):
        if isinstance(updater, torch.optim.Optimizer):
            seen.append(updater.param_groups[0]["lr"])
        return real_epoch(net, train_iter, loss, updater, *args)

    monkeypatch.setattr(rnn_module, "_epoch_ch8", recording_epoch)
    scratch_lrs = []
    monkeypatch.setattr(rnn_module, "sgd", lambda params, lr, batch_size: scratch_lrs.append(lr))
    with contextlib.redirect_stdout(io.StringIO()):
        d2l.train_ch8(d2l.RNNModel(nn.GRU(len(vocab), 8), len(vocab)), loader, vocab, 2.0, 4, prefixes=("0",),
                      schedule="cosine")
        d2l.train_ch8(d2l.RNNModelScratch(len(vocab), 8), loader, vocab, 2.0, 4, prefixes=("0",), schedule="cosine")
    assert seen == pytest.approx(expected)
    per_epoch = len(scratch_lrs) // 4  # the scratch model's sgd is called once per minibatch
    assert scratch_lrs[::per_epoch] == pytest.approx(expected) and len(set(scratch_lrs[:per_epoch])) == 1
    with pytest.raises(ValueError, match="schedule 必须是 'constant'、'cosine' 之一"):
        d2l.train_ch8(d2l.RNNModelScratch(len(vocab), 4), loader, vocab, 1.0, 1, schedule="linear")


def test_rnn_model_states_and_input_checks():
    lstm = d2l.RNNModel(nn.LSTM(6, 4, num_layers=2, bidirectional=True), 6)
    state = lstm.begin_state(3)
    assert isinstance(state, tuple) and state[0].shape == (4, 3, 4)
    Y, _ = lstm(torch.randint(0, 6, (3, 7)), state)
    assert Y.shape == (21, 6)
    with pytest.raises(ValueError, match="input_size 必须等于 vocab_size"):
        d2l.RNNModel(nn.RNN(5, 4), 6)
    with pytest.raises(TypeError, match="rnn_layer 必须是 nn.RNN、nn.GRU 或 nn.LSTM"):
        d2l.RNNModel(nn.Linear(6, 4), 6)
    with pytest.raises(ValueError, match="batch_first=False"):
        d2l.RNNModel(nn.GRU(6, 4, batch_first=True), 6)
    with pytest.raises(ValueError, match="X 必须是形状为"):
        lstm(torch.zeros(3, 7), state)
    assert math.isfinite(float(Y.detach().sum()))
