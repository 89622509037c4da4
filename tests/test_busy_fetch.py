"""Fetching busy calendars over real HTTP (a server on loopback): validators, limits,
redirects, refused addresses, and secrets kept out of every message."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from planner.errors import BusySourceError
from planner.inputs.busy_fetch import FetchLimits, fetch_url, is_allowed_address
from planner.models.busy import display_name
from tests.calendar_server import CalendarServer, etag_of, serving

FIXTURES = Path(__file__).parent / "fixtures" / "busy"
LOOPBACK_ONLY = FetchLimits(allowed_networks=(ipaddress.ip_network("127.0.0.1/32"),))
NOTHING_PRIVATE = FetchLimits(allowed_networks=())


@pytest.fixture(scope="module")
def server() -> Iterator[CalendarServer]:
    with serving(FIXTURES) as running:
        yield running


def test_fetch_returns_the_body_and_its_validators(server: CalendarServer) -> None:
    fetched = fetch_url(server.url("/work.ics"), LOOPBACK_ONLY)
    assert fetched.body == (FIXTURES / "work.ics").read_bytes()
    assert fetched.etag == etag_of(fetched.body)
    assert fetched.last_modified == "Fri, 01 Jan 2027 09:00:00 GMT"


def test_a_matching_etag_gets_304_and_no_body(server: CalendarServer) -> None:
    first = fetch_url(server.url("/work.ics"), LOOPBACK_ONLY)
    again = fetch_url(server.url("/work.ics"), LOOPBACK_ONLY, etag=first.etag)
    assert again.body is None
    assert again.etag == first.etag


def test_webcal_is_read_as_https(server: CalendarServer) -> None:
    # Our loopback server speaks plain HTTP: an https request to it fails in TLS, which
    # shows the scheme really became https (webcal must not send a secret in clear).
    before = server.requests.copy()
    with pytest.raises(BusySourceError) as caught:
        fetch_url(server.url("/work.ics").replace("http://", "webcal://"), LOOPBACK_ONLY)
    assert "cannot connect or read" in caught.value.problem
    assert server.requests == before  # no plain-HTTP request was answered


@pytest.mark.parametrize("url", ["ftp://example.org/cal.ics", "file:///etc/passwd", "gopher://x/"])
def test_only_http_https_and_webcal(url: str) -> None:
    with pytest.raises(BusySourceError, match="only http, https, webcal URLs can be read"):
        fetch_url(url, FetchLimits())


def test_redirects_are_followed_up_to_the_limit(server: CalendarServer) -> None:
    """Exactly the limit (5) is followed, one more is refused (issue 27: the test said 3)."""
    assert LOOPBACK_ONLY.max_redirects == 5
    fetched = fetch_url(server.url("/redirect/5/work.ics"), LOOPBACK_ONLY)
    assert fetched.body == (FIXTURES / "work.ics").read_bytes()
    with pytest.raises(BusySourceError, match="more than 5 redirects"):
        fetch_url(server.url("/redirect/6/work.ics"), LOOPBACK_ONLY)


def test_loopback_is_refused_unless_allowed(server: CalendarServer) -> None:
    with pytest.raises(BusySourceError, match=r"refused: 127\.0\.0\.1 resolves to 127\.0\.0\.1"):
        fetch_url(server.url("/work.ics"), NOTHING_PRIVATE)


def test_a_refused_address_is_never_connected_to(server: CalendarServer) -> None:
    before = server.requests.copy()
    with pytest.raises(BusySourceError, match="which is not a public address"):
        fetch_url(server.url("/not-counted.ics"), NOTHING_PRIVATE)
    assert server.requests == before


def test_a_name_is_checked_after_dns_resolution(server: CalendarServer) -> None:
    # "localhost" is not an address: it is refused for what it resolves to.
    with pytest.raises(BusySourceError, match="refused: localhost resolves to"):
        fetch_url(server.url("/work.ics", host="localhost"), NOTHING_PRIVATE)


def test_each_redirect_is_checked(server: CalendarServer) -> None:
    # The first hop (127.0.0.1) is allowed; the redirect to 127.0.0.2 is not.
    with pytest.raises(BusySourceError, match=r"refused: 127\.0\.0\.2 resolves to 127\.0\.0\.2"):
        fetch_url(server.url("/elsewhere/work.ics"), LOOPBACK_ONLY)


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.215.14", True),
        ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", True),
        ("127.0.0.1", False),
        ("::1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.10", False),
        ("100.64.0.1", False),  # shared address space (carrier-grade NAT)
        ("169.254.169.254", False),  # link-local: the cloud metadata service
        ("fe80::1", False),
        ("fd00::1", False),
        ("224.0.0.1", False),
        ("ff02::1", False),
        ("0.0.0.0", False),
        ("::ffff:127.0.0.1", False),  # IPv4-mapped loopback
        # IPv6 forms that carry an IPv4 address: judged by it (issue 27).
        ("64:ff9b::7f00:1", False),  # NAT64 of 127.0.0.1
        ("64:ff9b::a9fe:a9fe", False),  # NAT64 of the cloud metadata address
        ("64:ff9b:1::a00:1", False),  # local-use NAT64 of 10.0.0.1
        ("64:ff9b::5db8:d70e", True),  # NAT64 of a public address
        ("2002:7f00:1::1", False),  # 6to4 of 127.0.0.1
        ("2002:a9fe:a9fe::1", False),  # 6to4 of 169.254.169.254
        ("::7f00:1", False),  # IPv4-compatible 127.0.0.1
        ("::a9fe:a9fe", False),  # IPv4-compatible metadata address
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", False),  # Teredo, client 127.0.0.1
        ("fec0::1", False),  # site-local (deprecated, routed privately)
    ],
)
def test_which_addresses_count_as_public(address: str, public: bool) -> None:
    assert is_allowed_address(address) is public


def test_404_names_the_source_masked(server: CalendarServer) -> None:
    secret_url = server.url("/calendar/ical/s3cr3t-token/basic.ics?key=hunter2")
    with pytest.raises(BusySourceError) as caught:
        fetch_url(secret_url, LOOPBACK_ONLY)
    message = str(caught.value)
    assert message == (
        f"busy calendar {display_name(secret_url)}: not found (HTTP 404): is the address "
        "still valid?"
    )
    assert message.startswith(f"busy calendar http://127.0.0.1:{server.port}/… [")
    assert "s3cr3t" not in message and "hunter2" not in message


@pytest.mark.parametrize("path", ["/huge-declared.ics", "/huge-streamed.ics"])
def test_a_50_mb_body_is_refused(server: CalendarServer, path: str) -> None:
    limits = FetchLimits(max_bytes=1024 * 1024, allowed_networks=LOOPBACK_ONLY.allowed_networks)
    with pytest.raises(BusySourceError, match="larger than the limit of 1 MiB"):
        fetch_url(server.url(path), limits)


def test_a_server_that_never_answers_times_out() -> None:
    # A listening socket nobody accepts on: the connection opens, no answer comes.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        port = silent.getsockname()[1]
        limits = FetchLimits(timeout_seconds=0.3, allowed_networks=LOOPBACK_ONLY.allowed_networks)
        with pytest.raises(BusySourceError, match=r"no complete answer within 0\.3 s"):
            fetch_url(f"http://127.0.0.1:{port}/cal.ics", limits)


def test_an_unreachable_url_is_a_clear_error() -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]  # bound, never listening: refused
    with pytest.raises(BusySourceError, match="cannot connect or read"):
        fetch_url(f"http://127.0.0.1:{port}/cal.ics", LOOPBACK_ONLY)


def test_display_name_masks_path_query_and_credentials() -> None:
    url = "https://user:pw@calendar.google.com/calendar/ical/abc%40group/private-f00/basic.ics?x=1"
    shown = display_name(url)
    assert shown.startswith("https://calendar.google.com/… [")
    for secret in ("user", "pw", "private-f00", "abc", "x=1", "basic"):
        assert secret not in shown
    assert display_name(url) != display_name(url.replace("f00", "f01"))
    assert display_name("calendars/work.ics") == "calendars/work.ics"
