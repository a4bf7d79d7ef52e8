"""Examples/sec of `d2l.train_ch6` on LeNet: the book's pipeline versus a per-sample ToTensor DataLoader.

    D2LBOOK_DATA=... python benchmarks/lenet.py [--threads 1 2] [--repeats 3]

The same LeNet (sigmoid, average pooling, d2l's chapter-6 model), batch size 256 and lr 0.9 are trained for one
epoch with `d2l.train_ch6` over (a) `d2l.load_data_fashion_mnist` and (b) `DataLoader(datasets.FashionMNIST(
transform=ToTensor()), shuffle=True, num_workers=0)`, the common way. train_ch6 measures the training time
itself. The two runs alternate `--repeats` times per thread count and the best of each is kept, because a shared
machine's speed drifts by tens of percent from minute to minute. Target: >= 2x at the machine's default thread
count (all cores, as a reader runs the notebooks).
"""
from __future__ import annotations

import argparse
import contextlib
import io
import os
import tempfile
from pathlib import Path

import torch
from torch import nn

import d2lbook_utils as d2l
from fashion_mnist import torchvision_loader


def lenet() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.Sigmoid(), nn.AvgPool2d(2, 2),
        nn.Conv2d(6, 16, kernel_size=5), nn.Sigmoid(), nn.AvgPool2d(2, 2), nn.Flatten(),
        nn.Linear(16 * 5 * 5, 120), nn.Sigmoid(), nn.Linear(120, 84), nn.Sigmoid(), nn.Linear(84, 10))


def examples_per_sec(train_iter, test_iter) -> float:
    with contextlib.redirect_stdout(io.StringIO()):  # keep train_ch6's own summary out of the report
        return d2l.train_ch6(lenet(), train_iter, test_iter, 1, 0.9, d2l.cpu())["examples_per_sec"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, nargs="+", default=[1, os.cpu_count() or 1])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    train_iter, test_iter = d2l.load_data_fashion_mnist(256)
    with tempfile.TemporaryDirectory() as root:
        common_iter = torchvision_loader(Path(root), 256)
        for threads in dict.fromkeys(args.threads):
            d2l.setup(num_threads=threads)
            ours, common = 0.0, 0.0
            for _ in range(args.repeats):
                ours = max(ours, examples_per_sec(train_iter, test_iter))
                common = max(common, examples_per_sec(common_iter, test_iter))
            print(f"threads {threads}, batch size 256, best of {args.repeats} one-epoch runs, device cpu")
            print(f"  book pipeline      {ours:10.0f} examples/sec")
            print(f"  torchvision + PIL  {common:10.0f} examples/sec")
            print(f"  ratio {ours / common:.1f}x (target >= 2x)")


if __name__ == "__main__":
    main()
