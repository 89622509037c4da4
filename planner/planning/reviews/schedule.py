"""Spaced reviews planned with the topics.

The solver places topics as intervals on the time axis; a review sits inside another
topic's run, so it is not one of them: it takes time out of the axis, and a window with
reviews holds at most one topic (the axis enforces both). `weave` places the topics, in
the order the solver chose for them, and their reviews together, in one pass forward in
time: each review is booked just before the topic that would take the windows of its
due days, and each topic goes on the time the reviews leave.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from planner.errors import InfeasiblePlanError
from planner.inputs.plan_inputs import PlanInputs
from planner.models.plan import ReviewReport, StudySession
from planner.models.reviews import ReviewRules
from planner.planning.horizon import MAX_PLAN_DAYS, planning_windows
from planner.planning.reviews.book import BookedReview
from planner.planning.reviews.bound import review_finish_bound
from planner.planning.reviews.dues import ReviewDue, day_ended, due_days, on_time_until
from planner.planning.reviews.weave import Woven, weave
from planner.planning.sessions import review_uid, sessions_from_starts
from planner.solver.problem import SchedulingProblem
from planner.timeline.windows import StudyWindow
from planner.timeline.zones import local_to_utc


@dataclass(frozen=True)
class ReviewState:
    """What a plan's reviews start from: the topics that get reviews, the first day
    planned, and a re-plan's minutes already studied by day (for the caps), the moment
    before which it keeps the sessions as they are, and reviews already owed (of topics
    finished before it)."""

    reviewed: frozenset[str]
    first_day: date
    studied: Mapping[date, float] = field(default_factory=dict)
    not_before: datetime | None = None
    pending: tuple[ReviewDue, ...] = ()
    held: frozenset[tuple[str, int]] = frozenset()  # (topic, number) done or kept already


@dataclass(frozen=True)
class ReviewedSchedule:
    """Study sessions and reviews, the topics' finish, and what the reviews cost."""

    sessions: list[StudySession]
    finish: datetime | None
    report: ReviewReport
    problem: SchedulingProblem  # the topics on the time the reviews leave
    starts: list[int]


def schedule_reviews(
    inputs: PlanInputs,
    problem: SchedulingProblem,
    order: Sequence[int],
    state: ReviewState,
    plan_id: str | None,
    without: tuple[datetime | None, datetime | None],
    taken_uids: Set[str] = frozenset(),
) -> ReviewedSchedule:
    """The topics of `problem` and their reviews, starting from the topic `order` of the
    plan without reviews; `without` is that plan's finish and its lower bound.

    Raises:
        InfeasiblePlanError: the windows of the coming decades cannot hold the reviews.
    """
    planner = _ReviewPlanner(inputs, problem, state, plan_id)
    return planner.reviewed_schedule(planner.woven(order, without[0]), without, taken_uids)


