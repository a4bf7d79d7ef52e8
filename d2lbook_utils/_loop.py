"""The scaffolding the book's training loops share (train_ch3, train_ch6, train_ch8, train_seq2seq).

`fit` runs the epochs, times them and counts what they processed, so every loop reports throughput the same way;
`update` takes one optimisation step with either a torch optimizer or the book's `updater(batch_size)` function;
`set_mode` switches nn.Modules between training and evaluation (from-scratch models have no modes).
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import torch
from torch import nn

from .timing import Timer


def set_mode(net: Any, training: bool) -> None:
    if isinstance(net, nn.Module):
        net.train(training)


def check_updater(updater: Any) -> None:
    if not isinstance(updater, torch.optim.Optimizer) and not callable(updater):
        raise TypeError(f"updater 必须是 torch.optim.Optimizer 或 updater(batch_size) 形式的函数（如 d2l.sgd），"
                        f"收到 {type(updater).__name__}")


def update(updater: Any, loss: torch.Tensor, batch_size: int, clip: Callable[[], Any] | None = None,
           after_step: Callable[[], Any] | None = None) -> None:
    """Backpropagate `loss`, clip, step. A function `updater(batch_size)` (d2l.sgd) divides the gradient by
    `batch_size` itself, so pass the number of terms `loss` sums over (1 for a mean); it also zeroes the gradients."""
    optimizer = isinstance(updater, torch.optim.Optimizer)
    if optimizer:
        updater.zero_grad()
    loss.backward()
    if clip is not None:
        clip()
    if optimizer:
        updater.step()
    else:
        updater(batch_size)
    if after_step is not None:
        after_step()


def fit(num_epochs: int, run_epoch: Callable[[], tuple[Sequence[float], float]],
        on_point: Callable[[int, Sequence[float]], Any], *, every: int = 1,
        before_epoch: Callable[[int], Any] | None = None) -> tuple[Sequence[float], float, float]:
    """Run `run_epoch()` (→ the epoch's values, how many examples or tokens it processed) `num_epochs` times.

    `on_point(epoch, values)` is called every `every` epochs and after the last one (outside the timed part, so
    evaluation does not count as training time); `before_epoch(epoch)` (from 0) can set the learning rate.
    Returns the last epoch's values, the total processed and the seconds spent in `run_epoch`.
    """
    timer, processed = Timer(), 0.0
    for epoch in range(num_epochs):
        if before_epoch is not None:
            before_epoch(epoch)
        timer.start()
        values, count = run_epoch()
        timer.stop()
        processed += count
        if (epoch + 1) % every == 0 or epoch + 1 == num_epochs:
            on_point(epoch + 1, values)
    return values, processed, timer.sum()
