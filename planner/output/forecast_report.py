"""The forecast in the learner's words: their pace so far and the finish (and goals)
most likely and 9 in 10, dates in the learner's zone (planning/forecast.py draws them)."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from planner.models.plan import Plan
from planner.words import plural


def day_words(moment: datetime) -> str:
    """ "Sun 12 Sep 2027": a forecast's day, without a time it cannot promise."""
    return f"{moment:%a} {moment.day} {moment:%b %Y}"


def pace_words(pace: float, topics: int) -> str:
    """ "Your pace so far: 1.5x the estimates (4 topics)" (with a multiplication sign), or
    that there is none yet."""
    if topics == 0:
        return "No pace of yours yet: at the estimates, a wide range until you finish topics"
    times = f"{pace:.1f}\N{MULTIPLICATION SIGN}"
    return f"Your pace so far: {times} the estimates ({plural(topics, 'topic')})"


def forecast_lines(plan: Plan) -> list[Text]:
    """The pace, the finish most likely (P50) and 9 in 10 (P90), and each goal's."""
    forecast = plan.forecast
    if forecast is None or forecast.finish_p50 is None or forecast.finish_p90 is None:
        return []
    pace = pace_words(forecast.pace, forecast.topics)
    likely, surely = day_words(forecast.finish_p50), day_words(forecast.finish_p90)
    lines = [Text(f"{pace}. Finish most likely {likely}, 9 in 10 by {surely}")]
    lines += [
        Text(
            f"  Goal {goal.goal}: most likely {day_words(goal.p50)}, "
            + f"9 in 10 by {day_words(goal.p90)}"
        )
        for goal in forecast.goals
        if goal.p50 is not None and goal.p90 is not None
    ]
    return lines
