"""What the API reads and answers (separate from the tables)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from api.own_roadmap import OwnRoadmap
from api.tables import PlanRecord
from planner.models.blackouts import HolidayBlackout
from planner.models.fields import PlanningDay
from planner.models.plan import Plan
from planner.models.profile import Profile
from planner.models.progress import Progress
from planner.planning.replan_changes import KeepingCost, PlanChanges
from planner.planning.session_reports import ReplanStart, Report

RoadmapId = Literal["python-backend"]
PlanName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=100),
    Field(description='The learner\'s name for the plan ("" when unnamed).'),
]
HOW_TO_SUBSCRIBE = (
    "Google Calendar: Other calendars → + → From URL, paste the https URL (it needs a "
    "public https address). Apple Calendar and Thunderbird open the webcal link (plain "
    "http works for them, on a local network too). Google refreshes subscribed calendars on its "
    "own schedule (every few hours), so a re-plan shows up there with a delay."
)


class PlanCreate(BaseModel):
    """A new plan: which roadmap, and the learner's profile (every key: the guide's Profile
    keys)."""

    model_config = ConfigDict(extra="forbid")

    roadmap: RoadmapId = "python-backend"
    # The learner's own roadmap instead of a bundled one (`roadmap` is then ignored).
    own_roadmap: OwnRoadmap | None = None
    profile: Profile
    name: PlanName = ""


class PlanRename(BaseModel):
    """A new name for the plan."""

    model_config = ConfigDict(extra="forbid")

    name: PlanName


class ReplanRequest(BaseModel):
    """Plan again from `as_of` (default: the progress's as_of, else today)."""

    model_config = ConfigDict(extra="forbid")

    as_of: PlanningDay | None = None
    pace: Literal["learned", "estimates"] | None = Field(
        default=None,
        description="Plan with my pace: 'learned' plans the rest at the pace learned from "
        "the progress (the profile's `pace: learned`, kept for later re-plans); "
        "'estimates' goes back to the estimates. Left out: the profile's pace.",
    )
    profile: Profile | None = Field(
        default=None,
        description='A changed profile (the web\'s "Change my week"): the plan is made again '
        "with it from `as_of`, keeping what is done, and keeps it. A busy calendar kept is "
        "sent as GET shows it (its address masked), with its options changed or not; one "
        "left out is forgotten; a new one has its full address and is read now.",
    )


class Problem(BaseModel):
    """Why a request was refused (404, 409, 412, 413, 503)."""

    detail: str


def documented(*codes: int) -> dict[int | str, dict[str, Any]]:
    """A route's `responses`: these status codes answer a `Problem`."""
    return {code: {"model": Problem} for code in codes}


class FeedLinks(BaseModel):
    url: str = Field(
        description="The feed's address on this service's public URL, http or https: "
        "paste into a calendar app's 'subscribe by URL'."
    )
    https_url: str | None = Field(
        description="The same address when it is https (Google Calendar and Outlook "
        "subscribe only to a public https address); null when the service is not "
        "reached over https (PLANNER_PUBLIC_URL)."
    )
    webcal_url: str = Field(description="Opens the subscription in Apple Calendar etc.")
    how_to_subscribe: str = HOW_TO_SUBSCRIBE

    @classmethod
    def of(cls, feed_token: str, public_url: str) -> Self:
        url = f"{public_url.rstrip('/')}/feeds/{feed_token}.ics"
        return cls(
            url=url,
            https_url=url if url.startswith("https://") else None,
            webcal_url="webcal://" + url.split("://", 1)[1],
        )


class BusySourceStatus(BaseModel):
    """A busy calendar as its owner sees it: never its URL, which is a secret."""

    source: str = Field(description="Scheme, host and a fingerprint of the URL.")
    digest: str = Field(description="SHA-256 of the copy the plan uses.")
    checked_at: datetime
    changed_at: datetime
    error: str | None = Field(
        description="Why the last fetch failed (the plan is the last good one)."
    )


class ReplanFrom(BaseModel):
    """Where a re-plan starts: the learner's day, the moment (with its UTC offset), and
    why there."""

    as_of: PlanningDay
    at: datetime
    why: str

    @classmethod
    def of(cls, start: ReplanStart) -> Self:
        return cls(as_of=start.as_of, at=start.at, why=start.why)


class HolidayPublic(BaseModel):
    """A public holiday of the profile's calendars within the plan."""

    day: date
    name: str
    day_off: bool = Field(
        description="Studied as a day off (`holidays:` with `as: day_off`); else no study."
    )


def holidays_in(profile: Profile, plan: Plan) -> list[HolidayPublic]:
    """The holidays from the plan's first day to its finish that change a study day: days
    off from Monday to Friday, and the blackout holidays."""
    if plan.finish is None:
        return []
    calendars = [b for b in profile.blackouts if isinstance(b, HolidayBlackout)]
    found = []
    day = plan.planned_from
    while day <= plan.finish.date():
        if profile.holidays is not None and profile.holidays.is_day_off(day):
            found.append(HolidayPublic(day=day, name=profile.holidays.name_of(day), day_off=True))
        elif profile.holidays is not None and profile.holidays.is_blackout(day):
            found.append(HolidayPublic(day=day, name=profile.holidays.name_of(day), day_off=False))
        elif off := next((c for c in calendars if day in c), None):
            found.append(HolidayPublic(day=day, name=off.name_of(day), day_off=False))
        day += timedelta(days=1)
    return found


class PlanPublic(BaseModel):
    """A plan as its owner sees it. `version` changes with every write; send it back in
    If-Match (as the ETag header gives it) to make sure you change what you read."""

    id: str
    version: int
    roadmap: str
    name: str = Field(description='The learner\'s name for the plan ("" when unnamed).')
    profile: Profile
    progress: Progress | None
    plan: Plan
    feed: FeedLinks
    updated_at: datetime
    warnings: list[str] = []
    busy_sources: list[BusySourceStatus] | None = Field(
        default=None,
        description="How each busy calendar was last read (GET, create and busy refresh).",
    )
    replan_from: ReplanFrom | None = Field(
        default=None,
        description="Where a re-plan now, with the progress recorded, would start, and why.",
    )
    holidays: list[HolidayPublic] = Field(
        default=[], description="The public holidays in the plan that change a study day."
    )
    reports: dict[str, Report] | None = Field(
        default=None,
        description="What the progress says of each session not yet history, by UID (one "
        "it says nothing of is left out: a re-plan counts it as studied as planned). Its "
        "own record (done, partly, missed) beats its topic's (topic done, skipped, topic "
        "hours), which beats a missed day range (missed day).",
    )

    @classmethod
    def from_record(cls, record: PlanRecord, public_url: str, **extra: Any) -> Self:
        progress = record.progress_json
        profile = Profile.model_validate_json(record.profile_json)
        plan = Plan.model_validate_json(record.plan_json)
        return cls(
            id=record.id,
            version=record.version,
            roadmap=record.roadmap_id,
            name=record.name,
            # A busy calendar's URL is a secret: answers show it masked.
            profile=profile.masked(),
            progress=Progress.model_validate_json(progress) if progress else None,
            plan=plan,
            holidays=holidays_in(profile, plan),
            feed=FeedLinks.of(record.feed_token, public_url),
            updated_at=record.updated_at,
            **extra,
        )


class PlanCreated(PlanPublic):
    """The new plan and its owner token, shown this once: keep it."""

    owner_token: str = Field(description="Send as 'Authorization: Bearer <token>'.")


class PlanChangesPublic(BaseModel):
    finish_before: datetime | None
    finish_after: datetime | None
    days_later: int | None
    kept: int
    moved: int
    added: int
    dropped: int
    done: int
    hours_done: float
    hours_left: float
    busy_changed: tuple[str, ...] = ()
    busy_hit: int = 0
    changed_soon: int = 0  # sessions changed in the next `soon_days` days
    soon_days: int = 14
    # Where keeping the sessions before new busy time would have cost sessions or days.
    keeping_cost: KeepingCost | None = None

    @classmethod
    def of(cls, changes: PlanChanges) -> Self:
        return cls(**vars(changes), days_later=changes.days_later)


class ReplanPublic(PlanPublic):
    changes: PlanChangesPublic
    started: ReplanFrom | None = Field(default=None, description="Where this re-plan started.")
    roadmap_changed: str | None = Field(
        default=None,
        description="How the roadmap changed since the plan was made (a new release of it): "
        "the plan was upgraded, its history kept.",
    )


class BusyRefreshPublic(PlanPublic):
    """The plan after its busy calendars were read again."""

    changed: list[str] = Field(description="The calendars whose content changed.")
    replanned: bool = Field(description="Whether the plan was made again (a change read).")
    changes: PlanChangesPublic | None = None


class Health(BaseModel):
    status: Literal["ok", "unavailable"]
    database: str = Field(description='"ok", or "not writable: <why>" (then status 503)')
    calendars_failing: int | None = Field(
        default=None,
        description="Plans' own CalDAV calendars that have failed for longer than "
        "PLANNER_CALDAV_FAILING_HOURS (the log names their plans), when there are any; "
        "not a reason for 503.",
    )
