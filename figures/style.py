"""The one visual style of the book's drawn figures, and the primitives every figure is drawn with.

A figure is a function that draws on a `Canvas`: coordinates in pixels of a 100-dpi canvas, y pointing
down (as in SVG), so a diagram reads like its layout. Text stays text in the SVG (no glyph outlines): the
reader's browser draws the Chinese labels with its own fonts, and the file does not depend on which fonts
the machine that made it had. Layout uses the metrics of DejaVu Sans, which ships with matplotlib, so the
same source gives the same bytes everywhere. Every figure has an opaque light background: it stays legible
when the site is in dark mode.

Formulas in labels are plain Unicode (x₁, h⁽ᵗ⁾, W, σ, ⊙, ⊕): mathtext would position each glyph for a font
the browser may not have.
"""
from __future__ import annotations

import math
import re
from typing import Iterable, Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Rectangle  # noqa: E402

# Palette (colour-blind safe, after Okabe–Ito), one fill per kind of thing. Text is always INK.
INK = "#1f2933"
MUTED = "#6b7280"
BACKGROUND = "#ffffff"
LINE = "#374151"
FILLS = {
    "input": "#dbeafe",      # data entering: blue
    "output": "#fde2e2",     # results, labels, losses: red
    "layer": "#e5e7eb",      # a generic layer: grey
    "dense": "#fef3c7",      # fully connected: amber
    "conv": "#d1fae5",       # convolution: green
    "pool": "#e0e7ff",       # pooling: indigo
    "norm": "#fce7f3",       # normalisation: pink
    "act": "#f3f4f6",        # activation functions
    "state": "#ede9fe",      # hidden states, memory: violet
    "gate": "#ffedd5",       # gates: orange
    "attention": "#cffafe",  # attention: cyan
    "param": "#fef9c3",      # parameters: yellow
    "op": "#ffffff",         # operators (⊕, ⊙, ×) drawn as circles
    "plain": "#ffffff",
}
# Strong colours for lines that must stand out (a path, a highlighted window); with INK they pass WCAG AA.
ACCENT = {"blue": "#1d4ed8", "red": "#b91c1c", "green": "#047857", "orange": "#c2410c", "violet": "#6d28d9"}
FONT_FAMILY = ("'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', "
               "'WenQuanYi Micro Hei', 'Heiti SC', sans-serif")
FONT_SIZE = 11          # points
SMALL = 9
LINE_WIDTH = 1.2
PAD = 10                # pixels kept free at every edge

_RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "d2lbook",
    "font.family": "DejaVu Sans",
    "font.size": FONT_SIZE,
    "text.color": INK,
    "lines.linewidth": LINE_WIDTH,
    "path.simplify": False,
}


