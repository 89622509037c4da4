"""Integer arithmetic the planner repeats everywhere: slots, sessions, whole minutes."""

from __future__ import annotations

from typing import TypeVar

# int, or a numpy array of ints: the same expression works on both.
NumberT = TypeVar("NumberT")


def ceil_div(numerator: NumberT, denominator: int) -> NumberT:
    """numerator / denominator rounded up, in integers (no float rounding)."""
    return -(-numerator // denominator)  # type: ignore[operator, no-any-return]
