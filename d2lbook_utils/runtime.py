"""运行环境：随机种子、确定性算法、线程数、打印格式，以及 cpu/full 两种计算规模。

每个笔记本开头调用一次 `setup()`（《数据操作》一节介绍）。
"""
from __future__ import annotations

import ctypes
import os
import random
import sys
from typing import Any

import numpy as np
import torch

from ._checks import check_choice, check_int
from .plot import set_figsize, use_png

__all__ = ["by_profile", "profile", "profile_table", "setup"]

PROFILES = ("cpu", "full")
THREADS_ENV = "D2LBOOK_NUM_THREADS"
PROFILE_ENV = "D2LBOOK_PROFILE"
SEED_OFFSET_ENV = "D2LBOOK_SEED_OFFSET"


def num_threads_from_env() -> int | None:
    """读取环境变量 D2LBOOK_NUM_THREADS；未设置时返回 None（保留 PyTorch 的默认线程数）。见《数据操作》。"""
    raw = os.environ.get(THREADS_ENV)
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"环境变量 {THREADS_ENV} 必须是正整数，收到 {raw!r}")
    return int(raw)


def seed_offset_from_env() -> int:
    """读取环境变量 D2LBOOK_SEED_OFFSET（默认 0）：`setup()` 把它加到种子上，用来检验结论是否依赖种子。见《前言》。"""
    raw = os.environ.get(SEED_OFFSET_ENV, "")
    if raw == "":
        return 0
    if not raw.isdigit():
        raise ValueError(f"环境变量 {SEED_OFFSET_ENV} 必须是非负整数，收到 {raw!r}")
    return int(raw)


def profile() -> str:
    """当前计算规模：'cpu'（默认，笔记本电脑上约一分钟跑完）或 'full'（d2l 原书规模，需要 GPU）。见《前言》。"""
    return check_choice(f"环境变量 {PROFILE_ENV}", os.environ.get(PROFILE_ENV, "cpu"), PROFILES)


def setup(seed: int = 0, num_threads: int | None = None) -> None:
    """让笔记本可复现：固定随机种子、启用确定性算法、固定线程数、统一打印格式与 PNG 图。见《数据操作》。

    在 Linux 上还让 C 库保留释放的大块内存以便重用（训练更快，见 `_keep_freed_memory`）。

    `num_threads` 为 None 时读取环境变量 D2LBOOK_NUM_THREADS（测试与执行工具把它设为 1），
    两者都没有时沿用 PyTorch 的默认线程数。环境变量 D2LBOOK_SEED_OFFSET 会加到 `seed` 上
    （`benchmarks/spread.py` 用它换种子重跑；笔记本里单独调用的 `torch.manual_seed` 不受影响）。
    """
    check_int("seed", seed, minimum=0)
    seed += seed_offset_from_env()
    threads = num_threads_from_env() if num_threads is None else check_int("num_threads", num_threads, minimum=1)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    # cuBLAS needs this variable for deterministic matmuls; it must be set before CUDA starts.
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    # warn_only: a few GPU kernels have no deterministic version; on the CPU everything used here has.
    torch.use_deterministic_algorithms(True, warn_only=True)
    torch.backends.cudnn.benchmark = False
    if threads is not None:
        torch.set_num_threads(threads)
    _keep_freed_memory()
    torch.set_printoptions(precision=4, sci_mode=None, linewidth=80)
    np.set_printoptions(precision=4, linewidth=80, suppress=False)
    set_figsize()
    use_png()


def _keep_freed_memory() -> None:
    """Let glibc keep freed blocks of up to 32 MiB for reuse instead of returning them to the OS.

    PyTorch's CPU tensors come straight from malloc. By default glibc gives every block over 128 KiB back to the
    OS when it is freed, so a training step that allocates a few MiB per minibatch page-faults them in again each
    time: about 1200 faults per minibatch and ~8% of the step time for the RNN of 《循环神经网络的从零开始实现》
    (measured). Other C libraries are left alone.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL("libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return
    M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
    mallopt(M_MMAP_THRESHOLD, 32 << 20)  # glibc's upper limit on 64-bit systems
    mallopt(M_TRIM_THRESHOLD, 256 << 20)


def by_profile(cpu: dict[str, Any], full: dict[str, Any]) -> dict[str, Any]:
    """按当前规模从两组超参数中选出一组；两组必须有相同的键，保证同一份代码两种规模都能跑。见《前言》。"""
    if not isinstance(cpu, dict) or not isinstance(full, dict):
        raise TypeError("cpu 与 full 必须都是 dict（超参数名 → 取值）")
    if set(cpu) != set(full):
        raise ValueError(f"cpu 与 full 的键必须相同，多出或缺少：{sorted(set(cpu) ^ set(full))}")
    return dict(cpu if profile() == "cpu" else full)


def profile_table(cpu: dict[str, Any], full: dict[str, Any]):
    """把两种规模的超参数并排放进一张表（pandas.DataFrame），当前规模标 ``*``。见《前言》。"""
    import pandas as pd

    by_profile(cpu, full)  # same validation
    current = profile()
    columns = [f"{name}{' *' if name == current else ''}" for name in ("cpu", "full")]
    # Row by row with dtype=object, so each value prints as given (a column mixing 60000 and 0.25 would
    # otherwise turn 60000 into 60000.0).
    rows = [[cpu[key], full[key]] for key in cpu]
    return pd.DataFrame(rows, index=list(cpu), columns=columns, dtype=object).rename_axis("超参数")
