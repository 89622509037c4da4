"""Connecting to the learner's CalDAV calendar (calendar_sync/webdav.py): the password
from the environment or the system keyring (never the profile), the address checked
against the same networks as a busy calendar's URL, and the calendar of the profile's
name found, or made (MKCALENDAR) when the account has none of that name.

The address is checked before connecting (for a clear message) and again on every
connection (the busy calendar fetcher's backend: a name that resolves differently a
moment later is still refused). The CLI allows every network (a learner's own
Nextcloud at home), so this only matters to a caller that passes fewer.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping
from urllib.parse import urlsplit

import httpcore

from planner.calendar_sync.webdav import DavAuthError, DavClient, DavError
from planner.errors import CalendarSyncError
from planner.inputs.busy_fetch import (
    EVERY_NETWORK,
    Network,
    RefusedAddressError,
    is_allowed_address,
)
from planner.models.busy import display_name
from planner.models.calendar_target import CalendarTarget

KEYRING_SERVICE = "roadmap-planner"
TIMEOUT_SECONDS = 30
# For all of a pull (or a push): a server that answers a byte at a time ends there.
DEADLINE_SECONDS = 120


def calendar_label(target: CalendarTarget) -> str:
    """How messages name the calendar: its name and masked address."""
    return f'"{target.name}" at {display_name(target.caldav)}'


def password_for(target: CalendarTarget, environ: Mapping[str, str] | None = None) -> str:
    """The password: from `password_env` in the environment, else from the system
    keyring (service `roadmap-planner`, user `username@host`) when `keyring` is installed;
    or the access token in `token_env`.

    Raises:
        CalendarSyncError: none of them holds one.
    """
    environ = os.environ if environ is None else environ
    try:
        return checked_secret(_secret_for(target, environ))
    except ValueError as error:
        raise CalendarSyncError(calendar_label(target), f"{error}: set it again") from None


def _secret_for(target: CalendarTarget, environ: Mapping[str, str]) -> str:
    if target.token_env:
        if environ.get(target.token_env):
            return environ[target.token_env]
        problem = f"no access token: the environment variable {target.token_env} is not set"
        raise CalendarSyncError(calendar_label(target), problem)
    if target.password_env and environ.get(target.password_env):
        return environ[target.password_env]
    stored = _from_keyring(f"{target.username}@{target.host}")
    if stored:
        return stored
    where = f"the environment variable {target.password_env} is not set" if (
        target.password_env) else "the profile names no password_env"  # fmt: skip
    raise CalendarSyncError(
        calendar_label(target),
        f"no password: {where}, and the system keyring holds none for "
        f"{target.username}@{target.host} (service {KEYRING_SERVICE})",
    )


def _from_keyring(user: str) -> str | None:
    try:
        import keyring
    except ImportError:
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, user)  # type: ignore[no-any-return]
    except Exception:  # a keyring without a backend: as if it held nothing
        return None


def check_address(target: CalendarTarget, allowed_networks: tuple[Network, ...]) -> None:
    """Refuse an address whose host resolves to a non-public address outside
    `allowed_networks` (as for busy calendars).

    Raises:
        CalendarSyncError: the host does not resolve, or resolves to a refused address.
    """
    parts = urlsplit(target.caldav)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        problem = f"cannot resolve the host ({error})"
        raise CalendarSyncError(calendar_label(target), problem) from None
    for *_rest, address in found:
        if not is_allowed_address(str(address[0]), allowed_networks):
            raise CalendarSyncError(
                calendar_label(target),
                f"refused: {parts.hostname} resolves to {address[0]}, which is not a public "
                "address",
            )


def open_calendar(
    target: CalendarTarget,
    password: str,
    allowed_networks: tuple[Network, ...] = EVERY_NETWORK,
) -> tuple[DavClient, str]:
    """A client of the account and the URL of its calendar named `target.name`, made
    (MKCALENDAR) if the account has none.

    Raises:
        CalendarSyncError: refused address, wrong user name or password, no answer.
    """
    check_address(target, allowed_networks)
    client = DavClient(target.caldav, target.username, password, bearer=bool(target.token_env),
                       timeout=TIMEOUT_SECONDS, deadline_seconds=DEADLINE_SECONDS,
                       allowed_networks=allowed_networks)  # fmt: skip
    try:
        home = client.calendar_home()
        calendars = client.calendars(home)
        if target.name in calendars:
            return client, calendars[target.name]
        return client, client.make_calendar(home, target.name)
    except DavAuthError:
        client.close()
        secret = f"the token in {target.token_env} (it may have expired)" if target.token_env else (
            f"this password (check {target.password_env or 'the keyring entry'})")  # fmt: skip
        raise CalendarSyncError(
            calendar_label(target), f"the server refused user {target.username!r} with {secret}"
        ) from None
    except SERVER_ERRORS as error:  # the network's, and answers that are not CalDAV
        client.close()
        raise CalendarSyncError(calendar_label(target), describe(error)) from None


# What talking to a CalDAV server may raise that is the server's or the network's doing
# (anything else is our bug, and is not dressed up as the server's).
SERVER_ERRORS: tuple[type[BaseException], ...] = (
    DavError,
    RefusedAddressError,
    httpcore.TimeoutException,
    httpcore.NetworkError,
    httpcore.ProtocolError,
    httpcore.UnsupportedProtocol,
    OSError,
    UnicodeError,
)


def describe(error: BaseException) -> str:
    """One of SERVER_ERRORS in a sentence: no traceback, no class names, and nothing of a
    request the library refused to send (its message may quote a header: the password)."""
    if isinstance(error, DavError):
        return str(error)
    if isinstance(error, RefusedAddressError):
        return f"refused: {error}, which is not a public address"
    if isinstance(error, httpcore.TimeoutException):  # the socket's words, or our deadline's
        said = str(error).strip()
        return "the server did not answer in time" + (f" ({said[:200]})" if said else "")
    if isinstance(error, httpcore.LocalProtocolError):
        return "the request could not be sent (is the password or token one line of text?)"
    if isinstance(error, httpcore.UnsupportedProtocol):
        return "only http and https addresses can be used"
    if isinstance(error, UnicodeError):
        return "the server answered in an encoding that is not text"
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    if isinstance(error, httpcore.ConnectError) and not text.startswith("cannot resolve"):
        return f"nothing answers at this address ({text[:200] or 'the connection failed'})"
    return f"cannot connect or read ({text[:200] or 'the connection failed'})"


def checked_secret(secret: str) -> str:
    """The password or token without the spaces a paste leaves around it.

    Raises:
        ValueError: it holds a line break or another control character (never quoted).
    """
    secret = secret.strip()
    if any(ord(character) < 32 or ord(character) == 127 for character in secret):
        raise ValueError("the password or token has a line break or a control character")
    return secret
