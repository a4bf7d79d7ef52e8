"""分类模型的训练与评估循环（《softmax 回归的从零开始实现》一节讲解，之后各章复用）。"""
from __future__ import annotations

from typing import Callable, Iterable

import torch
from torch import nn

from ._checks import check_batches, check_choice, check_fraction, check_int, check_number
from ._report import result_line
from ._loop import check_updater, fit, set_mode, update
from .fashion_mnist import get_fashion_mnist_labels
from .plot import Animator, show_images
from .timing import Accumulator

__all__ = ["accuracy", "evaluate_accuracy", "evaluate_loss", "predict_ch3", "train_ch3", "train_ch6", "train_epoch_ch3"]


def accuracy(y_hat: torch.Tensor, y: torch.Tensor) -> float:
    """预测正确的样本数（不是比例）：`y_hat` 是 (n, 类别数) 的分数或 (n,) 的类别。见《softmax 回归的从零开始实现》。"""
    if len(y_hat) != len(y):
        raise ValueError(f"y_hat 与 y 的样本数必须相同，收到 {len(y_hat)} 与 {len(y)}")
    if y_hat.ndim > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(dim=1)
    return float((y_hat.type(y.dtype) == y).sum())


def _batch_loss(loss: Callable, y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """逐样本损失；内置损失若已按批量平均（reduction='mean'），乘回样本数，保证求和口径一致。"""
    values = loss(y_hat, y)
    return values if values.ndim > 0 else values * len(y)


def evaluate_accuracy(net: Callable, data_iter: Iterable, device: torch.device | None = None) -> float:
    """模型在整个数据集上的精度（评估模式，不记录梯度）；给了 `device` 就先把数据搬过去。见《softmax 回归的从零开始实现》。"""
    set_mode(net, training=False)
    metric = Accumulator(2)  # correct predictions, examples
    with torch.no_grad():
        for X, y in data_iter:
            if device is not None:
                X, y = X.to(device), y.to(device)
            metric.add(accuracy(net(X), y), y.numel())
    check_batches(metric[1], "data_iter")
    return metric[0] / metric[1]


def evaluate_loss(net: Callable, data_iter: Iterable, loss: Callable) -> float:
    """模型在整个数据集上的平均损失（《模型选择、欠拟合和过拟合》）。"""
    set_mode(net, training=False)
    metric = Accumulator(2)  # sum of losses, examples
    with torch.no_grad():
        for X, y in data_iter:
            metric.add(float(_batch_loss(loss, net(X), y).sum()), y.numel())
    check_batches(metric[1], "data_iter")
    return metric[0] / metric[1]


def train_epoch_ch3(net: Callable, train_iter: Iterable, loss: Callable, updater,
                    device: torch.device | None = None) -> tuple[float, float]:
    """训练一轮，返回 (平均训练损失, 训练精度)；给了 `device` 就把每个小批量搬到该设备上。见《softmax 回归的从零开始实现》。

    `updater` 可以是 `torch.optim.Optimizer`（对平均损失求梯度），也可以是自己写的函数
    `updater(batch_size)`（例如 `d2l.sgd`，对损失之和求梯度，由它自己除以批量大小）。
    """
    loss_sum, correct, n = _epoch_ch3(net, train_iter, loss, updater, device)
    return loss_sum / n, correct / n


def _epoch_ch3(net: Callable, train_iter: Iterable, loss: Callable, updater, device: torch.device | None = None,
               after_step: Callable | None = None) -> tuple[float, float, int]:
    """One epoch: (sum of losses, correct predictions, examples). An optimizer gets the mean loss, a function
    `updater(batch_size)` the sum (it divides by the batch size itself)."""
    check_updater(updater)
    set_mode(net, training=True)
    metric = Accumulator(3)  # sum of losses, correct predictions, examples
    for X, y in train_iter:
        if device is not None:
            X, y = X.to(device), y.to(device)
        y_hat = net(X)
        values = _batch_loss(loss, y_hat, y)
        total = values.mean() if isinstance(updater, torch.optim.Optimizer) else values.sum()
        update(updater, total, X.shape[0], after_step=after_step)
        metric.add(float(values.detach().sum()), accuracy(y_hat.detach(), y), y.numel())
    check_batches(metric[2], "train_iter")
    return metric[0], metric[1], int(metric[2])


def _fit(net: Callable, train_iter: Iterable, test_iter: Iterable, loss: Callable, num_epochs: int, updater,
         device: torch.device | None = None, after_step: Callable | None = None) -> dict[str, float]:
    """train_ch3 and train_ch6: plot, print the summary line, return the metrics (with examples_per_sec)."""
    check_int("num_epochs", num_epochs, minimum=1)
    animator = Animator(xlabel="epoch", xlim=[1, num_epochs], ylim=[0.0, 1.0],
                        legend=["train loss", "train acc", "test acc"])
    test_acc = 0.0

    def run_epoch():
        loss_sum, correct, n = _epoch_ch3(net, train_iter, loss, updater, device, after_step)
        return (loss_sum / n, correct / n), n

    def on_point(epoch, values):
        nonlocal test_acc
        test_acc = evaluate_accuracy(net, test_iter, device)
        animator.add(epoch, [*values, test_acc])

    (train_loss, train_acc), examples, seconds = fit(num_epochs, run_epoch, on_point)
    print(result_line(("loss", train_loss), ("train acc", train_acc), ("test acc", test_acc)))
    return {"loss": train_loss, "train_acc": train_acc, "test_acc": test_acc, "examples_per_sec": examples / seconds}


def train_ch3(net: Callable, train_iter: Iterable, test_iter: Iterable, loss: Callable, num_epochs: int,
              updater) -> dict[str, float]:
    """训练 `num_epochs` 轮，画出训练损失、训练精度和测试精度，最后打印一行结果。见《softmax 回归的从零开始实现》。

    打印 `loss X, train acc Y, test acc Z`，并返回同样三个数的字典，供笔记本检查结果质量。
    """
    metrics = _fit(net, train_iter, test_iter, loss, num_epochs, updater)
    del metrics["examples_per_sec"]
    return metrics


def train_ch6(net: nn.Module, train_iter: Iterable, test_iter: Iterable, num_epochs: int, lr: float,
              device: torch.device, *, momentum: float = 0.0, init: str = "xavier",
              schedule: str = "constant") -> dict[str, float]:
    """在 `device` 上用小批量 SGD 训练卷积网络（默认 Xavier 初始化，交叉熵损失）。见《卷积神经网络（LeNet）》。

    与 `train_ch3` 一样画图并打印 `loss X, train acc Y, test acc Z`，再打印一行
    `N examples/sec on 设备`；返回 loss、train_acc、test_acc 和 examples_per_sec。
    `momentum` 默认 0、`init` 默认 "xavier"（d2l 的设置）；《现代卷积神经网络》的 cpu 规模用动量 0.9 和
    "kaiming"（为 ReLU 设计的初始化），在少数几轮内收敛（见《AlexNet》《NiN》）。
    `schedule="onecycle"` 让学习率在前 30% 的步数里从 lr/25 升到 `lr`，再按余弦降到接近 0（每个小批量调整一次），
    默认 "constant" 全程不变（见《GoogLeNet》）。
    """
    check_int("num_epochs", num_epochs, minimum=1)
    check_number("lr", lr, positive=True)
    check_fraction("momentum", momentum)
    check_choice("init", init, ("xavier", "kaiming"))
    check_choice("schedule", schedule, ("constant", "onecycle"))

    def init_weights(m: nn.Module) -> None:
        if isinstance(m, (nn.Linear, nn.Conv2d)):
            if init == "xavier":
                nn.init.xavier_uniform_(m.weight)
            else:  # keeps the signal's variance through ReLU layers (Xavier halves it at every ReLU)
                nn.init.kaiming_uniform_(m.weight, nonlinearity="relu")

    net.apply(init_weights)
    # channels_last lets oneDNN (CPU) and cuDNN skip layout reorders: LeNet trains ~30% faster on a CPU.
    net.to(device, memory_format=torch.channels_last)
    optimizer = torch.optim.SGD(net.parameters(), lr=lr, momentum=momentum)
    after_step = None
    if schedule == "onecycle":
        # one scheduler step after each minibatch (the "+ 1": the scheduler also counts its starting point)
        after_step = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=num_epochs * len(train_iter) + 1,
                                                         cycle_momentum=False).step
    metrics = _fit(net, train_iter, test_iter, nn.CrossEntropyLoss(reduction="none"), num_epochs, optimizer, device,
                   after_step)
    print(result_line(throughput=(metrics["examples_per_sec"], "examples", device)))
    return metrics


def predict_ch3(net: Callable, test_iter: Iterable, n: int = 6, *,
                text_labels: Callable = get_fashion_mnist_labels) -> None:
    """取测试集的第一个小批量，显示前 n 张图片及其真实/预测类别。见《softmax 回归的从零开始实现》。

    `text_labels` 把类别编号换成名字，默认是 Fashion-MNIST 的 `get_fashion_mnist_labels`。
    """
    check_int("n", n, minimum=1)
    X, y = next(iter(test_iter))
    set_mode(net, training=False)
    with torch.no_grad():
        preds = text_labels(net(X).argmax(dim=1))
    trues = text_labels(y)
    titles = [f"{true}\n{pred}" for true, pred in zip(trues, preds)]
    show_images(X[:n].reshape(n, *X.shape[-2:]), 1, n, titles=titles[:n])
