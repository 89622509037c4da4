"""What `planner plan` and `planner replan` print: a summary a learner reads in a few
seconds, in their words (the solver's own figures only with --verbose)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from rich.console import Group
from rich.table import Table
from rich.text import Text

from planner.inputs.ids import expand_ids
from planner.models.plan import Plan
from planner.models.roadmap import Roadmap
from planner.output.forecast_report import forecast_lines
from planner.output.holiday_lines import holiday_lines
from planner.output.order_summary import order_lines
from planner.output.roadmap_report import upgrade_line
from planner.words import plural, when

if TYPE_CHECKING:
    from planner.planning.replan import ReplanResult
    from planner.planning.replan_changes import PlanChanges

Lines = list[Text | Table]


def item_name(roadmap: Roadmap, item_id: str) -> str:
    """ "6.3 FastAPI": a topic or section id with its title."""
    if item_id in roadmap.topic_by_id:
        return f"{item_id} {roadmap.topic_by_id[item_id].title}"
    titles = {section.id: section.title for section in roadmap.sections}
    return f"{item_id} {titles[item_id]}" if item_id in titles else item_id


def plan_summary(plan: Plan, roadmap: Roadmap, seconds: float, *, verbose: bool = False) -> Group:
    """The finish and how far it is from the earliest possible, the pace in sessions a
    week, each goal and the deadline, what is not planned and why, public holidays off,
    and each section's dates."""
    if not plan.sessions:
        return Group(Text("Nothing to plan: every topic is skipped or has 0 hours."))
    assert plan.finish is not None
    reviews = f" and {plural(plan.reviews.reviews, 'review')}" if plan.reviews else ""
    lines: Lines = [
        Text.assemble(
            (roadmap.title, "bold"),
            f": {plural(plan.planned_hours, 'hour')} in "
            f"{plural(len(plan.study_sessions), 'session')}{reviews}, {plan.timezone}",
        ),
        *_finish_lines(plan, plan.start),
        *order_lines(plan),
        *_review_lines(plan),
        *goal_and_deadline_lines(plan, roadmap),
        *_unplanned_lines(plan, roadmap),
        *holiday_lines(plan),
        *_busy_lines(plan),
        _section_table(plan, roadmap),
        *(
            Text(
                f"Note: {rounded.topic} has {rounded.hours:g} h, planned as "
                f"{rounded.planned_hours:g} h (whole slots)",
                style="yellow",
            )
            for rounded in plan.rounded
        ),
    ]
    if verbose:
        lines.append(_solver_line(plan, seconds))
    return Group(*lines)


def _finish_lines(plan: Plan, since: date) -> Lines:
    """The finish against the earliest possible (with reviews: the last topic done,
    against the earliest with them), and the pace it takes."""
    assert plan.finish is not None and plan.lower_bound_finish is not None
    upcoming = plan.upcoming
    weeks = max((plan.finish.date() - since).days + 1, 1) / 7
    hours = sum(session.minutes for session in upcoming) / 60
    reasons = "session lengths and prerequisites"
    if plan.order is not None and plan.order.mode != "free":
        # In roadmap or balanced order, the order is one more reason for a gap.
        reasons = "session lengths, prerequisites and the order"
    earliest, gaps = plan.lower_bound_finish, f"{reasons} leave gaps"
    if plan.reviews is not None and plan.reviews.lower_bound_finish is not None:
        earliest, gaps = plan.reviews.lower_bound_finish, f"reviews, {gaps}"
    late = plan.finish - earliest
    if late <= timedelta(0):
        distance = "the earliest your windows allow"
    elif plan.reviews is None and plan.solver.finish_proven_optimal:
        # Later than the hours alone would fit, and still no plan in any order is sooner.
        distance = (
            f"the earliest any plan can finish: {_duration(late)} after the hours alone "
            f"would fit ({when(earliest)}), where session lengths leave window time unused"
        )
    else:
        distance = f"{_duration(late)} after the earliest possible ({when(earliest)}), where {gaps}"
    finish = "Finish (last topic done): " if plan.reviews else "Finish: "
    return [
        Text.assemble(finish, (when(plan.finish), "bold"), f", {distance}"),
        Text(
            f"From {since:%a %Y-%m-%d}: {len(upcoming) / weeks:.1f} sessions a week, "
            f"{hours / weeks:.1f} h a week, for {weeks:.1f} weeks"
        ),
        *forecast_lines(plan),
    ]


