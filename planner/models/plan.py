"""The planner's answer: study sessions with real times, and what it knows of them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import AwareDatetime, Field, model_validator

from planner.models.busy import BusyReport
from planner.models.fields import FrozenModel, TimeZoneName
from planner.models.forecast import Forecast
from planner.models.order import OrderMode
from planner.models.profile import Profile
from planner.models.roadmap import Prerequisites, Roadmap

# Goes into every event UID: letters, digits, '-' and '_' only, so a UID stays one token.
PlanId = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,40}$")]


SessionKind = Literal["study", "review"]


class StudySession(FrozenModel):
    """One session: studying a topic, or reviewing one (`kind`). `done` marks history
    kept by a re-plan; `sequence` and `modified` are the iCalendar SEQUENCE and
    LAST-MODIFIED of its event, raised when a re-plan moves or changes it, so a
    subscribed calendar updates it in place.

    A review has its number among its topic's reviews (`review`, from 1), the day it is
    `due` and whether it is `late` (after its due day and the slack the profile allows).
    Left out of the JSON for study sessions, so plans without reviews keep their bytes."""

    uid: str
    kind: SessionKind = "study"
    topic: str
    title: str
    start: AwareDatetime  # with its UTC offset: a local time alone is ambiguous
    end: AwareDatetime
    review: int | None = Field(default=None, ge=1)
    due: date | None = None
    late: bool = False
    done: bool = False
    # Where the learner put it in their own calendar (`planner sync`): a re-plan keeps it
    # there, also outside the weekly windows, and plans the rest around it.
    pinned: bool = False
    sequence: int = Field(default=0, ge=0)
    modified: AwareDatetime | None = None

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> StudySession:
        if self.end_utc <= self.start_utc:
            raise ValueError(f"session {self.uid} ends before it starts")
        if self.is_review != (self.review is not None and self.due is not None):
            raise ValueError(f"session {self.uid}: a review (and only a review) has review and due")
        if self.late and not self.is_review:
            raise ValueError(f"session {self.uid}: only a review can be late")
        return self

    @property
    def is_review(self) -> bool:
        return self.kind == "review"

    # Compare and subtract sessions in UTC: Python compares aware datetimes of one zone by
    # wall clock, which ignores a DST change between them and which 02:30 of a repeated
    # hour is meant.
    @property
    def start_utc(self) -> datetime:
        return self.start.astimezone(UTC)

    @property
    def end_utc(self) -> datetime:
        return self.end.astimezone(UTC)

    @property
    def minutes(self) -> float:
        return (self.end_utc - self.start_utc).total_seconds() / 60


class RoundedTopic(FrozenModel):
    """A topic whose hours were rounded up to whole slots."""

    topic: str
    hours: float
    planned_hours: float


class GoalReport(FrozenModel):
    """When a goal is reached, and the earliest it could be (capacity bound of all the
    hours it needs): equal means no plan reaches it sooner. `by`: the learner's date."""

    goal: str
    reached: AwareDatetime | None
    earliest: AwareDatetime | None
    by: date | None = None

    def days_late(self, zone: ZoneInfo) -> int:
        """How many of the learner's days after its date the goal is reached (0 when on
        time, or without a date or a finish)."""
        if self.by is None or self.reached is None:
            return 0
        return max(0, (self.reached.astimezone(zone).date() - self.by).days)

    def misses_its_date(self, zone: ZoneInfo) -> bool:
        """True when the goal has a date and is reached after the end of that day."""
        return self.days_late(zone) > 0


class ReviewReport(FrozenModel):
    """What the reviews cost: the topics' finish without them, the earliest the topics
    could be done with them (review minutes are study time too), the last review, and
    how many reviews are late."""

    after_days: tuple[int, ...]
    minutes: int
    reviews: int
    late: int
    finish_without_reviews: AwareDatetime | None
    lower_bound_finish: AwareDatetime | None
    last_review: AwareDatetime | None


class SolverReport(FrozenModel):
    status: Literal["OPTIMAL", "FEASIBLE"]
    finish_proven_optimal: bool
    sessions: int
    sessions_lower_bound: int
    list_schedule_sessions: int


