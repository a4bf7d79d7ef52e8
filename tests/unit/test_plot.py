"""Plotting helpers, headless (no Jupyter)."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

import d2lbook_utils as d2l  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    d2l.plt.close("all")


def lines(ax):
    return [(list(line.get_xdata()), list(line.get_ydata())) for line in ax.get_lines()]


def test_plot_one_series_against_its_index():
    ax = d2l.plot([3.0, 1.0, 2.0])
    assert lines(ax) == [([0, 1, 2], [3.0, 1.0, 2.0])]


def test_plot_several_series_sharing_x_with_tensors_that_require_grad():
    x = torch.arange(4.0, requires_grad=True)
    ax = d2l.plot(x, [x * 2, x ** 2], legend=["2x", "x^2"], yscale="log", xlabel="x")
    assert [y for _, y in lines(ax)] == [[0, 2, 4, 6], [0, 1, 4, 9]]
    assert ax.get_yscale() == "log" and ax.get_xlabel() == "x"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["2x", "x^2"]


def test_plot_separate_x_per_series_and_formats():
    ax = d2l.plot([np.arange(2), np.arange(3)], [np.ones(2), np.zeros(3)], fmts=["r-", "b:"])
    assert [line.get_linestyle() for line in ax.get_lines()] == ["-", ":"]


@pytest.mark.parametrize("call, text", [
    (lambda: d2l.plot([1, 2, 3], [1, 2]), "x 与 y 长度必须相同"),
    (lambda: d2l.plot([1, 2], [1, 2], legend=["a", "b"]), "legend 必须为每条曲线给一个名字"),
    (lambda: d2l.plot([1, 2], xscale="cubic"), "xscale 必须是"),
    (lambda: d2l.plot([1, 2], figsize=(3, -1)), "figsize 的元素 必须大于 0"),
    (lambda: d2l.set_figsize("big"), "figsize 必须是"),
])
def test_plot_reports_bad_arguments(call, text):
    with pytest.raises((ValueError, TypeError), match=text):
        call()


def test_set_figsize_changes_the_default_used_by_plot():
    d2l.set_figsize((5, 3))
    assert tuple(d2l.plot([1, 2]).figure.get_size_inches()) == (5, 3)
    assert tuple(d2l.plot([1, 2], figsize=(2, 1)).figure.get_size_inches()) == (2, 1)
    d2l.set_figsize()
    assert tuple(d2l.plot([1, 2]).figure.get_size_inches()) == (3.5, 2.5)


def test_show_images_grid_with_titles():
    imgs = [torch.rand(4, 4) for _ in range(5)]
    axes = d2l.show_images(imgs, 2, 3, titles=list("abcde"))
    assert len(axes) == 6 and axes[4].get_title() == "e" and not axes[5].images
    with pytest.raises(ValueError, match="放不进 1×2"):
        d2l.show_images(imgs, 1, 2)
    with pytest.raises(ValueError, match="num_rows 必须是正整数"):
        d2l.show_images(imgs, 0, 2)


def test_animator_headless_records_points_and_skips_none():
    animator = d2l.Animator(xlabel="epoch", legend=["train", "test"], xlim=[1, 3])
    for epoch in (1, 2, 3):
        animator.add(epoch, [1.0 / epoch, None if epoch == 2 else 0.5])
    assert animator.X == [[1, 2, 3], [1, 3]] and animator.Y[1] == [0.5, 0.5]
    assert len(animator.axes[0].get_lines()) == 2
    assert not d2l.plt.get_fignums()  # detached from pyplot: the inline backend will not show it twice
    with pytest.raises(ValueError, match="已有 2 条曲线，这次收到 1 个值"):
        animator.add(4, 0.1)


def test_animator_checks_arguments():
    with pytest.raises(ValueError, match="nrows 必须是正整数"):
        d2l.Animator(nrows=0)
    with pytest.raises(ValueError, match="yscale 必须是"):
        d2l.Animator(yscale="exp")


def test_heatmaps_carry_token_labels():
    axes = d2l.show_heatmaps(torch.rand(1, 2, 3, 4), "keys", "queries", xticklabels=list("abcd"),
                             yticklabels=["x", "y", "z"])
    assert [t.get_text() for t in axes[0, 1].get_xticklabels()] == list("abcd")
    assert [t.get_text() for t in axes[0, 0].get_yticklabels()] == ["x", "y", "z"]
    with pytest.raises(ValueError, match="xticklabels"):
        d2l.show_heatmaps(torch.rand(1, 1, 3, 4), "k", "q", xticklabels=list("abc"))
    d2l.plt.close("all")
