"""设备选择：同一份代码在 CPU 和 GPU 上都能运行（《GPU》一节详细讲解）。"""
from __future__ import annotations

import torch

from ._checks import check_int

__all__ = ["cpu", "gpu", "num_gpus", "try_all_gpus", "try_gpu"]


def cpu() -> torch.device:
    """返回 CPU 设备。见《GPU》。"""
    return torch.device("cpu")


def num_gpus() -> int:
    """可用的 CUDA GPU 数量；没有 GPU 时为 0。见《GPU》。"""
    return torch.cuda.device_count()


def gpu(i: int = 0) -> torch.device:
    """返回第 i 块 GPU（`cuda:i`）；只构造设备对象，不检查它是否存在。见《GPU》。"""
    check_int("i", i, minimum=0)
    return torch.device(f"cuda:{i}")


def try_gpu(i: int = 0) -> torch.device:
    """第 i 块 GPU 存在时返回它，否则返回 CPU。见《GPU》。"""
    check_int("i", i, minimum=0)
    return gpu(i) if num_gpus() > i else cpu()


def try_all_gpus() -> list[torch.device]:
    """返回所有 GPU；一块都没有时返回 `[cpu()]`。见《GPU》。"""
    return [gpu(i) for i in range(num_gpus())] or [cpu()]
