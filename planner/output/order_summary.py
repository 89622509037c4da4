"""The summary's order lines: how closely the plan follows the roadmap's order, and what
the other order modes would give."""

from __future__ import annotations

from datetime import datetime, timedelta

from rich.text import Text

from planner.models.plan import Plan
from planner.words import plural, when


def order_lines(plan: Plan) -> list[Text]:
    """How closely the plan follows the roadmap's order, and what the other order modes
    would give where they differ (or that they cannot do better)."""
    order = plan.order
    if order is None or plan.finish is None:
        return []
    allowed = {
        "roadmap": "exactly the roadmap's order",
        "balanced": f"each topic at most {order.max_shift} places from the roadmap's order",
        "free": "any order the prerequisites allow",
    }[order.mode]
    lines = [
        Text(
            f"Order: {order.mode} ({allowed}): {order.inversions:,} of {order.pairs:,} topic "
            f"pairs swapped, largest shift {order.largest_shift}"
        )
    ]
    others = _alternatives_alone(plan) if plan.reviews is not None else _alternatives_against(plan)
    if order.unbeatable_by:
        modes = " or ".join(order.unbeatable_by)
        others.append(
            f"{modes} order: no sooner finish or fewer sessions possible (this plan"
            f"{' without reviews' if plan.reviews is not None else ''} is at both bounds)"
        )
    if others:
        lines.append(Text("  " + "; ".join(others)))
    return lines


def _alternatives_against(plan: Plan) -> list[str]:
    """The other modes' plans against this one: sessions and finish, where they differ."""
    order, finish = plan.order, plan.finish
    assert order is not None and finish is not None
    others = []
    for other in order.alternatives:
        if (other.sessions, other.finish, other.inversions) == (
            plan.solver.sessions,
            finish,
            order.inversions,
        ):
            others.append(f"{other.mode} order: the same plan")
            continue
        sessions = other.sessions - plan.solver.sessions
        change = f"{sessions:+d}" if sessions else "the same"
        others.append(
            f"{other.mode} order: {plural(other.sessions, 'session')} ({change}), "
            f"{_finish_change(finish, other.finish)}, {other.inversions:,} pairs swapped"
        )
    return others


def _alternatives_alone(plan: Plan) -> list[str]:
    """The other modes' plans as they are: they were solved without the reviews, so the
    plan's own figures (reviews woven in) are no fair measure of them."""
    assert plan.order is not None
    return [
        f"{other.mode} order (without reviews): {plural(other.sessions, 'session')}, "
        f"last topic {when(other.finish) if other.finish else 'none'}, "
        f"{other.inversions:,} pairs swapped"
        for other in plan.order.alternatives
    ]


def _finish_change(finish: datetime, other: datetime | None) -> str:
    """The other finish in words, against this one: "same finish", "finish 2 days later"."""
    if other is None or other == finish:
        return "same finish"
    delta = abs(other - finish)
    if delta >= timedelta(days=1):
        amount = plural(delta.days, "day")
    else:
        hours, minutes = divmod(int(delta.total_seconds() // 60), 60)
        parts = ([f"{hours} h"] if hours else []) + ([f"{minutes} min"] if minutes else [])
        amount = " ".join(parts)
    return f"finish {amount} {'later' if other > finish else 'earlier'}"
