"""从零实现的批量规范化（《批量规范化》一节讲解；benchmarks/batch_norm.py 用它与 nn.BatchNorm2d 对比）。"""
from __future__ import annotations

import torch
from torch import nn

from ._checks import check_choice, check_int, check_number

__all__ = ["BatchNorm", "batch_norm"]


def batch_norm(X: torch.Tensor, gamma: torch.Tensor, beta: torch.Tensor, moving_mean: torch.Tensor,
               moving_var: torch.Tensor, *, training: bool, eps: float = 1e-5, momentum: float = 0.1) -> torch.Tensor:
    """训练时用小批量的均值和方差规范化，并把它们移动平均进 moving_mean/moving_var（原地更新）；
    预测时直接用移动平均。`momentum` 沿用 PyTorch 的约定：新统计量所占的权重。见《批量规范化》。"""
    if X.ndim not in (2, 4):
        raise ValueError(f"X 必须是 2 维（全连接层输出）或 4 维（卷积层输出），收到 {X.ndim} 维")
    if not training:
        X_hat = (X - moving_mean) / torch.sqrt(moving_var + eps)
    else:
        dims = (0,) if X.ndim == 2 else (0, 2, 3)  # per feature, or per channel over all pixels
        mean = X.mean(dim=dims, keepdim=True)
        var = ((X - mean) ** 2).mean(dim=dims, keepdim=True)
        X_hat = (X - mean) / torch.sqrt(var + eps)
        with torch.no_grad():  # the running statistics are not parameters: keep them out of the graph
            moving_mean.lerp_(mean, momentum)
            moving_var.lerp_(var, momentum)
    return gamma * X_hat + beta


class BatchNorm(nn.Module):
    """批量规范化层：`num_dims=2` 接在全连接层后，`num_dims=4` 接在卷积层后。见《批量规范化》。

    γ、β 是参数；滑动均值和方差注册为 buffer，所以会随 `.to(device)` 移动、随 `state_dict` 保存。
    """

    def __init__(self, num_features: int, num_dims: int, eps: float = 1e-5, momentum: float = 0.1) -> None:
        super().__init__()
        check_int("num_features", num_features, minimum=1)
        check_choice("num_dims", num_dims, (2, 4))
        self.eps = check_number("eps", eps, positive=True)
        self.momentum = check_number("momentum", momentum, positive=True)
        if self.momentum > 1:  # the weight of the new batch statistics: 1 keeps only the latest batch
            raise ValueError(f"momentum 必须在 (0, 1] 内，收到 {momentum}")
        shape = (1, num_features) if num_dims == 2 else (1, num_features, 1, 1)
        self.gamma = nn.Parameter(torch.ones(shape))
        self.beta = nn.Parameter(torch.zeros(shape))
        self.register_buffer("moving_mean", torch.zeros(shape))
        self.register_buffer("moving_var", torch.ones(shape))

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        if X.ndim != self.gamma.ndim or X.shape[1] != self.gamma.shape[1]:
            raise ValueError(f"BatchNorm 期望形状 (批量, {self.gamma.shape[1]}{', 高, 宽' if self.gamma.ndim == 4 else ''})"
                             f" 的输入，收到 {tuple(X.shape)}")
        return batch_norm(X, self.gamma, self.beta, self.moving_mean, self.moving_var,
                          training=self.training, eps=self.eps, momentum=self.momentum)
