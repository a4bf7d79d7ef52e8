"""NiN with and without the ReLU after its last 1x1 convolution: test accuracy and dead classes over seeds.

    D2LBOOK_DATA=... python benchmarks/nin_final_relu.py [--seeds 0 1 2] [--jobs 2]

d2l's NiN ends its last block with a ReLU, so a class score is never negative; once a class's channel is 0 for
every input, its gradient is 0 too and the class is never predicted again. Each variant is trained as the
notebook's cpu profile trains it (width 0.25, 68x68, batch 64, lr 0.02, momentum 0.9, Kaiming, 4 epochs), once
per seed, and the report gives the test accuracy and how many of the 10 class scores are 0 on every test image.
`--jobs 2` trains two runs side by side, each on one thread. Target: with the ReLU removed, every seed reaches
the notebook's assert (test acc >= 0.84) and no class is dead.
"""
from __future__ import annotations

import argparse
import contextlib
import io
from concurrent.futures import ProcessPoolExecutor

import torch
from torch import nn

import d2lbook_utils as d2l


def nin(final_relu: bool) -> nn.Module:
    """The notebook's `nin(0.25)`: four NiN blocks (24, 64, 96, 10 channels) and global average pooling."""
    def block(c_in: int, c_out: int, kernel_size: int, stride: int, padding: int, last_relu: bool = True):
        layers = [nn.Conv2d(c_in, c_out, kernel_size, stride, padding), nn.ReLU(),
                  nn.Conv2d(c_out, c_out, 1), nn.ReLU(), nn.Conv2d(c_out, c_out, 1)]
        return nn.Sequential(*layers, *([nn.ReLU()] if last_relu else []))

    return nn.Sequential(
        block(1, 24, 11, 4, 0), nn.MaxPool2d(3, stride=2), block(24, 64, 5, 1, 2), nn.MaxPool2d(3, stride=2),
        block(64, 96, 3, 1, 1), nn.MaxPool2d(3, stride=2), nn.Dropout(0.5),
        block(96, 10, 3, 1, 1, last_relu=final_relu), nn.AdaptiveAvgPool2d(1), nn.Flatten())


def run(final_relu: bool, seed: int) -> tuple[float, int]:
    """(test accuracy, number of classes whose score is 0 on every test image) after training one seed."""
    d2l.setup(seed=seed, num_threads=1)
    net = nin(final_relu)
    train_iter, test_iter = d2l.load_data_fashion_mnist(64, resize=68)
    with contextlib.redirect_stdout(io.StringIO()):  # keep train_ch6's own summary out of the report
        acc = d2l.train_ch6(net, train_iter, test_iter, 4, 0.02, d2l.cpu(), momentum=0.9, init="kaiming")["test_acc"]
    net.eval()
    always_zero = torch.ones(10, dtype=torch.bool)
    with torch.no_grad():
        for X, _ in test_iter:
            always_zero &= (net(X) == 0).all(dim=0)
    return acc, int(always_zero.sum())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--jobs", type=int, choices=[1, 2], default=2)
    args = parser.parse_args()
    print(f"NiN (cpu profile), seeds {args.seeds}, {args.jobs} run(s) at a time, one thread each", flush=True)
    runs = [(final_relu, seed) for final_relu in (True, False) for seed in args.seeds]
    with ProcessPoolExecutor(args.jobs) as pool:
        results = dict(zip(runs, pool.map(run, *zip(*runs))))
    for final_relu, label in ((True, "last ReLU kept (d2l)"), (False, "last ReLU removed (book)")):
        cells = [results[final_relu, seed] for seed in args.seeds]
        accs = " ".join(f"{acc:.3f}" for acc, _ in cells)
        dead = " ".join(str(n) for _, n in cells)
        print(f"{label:26s} test acc {accs}  dead classes {dead}  min {min(a for a, _ in cells):.3f}")
    print(f"torch {torch.__version__}")


if __name__ == "__main__":
    main()
