"""Integer arithmetic the planner repeats everywhere: slots, sessions, whole minutes."""

from __future__ import annotations


def ceil_div(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded up, in integers (no float rounding)."""
    return -(-numerator // denominator)
