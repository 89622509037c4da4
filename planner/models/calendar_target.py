"""The learner's own calendar that the planner writes the plan into and reads their
moves back from (`calendar:` in the profile): a CalDAV address, the user name and where
the password is kept. Never the password itself: a profile is shared, copied into the
plan JSON and shown in the web app."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator

from planner.models.fields import FrozenModel

DEFAULT_CALENDAR_NAME = "Study plan"
_VARIABLE = r"^[A-Za-z_][A-Za-z0-9_]*$"  # an environment variable's name


class CalendarTarget(FrozenModel):
    """`calendar: {caldav: URL, username: NAME, password_env: VAR, name: "Study plan"}`.

    The password is read from the environment variable `password_env`, else from the
    system keyring (service `roadmap-planner`, user `username@host`; needs `keyring`).
    Or, for an account that signs in with OAuth (Google), `token_env` names a variable
    holding an access token, sent as a bearer token instead of a password."""

    caldav: str = Field(
        min_length=1, max_length=4096, examples=["https://caldav.fastmail.com/dav/"],
        description="The CalDAV account's address (http or https).",
    )  # fmt: skip
    username: str = Field(min_length=1, max_length=256, description="The account's user name.")
    password_env: str | None = Field(
        default=None, pattern=_VARIABLE, examples=["STUDY_CALENDAR_PASSWORD"],
        description="The environment variable holding the password (else the keyring).",
    )  # fmt: skip
    token_env: str | None = Field(
        default=None, pattern=_VARIABLE, examples=["GOOGLE_TOKEN"],
        description="Instead of a password: the variable holding an OAuth access token.",
    )  # fmt: skip
    name: str = Field(
        default=DEFAULT_CALENDAR_NAME, min_length=1, max_length=200,
        description="The calendar to write to, made if the account has none.",
    )  # fmt: skip

    @model_validator(mode="before")
    @classmethod
    def _no_password_here(cls, value: Any) -> Any:
        if isinstance(value, dict) and "password" in value:
            raise ValueError(
                "a password is never kept in the profile: put it in an environment "
                "variable and name it (password_env: STUDY_CALENDAR_PASSWORD), or in the "
                "system keyring"
            )
        if isinstance(value, dict) and value.get("token_env") and value.get("password_env"):
            raise ValueError("password_env or token_env: an account signs in with one")
        return value

    @field_validator("caldav")
    @classmethod
    def _http_url(cls, url: str) -> str:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"{url!r} is not a CalDAV address (http:// or https://HOST/...)")
        if parts.password is not None:
            raise ValueError("the address carries a password: name it with password_env instead")
        return url

    @property
    def host(self) -> str:
        return urlsplit(self.caldav).hostname or ""
