"""Examples/sec of one training epoch of the chapter's MLP: the book's pipeline versus the common torchvision way.

    D2LBOOK_DATA=... python benchmarks/fashion_mnist.py [--threads 1] [--batch-size 256]

Both runs train the same MLP (784-256-10, SGD, lr 0.1) for one epoch with the same batch size on this machine:
(a) d2l.load_data_fashion_mnist: decoded once to a uint8 tensor, batches by slicing;
(b) DataLoader(datasets.FashionMNIST(transform=ToTensor()), shuffle=True, num_workers=0): a PIL image and a
    ToTensor call per example. Data decoding before the epoch is not timed for either. Target ratio: >= 3x.
"""
from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

import d2lbook_utils as d2l


def mlp() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))


def examples_per_sec(train_iter) -> float:
    net = mlp()
    updater = torch.optim.SGD(net.parameters(), lr=0.1)
    loss = nn.CrossEntropyLoss(reduction="none")
    start = time.perf_counter()
    _, acc = d2l.train_epoch_ch3(net, train_iter, loss, updater)
    seconds = time.perf_counter() - start
    assert acc > 0.6, f"the epoch did not train (train acc {acc:.3f})"
    return 60000 / seconds


def torchvision_loader(root: Path, batch_size: int) -> DataLoader:
    """The standard API, offline: put the verified .gz files where torchvision looks for them."""
    raw = root / "FashionMNIST" / "raw"
    raw.mkdir(parents=True)
    for split in ("train-images", "train-labels", "test-images", "test-labels"):
        shutil.copy(d2l.fetch(f"fashion_mnist/{split}"), raw)
    dataset = datasets.FashionMNIST(root, train=True, transform=transforms.ToTensor(), download=True)
    return DataLoader(dataset, batch_size, shuffle=True, num_workers=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=256)
    args = parser.parse_args()
    d2l.setup(num_threads=args.threads)
    ours = examples_per_sec(d2l.load_data_fashion_mnist(args.batch_size)[0])
    with tempfile.TemporaryDirectory() as root:
        common = examples_per_sec(torchvision_loader(Path(root), args.batch_size))
    print(f"threads {torch.get_num_threads()}, batch size {args.batch_size}, device cpu")
    print(f"book pipeline      {ours:10.0f} examples/sec")
    print(f"torchvision + PIL  {common:10.0f} examples/sec")
    print(f"ratio {ours / common:.1f}x (target >= 3x)")


if __name__ == "__main__":
    main()
