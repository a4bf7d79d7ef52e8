"""Fashion-MNIST 的快速数据管道（《图像分类数据集》一节讲解）。

gzip 压缩的 IDX 文件只解码一次，整个数据集作为 uint8 张量放在内存里（训练集约 47 MB）；
每个小批量直接按下标切片，再整体转成 float 并（可选地）用 torchvision.transforms.v2 整批缩放。
这比 `DataLoader` 对每张图片单独做 PIL 变换快得多，而且打乱顺序由带种子的生成器决定，结果可复现。
"""
from __future__ import annotations

import functools
import gzip
import struct
from typing import Iterator

import torch

from ._checks import check_int
from .data import fetch

__all__ = ["load_fashion_mnist_tensors", "get_fashion_mnist_labels", "load_data_fashion_mnist"]

LABELS = ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle boot"]
IMAGE_MAGIC, LABEL_MAGIC = 2051, 2049


def read_idx(path) -> torch.Tensor:
    """把一个 gzip 压缩的 IDX 文件读成 uint8 张量（图片为 (n, 28, 28)，标签为 (n,)），并检查文件头。"""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    magic, count = struct.unpack(">II", raw[:8])
    if magic == IMAGE_MAGIC:
        rows, cols = struct.unpack(">II", raw[8:16])
        shape, offset = (count, rows, cols), 16
    elif magic == LABEL_MAGIC:
        shape, offset = (count,), 8
    else:
        raise ValueError(f"{path} 不是 IDX 图片或标签文件（magic number 为 {magic}）")
    body = raw[offset:]
    expected = 1
    for n in shape:
        expected *= n
    if len(body) != expected:
        raise ValueError(f"{path} 的数据长度为 {len(body)} 字节，文件头声明 {expected} 字节")
    return torch.frombuffer(bytearray(body), dtype=torch.uint8).reshape(shape)


@functools.lru_cache(maxsize=None)
def load_fashion_mnist_tensors(train: bool) -> tuple[torch.Tensor, torch.Tensor]:
    """返回 (图片, 标签) 两个 uint8/int64 张量；每个进程只解码一次。见《图像分类数据集》。"""
    if not isinstance(train, bool):
        raise TypeError(f"train 必须是 True（训练集）或 False（测试集），收到 {type(train).__name__} 类型的 {train!r}")
    split = "train" if train else "test"
    images = read_idx(fetch(f"fashion_mnist/{split}-images"))
    labels = read_idx(fetch(f"fashion_mnist/{split}-labels")).long()
    return images, labels


def get_fashion_mnist_labels(labels) -> list[str]:
    """把数字标签（0–9）换成英文类别名。见《图像分类数据集》。"""
    names = []
    for label in labels:
        index = int(label)
        if not 0 <= index < len(LABELS):
            raise ValueError(f"labels 中的标签必须在 0 到 9 之间，收到 {index}")
        names.append(LABELS[index])
    return names


class TensorBatches:
    """按下标切片的小批量迭代器：图片 uint8 (n, H, W) → float (b, 1, H', W')，值在 [0, 1]。

    `shuffle=True` 时每轮用 `generator` 生成一个新的排列；同一个种子得到同样的批次序列。
    """

    def __init__(self, images: torch.Tensor, labels: torch.Tensor, batch_size: int, shuffle: bool,
                 resize: int | tuple[int, int] | None = None, generator: torch.Generator | None = None) -> None:
        check_int("batch_size", batch_size, minimum=1)
        if len(images) != len(labels):
            raise ValueError(f"images 与 labels 的数量必须相同，收到 {len(images)} 与 {len(labels)}")
        self.images, self.labels = images, labels
        self.batch_size, self.shuffle = batch_size, shuffle
        self.generator = generator
        self.resize = None
        if resize is not None:
            from torchvision.transforms import v2

            size = (resize, resize) if isinstance(resize, int) else tuple(resize)
            for s in size:
                check_int("resize", s, minimum=1)
            self.resize = v2.Resize(size, antialias=True)

    def __len__(self) -> int:
        return (len(self.images) + self.batch_size - 1) // self.batch_size

    def __iter__(self) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        n = len(self.images)
        order = torch.randperm(n, generator=self.generator) if self.shuffle else None
        for start in range(0, n, self.batch_size):
            if order is None:
                X, y = self.images[start:start + self.batch_size], self.labels[start:start + self.batch_size]
            else:
                idx = order[start:start + self.batch_size]
                X, y = self.images[idx], self.labels[idx]
            X = X.unsqueeze(1).float().div_(255)
            if self.resize is not None:
                X = self.resize(X)
            yield X, y


def load_data_fashion_mnist(batch_size: int, resize: int | tuple[int, int] | None = None,
                            seed: int | None = None, num_train: int | None = None) -> tuple[TensorBatches, TensorBatches]:
    """返回 Fashion-MNIST 的 (训练迭代器, 测试迭代器)。见《图像分类数据集》。

    训练集每轮打乱（`seed` 为 None 时用全局随机状态，也就是 `d2l.setup()` 设的种子），测试集按原顺序。
    `resize` 给出时把整批图片缩放到该尺寸（如 LeNet 之后的模型需要更大的输入）。
    `num_train` 给出时只用训练集的前 `num_train` 张（原文件顺序已打乱、各类均衡），用于在 CPU 上缩小规模。
    """
    check_int("batch_size", batch_size, minimum=1)
    generator = None
    if seed is not None:
        generator = torch.Generator().manual_seed(check_int("seed", seed, minimum=0))
    images, labels = load_fashion_mnist_tensors(True)
    if num_train is not None:
        check_int("num_train", num_train, minimum=1, maximum=len(images))
        images, labels = images[:num_train], labels[:num_train]
    train = TensorBatches(images, labels, batch_size, True, resize, generator)
    test = TensorBatches(*load_fashion_mnist_tensors(False), batch_size, False, resize)
    return train, test
