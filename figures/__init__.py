"""The book's drawn figures: one module per chapter, one function per figure, all in the style of `style.py`.

    @figure("convolutional-modern/resnet", "residual-block", covers=("residual-block",),
            alt="……", caption="……", size=(520, 300))
    def residual_block(c):      # c: a style.Canvas of that size
        ...

`python -m tools.figures` draws every registered figure into `chapters/<chapter>/img/<name>.svg` and
refreshes the notebook cells that show them; `--check` fails when a committed file or cell is stale.
Static diagrams only: figures that show numbers a lesson computes are drawn in the notebook by package
helpers (`d2l.show_correlation`, …) from the lesson's own tensors.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Callable

# Chapter modules in the book's order; each registers its figures when imported.
MODULES = ("preliminaries", "linear_networks", "multilayer_perceptrons", "deep_learning_computation",
           "convolutional_neural_networks", "convolutional_modern", "recurrent_neural_networks",
           "recurrent_modern", "attention_mechanisms")


@dataclass(frozen=True)
class Figure:
    section: str            # "chapter/section": the notebook chapters/<section>.ipynb shows it
    name: str               # file name without .svg, unique in the book
    alt: str                # what the figure shows, for readers who cannot see it
    caption: str            # the sentence under the figure
    size: tuple[int, int]   # canvas width and height in pixels (100 per inch)
    draw: Callable
    covers: tuple[str, ...] = field(default=())  # the d2l figures (FIGURES.md) it stands in for

    @property
    def chapter(self) -> str:
        return self.section.split("/")[0]


REGISTRY: dict[str, Figure] = {}


def figure(section: str, name: str, *, alt: str, caption: str, size: tuple[int, int], covers=()):
    def register(draw):
        if name in REGISTRY:
            raise ValueError(f"图名 {name!r} 重复：{REGISTRY[name].section} 与 {section}")
        if section.count("/") != 1:
            raise ValueError(f"section 必须形如 '章/节'，收到 {section!r}")
        if not alt.strip() or not caption.strip():
            raise ValueError(f"图 {name!r} 缺少 alt 或 caption")
        REGISTRY[name] = Figure(section, name, alt.strip(), caption.strip(), tuple(size), draw, tuple(covers))
        return draw
    return register


def all_figures() -> list[Figure]:
    for module in MODULES:
        try:
            importlib.import_module(f"figures.{module}")
        except ModuleNotFoundError as e:
            if e.name != f"figures.{module}":
                raise
    return list(REGISTRY.values())


# Figures that show numbers a lesson computes: drawn in the notebook by a package helper from the lesson's own
# tensors, in a code cell whose metadata names the figure ({"figure": NAME}). NAME: (section, helper, covers).
COMPUTED = {
    "correlation": ("convolutional-neural-networks/conv-layer", "show_correlation", ("correlation",)),
    "conv-pad": ("convolutional-neural-networks/padding-and-strides", "show_correlation", ("conv-pad",)),
    "conv-stride": ("convolutional-neural-networks/padding-and-strides", "show_correlation", ("conv-stride",)),
    "conv-multi-in": ("convolutional-neural-networks/channels", "show_correlation", ("conv-multi-in",)),
    "conv-1x1": ("convolutional-neural-networks/channels", "show_conv1x1", ("conv-1x1",)),
    "pooling": ("convolutional-neural-networks/pooling", "show_pooling", ("pooling",)),
    "partition": ("recurrent-neural-networks/language-models-and-dataset", "show_partition", ("timemachine-5gram",)),
    "greedy-search": ("recurrent-modern/beam-search", "show_beam_search", ("s2s-prob1",)),
    "beam-search-tree": ("recurrent-modern/beam-search", "show_beam_search", ("s2s-prob2", "beam-search")),
}
# Photos of d2l replaced by a figure computed from data (FIGURES.md's "photo" rows), same convention.
PHOTOS = {
    "resolutions": ("preliminaries/probability", "show_images", ("cat-dog-pixels",)),
    "covariate-shift": ("multilayer-perceptrons/environment", "show_images", ("cat-dog-train", "cat-dog-test")),
    "template-match": ("convolutional-neural-networks/why-conv", "show_images", ("where-wally", "waldo-mask")),
    "lenet-activations": ("convolutional-neural-networks/lenet", "show_images", ()),
    "alexnet-filters": ("convolutional-modern/alexnet", "show_images", ("filters",)),
}
# Widgets that redraw a computed figure when a control moves (their static first state is kept in the HTML).
INTERACTIVE = {
    "padding-stride-widget": ("convolutional-neural-networks/padding-and-strides", "show_correlation"),
    "pooling-widget": ("convolutional-neural-networks/pooling", "show_pooling"),
    "partition-widget": ("recurrent-neural-networks/language-models-and-dataset", "show_partition"),
    "beam-size-widget": ("recurrent-modern/beam-search", "show_beam_search"),
}
# Photo rows left out, and why (the closing note repeats this).
LEFT_OUT = {
    "popvssoda": "a map of regional words for soft drinks: nothing in the lesson computes it",
    "kaggle": "screenshots of a website", "house-pricing": "screenshots of a website",
    "kaggle-submit2": "screenshots of a website",
    "ftse100": "the lesson already plots its own synthetic series in place of a stock index",
}