class Canvas:
    """A drawing area of `width` × `height` pixels (100 per inch), origin at the top left."""

    def __init__(self, width: float, height: float):
        if width <= 0 or height <= 0:
            raise ValueError(f"画布的宽和高必须是正数，收到 {width}×{height}")
        self.width, self.height = width, height
        self._rc = plt.rc_context(_RC)
        self._rc.__enter__()  # left in `svg()`: text and lines are styled when they are drawn and saved
        self.fig = plt.figure(figsize=(width / 100, height / 100), dpi=100)
        self.ax = self.fig.add_axes((0, 0, 1, 1))
        self.fig.patch.set_facecolor(BACKGROUND)
        self.ax.set_xlim(0, width)
        self.ax.set_ylim(height, 0)
        self.ax.set_aspect("equal")
        self.ax.axis("off")

    def svg(self, title: str) -> str:
        """The drawing as SVG text with `title` as its accessible name; closes the canvas."""
        import io
        import warnings

        buffer = io.StringIO()
        try:
            with warnings.catch_warnings():
                # DejaVu Sans has no Chinese glyphs; only its metrics place the text, the browser draws it.
                warnings.filterwarnings("ignore", message="Glyph .* missing from font")
                self.fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "d2lbook figures"})
        finally:
            plt.close(self.fig)
            self._rc.__exit__(None, None, None)
        svg = buffer.getvalue().replace("'DejaVu Sans'", FONT_FAMILY)
        title = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return re.sub(r"(<svg [^>]*>)", lambda m: m.group(1) + f"\n <title>{title}</title>", svg, count=1)

    # Text --------------------------------------------------------------------------------------------------
    def text(self, x, y, s, size=FONT_SIZE, ha="center", va="center", color=INK, weight="normal",
             style="normal", rotation=0):
        self.ax.text(x, y, s, fontsize=size, ha=ha, va=va, color=color, fontweight=weight,
                     fontstyle=style, rotation=rotation, rotation_mode="anchor")

    # Shapes ------------------------------------------------------------------------------------------------
    def box(self, x, y, w, h, text=None, kind="layer", size=FONT_SIZE, edge=LINE, lw=LINE_WIDTH,
            dashed=False, rounded=True, text_color=INK, weight="normal"):
        """A rectangle with its top-left corner at (x, y); `text` centred inside. Returns its centre."""
        style = f"round,pad=0,rounding_size={min(6, w / 4, h / 4)}" if rounded else "square,pad=0"
        self.ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle=style, facecolor=_fill(kind),
                                         edgecolor=edge, linewidth=lw, linestyle="--" if dashed else "-"))
        if text is not None:
            self.text(x + w / 2, y + h / 2, text, size=size, color=text_color, weight=weight)
        return x + w / 2, y + h / 2

    def group(self, x, y, w, h, label=None, color=MUTED, label_at="top"):
        """A dashed frame around several shapes, with an optional label above (or below) it."""
        self.ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0,rounding_size=8",
                                         facecolor="none", edgecolor=color, linewidth=1.0, linestyle="--"))
        if label:
            ly = y - 8 if label_at == "top" else y + h + 8
            self.text(x + w / 2, ly, label, size=SMALL, color=color, va="bottom" if label_at == "top" else "top")

    def circle(self, x, y, r, text=None, kind="op", size=FONT_SIZE, edge=LINE, lw=LINE_WIDTH, dashed=False):
        self.ax.add_patch(Circle((x, y), r, facecolor=_fill(kind), edgecolor=edge, linewidth=lw,
                                 linestyle="--" if dashed else "-"))
        if text is not None:
            self.text(x, y, text, size=size)

    def rect(self, x, y, w, h, fill="none", edge=LINE, lw=LINE_WIDTH, dashed=False, alpha=1.0):
        self.ax.add_patch(Rectangle((x, y), w, h, facecolor=_fill(fill), edgecolor=edge, linewidth=lw,
                                    linestyle="--" if dashed else "-", alpha=alpha))

    def grid(self, x, y, values, cell=28, kind="plain", highlight: Iterable[tuple[int, int]] = (),
             highlight_kind="gate", size=FONT_SIZE, fmt="{:g}"):
        """A matrix of numbers, one square per entry, top-left corner at (x, y). Returns (width, height)."""
        rows, cols = len(values), len(values[0])
        marked = set(highlight)
        for i in range(rows):
            for j in range(cols):
                k = highlight_kind if (i, j) in marked else kind
                self.rect(x + j * cell, y + i * cell, cell, cell, fill=k, lw=1.0)
                v = values[i][j]
                self.text(x + (j + 0.5) * cell, y + (i + 0.5) * cell, v if isinstance(v, str) else fmt.format(v),
                          size=size)
        return cols * cell, rows * cell

    # Lines -------------------------------------------------------------------------------------------------
    def arrow(self, x1, y1, x2, y2, color=LINE, lw=LINE_WIDTH, dashed=False, head=True, both=False,
              curve=0.0, shrink=0):
        """An arrow from (x1, y1) to (x2, y2); `curve` bends it (a fraction, + to the left)."""
        style = "<|-|>" if both else ("-|>" if head else "-")
        self.ax.add_patch(FancyArrowPatch((x1, y1), (x2, y2), arrowstyle=style, mutation_scale=10,
                                          color=color, linewidth=lw, linestyle="--" if dashed else "-",
                                          connectionstyle=f"arc3,rad={curve}", shrinkA=shrink, shrinkB=shrink))

    def path(self, points: Sequence[tuple[float, float]], color=LINE, lw=LINE_WIDTH, dashed=False, head=True):
        """A polyline through `points` (an elbow connector), with an arrow head on its last segment."""
        for (xa, ya), (xb, yb) in zip(points[:-2], points[1:-1]):
            self.ax.plot([xa, xb], [ya, yb], color=color, linewidth=lw, linestyle="--" if dashed else "-",
                         solid_capstyle="butt")
        (xa, ya), (xb, yb) = points[-2], points[-1]
        self.arrow(xa, ya, xb, yb, color=color, lw=lw, dashed=dashed, head=head)

    def line(self, x1, y1, x2, y2, color=LINE, lw=LINE_WIDTH, dashed=False):
        self.ax.plot([x1, x2], [y1, y2], color=color, linewidth=lw, linestyle="--" if dashed else "-")

    def curve(self, xs, ys, color=ACCENT["blue"], lw=1.8, dashed=False):
        """A smooth curve through many points (for sketches of functions)."""
        self.ax.plot(list(xs), list(ys), color=color, linewidth=lw, linestyle="--" if dashed else "-")


def _fill(kind: str) -> str:
    if kind == "none":
        return "none"
    if kind.startswith("#"):
        return kind
    if kind not in FILLS:
        raise ValueError(f"未知的填充类别 {kind!r}；可选 {sorted(FILLS)} 或 '#rrggbb'")
    return FILLS[kind]


def polar(cx, cy, r, angle_deg):
    """The point at distance r and angle (degrees, counter-clockwise from the x axis, y down) from (cx, cy)."""
    a = math.radians(angle_deg)
    return cx + r * math.cos(a), cy - r * math.sin(a)
