"""线性回归的零件：合成数据、模型、损失和小批量随机梯度下降（《线性回归的从零开始实现》）。"""
from __future__ import annotations

from typing import Iterable

import torch

from ._checks import check_int, check_number

__all__ = ["synthetic_data", "linreg", "squared_loss", "sgd"]


def synthetic_data(w: torch.Tensor, b: float, num_examples: int, noise: float = 0.01,
                   generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """生成 y = Xw + b + 噪声：X 服从标准正态分布，噪声标准差为 `noise`。返回 (X, y)，y 的形状为 (n, 1)。见《线性回归》。"""
    if not isinstance(w, torch.Tensor) or w.ndim != 1:
        raise TypeError(f"w 必须是一维张量，收到 {type(w).__name__}{tuple(getattr(w, 'shape', ()))}")
    check_int("num_examples", num_examples, minimum=1)
    check_number("noise", noise)
    X = torch.normal(0, 1, (num_examples, len(w)), generator=generator)
    y = X @ w + b
    y += torch.normal(0, noise, y.shape, generator=generator)
    return X, y.reshape(-1, 1)


def linreg(X: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """线性回归模型 Xw + b。见《线性回归的从零开始实现》。"""
    if X.ndim != 2 or X.shape[1] != w.shape[0]:
        raise ValueError(f"X 必须是 (样本数, 特征数) 的矩阵，特征数等于 w 的行数 {w.shape[0]}，收到 X 的形状 {tuple(X.shape)}")
    return X @ w + b


def squared_loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """逐样本的平方损失 (y_hat - y)² / 2；y 会被变形成 y_hat 的形状。见《线性回归的从零开始实现》。"""
    if y.numel() != y_hat.numel():
        raise ValueError(f"y 与 y_hat 的元素个数必须相同，收到 {tuple(y.shape)} 与 {tuple(y_hat.shape)}")
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params: Iterable[torch.Tensor], lr: float, batch_size: int) -> None:
    """小批量随机梯度下降：用（按批量大小平均后的）梯度更新参数，然后清零梯度。见《线性回归的从零开始实现》。

    损失在调用前是对批量求和的，所以这里除以 `batch_size`。
    """
    check_number("lr", lr, positive=True)
    check_int("batch_size", batch_size, minimum=1)
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()
