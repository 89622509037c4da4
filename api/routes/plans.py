"""/plans: create a plan, read it, record progress, re-plan, rotate the feed, delete."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Response, status

from api import repository
from api.deps import OwnedPlanDep, SessionDep, SettingsDep
from api.schemas import (
    FeedLinks,
    PlanChangesPublic,
    PlanCreate,
    PlanCreated,
    PlanPublic,
    Problem,
    ReplanPublic,
    ReplanRequest,
)
from api.settings import Settings
from api.solving import calendar_of, plan_within, replan_within
from api.tables import PlanRecord
from planner.errors import PlannerError
from planner.models import Plan, Profile, Progress


def _documented(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": Problem} for code in codes}


OWNED = _documented(404, 413)
WRITES = _documented(404, 409, 412, 413)
SOLVES = _documented(404, 409, 412, 413, 503)
router = APIRouter(prefix="/plans", tags=["plans"])
IfMatch = Annotated[
    str | None,
    Header(description="The ETag you read; the write is refused (412) if the plan changed."),
]


def etag_of(record: PlanRecord) -> str:
    return f'W/"v{record.version}"'


def feed_links(record: PlanRecord, settings: Settings) -> FeedLinks:
    base = settings.public_url.rstrip("/")
    https_url = f"{base}/feeds/{record.feed_token}.ics"
    return FeedLinks(https_url=https_url, webcal_url="webcal://" + https_url.split("://", 1)[1])


def public(record: PlanRecord, settings: Settings, **extra: Any) -> dict[str, Any]:
    return {
        "id": record.id,
        "version": record.version,
        "roadmap": record.roadmap_id,
        "profile": Profile.model_validate_json(record.profile_json),
        "progress": Progress.model_validate_json(record.progress_json)
        if record.progress_json
        else None,
        "plan": Plan.model_validate_json(record.plan_json),
        "feed": feed_links(record, settings),
        "updated_at": record.updated_at,
        **extra,
    }


def check_if_match(record: PlanRecord, if_match: str | None) -> None:
    if if_match is not None and if_match.strip() not in (etag_of(record), "*"):
        raise HTTPException(
            status_code=status.HTTP_412_PRECONDITION_FAILED,
            detail=f"the plan changed: it is at {etag_of(record)}, you sent {if_match}",
        )


def check_limits(profile: Profile, settings: Settings) -> None:
    windows = sum(len(day) for day in profile.weekly.values())
    if windows > settings.max_windows_per_week:
        raise PlannerError(
            f"profile.weekly: {windows} windows a week; this service plans at most "
            f"{settings.max_windows_per_week}"
        )
    if len(profile.blackouts) > settings.max_blackouts:
        raise PlannerError(
            f"profile.blackouts: {len(profile.blackouts)} ranges; at most {settings.max_blackouts}"
        )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=PlanCreated,
    responses=_documented(413, 503),
)
def create_plan(
    body: PlanCreate, session: SessionDep, settings: SettingsDep, response: Response
) -> dict[str, Any]:
    """Plan the roadmap for a profile. The answer holds the owner token (shown once)
    and the feed links to subscribe to."""
    check_limits(body.profile, settings)
    result = plan_within(body.profile, body.roadmap, date.today(), settings.solve_timeout_seconds)
    calendar, calendar_etag = calendar_of(result.plan)
    record, secrets = repository.create_plan(
        session,
        roadmap_id=body.roadmap,
        profile_json=body.profile.model_dump_json(by_alias=True),
        plan_json=result.plan.model_dump_json(),
        calendar=calendar,
        calendar_etag=calendar_etag,
    )
    response.headers["Location"] = f"/plans/{record.id}"
    response.headers["ETag"] = etag_of(record)
    return public(record, settings, owner_token=secrets.owner_token, warnings=result.warnings)


@router.get("/{plan_id}", response_model=PlanPublic, responses=OWNED)
def read_plan(record: OwnedPlanDep, settings: SettingsDep, response: Response) -> dict[str, Any]:
    """The plan, its profile, the progress recorded so far and the feed links."""
    response.headers["ETag"] = etag_of(record)
    return public(record, settings)


@router.post("/{plan_id}/progress", response_model=PlanPublic, responses=WRITES)
def record_progress(
    body: Progress,
    record: OwnedPlanDep,
    session: SessionDep,
    settings: SettingsDep,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """Add to the progress recorded so far: topics done or skipped, hours, missed days.
    Nothing is re-planned until you ask (POST .../replan)."""
    check_if_match(record, if_match)
    recorded = Progress.model_validate_json(record.progress_json) if record.progress_json else None
    merged = merge_progress(recorded, body)
    record = repository.update_plan(
        session,
        record=record,
        expected_version=record.version,
        progress_json=merged.model_dump_json(by_alias=True),
    )
    response.headers["ETag"] = etag_of(record)
    return public(record, settings)


def merge_progress(recorded: Progress | None, new: Progress) -> Progress:
    """The union of what was recorded and what is new (later hours win)."""
    if recorded is None:
        return new
    try:
        return Progress.model_validate(
            {
                "as_of": new.as_of or recorded.as_of,
                "done": sorted(set(recorded.done) | set(new.done)),
                "hours": {**recorded.hours, **new.hours},
                "skipped": sorted(set(recorded.skipped) | set(new.skipped)),
                "missed": [
                    r.model_dump(by_alias=True)
                    for r in dict.fromkeys((*recorded.missed, *new.missed))
                ],
            }
        )
    except ValueError as error:
        raise PlannerError(f"progress: with what was recorded before, {error}") from None


@router.post("/{plan_id}/replan", response_model=ReplanPublic, responses=SOLVES)
def replan_plan(
    body: ReplanRequest,
    record: OwnedPlanDep,
    session: SessionDep,
    settings: SettingsDep,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """Plan again from as_of with the progress recorded so far; the feed follows."""
    check_if_match(record, if_match)
    read_version = record.version
    recorded = Progress.model_validate_json(record.progress_json) if record.progress_json else None
    progress = (recorded or Progress()).model_copy(
        update={"as_of": body.as_of or (recorded.as_of if recorded else None)}
    )
    result = replan_within(
        Plan.model_validate_json(record.plan_json),
        Profile.model_validate_json(record.profile_json),
        progress,
        date.today(),
        settings.solve_timeout_seconds,
    )
    calendar, calendar_etag = calendar_of(result.plan)
    record = repository.update_plan(
        session,
        record=record,
        expected_version=read_version,
        plan_json=result.plan.model_dump_json(),
        calendar=calendar,
        calendar_etag=calendar_etag,
    )
    response.headers["ETag"] = etag_of(record)
    changes = PlanChangesPublic(**vars(result.changes), days_later=result.changes.days_later)
    return public(record, settings, changes=changes, warnings=result.warnings)


@router.post("/{plan_id}/feed/rotate", response_model=PlanPublic, responses=WRITES)
def rotate_feed(
    record: OwnedPlanDep,
    session: SessionDep,
    settings: SettingsDep,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """A new feed URL; the old one answers 404 from now on."""
    check_if_match(record, if_match)
    record = repository.rotate_feed_token(session, record=record, expected_version=record.version)
    response.headers["ETag"] = etag_of(record)
    return public(record, settings)


@router.delete("/{plan_id}", status_code=status.HTTP_204_NO_CONTENT, responses=OWNED)
def delete_plan(record: OwnedPlanDep, session: SessionDep) -> Response:
    """Delete the plan, its progress and its feed. There is no undo."""
    repository.delete_plan(session, record=record)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
