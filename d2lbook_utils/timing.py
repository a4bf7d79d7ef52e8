"""计时与累加：训练循环里记录耗时和各项指标之和。"""
from __future__ import annotations

import time

import numpy as np

from ._checks import check_int

__all__ = ["Accumulator", "Timer"]


class Timer:
    """记录多次运行的耗时（秒）。创建时即开始计时。见《线性回归》。"""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.start()

    def start(self) -> None:
        """开始（或重新开始）一次计时。"""
        self._tik = time.perf_counter()

    def stop(self) -> float:
        """结束本次计时，记录并返回耗时。"""
        self.times.append(time.perf_counter() - self._tik)
        return self.times[-1]

    def avg(self) -> float:
        """平均耗时；还没有记录时为 0。"""
        return self.sum() / len(self.times) if self.times else 0.0

    def sum(self) -> float:
        """总耗时。"""
        return float(sum(self.times))

    def cumsum(self) -> list[float]:
        """累计耗时。"""
        return np.cumsum(self.times).tolist()


class Accumulator:
    """同时对 n 个量求和，例如（损失之和，正确数，样本数）。见《softmax 回归的从零开始实现》。"""

    def __init__(self, n: int) -> None:
        check_int("n", n, minimum=1)
        self.data = [0.0] * n

    def add(self, *args: float) -> None:
        """每个位置加上对应的值；参数个数必须等于 n。"""
        if len(args) != len(self.data):
            raise ValueError(f"add 需要 {len(self.data)} 个数值，收到 {len(args)} 个")
        self.data = [a + float(b) for a, b in zip(self.data, args)]

    def reset(self) -> None:
        """全部清零。"""
        self.data = [0.0] * len(self.data)

    def __getitem__(self, idx: int) -> float:
        return self.data[idx]

    def __len__(self) -> int:
        return len(self.data)