class OrderAlternative(FrozenModel):
    """What another order mode would give for the same inputs."""

    mode: OrderMode
    finish: AwareDatetime | None
    sessions: int
    inversions: int
    largest_shift: int


class OrderReport(FrozenModel):
    """How closely the plan keeps the reference order (the roadmap's topological order,
    its position breaking ties, goals first) and what that costs. `inversions` counts
    the topic pairs studied the other way round (of `pairs`); `largest_shift` is the
    most places a topic moved. `alternatives` are the other modes' plans (a first plan
    reports them; a re-plan does not); `unbeatable_by` the other modes a first plan did
    not solve because it is at both bounds, finish and sessions (without its reviews, if
    it has them): no order finishes sooner or with fewer sessions."""

    mode: OrderMode
    max_shift: int | None = None  # the bound, in `balanced`
    pairs: int
    inversions: int
    largest_shift: int
    alternatives: tuple[OrderAlternative, ...] = ()
    unbeatable_by: tuple[OrderMode, ...] = ()


class MadeFrom(FrozenModel):
    """The roadmap and prerequisites a plan was made from, as read: a re-plan given
    changed files upgrades the plan from them (`planning/roadmap_upgrade.py`)."""

    roadmap: Roadmap
    prerequisites: Prerequisites


class Plan(FrozenModel):
    """A study plan. After a re-plan, `as_of` is the learner's day it was made on and
    `resumes_at` the moment it plans from: sessions before it are history (`done`), the
    rest is planned from it; `planned_hours` and `finish` speak of what is left."""

    roadmap: str
    # The plan's identity, in every event UID; re-plans keep it. None: a plan made
    # before plans had one (it keeps its old UIDs).
    plan_id: PlanId | None = None
    # What the plan was made from: the roadmap and prerequisites (`roadmap_digest`,
    # PlanInputs.roadmap_digest) and the profile, so that a re-plan uses them unless
    # told otherwise. None: a plan made before plans recorded them.
    roadmap_digest: str | None = None
    made_from: MadeFrom | None = None  # None: a plan made before plans kept a copy
    timezone: TimeZoneName
    start: date
    as_of: date | None = None
    resumes_at: AwareDatetime | None = None  # None: from the start of `as_of`
    finish: AwareDatetime | None
    lower_bound_finish: AwareDatetime | None
    planned_hours: float
    rounded: tuple[RoundedTopic, ...] = ()
    goals: tuple[GoalReport, ...] = ()
    deadline: date | None = None
    busy: BusyReport | None = None  # with busy calendars: what the plan avoided
    solver: SolverReport
    order: OrderReport | None = None  # None in plans written before the order modes
    profile: Profile | None = None
    reviews: ReviewReport | None = None  # with the profile's `review`
    # At the learner's own pace: the finish and goals at P50 and P90 (planning/forecast.py).
    forecast: Forecast | None = None  # None in plans written before forecasts
    sessions: tuple[StudySession, ...]
    # UIDs of sessions a progress record said were missed: their time is planned anew
    # under new UIDs, so the record still names the session it meant (not a later one).
    retired_uids: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _uids_are_unique(self) -> Plan:
        uids = [session.uid for session in self.sessions]
        if len(set(uids)) != len(uids):
            duplicate = next(uid for uid in uids if uids.count(uid) > 1)
            raise ValueError(f"session UID {duplicate!r} is used twice")
        return self

    def to_json(self) -> str:
        """The plan as SPEC.md shows it; fields at their defaults (a session not done,
        SEQUENCE 0, the profile's defaults) are left out."""
        return self.model_dump_json(indent=2, exclude_defaults=True, by_alias=True) + "\n"

    @property
    def planned_from(self) -> date:
        """The first day of what is still to do."""
        return self.as_of or self.start

    @property
    def upcoming(self) -> tuple[StudySession, ...]:
        return tuple(session for session in self.sessions if not session.done)

    @property
    def upcoming_study(self) -> tuple[StudySession, ...]:
        """The sessions still to come that study a topic (not reviews)."""
        return tuple(s for s in self.sessions if not s.done and not s.is_review)

    @property
    def study_sessions(self) -> tuple[StudySession, ...]:
        """The sessions that study a topic (not reviews)."""
        return tuple(session for session in self.sessions if not session.is_review)
