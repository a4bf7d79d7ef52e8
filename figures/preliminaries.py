"""Figures of 预备知识."""
import math

from matplotlib.patches import Polygon

from figures import figure
from figures.style import ACCENT, FILLS, LINE, MUTED, SMALL, polar

SIDES = (6, 12, 24)  # Liu Hui's 割圆术 starts from the inscribed hexagon and doubles the number of sides


def _polygon_fraction(n: int) -> float:
    """Area of the regular n-gon inscribed in a circle, as a fraction of the circle's area: n sin(2π/n) / (2π)."""
    return n * math.sin(2 * math.pi / n) / (2 * math.pi)


@figure("preliminaries/calculus", "polygon-circle", covers=("polygon-circle",), size=(600, 230),
        alt="三个大小相同的圆，各自内接一个正多边形，从左到右依次是正六边形、正十二边形和正二十四边形；"
            "每个多边形由圆心到各顶点的连线分成若干个等腰三角形。圆与多边形之间的空隙（浅红色）越来越窄，"
            "每个圆下方标出多边形面积占圆面积的比例，从左到右逐渐接近 1。",
        caption="圆内接正多边形的边数每加倍一次，它与圆之间的空隙就更小，面积越来越接近圆的面积：这就是极限的思想。")
def polygon_circle(c):
    r = 70
    for k, n in enumerate(SIDES):
        cx, cy = 100 + 200 * k, 95
        c.circle(cx, cy, r, kind="output", edge="none")
        points = [polar(cx, cy, r, 90 + 360 * i / n) for i in range(n)]
        c.ax.add_patch(Polygon(points, closed=True, facecolor=FILLS["input"], edgecolor=LINE, linewidth=1.0))
        for x, y in points:
            c.line(cx, cy, x, y, color=MUTED, lw=0.5)
        c.circle(cx, cy, r, kind="none", edge=ACCENT["blue"], lw=1.6)
        c.text(cx, 188, f"正 {n} 边形")
        c.text(cx, 208, f"面积 / 圆面积 = {_polygon_fraction(n):.3f}", size=SMALL, color=MUTED)
