"""The Fashion-MNIST pipeline: IDX files, shuffled batches, label names."""
import gzip
import struct

import pytest
import torch

import d2lbook_utils as d2l
from d2lbook_utils import fashion_mnist


def write_idx(path, magic, shape, payload):
    with gzip.open(path, "wb") as f:
        f.write(struct.pack(">II", magic, shape[0]) + b"".join(struct.pack(">I", n) for n in shape[1:]) + payload)


def test_read_idx_images_labels_and_bad_files(tmp_path):
    write_idx(tmp_path / "img.gz", 2051, (2, 2, 3), bytes(range(12)))
    write_idx(tmp_path / "lab.gz", 2049, (2,), bytes([7, 1]))
    images = fashion_mnist.read_idx(tmp_path / "img.gz")
    assert images.shape == (2, 2, 3) and images.dtype == torch.uint8 and int(images[1, 1, 2]) == 11
    assert fashion_mnist.read_idx(tmp_path / "lab.gz").tolist() == [7, 1]
    write_idx(tmp_path / "short.gz", 2051, (2, 2, 3), bytes(range(11)))
    with pytest.raises(ValueError, match="文件头声明 12 字节"):
        fashion_mnist.read_idx(tmp_path / "short.gz")
    write_idx(tmp_path / "other.gz", 1234, (1,), b"")
    with pytest.raises(ValueError, match="magic number 为 1234"):
        fashion_mnist.read_idx(tmp_path / "other.gz")


def test_tensor_batches_cover_every_example_once_and_repeat_with_the_seed():
    images = torch.arange(10, dtype=torch.uint8).reshape(10, 1, 1).expand(10, 2, 2).contiguous()
    labels = torch.arange(10)

    def epoch(seed):
        batches = fashion_mnist.TensorBatches(images, labels, 4, True, generator=torch.Generator().manual_seed(seed))
        return [y.tolist() for _, y in batches]

    first = epoch(1)
    assert sorted(sum(first, [])) == list(range(10)) and [len(b) for b in first] == [4, 4, 2]
    assert epoch(1) == first and epoch(2) != first
    X, y = next(iter(fashion_mnist.TensorBatches(images, labels, 3, False, resize=4)))
    assert X.shape == (3, 1, 4, 4) and X.dtype == torch.float32 and y.tolist() == [0, 1, 2]
    assert torch.allclose(X[1], torch.full((1, 4, 4), 1 / 255))


def test_labels_are_named_and_checked():
    assert d2l.get_fashion_mnist_labels(torch.tensor([0, 9])) == ["t-shirt", "ankle boot"]
    with pytest.raises(ValueError, match="0 到 9 之间，收到 10"):
        d2l.get_fashion_mnist_labels([10])


def test_real_fashion_mnist_when_available():
    if d2l.data_dir() is None:
        pytest.skip("D2LBOOK_DATA is not set")
    train, test = d2l.load_data_fashion_mnist(1000)
    assert len(train.images) == 60000 and len(test.images) == 10000
    assert torch.bincount(test.labels).tolist() == [1000] * 10  # the official test split is balanced
    subset, _ = d2l.load_data_fashion_mnist(1000, num_train=2500)
    assert torch.equal(subset.images, train.images[:2500]) and len(subset) == 3
    with pytest.raises(ValueError, match="num_train 必须是 1 到 60000 之间的整数，收到 60001"):
        d2l.load_data_fashion_mnist(1000, num_train=60001)
