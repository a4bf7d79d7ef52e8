"""把内存里的张量变成小批量迭代器（PyTorch 的 DataLoader）。见《线性回归的简洁实现》。"""
from __future__ import annotations

import torch
from torch.utils import data

from ._checks import check_int

__all__ = ["load_array"]


def load_array(data_arrays: tuple[torch.Tensor, ...], batch_size: int, is_train: bool = True,
               generator: torch.Generator | None = None) -> data.DataLoader:
    """把若干个张量包装成 PyTorch 的数据迭代器；训练时打乱（用 `generator` 或全局种子），测试时按顺序。见《线性回归的简洁实现》。"""
    check_int("batch_size", batch_size, minimum=1)
    lengths = {len(a) for a in data_arrays}
    if len(lengths) != 1:
        raise ValueError(f"data_arrays 中各张量的第 0 维长度必须相同，收到 {sorted(lengths)}")
    dataset = data.TensorDataset(*data_arrays)
    return data.DataLoader(dataset, batch_size, shuffle=is_train, generator=generator, num_workers=0)
