"""What the API reads and answers about a plan's own CalDAV calendar (separate from the
table; never the password)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from api.tables import CalendarTargetRecord
from planner.calendar_sync.connection import checked_secret
from planner.models.busy import display_name
from planner.models.calendar_target import DEFAULT_CALENDAR_NAME, CalendarTarget
from planner.models.progress import CalendarEdit

MAX_SECRET_CHARS = 4096


class CalendarTargetPut(BaseModel):
    """The plan's own calendar: a CalDAV account (iCloud, Fastmail, Nextcloud, Google...)
    and the name of the calendar to write to (found, or made). Give `password` (an app
    password), or `token` (an OAuth access token, Google's: sent as a bearer token)."""

    model_config = ConfigDict(extra="forbid")

    caldav: str = Field(
        min_length=1, max_length=4096, examples=["https://caldav.fastmail.com/dav/"],
        description="The CalDAV account's address (http or https).",
    )  # fmt: skip
    username: str = Field(min_length=1, max_length=256, description="The account's user name.")
    # No length or pattern here: a refusal would echo the value (checked by the route).
    password: str | None = Field(
        default=None,
        repr=False,
        description="The password (an app password): kept encrypted, never shown.",
    )
    token: str | None = Field(
        default=None,
        repr=False,
        description="Instead of a password: an OAuth access token, kept encrypted, never shown.",
    )
    name: str = Field(
        default=DEFAULT_CALENDAR_NAME, min_length=1, max_length=200,
        description="The calendar to write to, made if the account has none.",
    )  # fmt: skip

    @field_validator("caldav")
    @classmethod
    def _caldav_url(cls, url: str) -> str:
        try:  # the profile's rule: http or https, no password in it
            CalendarTarget(caldav=url, username="-")
        except ValidationError as error:
            raise ValueError(error.errors()[0]["msg"].removeprefix("Value error, ")) from None
        return url

    def secret(self) -> tuple[str, bool]:
        """The secret and whether it is a token.

        Raises:
            ValueError: neither or both given, or one too long (the value is not quoted).
        """
        given = [value for value in (self.password, self.token) if value]
        if len(given) != 1:
            raise ValueError("calendar: give the account's password, or an OAuth token: one")
        if len(given[0]) > MAX_SECRET_CHARS:
            raise ValueError(f"calendar: the password or token is over {MAX_SECRET_CHARS} chars")
        try:
            secret = checked_secret(given[0])
        except ValueError as error:
            raise ValueError(f"calendar: {error}") from None
        return secret, self.token is not None and bool(self.token)


class CalendarTargetPublic(BaseModel):
    """The plan's own calendar as its owner sees it: the address masked, never the
    password; how the last push or pull went."""

    caldav: str = Field(description="Scheme, host and a fingerprint of the address.")
    username: str
    name: str
    signs_in_with: Literal["password", "token"]
    events: int = Field(description="The plan's events the last push left in the calendar.")
    synced_at: datetime | None = Field(description="When the last push or pull succeeded.")
    error: str | None = Field(description="Why the last push or pull failed (tried again).")
    failing_since: datetime | None
    failures: int = Field(description="Pushes and pulls that failed in a row.")

    @classmethod
    def of(cls, target: CalendarTargetRecord, events: int) -> Self:
        return cls(
            caldav=display_name(target.caldav),
            username=target.username,
            name=target.name,
            signs_in_with="token" if target.bearer else "password",
            events=events,
            synced_at=target.synced_at,
            error=target.error,
            failing_since=target.failing_since,
            failures=target.failures,
        )


class TakenIn(BaseModel):
    """A session the learner moved (kept where they put it) or deleted (its hours
    planned elsewhere, its time left free) in their calendar."""

    session: str
    topic: str
    title: str
    action: Literal["moved", "deleted"]
    start: datetime
    end: datetime


class CalendarSyncPublic(BaseModel):
    """What a sync took in, whether it re-planned, and what it wrote."""

    taken_in: list[TakenIn]
    replanned: bool
    written: int
    deleted: int
    unchanged: int
    conflicts: list[str] = Field(
        default=[],
        description="Events edited in the calendar while they were written, twice (UIDs): "
        "read again at the next sync.",
    )
    calendar: CalendarTargetPublic
    warnings: list[str] = []

    @staticmethod
    def edits(edits: list[CalendarEdit], titles: dict[str, tuple[str, str]]) -> list[TakenIn]:
        return [
            TakenIn(session=edit.session, topic=titles[edit.session][0],
                    title=titles[edit.session][1], action="deleted" if edit.deleted else "moved",
                    start=edit.start, end=edit.end)
            for edit in edits
        ]  # fmt: skip