def _review_lines(plan: Plan) -> Lines:
    """The reviews: how many and how long, the last one, what they cost the finish, and
    the late ones."""
    report = plan.reviews
    if report is None or plan.finish is None:
        return []
    reviews = [session for session in plan.upcoming if session.is_review]
    hours = sum(session.minutes for session in reviews) / 60
    last = f"; last review {when(report.last_review)}" if report.last_review else ""
    count = plural(report.reviews, "review")
    lines: Lines = [Text(f"Reviews: {count} of {report.minutes} min ({hours:g} h){last}")]
    if report.finish_without_reviews is not None:
        days = (plan.finish.date() - report.finish_without_reviews.date()).days
        lines.append(
            Text(
                f"Without reviews the last topic is done {when(report.finish_without_reviews)}: "
                f"{plural(days, 'day')} sooner"
            )
        )
    lines += [
        Text(
            f"Late: review {review.review} of {review.topic} is due {review.due}, planned "
            f"{when(review.start)} (no free study time within the slack)",
            style="yellow",
        )
        for review in reviews
        if review.late
    ]
    return lines


def _duration(gap: timedelta) -> str:
    if gap >= timedelta(days=1):
        return plural(gap.days, "day")
    return plural(round(gap.total_seconds() / 3600, 1), "hour")


def goal_and_deadline_lines(plan: Plan, roadmap: Roadmap) -> Lines:
    """When each goal is reached (against its date and the earliest possible) and how
    the deadline holds."""
    lines: Lines = []
    for goal in plan.goals:
        name = item_name(roadmap, goal.goal)
        if goal.reached is None:
            lines.append(Text(f"Goal {name}: already reached"))
            continue
        soonest = (
            "the earliest possible"
            if goal.earliest is None or goal.reached <= goal.earliest
            else f"the earliest possible is {when(goal.earliest)}"
        )
        spare = f"; {_spare(goal.by, goal.reached.date())}" if goal.by else ""
        lines.append(Text(f"Goal {name}: reached {when(goal.reached)} ({soonest}{spare})"))
    if plan.deadline is not None and plan.finish is not None:
        lines.append(Text(f"Deadline {plan.deadline}: {_spare(plan.deadline, plan.finish.date())}"))
    return lines


def _spare(by: date, reached: date) -> str:
    days = (by - reached).days
    if days >= 0:
        return f"by {by}, {plural(days, 'day')} to spare"
    return f"by {by}: missed by {plural(-days, 'day')}"


def _unplanned_lines(plan: Plan, roadmap: Roadmap) -> Lines:
    """Topics with no session, and why: skipped, no hours in the roadmap, or not needed
    for the goals."""
    planned = {session.topic for session in plan.sessions}
    profile = plan.profile
    skipped = expand_ids(roadmap, profile.skip, "profile", "skip") if profile else set()
    reasons: dict[str, list[str]] = {"skipped": [], "0 h in the roadmap": [], "other": []}
    for topic in roadmap.topics:
        if topic.id in planned:
            continue
        label = f"{topic.id} {topic.title}"
        if topic.id in skipped:
            reasons["skipped"].append(topic.id)
        elif topic.hours == 0:
            reasons["0 h in the roadmap"].append(label)
        else:
            reasons["other"].append(topic.id)
    lines: Lines = []
    if reasons["0 h in the roadmap"]:
        example = reasons["0 h in the roadmap"][0].split()[0]
        lines.append(
            Text(
                f"Not planned, 0 h in the roadmap: {', '.join(reasons['0 h in the roadmap'])} "
                f'(give it hours in your profile to study it, e.g. hours: {{"{example}": 6}})'
            )
        )
    if reasons["skipped"]:
        lines.append(Text(f"Skipped: {', '.join(reasons['skipped'])}"))
    if reasons["other"]:
        lines.append(Text(f"Not needed for your goals: {', '.join(reasons['other'])}"))
    return lines


def _busy_lines(plan: Plan, changes: PlanChanges | None = None) -> Lines:
    """How much study time the busy calendars took, and (after a re-plan) what changed."""
    if plan.busy is None:
        return []
    days = len(plan.busy.days)
    whole_days = f", {plural(days, 'whole day')} off" if days else ""
    lines: Lines = [
        Text(
            f"Busy: your {plural(len(plan.busy.sources), 'calendar')} took "
            f"{plan.busy.hours:g} h out of your windows up to the finish "
            f"({plural(len(plan.busy.intervals), 'busy stretch', 'busy stretches')}{whole_days})"
        )
    ]
    if changes is not None:
        changed = ", ".join(changes.busy_changed) or "none"
        lines.append(
            Text(
                f"Busy calendars changed: {changed}; "
                f"{plural(changes.busy_hit, 'planned session')} now in busy time (moved)"
            )
        )
    return lines


