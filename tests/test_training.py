"""Linear-regression parts, the Fashion-MNIST pipeline and the classification training loop."""
import gzip
import math
import struct

import pytest
import torch
from torch import nn

import d2lbook_utils as d2l
from d2lbook_utils import fashion_mnist


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


def write_idx(path, magic, shape, payload):
    with gzip.open(path, "wb") as f:
        f.write(struct.pack(">II", magic, shape[0]) + b"".join(struct.pack(">I", n) for n in shape[1:]) + payload)


def test_read_idx_images_labels_and_bad_files(tmp_path):
    write_idx(tmp_path / "img.gz", 2051, (2, 2, 3), bytes(range(12)))
    write_idx(tmp_path / "lab.gz", 2049, (2,), bytes([7, 1]))
    images = fashion_mnist.read_idx(tmp_path / "img.gz")
    assert images.shape == (2, 2, 3) and images.dtype == torch.uint8 and int(images[1, 1, 2]) == 11
    assert fashion_mnist.read_idx(tmp_path / "lab.gz").tolist() == [7, 1]
    write_idx(tmp_path / "short.gz", 2051, (2, 2, 3), bytes(range(11)))
    with pytest.raises(ValueError, match="文件头声明 12 字节"):
        fashion_mnist.read_idx(tmp_path / "short.gz")
    write_idx(tmp_path / "other.gz", 1234, (1,), b"")
    with pytest.raises(ValueError, match="magic number 为 1234"):
        fashion_mnist.read_idx(tmp_path / "other.gz")


def test_tensor_batches_cover_every_example_once_and_repeat_with_the_seed():
    images = torch.arange(10, dtype=torch.uint8).reshape(10, 1, 1).expand(10, 2, 2).contiguous()
    labels = torch.arange(10)

    def epoch(seed):
        batches = fashion_mnist.TensorBatches(images, labels, 4, True, generator=torch.Generator().manual_seed(seed))
        return [y.tolist() for _, y in batches]

    first = epoch(1)
    assert sorted(sum(first, [])) == list(range(10)) and [len(b) for b in first] == [4, 4, 2]
    assert epoch(1) == first and epoch(2) != first
    X, y = next(iter(fashion_mnist.TensorBatches(images, labels, 3, False, resize=4)))
    assert X.shape == (3, 1, 4, 4) and X.dtype == torch.float32 and y.tolist() == [0, 1, 2]
    assert torch.allclose(X[1], torch.full((1, 4, 4), 1 / 255))


def test_labels_are_named_and_checked():
    assert d2l.get_fashion_mnist_labels(torch.tensor([0, 9])) == ["t-shirt", "ankle boot"]
    with pytest.raises(ValueError, match="0 到 9 之间，收到 10"):
        d2l.get_fashion_mnist_labels([10])


def test_real_fashion_mnist_when_available():
    if d2l.data_dir() is None:
        pytest.skip("D2LBOOK_DATA is not set")
    train, test = d2l.load_data_fashion_mnist(1000)
    assert len(train.images) == 60000 and len(test.images) == 10000
    assert torch.bincount(test.labels).tolist() == [1000] * 10  # the official test split is balanced
    subset, _ = d2l.load_data_fashion_mnist(1000, num_train=2500)
    assert torch.equal(subset.images, train.images[:2500]) and len(subset) == 3
    with pytest.raises(ValueError, match="num_train 必须是 1 到 60000 之间的整数，收到 60001"):
        d2l.load_data_fashion_mnist(1000, num_train=60001)


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
