"""nbval extension: numbers in cells tagged `nbval-approx` are compared with a tolerance.

Training metrics move in their last digits across CPUs and thread counts; everything else is compared
exactly. The tolerance is declared once, here, and documented in CONTRIBUTING.md.
"""
from __future__ import annotations

import re

TAG = "nbval-approx"
ATOL = 0.005
RTOL = 0.01
NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")


def close_enough(test: str, ref: str, atol: float = ATOL, rtol: float = RTOL) -> bool:
    """True when the two texts differ only in numbers that agree within the tolerance."""
    if NUMBER.split(test) != NUMBER.split(ref):
        return False
    test_numbers, ref_numbers = NUMBER.findall(test), NUMBER.findall(ref)
    return len(test_numbers) == len(ref_numbers) and all(
        abs(float(t) - float(r)) <= atol + rtol * abs(float(r)) for t, r in zip(test_numbers, ref_numbers))


def _text_fields(output) -> list[tuple[object, str]]:
    if output.get("output_type") == "stream":
        return [(output, "text")]
    data = output.get("data", {})
    return [(data, key) for key in data if key.startswith("text/")]


def snap_to_reference(test_outputs: list, ref_outputs: list, normalize=lambda s: s) -> None:
    """Replace test texts by the reference texts where they are equal within the tolerance.

    `normalize` is applied to both texts first (nbval's sanitizers, so timings do not count).
    """
    for test, ref in zip(test_outputs, ref_outputs):
        if test.get("output_type") != ref.get("output_type") or test.get("name") != ref.get("name"):
            continue
        for (t_holder, key), (r_holder, r_key) in zip(_text_fields(test), _text_fields(ref)):
            if key == r_key and isinstance(t_holder[key], str) and isinstance(r_holder[key], str) \
                    and close_enough(normalize(t_holder[key]), normalize(r_holder[key])):
                t_holder[key] = r_holder[key]


def install() -> None:
    """Wrap nbval's output comparison so that `nbval-approx` cells use `snap_to_reference` first."""
    from nbval.plugin import IPyNbCell

    original = IPyNbCell.compare_outputs
    if getattr(original, "_d2lbook_approx", False):
        return

    def compare_outputs(self, test, ref, skip_compare=None):
        if TAG in self.cell.metadata.get("tags", []):
            snap_to_reference(test, ref, self.sanitize)
        return original(self, test, ref, skip_compare)

    compare_outputs._d2lbook_approx = True
    IPyNbCell.compare_outputs = compare_outputs