class _ReviewPlanner:
    """The reviews of one plan: its inputs, its topics, and who owes which review."""

    def __init__(
        self,
        inputs: PlanInputs,
        problem: SchedulingProblem,
        state: ReviewState,
        plan_id: str | None,
    ) -> None:
        assert inputs.profile.review is not None
        self.inputs = inputs
        self.profile = inputs.profile
        self.rules: ReviewRules = inputs.profile.review
        self.zone = inputs.profile.zone
        self.problem = problem
        self.state = state
        self.plan_id = plan_id
        first = local_to_utc(datetime.combine(state.first_day, datetime.min.time()), self.zone)
        self.not_before = max(first, state.not_before) if state.not_before else first

    def dues_of(self, topic_index: int, end: datetime) -> list[ReviewDue]:
        """The reviews a topic owes when it ends at `end`."""
        topic = self.problem.topic_ids[topic_index]
        if topic not in self.state.reviewed:
            return []
        finished = day_ended(end, self.zone)
        roadmap, rules = self.inputs.roadmap.id, self.rules
        return [
            ReviewDue(
                topic,
                n,
                due,
                on_time_until(due, rules),
                review_uid(roadmap, topic, n, self.plan_id),
            )
            for n, due in enumerate(due_days(finished, rules), start=1)
            if (topic, n) not in self.state.held
        ]

    def windows(self, days: int) -> list[StudyWindow]:
        state = self.state
        last_day = state.first_day + timedelta(days=days - 1)
        return planning_windows(
            self.inputs, state.first_day, last_day, state.studied, state.not_before
        )

    def woven(self, order: Sequence[int], finish_without: datetime | None) -> Woven:
        """`weave` on windows far enough ahead: to the topics' finish without reviews
        (half as long again) and the last review's delay, doubled until everything has
        its place."""
        last = (
            finish_without.astimezone(self.zone).date() if finish_without else self.state.first_day
        )
        days = (last - self.state.first_day).days * 3 // 2 + max(self.rules.after_days)
        days += self.rules.slack_days + 8 * 7
        while True:
            days = min(days, MAX_PLAN_DAYS)
            woven = weave(
                self.problem,
                order,
                self.windows(days),
                self.rules.minutes,
                self.zone,
                self.dues_of,
                self.state.pending,
                self.not_before,
            )
            if woven is not None:
                return woven
            if days == MAX_PLAN_DAYS:
                raise InfeasiblePlanError(
                    f"{self.inputs.profile_path}: the topics and their reviews do not fit in "
                    f"the windows of the {MAX_PLAN_DAYS // 365} years after {self.state.first_day}"
                )
            days *= 2

    def reviewed_schedule(
        self,
        woven: Woven,
        without: tuple[datetime | None, datetime | None],
        taken_uids: Set[str],
    ) -> ReviewedSchedule:
        problem, zone = woven.problem, self.zone
        planned = bool(problem.topic_ids)
        finish = problem.axis.slot_end(woven.finish - 1).astimezone(zone) if planned else None
        sessions = sessions_from_starts(
            self.inputs.roadmap, problem, woven.starts, zone, self.plan_id, taken_uids
        )
        reviews = [self._review_session(booked) for booked in woven.reviews]
        report = ReviewReport(
            after_days=self.rules.after_days,
            minutes=self.rules.minutes,
            reviews=len(reviews),
            late=woven.late,
            finish_without_reviews=without[0],
            lower_bound_finish=self._lower_bound(woven, without[1]),
            last_review=max(
                (r.end for r in reviews), default=None, key=lambda end: end.timestamp()
            ),
        )
        ordered = sorted([*sessions, *reviews], key=lambda session: session.start_utc)
        return ReviewedSchedule(ordered, finish, report, problem, woven.starts)

    def _review_session(self, booked: BookedReview) -> StudySession:
        due = booked.due
        return StudySession(
            uid=due.uid,
            kind="review",
            topic=due.topic,
            title=self.inputs.roadmap.topic_by_id[due.topic].title,
            start=booked.start.astimezone(self.zone),
            end=booked.end.astimezone(self.zone),
            review=due.number,
            due=due.due,
            late=booked.late,
        )

    def _lower_bound(self, woven: Woven, bound_without: datetime | None) -> datetime | None:
        """The earliest the topics could be done with these reviews (`bound`),
        from the bound without them."""
        problem = woven.problem
        if not problem.topic_ids or bound_without is None:
            return None
        finish = problem.axis.slot_end(woven.finish - 1).astimezone(self.zone)
        windows = self.windows((finish.date() - self.state.first_day).days + 1)
        bound = review_finish_bound(
            windows,
            self.profile.session.slot_minutes,
            problem.durations,
            sum(topic in self.state.reviewed for topic in problem.topic_ids),
            self.rules,
            self.state.pending,
            self.zone,
            bound_without,
        )
        return bound.astimezone(self.zone) if bound is not None else None
