"""The few CalDAV requests `planner sync` makes, over httpcore (as the busy calendar
fetcher): find the account's calendars (RFC 6764/4791 discovery: current-user-principal,
calendar-home-set), make one (MKCALENDAR), list its events with their ETags (REPORT
calendar-query), and PUT, DELETE and HEAD one event with the preconditions we choose.

Why not the `caldav` library, which does all this and conditional requests too: it
depends on niquests, whose urllib3-future replaces the `urllib3` package in the
environment, depending on the order of installation; `requests` (and schemathesis, in
our tests) then fail on it. These six requests do not justify that.
"""

from __future__ import annotations

import base64
import ipaddress
import uuid
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpcore

from planner.calendar_sync.deadline import DeadlineBackend
from planner.inputs.busy_fetch import EVERY_NETWORK, Network

DAV, CALDAV = "DAV:", "urn:ietf:params:xml:ns:caldav"
MAX_RESPONSE_BYTES = 50 * 1024 * 1024  # a calendar of study sessions is far smaller
USER_AGENT = "roadmap-planner (planner sync)"


class DavAuthError(Exception):
    """The server refused the credentials (401 or 403)."""


class DavError(Exception):
    """The server answered something a CalDAV server does not."""


@dataclass(frozen=True)
class DavResponse:
    status: int
    headers: dict[str, str]  # names in lower case
    body: bytes

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")


@dataclass(frozen=True)
class DavObject:
    """A calendar object as a REPORT lists it."""

    href: str
    etag: str | None
    data: str


