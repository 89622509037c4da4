"""/plans: create a plan, read it, record progress, re-plan, rotate the feed, delete."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Response, status
from pydantic import ValidationError

from api import repository
from api.busy import busy_files, check_busy_sources, first_fetch, source_status, stored_busy_files
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
from api.solving import bundled_roadmaps, calendar_of, plan_within, replan_within
from api.tables import PlanRecord
from planner.errors import PlannerError
from planner.inputs.graph import expand_ids, require_topics
from planner.models.fields import too_many_windows
from planner.models.plan import Plan
from planner.models.profile import Profile
from planner.models.progress import Progress
from planner.planning.replan import ReplanResult, require_known_sessions


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
    # Strong: If-Match compares strongly (RFC 9110), and the version names one state.
    return f'"v{record.version}"'


def feed_links(record: PlanRecord, settings: Settings) -> FeedLinks:
    base = settings.public_url.rstrip("/")
    https_url = f"{base}/feeds/{record.feed_token}.ics"
    return FeedLinks(https_url=https_url, webcal_url="webcal://" + https_url.split("://", 1)[1])


def public(record: PlanRecord, settings: Settings, **extra: Any) -> dict[str, Any]:
    return {
        "id": record.id,
        "version": record.version,
        "roadmap": record.roadmap_id,
        "profile": masked(Profile.model_validate_json(record.profile_json)),
        "progress": progress_of(record),
        "plan": Plan.model_validate_json(record.plan_json),
        "feed": feed_links(record, settings),
        "updated_at": record.updated_at,
        **extra,
    }


def masked(profile: Profile) -> Profile:
    """The profile as answers show it: a busy calendar's URL is a secret."""
    return profile.masked()


def check_if_match(record: PlanRecord, if_match: str | None) -> None:
    if if_match is None:
        return
    tags = {tag.strip() for tag in if_match.split(",")}
    if "*" not in tags and etag_of(record) not in tags:
        raise HTTPException(
            status_code=status.HTTP_412_PRECONDITION_FAILED,
            detail=f"the plan changed: it is at {etag_of(record)}, you sent {if_match}",
        )


def check_limits(profile: Profile, settings: Settings) -> None:
    if (problem := too_many_windows(profile.weekly, settings.max_windows_per_week)) is not None:
        raise PlannerError(f"profile.weekly: {problem}")
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
    check_busy_sources(body.profile, settings)
    plan_id = repository.new_plan_id()
    sources = first_fetch(plan_id, body.profile, settings, repository.now())
    result = plan_within(
        body.profile,
        body.roadmap,
        date.today(),
        settings.solve_timeout_seconds,
        plan_id=plan_id,
        busy=busy_files(body.profile, ((source.position, source.body) for source in sources)),
    )
    calendar, calendar_etag = calendar_of(result.plan)
    record, secrets = repository.create_plan(
        session,
        plan_id=plan_id,
        roadmap_id=body.roadmap,
        profile_json=body.profile.model_dump_json(by_alias=True),
        plan_json=result.plan.model_dump_json(),
        calendar=calendar,
        calendar_etag=calendar_etag,
        busy_sources=sources,
    )
    response.headers["Location"] = f"/plans/{record.id}"
    response.headers["ETag"] = etag_of(record)
    return public(
        record,
        settings,
        owner_token=secrets.owner_token,
        warnings=result.warnings,
        busy_sources=source_status(sources),
    )