def _solver_line(plan: Plan, seconds: float) -> Text:
    solver = plan.solver
    gap = solver.sessions / solver.sessions_lower_bound - 1 if solver.sessions_lower_bound else 0
    return Text(
        f"Solver: {solver.status} in {seconds:.2f} s — {solver.sessions} sessions, lower "
        f"bound {solver.sessions_lower_bound} (gap {gap:.1%}); "
        f"a list schedule needs {solver.list_schedule_sessions}",
        style="dim",
    )


def _section_table(plan: Plan, roadmap: Roadmap) -> Table:
    table = Table(title="Sections", title_justify="left")
    for column in ("Section", "Hours", "Sessions", "Start", "End"):
        table.add_column(column, justify="right" if column in {"Hours", "Sessions"} else "left")
    for section in roadmap.sections:
        ids = {topic.id for topic in section.topics}
        sessions = [session for session in plan.study_sessions if session.topic in ids]
        if not sessions:
            table.add_row(Text(f"{section.id} {section.title}"), "0", "0", "—", "—")
            continue
        hours = sum(session.minutes for session in sessions) / 60
        table.add_row(
            Text(f"{section.id} {section.title}"),
            f"{hours:g}",
            str(len(sessions)),
            when(min(sessions, key=lambda s: s.start_utc).start),
            when(max(sessions, key=lambda s: s.end_utc).end),
        )
    return table


def _calm_lines(changes: PlanChanges) -> Lines:
    """How much of the next days changed, and what keeping them would have cost."""
    lines: Lines = []
    if changes.soon_days:
        lines.append(
            Text(
                f"Next {plural(changes.soon_days, 'day')}: "
                f"{plural(changes.changed_soon, 'session')} changed"
            )
        )
    cost = changes.keeping_cost
    if cost is not None:
        minutes = cost.finish_later.total_seconds() / 60
        later = plural(cost.days, "day") if cost.days > 0 else f"{minutes:g} min"
        costs = [
            *([plural(cost.sessions, "more session")] if cost.sessions > 0 else []),
            *([f"finishing {later} later"] if minutes > 0 else []),
            *(
                f"reaching goal {goal} {plural(days, 'day')} later"
                for goal, days in cost.goals_later
            ),
        ]
        fewer = f" (with {plural(-cost.sessions, 'session')} fewer)" if cost.sessions < 0 else ""
        lines.append(
            Text(
                f"Keeping the next {plural(cost.kept, 'session')} as they were (to "
                f"{when(cost.until)}) would have cost " + " and ".join(costs) + fewer
            )
        )
    return lines


def changes_summary(result: ReplanResult, roadmap: Roadmap, *, verbose: bool = False) -> Group:
    """What a re-plan changed, readable in five seconds."""
    plan, changes = result.plan, result.changes
    start = result.start
    where = (
        f"from {start.at:%a %Y-%m-%d %H:%M} ({start.why})"
        if start
        else f"as of {plan.planned_from:%a %Y-%m-%d}"
    )
    lines: Lines = [Text(f"Re-planned in {result.seconds:.2f} s, {where}.")]
    if result.profile_changes:
        lines.append(Text("Profile changed since the plan was made:"))
        lines += [Text(f"  {change}") for change in result.profile_changes]
    if result.upgrade:
        lines.append(Text(upgrade_line(result.upgrade, plan)))
    if changes.finish_after is None or not plan.upcoming:
        lines.append(Text("Everything is done: nothing left to plan.", style="bold green"))
    else:
        before = when(changes.finish_before) if changes.finish_before else "—"
        shift = changes.days_later
        sign = "+" if shift and shift > 0 else "-"
        moved = f" ({sign}{plural(abs(shift), 'day')})" if shift else " (same day)"
        moved = "" if shift is None else moved
        lines.append(
            Text.assemble("Finish: ", before, " → ", (when(changes.finish_after), "bold"), moved)
        )
        lines += _finish_lines(plan, plan.planned_from)[1:]
        lines += _review_lines(plan)
    lines.append(
        Text(
            f"Sessions: {changes.kept} kept, {changes.moved} moved, {changes.added} added, "
            f"{changes.dropped} dropped; {changes.done} done so far"
        )
    )
    lines += _calm_lines(changes)
    lines.append(Text(f"Hours: {changes.hours_done:g} h done, {changes.hours_left:g} h left"))
    lines += order_lines(plan) if plan.upcoming else []
    lines += _busy_lines(plan, changes)
    lines += goal_and_deadline_lines(plan, roadmap) if plan.upcoming else []
    if verbose:
        lines.append(_solver_line(plan, result.seconds))
    return Group(*lines)
