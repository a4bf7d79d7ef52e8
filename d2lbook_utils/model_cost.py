"""模型有多大、多贵：逐层输出形状、参数量、每张图的 FLOPs（《现代卷积神经网络》各节使用）。"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator, Sequence

import torch
from torch import nn

from ._checks import check_int

__all__ = ["cost_table", "count_flops", "count_parameters", "layer_table"]


def _example(input_shape: Sequence[int]) -> torch.Tensor:
    """一张图（批量大小 1）的全零输入；`input_shape` 是 (通道, 高, 宽)。"""
    if not isinstance(input_shape, (tuple, list)) or len(input_shape) != 3:
        raise ValueError(f"input_shape 必须是 (通道, 高, 宽) 三个正整数，收到 {input_shape!r}")
    for size in input_shape:
        check_int("input_shape 中的每一项", size, minimum=1)
    return torch.zeros(1, *input_shape)


@contextmanager
def _inference(net: nn.Module) -> Iterator[None]:
    """Dropout/BatchNorm in inference mode and no autograd, so the counts do not depend on the batch."""
    was_training = net.training
    net.eval()
    try:
        with torch.no_grad():
            yield
    finally:
        net.train(was_training)


def count_parameters(net: nn.Module) -> int:
    """可学习参数的个数（所有 `requires_grad` 的参数元素之和）。见《深度卷积神经网络（AlexNet）》。"""
    if not isinstance(net, nn.Module):
        raise TypeError(f"net 必须是 nn.Module，收到 {type(net).__name__}")
    return sum(p.numel() for p in net.parameters() if p.requires_grad)


def count_flops(net: nn.Module, input_shape: Sequence[int]) -> int:
    """前向计算一张 `input_shape` 图片的 FLOPs：只计卷积与矩阵乘，一次乘加算 2 次（PyTorch FlopCounterMode 的口径）。见《深度卷积神经网络（AlexNet）》。"""
    from torch.utils.flop_counter import FlopCounterMode

    X = _example(input_shape)
    with _inference(net), FlopCounterMode(display=False) as counter:
        net(X)
    return counter.get_total_flops()


def _human(n: float) -> str:
    for unit, scale in (("G", 1e9), ("M", 1e6), ("K", 1e3)):
        if abs(n) >= scale:
            return f"{n / scale:.2f} {unit}"
    return f"{n:.0f}"


def layer_table(net: nn.Module, input_shape: Sequence[int]):
    """把一张图依次送过 `net` 的每个直接子模块，列出各自的输出形状与参数量（pandas.DataFrame）。见《深度卷积神经网络（AlexNet）》。"""
    import pandas as pd

    X = _example(input_shape)
    rows = []
    with _inference(net):
        for name, layer in net.named_children():
            X = layer(X)
            rows.append({"层": f"{name}: {type(layer).__name__}", "输出形状": tuple(X.shape),
                         "参数量": count_parameters(layer)})
    return pd.DataFrame(rows).set_index("层")


def cost_table(**nets: tuple[nn.Module, Sequence[int]]):
    """并排比较几个模型（通常是 cpu 与 full 两种规模）的输入、参数量和每张图的 FLOPs。见《深度卷积神经网络（AlexNet）》。

    用法：`cost_table(cpu=(net_cpu, (1, 96, 96)), full=(net_full, (1, 224, 224)))`。
    """
    import pandas as pd

    if not nets:
        raise ValueError("cost_table 至少需要一个模型，例如 cpu=(net, (1, 28, 28))")
    columns = {}
    for label, pair in nets.items():
        if not (isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[0], nn.Module)):
            raise TypeError(f"{label} 必须是 (nn.Module, (通道, 高, 宽)) 二元组，收到 {type(pair).__name__}")
        net, shape = pair
        flops = count_flops(net, shape)  # validates the shape first
        columns[label] = {"输入": "×".join(map(str, shape)), "参数量": _human(count_parameters(net)),
                          "每张图的 FLOPs": _human(flops)}
    return pd.DataFrame(columns)