@router.get("/{plan_id}", response_model=PlanPublic, responses={**OWNED, 304: {}})
def read_plan(
    record: OwnedPlanDep,
    session: SessionDep,
    settings: SettingsDep,
    response: Response,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Any:
    """The plan, its profile, the progress recorded so far, the feed links and how each
    busy calendar was last read (304 when If-None-Match names its current ETag)."""
    if if_none_match is not None and etag_of(record) in {
        tag.strip().removeprefix("W/") for tag in if_none_match.split(",")
    }:
        return Response(status_code=304, headers={"ETag": etag_of(record)})
    response.headers["ETag"] = etag_of(record)
    sources = repository.busy_sources_of(session, plan_id=record.id)
    return public(record, settings, busy_sources=source_status(sources))


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
    return _save_progress(merge_progress(progress_of(record), body), record, session, settings,
                          response)  # fmt: skip


@router.put("/{plan_id}/progress", response_model=PlanPublic, responses=WRITES)
def replace_progress(
    body: Progress,
    record: OwnedPlanDep,
    session: SessionDep,
    settings: SettingsDep,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """Replace the progress recorded so far (to correct it; `{}` clears it)."""
    check_if_match(record, if_match)
    return _save_progress(body, record, session, settings, response)


def _save_progress(
    progress: Progress,
    record: PlanRecord,
    session: SessionDep,
    settings: Settings,
    response: Response,
) -> dict[str, Any]:
    check_progress_ids(progress, record.roadmap_id)
    require_known_sessions(Plan.model_validate_json(record.plan_json), progress, "progress")
    record = repository.update_plan(
        session,
        record=record,
        expected_version=record.version,
        progress_json=progress.model_dump_json(by_alias=True),
    )
    response.headers["ETag"] = etag_of(record)
    return public(record, settings)


def progress_of(record: PlanRecord) -> Progress | None:
    return Progress.model_validate_json(record.progress_json) if record.progress_json else None


def check_progress_ids(progress: Progress, roadmap_id: str) -> None:
    """Refuse unknown ids now, not at the next re-plan."""
    roadmap, _ = bundled_roadmaps()[roadmap_id]
    expand_ids(roadmap, progress.done, "progress", "done")
    expand_ids(roadmap, progress.skipped, "progress", "skipped")
    require_topics(roadmap, progress.hours, "progress", "hours")


def merge_progress(recorded: Progress | None, new: Progress) -> Progress:
    """The union of what was recorded and what is new: later hours win, and a topic
    now done no longer counts its hours."""
    if recorded is None:
        return new
    done = sorted(set(recorded.done) | set(new.done))
    hours = {topic: h for topic, h in {**recorded.hours, **new.hours}.items() if topic not in done}
    missed = dict.fromkeys((*recorded.missed, *new.missed))
    try:
        return Progress.model_validate(
            {
                "as_of": new.as_of or recorded.as_of,
                "done": done,
                "hours": hours,
                "skipped": sorted(set(recorded.skipped) | set(new.skipped)),
                "missed": [missed_range.model_dump(by_alias=True) for missed_range in missed],
                "sessions": list(dict.fromkeys((*recorded.sessions, *new.sessions))),
                "missed_mode": new.missed_mode
                if "missed_mode" in new.model_fields_set
                else recorded.missed_mode,
            }
        )
    except ValidationError as error:
        problem = error.errors()[0]["msg"].removeprefix("Value error, ")
        raise PlannerError(f"progress: with what was recorded before, {problem}") from None


@router.post("/{plan_id}/replan", response_model=ReplanPublic, responses=SOLVES)
def replan_plan(
    record: OwnedPlanDep,
    session: SessionDep,
    settings: SettingsDep,
    response: Response,
    body: ReplanRequest | None = None,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """Plan again from as_of with the progress recorded so far; the feed follows. The
    as_of used is recorded with the progress (the next re-plan starts from it)."""
    check_if_match(record, if_match)
    read_version = record.version
    recorded = progress_of(record) or Progress()
    as_of = (body.as_of if body else None) or recorded.as_of or date.today()
    progress = recorded.model_copy(update={"as_of": as_of})
    result = replan_within(
        Plan.model_validate_json(record.plan_json),
        Profile.model_validate_json(record.profile_json),
        progress,
        date.today(),
        settings.solve_timeout_seconds,
        busy=stored_busy_files(session, record),
    )
    calendar, calendar_etag = calendar_of(result.plan)
    record = repository.update_plan(
        session,
        record=record,
        expected_version=read_version,
        plan_json=result.plan.model_dump_json(),
        progress_json=progress.model_dump_json(by_alias=True),
        calendar=calendar,
        calendar_etag=calendar_etag,
    )
    response.headers["ETag"] = etag_of(record)
    return public(record, settings, changes=changes_public(result), warnings=result.warnings)


def changes_public(result: ReplanResult) -> PlanChangesPublic:
    return PlanChangesPublic(**vars(result.changes), days_later=result.changes.days_later)


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


@router.delete("/{plan_id}", status_code=status.HTTP_204_NO_CONTENT, responses=WRITES)
def delete_plan(record: OwnedPlanDep, session: SessionDep, if_match: IfMatch = None) -> Response:
    """Delete the plan, its progress and its feed. There is no undo."""
    check_if_match(record, if_match)
    repository.delete_plan(session, record=record, expected_version=record.version)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
