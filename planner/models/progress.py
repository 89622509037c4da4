"""What a learner reports between plans: one record, the same in `progress.yaml`, the
API and the web app.

At the level of sessions, each planned session is done, done for N minutes, missed, or
not reported (`sessions`). Beside it, the shortcuts: topics or sections done (with
`hours`: the hours they really took), skipped, a topic's hours so far, missed day
ranges, and study at an unplanned time (`extra`). Which wins, for a session before the
re-plan (planning/session_reports.py applies it): a record about the session beats its
topic's shortcut, which beats a day range, which beats "followed the plan".
"""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    Field,
    GetJsonSchemaHandler,
    field_serializer,
    field_validator,
    model_serializer,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from planner.models.fields import (
    FIRST_PLANNING_DAY,
    LAST_PLANNING_DAY,
    DateRange,
    FrozenModel,
    Hours,
    Identifier,
    PlanningDay,
)

# A day has 1,440 minutes: more in one record is a typo.
MINUTES_A_DAY = 24 * 60


def _some_minutes(minutes: int) -> int:
    if minutes < 1:
        raise ValueError(f"{minutes} minutes is no study (a session not studied is missed: true)")
    if minutes > MINUTES_A_DAY:
        raise ValueError(f"{minutes} minutes is more than a day ({MINUTES_A_DAY})")
    return minutes


Minutes = Annotated[int, Field(strict=True), AfterValidator(_some_minutes)]


class SessionRecord(FrozenModel):
    """What happened to one planned session (study or review), by its UID: done as
    planned, done for `minutes` (less or more than planned), or `missed`.

    In YAML a session done as planned is its UID alone; the others are a mapping:
    `{session: UID, minutes: 45}`, `{session: UID, missed: true}`."""

    session: str = Field(min_length=1, examples=["python-backend-4.1-2@roadmap-planner"])
    minutes: Minutes | None = None
    missed: bool = Field(default=False, strict=True)  # the schema says boolean: not "yes"

    @model_validator(mode="before")
    @classmethod
    def _uid_alone_is_done(cls, value: Any) -> Any:
        return {"session": value} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _missed_or_minutes(self) -> SessionRecord:
        if self.missed and self.minutes is not None:
            raise ValueError(
                f"session {self.session}: missed, or done for some minutes: which is it?"
            )
        return self

    @property
    def as_planned(self) -> bool:
        return not self.missed and self.minutes is None

    @model_serializer(mode="wrap")
    def _short_form(self, handler: Any) -> Any:
        # The file's short form: a session done as planned is its UID.
        return self.session if self.as_planned else handler(self)

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # The schema says what the model reads: the short form (a UID alone) too.
        uid_alone = {"type": "string", "minLength": 1}
        return {"anyOf": [uid_alone, handler(core_schema)]}


def _time_of_day(value: Any) -> Any:
    # "20:00" as YAML and JSON give it.
    if isinstance(value, int) and not isinstance(value, bool):
        # YAML 1.1 reads an unquoted 20:00 as the base-60 number 1200.
        hours, minutes = divmod(value, 60)
        raise ValueError(f'write the time in quotes: "{hours:02d}:{minutes:02d}"')
    if isinstance(value, str):
        try:
            return time.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a time: write it as HH:MM") from None
    return value


class ExtraStudy(FrozenModel):
    """Study outside the plan: `minutes` of `topic` on `day` (the learner's local day),
    starting `at` (a time of day) if they say when."""

    topic: Identifier
    day: PlanningDay
    minutes: Minutes
    at: Annotated[time | None, BeforeValidator(_time_of_day)] = None

    @field_validator("at")
    @classmethod
    def _whole_minutes(cls, value: time | None) -> time | None:
        return value.replace(second=0, microsecond=0) if value is not None else None

    @field_serializer("at")
    def _as_written(self, value: time | None) -> str | None:
        return f"{value:%H:%M}" if value is not None else None


class CalendarEdit(FrozenModel):
    """A session the learner moved (to `start`-`end`) or `deleted` (it was at
    `start`-`end`) in their own calendar, as `planner sync` read it."""

    session: str = Field(min_length=1)
    start: AwareDatetime
    end: AwareDatetime
    deleted: bool = False

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> CalendarEdit:
        if self.end <= self.start:
            raise ValueError(f"session {self.session}: end {self.end} is not after start")
        if self.end - self.start > timedelta(minutes=MINUTES_A_DAY):
            raise ValueError(f"session {self.session}: longer than a day")
        days = (self.start.date(), self.end.date())
        if not all(FIRST_PLANNING_DAY <= day <= LAST_PLANNING_DAY for day in days):
            raise ValueError(
                f"session {self.session}: outside {FIRST_PLANNING_DAY}..{LAST_PLANNING_DAY}"
            )
        return self


class Progress(FrozenModel):
    """What a learner reports (`progress.yaml`, written by hand or by `planner done` and
    `planner missed`; the API's progress). Every combination of fields is allowed:

    - `sessions`: each a session's record (done, done for N minutes, missed).
    - `done`: topics or sections finished; with `hours` for the same topic, the hours it
      really took. `hours` alone: a topic's hours so far (its total, not new hours).
    - `skipped`: topics or sections not to study. `missed`: days not studied.
    - `extra`: study at an unplanned time.
    - `calendar`: sessions the learner moved or deleted in their own calendar
      (`planner sync`): a re-plan keeps a moved one where they put it and leaves the
      time of a deleted one free.
    - `as_of`: re-plan as of this day (default: the learner's clock).
    - `missed_mode`: after missed sessions, the sessions that followed hold what the
      missed ones did (`resume`) or what the calendar said (`as_planned`).
    """

    as_of: PlanningDay | None = None
    done: tuple[Identifier, ...] = ()  # topics or sections finished
    hours: dict[Identifier, Hours] = {}  # noqa: RUF012 (pydantic copies defaults)
    skipped: tuple[Identifier, ...] = ()
    missed: tuple[DateRange, ...] = ()
    sessions: tuple[SessionRecord, ...] = Field(
        default=(),
        examples=[
            [
                "python-backend-4.1-2@roadmap-planner",
                {"session": "python-backend-4.1-3@roadmap-planner", "minutes": 45},
                {"session": "python-backend-4.2-1@roadmap-planner", "missed": True},
            ]
        ],
    )
    extra: tuple[ExtraStudy, ...] = ()
    missed_mode: Literal["resume", "as_planned"] = "resume"
    calendar: tuple[CalendarEdit, ...] = ()

    @field_validator("sessions")
    @classmethod
    def _one_record_per_session(
        cls, records: tuple[SessionRecord, ...]
    ) -> tuple[SessionRecord, ...]:
        seen: dict[str, int] = {}
        for index, record in enumerate(records):
            if record.session in seen:
                raise ValueError(
                    f"session {record.session} is recorded twice (sessions[{seen[record.session]}] "
                    f"and sessions[{index}]): keep one"
                )
            seen[record.session] = index
        return records

    def record_of(self, uid: str) -> SessionRecord | None:
        """The record about the session `uid`, if there is one."""
        return next((record for record in self.sessions if record.session == uid), None)

    def calendar_edit(self, uid: str) -> CalendarEdit | None:
        """The last thing the learner did to session `uid` in their calendar, if any."""
        return next((edit for edit in reversed(self.calendar) if edit.session == uid), None)

    def on_missed_day(self, day: date) -> bool:
        return any(day in missed for missed in self.missed)
