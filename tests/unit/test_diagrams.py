"""The figures drawn from a lesson's tensors compute what the lesson's code computes."""
import matplotlib

matplotlib.use("Agg")
import pytest  # noqa: E402
import torch  # noqa: E402

import d2lbook_utils as d2l  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    d2l.plt.close("all")


def corr2d(X, K):
    kh, kw = K.shape
    return torch.tensor([[(X[i:i + kh, j:j + kw] * K).sum() for j in range(X.shape[1] - kw + 1)]
                         for i in range(X.shape[0] - kh + 1)])


def test_correlation_is_the_lessons_corr2d():
    X, K = torch.arange(9.0).reshape(3, 3), torch.arange(4.0).reshape(2, 2)
    assert torch.equal(d2l.show_correlation(X, K), corr2d(X, K))
    assert d2l.plt.gcf().axes[0].texts[-1].get_text() == "0×0 + 1×1 + 3×2 + 4×3 = 19"


def test_padding_stride_and_channels():
    X = torch.arange(64.0).reshape(8, 8)
    K = torch.arange(4.0).reshape(2, 2)
    Y = d2l.show_correlation(X, K, padding=1, stride=(3, 2), at=(1, 1))
    assert Y.shape == (3, 5) and torch.equal(Y, corr2d(torch.nn.functional.pad(X, (1, 1, 1, 1)), K)[::3, ::2])
    X2, K2 = torch.stack([X[:3, :3], X[:3, :3] + 1]), torch.stack([K, K + 1])
    assert torch.equal(d2l.show_correlation(X2, K2), corr2d(X2[0], K2[0]) + corr2d(X2[1], K2[1]))


def test_pooling_and_1x1():
    X = torch.arange(9.0).reshape(3, 3)
    assert torch.equal(d2l.show_pooling(X, 2, stride=1), torch.tensor([[4.0, 5.0], [7.0, 8.0]]))
    assert torch.equal(d2l.show_pooling(X, 2, stride=1, mode="avg"), torch.tensor([[2.0, 3.0], [5.0, 6.0]]))
    X3, K = torch.rand(3, 3, 3), torch.rand(2, 3)
    assert torch.allclose(d2l.show_conv1x1(X3, K), torch.einsum("oc,chw->ohw", K, X3))


def test_partition_and_beam_search():
    assert d2l.show_partition(list("abcdefgh"), 3, 1) == [list("bcd"), list("efg")]
    table = {(): {"A": 0.5, "B": 0.4, "<eos>": 0.1}, ("A",): {"A": 0.3, "<eos>": 0.7}, ("B",): {"<eos>": 1.0}}
    ranked = d2l.show_beam_search(lambda p: table.get(p, {"<eos>": 1.0}), beam_size=2, max_len=3)
    assert ranked[0][0] == ("B", "<eos>") and ranked[0][1] == pytest.approx(0.4)
    greedy = d2l.show_beam_search(lambda p: table.get(p, {"<eos>": 1.0}), beam_size=1, max_len=3)
    assert greedy[0][0] == ("A", "<eos>")


@pytest.mark.parametrize("call, error, word", [
    (lambda: d2l.show_correlation([[1.0]], torch.ones(1, 1)), TypeError, "X"),
    (lambda: d2l.show_correlation(torch.ones(2, 2), torch.ones(3, 3)), ValueError, "卷积核"),
    (lambda: d2l.show_correlation(torch.ones(2, 2, 2), torch.ones(3, 1, 1)), ValueError, "通道数"),
    (lambda: d2l.show_correlation(torch.ones(3, 3), torch.ones(2, 2), stride=0), ValueError, "stride"),
    (lambda: d2l.show_pooling(torch.ones(3, 3), 2, padding=2), ValueError, "padding"),
    (lambda: d2l.show_partition("abcdef", 2, 0), TypeError, "tokens"),
    (lambda: d2l.show_beam_search(lambda p: {}, 2, 3), ValueError, "next_probs"),
])
def test_bad_arguments(call, error, word):
    with pytest.raises(error, match=word):
        call()