class DavClient:
    """Requests to one CalDAV account, with Basic auth (a password) or a bearer token,
    connecting only to `allowed_networks` besides public addresses (checked on the
    address connected to, as busy calendars are: busy_fetch), all of them done within
    `deadline_seconds` (None: each request within `timeout`, with no end in all)."""

    def __init__(
        self,
        url: str,
        username: str,
        secret: str,
        *,
        bearer: bool,
        timeout: float,
        allowed_networks: tuple[Network, ...] = EVERY_NETWORK,
        deadline_seconds: float | None = None,
    ):
        self.url = url if url.endswith("/") else url + "/"
        credentials = f"Bearer {secret}" if bearer else "Basic " + base64.b64encode(
            f"{username}:{secret}".encode()).decode()  # fmt: skip
        self._headers = [("Authorization", credentials), ("User-Agent", USER_AGENT)]
        self._timeout = timeout
        # The busy calendar fetcher's backend: one SSRF rule for every URL we are given;
        # and `deadline_seconds` for all the requests, however slowly the server answers.
        self._backend = DeadlineBackend(allowed_networks, deadline_seconds)
        self._pool = httpcore.ConnectionPool(network_backend=self._backend, retries=0)

    def restart_deadline(self) -> None:
        """`deadline_seconds` from now for the requests to come (a push after a re-plan)."""
        self._backend.restart()

    def close(self) -> None:
        self._pool.close()

    def absolute(self, href: str) -> str:
        return urljoin(self.url, href)

    def request(
        self, method: str, url: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> DavResponse:
        """One request; the answer read whole (up to MAX_RESPONSE_BYTES).

        Raises:
            DavAuthError: 401 or 403.
            httpcore.*Error: the network's errors.
        """
        target = self.absolute(url)
        if not carries_credentials(self.url, target):
            raise DavError(
                f"the server pointed to {_origin(target)}, not the account's "
                f"{_origin(self.url)}: your password is sent to the account's address only"
            )
        timeouts = {key: self._timeout for key in ("connect", "read", "write", "pool")}
        sent = [*self._headers, *(headers or {}).items()]
        if body:
            sent.append(("Content-Length", str(len(body))))
        with self._pool.stream(
            method, target, headers=sent, content=body, extensions={"timeout": timeouts}
        ) as answer:
            content = b""
            for chunk in answer.iter_stream():
                content += chunk
                if len(content) > MAX_RESPONSE_BYTES:
                    raise DavError(f"an answer larger than {MAX_RESPONSE_BYTES} bytes")
        found = {name.decode().lower(): value.decode() for name, value in answer.headers}
        if answer.status in (401, 403):
            raise DavAuthError(answer.status)
        return DavResponse(answer.status, found, content)

    def _propfind(self, url: str, depth: str, props: str) -> list[tuple[str, ElementTree.Element]]:
        body = (f'<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:" '
                f'xmlns:c="{CALDAV}"><d:prop>{props}</d:prop></d:propfind>').encode()  # fmt: skip
        answer = self.request("PROPFIND", url, body, _xml_headers(depth))
        return _responses(answer, "PROPFIND")

    def calendar_home(self) -> str:
        """The account's calendar home (where its calendars are)."""
        found = self._propfind(self.url, "0", "<d:current-user-principal/>")
        principal = _href_in(found, f"{{{DAV}}}current-user-principal") or self.url
        found = self._propfind(principal, "0", "<c:calendar-home-set/>")
        home = _href_in(found, f"{{{CALDAV}}}calendar-home-set")
        if home is None:
            raise DavError("no calendar-home-set: is this a CalDAV address?")
        return self.absolute(home)

    def calendars(self, home: str) -> dict[str, str]:
        """The calendars in `home`: display name -> URL."""
        found = self._propfind(home, "1", "<d:displayname/><d:resourcetype/>")
        calendars: dict[str, str] = {}
        for href, props in found:
            kinds = props.find(f"{{{DAV}}}resourcetype")
            if kinds is not None and kinds.find(f"{{{CALDAV}}}calendar") is not None:
                name = props.findtext(f"{{{DAV}}}displayname") or ""
                calendars.setdefault(name, self.absolute(href))
        return calendars

    def make_calendar(self, home: str, name: str) -> str:
        """A new calendar called `name` in `home` (MKCALENDAR); its URL."""
        url = urljoin(home, f"{uuid.uuid4()}/")
        body = (f'<?xml version="1.0" encoding="utf-8"?><c:mkcalendar xmlns:d="DAV:" '
                f'xmlns:c="{CALDAV}"><d:set><d:prop><d:displayname>{_escape(name)}'
                "</d:displayname></d:prop></d:set></c:mkcalendar>").encode()  # fmt: skip
        answer = self.request("MKCALENDAR", url, body, _xml_headers(None))
        if answer.status not in (200, 201):
            raise DavError(f"MKCALENDAR answered {answer.status}")
        return url

    def events(self, calendar: str) -> list[DavObject]:
        """Every VEVENT object in `calendar`, with its ETag and data (one REPORT)."""
        body = (f'<?xml version="1.0" encoding="utf-8"?><c:calendar-query xmlns:d="DAV:" '
                f'xmlns:c="{CALDAV}"><d:prop><d:getetag/><c:calendar-data/></d:prop>'
                '<c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"/>'
                "</c:comp-filter></c:filter></c:calendar-query>").encode()  # fmt: skip
        answer = self.request("REPORT", calendar, body, _xml_headers("1"))
        return [
            DavObject(
                self.absolute(href),
                props.findtext(f"{{{DAV}}}getetag"),
                props.findtext(f"{{{CALDAV}}}calendar-data") or "",
            )
            for href, props in _responses(answer, "REPORT")
            if props.find(f"{{{CALDAV}}}calendar-data") is not None
        ]


def carries_credentials(account: str, target: str) -> bool:
    """Whether a request to `target` may carry the account's credentials: the account's
    own scheme, host and port; or, over https, a host of the account host's domain (iCloud
    names a calendar home on p42-caldav.icloud.com for caldav.icloud.com). Never another
    domain, nor plain http after https, whatever hrefs the server answers."""
    given, asked = urlsplit(account), urlsplit(target)
    if (given.scheme, given.hostname, given.port) == (asked.scheme, asked.hostname, asked.port):
        return True
    host, other = given.hostname or "", asked.hostname or ""
    if asked.scheme != "https" or not host or _is_address(host) or _is_address(other):
        return False
    labels = host.split(".")
    domain = ".".join(labels[1:]) if len(labels) > 2 else host
    return other == domain or other.endswith("." + domain)


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"


def _xml_headers(depth: str | None) -> dict[str, str]:
    headers = {"Content-Type": "application/xml; charset=utf-8"}
    return {**headers, "Depth": depth} if depth is not None else headers


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _responses(answer: DavResponse, method: str) -> list[tuple[str, ElementTree.Element]]:
    """A 207 multistatus as (href, merged 200 props) per response."""
    if answer.status != 207:
        raise DavError(f"{method} answered {answer.status}, not 207 Multi-Status")
    try:
        root = ElementTree.fromstring(answer.body)
    except ElementTree.ParseError as error:
        raise DavError(f"{method} answered XML that does not parse ({error})") from None
    found = []
    for response in root.iter(f"{{{DAV}}}response"):
        href = response.findtext(f"{{{DAV}}}href") or ""
        props = ElementTree.Element("prop")
        for propstat in response.iter(f"{{{DAV}}}propstat"):
            if " 200 " in (propstat.findtext(f"{{{DAV}}}status") or "") + " ":
                for prop in propstat.iter(f"{{{DAV}}}prop"):
                    props.extend(list(prop))
        found.append((href.strip(), props))
    return found


def _href_in(found: list[tuple[str, ElementTree.Element]], tag: str) -> str | None:
    for _href, props in found:
        element = props.find(tag)
        if element is not None:
            text = element.findtext(f"{{{DAV}}}href")
            if text:
                return text.strip()
    return None


def host_of(url: str) -> str:
    return urlsplit(url).hostname or ""
