"""A plan's busy calendars changed by its owner ("Change my week"): a calendar kept, with
its options changed or not, comes back under its masked name (its address is a secret
the learner never sees again) and is matched to the stored one by that name, whose
fingerprint is of the whole address — a stable key, not the list's order. A calendar
removed is forgotten; a new one comes with its full address and is read now, under the
same rules as a new plan's (URLs only, public addresses only, the size and time limits).
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

from sqlmodel import Session

from api import repository
from api.busy import busy_files, check_busy_sources, fetch_source
from api.capacity import ClientFetches
from api.settings import Settings
from api.tables import BusySourceRecord, PlanRecord
from planner.errors import PlannerError
from planner.inputs.busy_calendar import BusyCalendarFile
from planner.models.busy import BusySource, is_masked
from planner.models.profile import Profile


def unmasked_busy(changed: Profile, stored: Profile, settings: Settings) -> Profile:
    """`changed` with each kept calendar's stored address in place of its masked name.

    Raises:
        PlannerError: a masked name of no calendar of this plan (named by its place in
            the list), a file name, or more calendars than the service reads.
    """
    by_name = {source.name: source.ics for source in stored.busy}
    busy: list[BusySource] = []
    for index, source in enumerate(changed.busy):
        if source.ics in by_name:
            busy.append(source.model_copy(update={"ics": by_name[source.ics]}))
        elif is_masked(source.ics):
            raise PlannerError(
                f"profile.busy[{index}].ics: {source.ics} is not one of this plan's calendars "
                "(its address is hidden); to read a calendar again, give its full address"
            )
        else:
            busy.append(source)
    unmasked = changed.model_copy(update={"busy": tuple(busy)})
    check_busy_sources(unmasked, settings)
    return unmasked


def new_busy_sources(
    plan_id: str,
    changed: Profile,
    stored: list[BusySourceRecord],
    settings: Settings,
    now: datetime,
) -> list[BusySourceRecord]:
    """The plan's calendars in `changed`'s order: a kept one with its last good copy (its
    address matched, not its place), a new one read now.

    Raises:
        BusyFieldError: a new calendar cannot be read (nothing is changed).
    """
    by_url = {source.url: source for source in stored}
    records = []
    for position, source in enumerate(changed.busy):
        kept = by_url.get(source.ics)
        if kept is None:
            records.append(fetch_source(plan_id, position, source.ics, settings, now))
        else:
            records.append(BusySourceRecord(**{**kept.model_dump(), "position": position}))
    return records


def busy_for_replan(
    session: Session,
    record: PlanRecord,
    profile: Profile,
    settings: Settings,
    fetches: ClientFetches,
) -> tuple[tuple[BusyCalendarFile, ...], list[BusySourceRecord] | None]:
    """The calendars a re-plan with `profile` reads (with `profile`'s options), and the
    plan's calendars to store after it when they changed (None: they stay). Only a new
    calendar is read now, on the pool of busy fetches; the others are the copies kept.

    Raises:
        BusyFieldError: a new calendar cannot be read.
        ServiceBusyError: the pool of busy fetches is full.
    """
    stored = repository.busy_sources_of(session, plan_id=record.id)
    if [source.ics for source in profile.busy] == [source.url for source in stored]:
        return busy_files(profile, ((s.position, s.body) for s in stored)), None
    fetch = partial(new_busy_sources, record.id, profile, stored, settings, repository.now())
    records = fetches.run(fetch)
    return busy_files(profile, ((s.position, s.body) for s in records)), records
