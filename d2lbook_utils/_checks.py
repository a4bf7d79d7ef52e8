"""参数检查：所有公开函数在入口处用这里的函数校验参数，报错信息统一为中文。"""
from __future__ import annotations

from typing import Any, Iterable


def check_int(name: str, value: Any, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """`value` 必须是整数（bool 不算），且在 [`minimum`, `maximum`] 内（给出的那一端）。"""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} 必须是整数，收到 {type(value).__name__} 类型的 {value!r}")
    if minimum is not None and maximum is not None:
        if not minimum <= value <= maximum:
            raise ValueError(f"{name} 必须是 {minimum} 到 {maximum} 之间的整数，收到 {value}")
    elif minimum is not None and value < minimum:
        expected = "正整数" if minimum == 1 else f"不小于 {minimum} 的整数"
        raise ValueError(f"{name} 必须是{expected}，收到 {value}")
    elif maximum is not None and value > maximum:
        raise ValueError(f"{name} 必须是不大于 {maximum} 的整数，收到 {value}")
    return value


def check_sizes(**sizes: Any) -> None:
    """每个关键字参数（词表大小、层宽、层数）都必须是正整数。"""
    for name, value in sizes.items():
        check_int(name, value, minimum=1)


def check_number(name: str, value: Any, *, positive: bool = False) -> float:
    """`value` 必须是实数；`positive=True` 时还必须大于 0。"""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} 必须是数值，收到 {type(value).__name__} 类型的 {value!r}")
    if positive and not value > 0:
        raise ValueError(f"{name} 必须大于 0，收到 {value}")
    return float(value)


def check_fraction(name: str, value: Any) -> float:
    """`value` 必须是 [0, 1) 内的实数（动量、暂退概率）。"""
    value = check_number(name, value)
    if not 0 <= value < 1:
        raise ValueError(f"{name} 必须在 [0, 1) 内，收到 {value}")
    return value


def check_text(name: str, value: Any, *, allow_empty: bool = False) -> str:
    """`value` 必须是字符串（类型不对抛 TypeError）；`allow_empty=False` 时不能是空串（抛 ValueError）。"""
    if not isinstance(value, str):
        raise TypeError(f"{name} 必须是字符串，收到 {type(value).__name__} 类型的 {value!r}")
    if not allow_empty and not value:
        raise ValueError(f"{name} 必须是非空字符串，收到 {value!r}")
    return value


def check_batches(count: float, name: str) -> None:
    """迭代器 `name` 至少要产出一个小批量（`count` 是它产出的样本或词元数）。"""
    if count == 0:
        raise ValueError(f"{name} 没有产出任何小批量")


def check_choice(name: str, value: Any, choices: Iterable[Any]) -> Any:
    """`value` 必须是 `choices` 之一。"""
    choices = list(choices)
    if value not in choices:
        listed = "、".join(repr(c) for c in choices)
        raise ValueError(f"{name} 必须是 {listed} 之一，收到 {value!r}")
    return value
