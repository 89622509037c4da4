"""How a progress record reads against a plan: what it says of each planned session, and
the moment a re-plan starts from. `planner next`, `planner done`, the re-plan and the
service all read progress through here (checked first by progress_checks.read_progress),
so they agree.

For a session before the re-plan, the one rule of which report wins:

1. a record about the session (`sessions`: done, done for N minutes, missed);
2. for a study session, its topic's shortcut: done, skipped, or hours so far;
3. a missed day range that holds the session's (local) day;
4. otherwise the learner followed the plan.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Set
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from planner.errors import PlannerError
from planner.models.plan import Plan, StudySession
from planner.models.progress import ExtraStudy, Progress, SessionRecord
from planner.planning.sessions import extra_uid
from planner.timeline.clock import day_of, start_of_day

Report = Literal["done", "partly", "missed", "topic done", "skipped", "topic hours", "missed day"]
# The reports that say the session was not studied at all.
NOT_STUDIED: frozenset[Report] = frozenset({"missed", "skipped", "missed day"})


@dataclass(frozen=True)
class ProgressReading:
    """A progress record read against the plan it reports on. `done_topics` and
    `skipped_topics`: the record's `done` and `skipped` with section ids expanded to
    their topics (the roadmap knows which)."""

    plan: Plan
    progress: Progress
    done_topics: Set[str] = frozenset()
    skipped_topics: Set[str] = frozenset()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.plan.timezone)

    def record(self, session: StudySession) -> SessionRecord | None:
        return self.progress.record_of(session.uid)

    def report(self, session: StudySession) -> Report | None:
        """What the record says of `session` (None: nothing; the plan was followed)."""
        record = self.record(session)
        if record is not None:
            return "missed" if record.missed else "done" if record.as_planned else "partly"
        if not session.is_review:  # a topic's shortcuts say nothing of its reviews
            if session.topic in self.done_topics:
                return "topic done"
            if session.topic in self.skipped_topics:
                return "skipped"
            if session.topic in self.progress.hours:
                return "topic hours"
        if self.progress.on_missed_day(day_of(session.start_utc, self.zone)):
            return "missed day"
        return None

    def reported_end(self, session: StudySession) -> datetime:
        """When the study of `session` ended, as its record says (done for N minutes:
        N minutes after it began; else as planned)."""
        record = self.record(session)
        if record is not None and record.minutes is not None:
            return session.start_utc + timedelta(minutes=record.minutes)
        return session.end_utc

    def missed_by_record(self, before: datetime) -> list[str]:
        """UIDs of the plan's sessions before `before` that a record says were missed."""
        return [
            session.uid
            for session in self.plan.upcoming
            if session.start_utc < before and self.report(session) == "missed"
        ]

    def new_extra(self) -> list[tuple[str, ExtraStudy]]:
        """The record's study outside the plan that the plan does not hold yet (an
        earlier re-plan took the rest into its history), each with its UID."""
        numbers: Counter[tuple[str, date]] = Counter()
        taken = {session.uid for session in self.plan.sessions}
        new = []
        for extra in self.progress.extra:
            numbers[extra.topic, extra.day] += 1
            number = numbers[extra.topic, extra.day]
            uid = extra_uid(self.plan.roadmap, extra.topic, extra.day, number, self.plan.plan_id)
            if uid not in taken:
                new.append((uid, extra))
        return new

    def unreported_before(self, moment: datetime) -> list[StudySession]:
        """The plan's sessions (not yet history) that start before `moment` and that the
        record says nothing of, in time order."""
        return [
            session
            for session in sorted(self.plan.upcoming, key=lambda s: s.start_utc)
            if session.start_utc < moment and self.report(session) is None
        ]

    def off_plan(self, moment: datetime) -> list[str]:
        """What the record says that the plan does not already hold, in words: sessions
        before `moment` missed or studied for other minutes, topics finished or skipped
        that still have sessions ahead, other hours so far, extra study. Empty: the
        learner is on plan and a re-plan would change nothing."""
        said: list[str] = []
        planned_before: dict[str, float] = {}
        for session in self.plan.study_sessions:  # history counts towards hours so far
            if session.done:
                planned_before[session.topic] = planned_before.get(session.topic, 0.0)
                planned_before[session.topic] += session.minutes
        ahead: dict[str, Report] = {}
        for session in sorted(self.plan.upcoming, key=lambda s: s.start_utc):
            report, past = self.report(session), session.start_utc < moment
            if past and not session.is_review:
                planned_before[session.topic] = planned_before.get(session.topic, 0.0)
                planned_before[session.topic] += session.minutes
            record = self.record(session)
            if past and report in NOT_STUDIED:
                said.append(f"{session.topic} on {day_of(session.start_utc, self.zone)}: {report}")
            elif past and report == "partly" and record and record.minutes != session.minutes:
                said.append(f"{session.topic} on {day_of(session.start_utc, self.zone)}: "
                            f"{record.minutes} of {session.minutes:g} min")  # fmt: skip
            elif not past and report in ("topic done", "skipped"):
                ahead.setdefault(session.topic, report)
        said += [f"{topic}: {report} ahead of the plan" for topic, report in ahead.items()]
        said += [
            f"{topic}: {hours:g} h so far"
            for topic, hours in self.progress.hours.items()
            if topic not in self.done_topics and hours * 60 != planned_before.get(topic, 0)
        ]
        said += [f"extra study of {extra.topic} on {extra.day}" for _, extra in self.new_extra()]
        return said


