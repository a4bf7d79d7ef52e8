"""The classification loops: accuracy, evaluation, train_ch3 and train_ch6."""
import math

import pytest
import torch
from torch import nn

import d2lbook_utils as d2l


def test_accuracy_and_evaluation():
    y_hat = torch.tensor([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]])
    assert d2l.accuracy(y_hat, torch.tensor([1, 0, 0])) == 2.0
    data = [(torch.eye(2), torch.tensor([0, 1])), (torch.eye(2), torch.tensor([1, 1]))]
    assert d2l.evaluate_accuracy(lambda X: X, data) == 0.75
    assert d2l.evaluate_loss(lambda X: X, data, nn.CrossEntropyLoss()) == pytest.approx(
        float(nn.CrossEntropyLoss()(torch.cat([torch.eye(2)] * 2), torch.tensor([0, 1, 1, 1]))))


def test_train_ch3_learns_a_separable_problem(capsys):
    torch.manual_seed(0)
    X = torch.randn(200, 2)
    y = (X[:, 0] > 0).long()
    data = d2l.load_array((X, y), 20, generator=torch.Generator().manual_seed(0))
    net = nn.Linear(2, 2)
    metrics = d2l.train_ch3(net, data, data, nn.CrossEntropyLoss(reduction="none"), 5,
                            torch.optim.SGD(net.parameters(), lr=0.5))
    line = capsys.readouterr().out.strip().splitlines()[-1]
    assert line.startswith("loss ") and ", train acc " in line and ", test acc " in line
    assert metrics["test_acc"] > 0.9
    # A hand-written updater (sum of losses, divided by the batch size inside) trains as well.
    W = torch.zeros(2, 2, requires_grad=True)
    metrics = d2l.train_ch3(lambda X: X @ W, data, data, nn.CrossEntropyLoss(reduction="none"), 5,
                            lambda batch_size: d2l.sgd([W], 0.5, batch_size))
    assert metrics["test_acc"] > 0.9
    with pytest.raises(ValueError, match="num_epochs 必须是正整数"):
        d2l.train_ch3(net, data, data, nn.CrossEntropyLoss(), 0, None)


def test_train_ch6_reports_speed_and_trains_on_the_given_device(capsys):
    torch.manual_seed(0)
    X = torch.randn(256, 1, 8, 8)
    y = (X.mean(dim=(1, 2, 3)) > 0).long()
    data = d2l.load_array((X, y), 32, generator=torch.Generator().manual_seed(0))
    net = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                        nn.Linear(4, 2))
    metrics = d2l.train_ch6(net, data, data, 8, 0.5, d2l.cpu())
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-2].startswith("loss ") and lines[-1].endswith("examples/sec on cpu")
    assert metrics["examples_per_sec"] > 0 and metrics["test_acc"] > 0.8
    assert next(net.parameters()).device == torch.device("cpu")
    with pytest.raises(ValueError, match="lr 必须大于 0"):
        d2l.train_ch6(net, data, data, 1, 0.0, d2l.cpu())
    with pytest.raises(ValueError, match=r"momentum 必须在 \[0, 1\) 内"):
        d2l.train_ch6(net, data, data, 1, 0.1, d2l.cpu(), momentum=1.0)
    with pytest.raises(ValueError, match="init 必须是 'xavier'、'kaiming' 之一"):
        d2l.train_ch6(net, data, data, 1, 0.1, d2l.cpu(), init="he")


def test_train_ch6_momentum_reaches_the_optimizer(monkeypatch):
    seen = {}
    real_sgd = torch.optim.SGD

    def spy(params, **kwargs):
        seen.update(kwargs)
        return real_sgd(params, **kwargs)

    monkeypatch.setattr(torch.optim, "SGD", spy)
    data = [(torch.randn(4, 1, 4, 4), torch.tensor([0, 1, 0, 1]))]
    net = nn.Sequential(nn.Conv2d(1, 2, 3), nn.Flatten(), nn.Linear(8, 2))
    d2l.train_ch6(net, data, data, 1, 0.1, d2l.cpu(), momentum=0.9)
    assert seen == {"lr": 0.1, "momentum": 0.9}


def test_train_ch6_onecycle_rises_then_anneals_once_per_minibatch(monkeypatch):
    lrs = []
    real_sgd = torch.optim.SGD

    def spy(params, **kwargs):
        optimizer = real_sgd(params, **kwargs)
        optimizer.register_step_pre_hook(lambda opt, *_: lrs.append(opt.param_groups[0]["lr"]))
        return optimizer

    monkeypatch.setattr(torch.optim, "SGD", spy)
    data = [(torch.randn(4, 1, 4, 4), torch.tensor([0, 1, 0, 1]))] * 5
    net = nn.Sequential(nn.Conv2d(1, 2, 3), nn.Flatten(), nn.Linear(8, 2))
    d2l.train_ch6(net, data, data, 4, 0.4, d2l.cpu(), schedule="onecycle")
    assert len(lrs) == 20
    peak = lrs.index(max(lrs))
    assert 0 < peak < 10 and math.isclose(max(lrs), 0.4, rel_tol=0.05)
    assert lrs[0] < 0.05 and lrs[-1] < 0.01
    assert all(a <= b for a, b in zip(lrs[:peak], lrs[1:peak + 1]))
    assert all(a >= b for a, b in zip(lrs[peak:], lrs[peak + 1:]))
    with pytest.raises(ValueError, match="schedule 必须是"):
        d2l.train_ch6(net, data, data, 1, 0.1, d2l.cpu(), schedule="cosine")