@dataclass(frozen=True)
class ReplanStart:
    """Where a re-plan starts: the learner's day (`as_of`) and the moment (`at`, in the
    learner's zone).
    The plan's sessions before `at` are the past (history or gone), the rest is planned
    again from `at`; `why` says why there, in words."""

    as_of: date
    at: datetime
    why: str


def replan_start(reading: ProgressReading, now: datetime) -> ReplanStart:
    """The first moment a re-plan at `now` loses nothing: after the last of today's
    sessions that are reported (by their own record, or, once begun, by a shortcut),
    and no earlier than `now`, unless a session of today that nobody reported has begun:
    then from its start, so that it stays where it is and can still be reported. Today's
    sessions include one that began before midnight and runs into today. `now`'s day
    and time are the learner's (a day alone: its first moment). A plan that begins later
    starts where it begins.
    """
    plan, zone = reading.plan, reading.zone
    today = day_of(now, zone)
    midnight = start_of_day(today, zone)
    if today < plan.planned_from:
        first = start_of_day(plan.planned_from, zone)
        return ReplanStart(
            plan.planned_from,
            first.astimezone(zone),
            f"the plan begins on {plan.planned_from:%a %Y-%m-%d}",
        )
    todays = sorted(
        (s for s in plan.upcoming if day_of(s.start_utc, zone) == today or
         s.start_utc < midnight < s.end_utc),
        key=lambda s: s.start_utc,
    )  # fmt: skip
    # A session's own record counts wherever it is in the day; a shortcut (a topic done,
    # a missed range) only for a session that has begun: one still ahead is not needed.
    reported = [
        s
        for s in todays
        if reading.record(s) is not None or (s.start_utc <= now and reading.report(s) is not None)
    ]
    floor = max([midnight, *(reading.reported_end(s) for s in reported)])
    waiting = [
        s for s in todays if reading.report(s) is None and s.start_utc <= now and s.end_utc > floor
    ]
    if waiting:
        at = waiting[0].start_utc
        why = f"today's session of {waiting[0].topic} is not reported yet, so it stays"
    else:
        at = max(floor, now.astimezone(UTC))
        why = (
            "after today's sessions, which are reported"
            if reported and at == floor
            else "now"
            if at > midnight
            else "the start of today"
        )
    return ReplanStart(day_of(at, zone), at.astimezone(zone), why)


def start_of_replan(reading: ProgressReading, now: datetime, path: Path | str) -> ReplanStart:
    """Where the re-plan starts: the record's `as_of` (a day, from its first moment), or
    the first moment at `now` that loses nothing reported, never before the moment the
    previous plan was made from.

    Raises:
        PlannerError: `as_of` is before the day the previous plan was made from.
    """
    previous, as_of = reading.plan, reading.progress.as_of
    zone = reading.zone
    if as_of is not None and previous.as_of is not None and as_of < previous.as_of:
        raise PlannerError(
            f"{path}: as_of {as_of} is before {previous.as_of}, the day the previous "
            "plan was made from; re-plan from that day or later"
        )
    if as_of is not None and as_of < previous.planned_from:  # taken as written
        first = start_of_day(as_of, zone).astimezone(zone)
        start = ReplanStart(as_of, first, "the day you chose")
    else:
        start = replan_start(reading, start_of_day(as_of, zone) if as_of else now)
    if as_of is not None and start.why != "the day you chose":
        given = "the day you chose"
        start = replace(start, why=given if start.at == start_of_day(as_of, zone) else
                        f"{given}, {start.why}")  # fmt: skip
    # Never before what the learner reported session by session, nor before the last
    # re-plan: those sessions would be planned again, and their records lose their meaning.
    for later, why in (
        (max((reading.reported_end(s) for s in previous.upcoming if reading.record(s)),
             default=None), "after the sessions you reported"),
        (previous.resumes_at, "where the last re-plan started"),
    ):  # fmt: skip
        if later is not None and start.at < later:
            start = ReplanStart(day_of(later, zone), later.astimezone(zone), why)
    return start
