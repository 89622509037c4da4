"""Fetching a busy calendar by URL, safely: http, https and webcal only; a time limit
for the whole fetch, a size limit, a bounded number of redirects; and, where the
operator asks (the service), no connection to a loopback, link-local, private or
multicast address, checked on the address actually connected to, after DNS resolution
and on every redirect.

The address check lives in the connection itself (a network backend for httpcore), not
in a look-up before the request: a name that resolves to a public address when checked
and to 127.0.0.1 when connected (DNS rebinding) is still refused.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpcore

from planner.errors import BusySourceError
from planner.models.busy import URL_SCHEMES, display_name

USER_AGENT = "roadmap-planner (busy calendar reader)"


Network = ipaddress.IPv4Network | ipaddress.IPv6Network
EVERY_NETWORK: tuple[Network, ...] = (
    ipaddress.ip_network("0.0.0.0/0"),
    ipaddress.ip_network("::/0"),
)


@dataclass(frozen=True)
class FetchLimits:
    """How a URL is fetched. `allowed_networks` are reachable even though they are not
    public: every network for the CLI (a learner's own Nextcloud at home); none for the
    service unless its operator lists some (its tests list 127.0.0.1/32)."""

    max_bytes: int = 20 * 1024 * 1024
    timeout_seconds: float = 30.0
    max_redirects: int = 5
    allowed_networks: tuple[Network, ...] = EVERY_NETWORK


@dataclass(frozen=True)
class Fetched:
    """A fetch's answer: the body (None when the server said 304 Not Modified) and the
    validators to send next time."""

    body: bytes | None
    etag: str | None = None
    last_modified: str | None = None


class RefusedAddressError(Exception):
    """A connection to an address the limits forbid (raised inside httpcore)."""


class CheckedBackend(httpcore.SyncBackend):
    """httpcore's own sockets, connected only to addresses the limits allow. TLS still
    verifies the host name from the URL: httpcore passes it to `start_tls` itself."""

    def __init__(self, allowed_networks: tuple[Network, ...]) -> None:
        self.allowed_networks = allowed_networks

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        address = _checked_address(host, port, self.allowed_networks, timeout)
        return super().connect_tcp(address, port, timeout, local_address, socket_options)


def _checked_address(
    host: str, port: int, allowed_networks: tuple[Network, ...], timeout: float | None
) -> str:
    """The address to connect to for `host`; every address it resolves to must be
    allowed, so a name cannot mix a public address with a private one."""
    addresses = [str(info[4][0]) for info in _resolve(host, port, timeout)]
    for text in addresses:
        if not is_allowed_address(text, allowed_networks):
            raise RefusedAddressError(f"{host} resolves to {text}")
    return addresses[0]


def _resolve(host: str, port: int, timeout: float | None) -> list[Any]:
    """getaddrinfo within `timeout`: it cannot be interrupted, so it runs in a daemon
    thread that is left behind if the name server does not answer in time."""
    answer: list[Any] = []
    done = threading.Event()

    def resolve() -> None:
        try:
            answer.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except (OSError, UnicodeError) as error:
            answer.append(error)
        done.set()

    threading.Thread(target=resolve, daemon=True).start()
    if not done.wait(timeout):
        raise httpcore.ConnectTimeout("the host name did not resolve in time")
    if isinstance(answer[0], Exception):
        raise httpcore.ConnectError(f"cannot resolve the host ({answer[0]})")
    return answer[0]  # type: ignore[no-any-return]


def is_allowed_address(text: str, allowed_networks: tuple[Network, ...] = ()) -> bool:
    """True for a public address, or one in `allowed_networks`. Not public: loopback,
    link-local, site-local, private, shared, multicast, reserved and unspecified
    addresses. An IPv6 address that carries an IPv4 address (IPv4-mapped or -compatible,
    NAT64, 6to4, Teredo) is judged by that IPv4 address: a gateway would connect to it."""
    address = ipaddress.ip_address(text.split("%", 1)[0])
    if isinstance(address, ipaddress.IPv6Address):
        if address.is_site_local:
            return any(address in net for net in allowed_networks if net.version == 6)
        address = _embedded_ipv4(address) or address
    if address.is_global and not address.is_multicast:
        return True
    return any(address.version == net.version and address in net for net in allowed_networks)


NAT64 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("64:ff9b:1::/48"))


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for, if it is one of the forms that
    carry one; else None."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]  # the client's address, where the packets go
    if any(address in net for net in NAT64):
        return ipaddress.IPv4Address(address.packed[-4:])
    if int(address) >> 32 == 0 and int(address) > 1:  # IPv4-compatible ::a.b.c.d
        return ipaddress.IPv4Address(int(address))
    return None


def fetch_url(
    url: str,
    limits: FetchLimits,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Fetched:
    """GET `url` (webcal:// is fetched as https://) within `limits`, following up to
    `limits.max_redirects` redirects; sends If-None-Match / If-Modified-Since when given.

    Raises:
        BusySourceError: a scheme other than http/https/webcal, a refused address, no
            answer in time, an HTTP error status, a body over the size limit; the
            message names the URL masked, never the URL itself.
    """
    name = display_name(url)
    deadline = time.monotonic() + limits.timeout_seconds
    current = _http_url(url, name)
    with httpcore.ConnectionPool(
        network_backend=CheckedBackend(limits.allowed_networks), retries=0
    ) as pool:
        for _hop in range(limits.max_redirects + 1):
            headers = _request_headers(etag, last_modified)
            status, location, fetched = _get(pool, current, headers, limits, deadline, name)
            if location is None:
                return _answer(status, fetched, name)
            current = _http_url(urljoin(current, location), name)
    raise BusySourceError(name, f"more than {limits.max_redirects} redirects")


def _http_url(url: str, name: str) -> str:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in URL_SCHEMES:
        raise BusySourceError(name, f"only {', '.join(URL_SCHEMES)} URLs can be read")
    if not parts.hostname:
        raise BusySourceError(name, "the URL has no host")
    # webcal is a calendar app's way to say "subscribe"; the secret travels encrypted.
    return urlunsplit(parts._replace(scheme="https" if scheme == "webcal" else scheme))


def _request_headers(etag: str | None, last_modified: str | None) -> list[tuple[str, str]]:
    headers = [("User-Agent", USER_AGENT), ("Accept", "text/calendar, */*;q=0.5")]
    if etag:
        headers.append(("If-None-Match", etag))
    if last_modified:
        headers.append(("If-Modified-Since", last_modified))
    return headers


def _get(
    pool: httpcore.ConnectionPool,
    url: str,
    headers: list[tuple[str, str]],
    limits: FetchLimits,
    deadline: float,
    name: str,
) -> tuple[int, str | None, Fetched]:
    """One request: (status, redirect location or None, what was read)."""
    try:
        timeout = _left(deadline, limits, name)
        extensions = {"timeout": dict.fromkeys(("connect", "read", "write", "pool"), timeout)}
        with pool.stream("GET", url, headers=headers, extensions=extensions) as response:
            found = {key.decode("latin-1").lower(): value.decode("latin-1")
                     for key, value in response.headers}  # fmt: skip
            if response.status in {301, 302, 303, 307, 308} and "location" in found:
                return response.status, found["location"], Fetched(None)
            body = None
            if response.status == 200:
                body = _read_limited(response, found, limits, deadline, name)
            fetched = Fetched(body, found.get("etag"), found.get("last-modified"))
            return response.status, None, fetched
    except RefusedAddressError as error:
        raise BusySourceError(
            name, f"refused: {error}, which is not a public address (only public URLs are read)"
        ) from None
    except httpcore.TimeoutException:
        raise _too_slow(limits, name) from None
    except (httpcore.NetworkError, httpcore.ProtocolError, OSError) as error:
        raise BusySourceError(name, f"cannot connect or read ({_reason(error)})") from None
    except httpcore.UnsupportedProtocol:
        raise BusySourceError(name, "only http, https and webcal URLs can be read") from None


def _read_limited(
    response: httpcore.Response,
    headers: dict[str, str],
    limits: FetchLimits,
    deadline: float,
    name: str,
) -> bytes:
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise BusySourceError(name, too_large(limits))
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_stream():
        size += len(chunk)
        if size > limits.max_bytes:
            raise BusySourceError(name, too_large(limits))
        chunks.append(chunk)
        _left(deadline, limits, name)  # a server that trickles bytes is cut off too
    return b"".join(chunks)


def _answer(status: int, fetched: Fetched, name: str) -> Fetched:
    if status in {200, 304}:
        return fetched
    if status in {404, 410}:
        raise BusySourceError(name, f"not found (HTTP {status}): is the address still valid?")
    if status in {401, 403}:
        raise BusySourceError(name, f"access refused (HTTP {status}): is the address still valid?")
    raise BusySourceError(name, f"the server answered HTTP {status}")


def _left(deadline: float, limits: FetchLimits, name: str) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise _too_slow(limits, name)
    return left


def _too_slow(limits: FetchLimits, name: str) -> BusySourceError:
    return BusySourceError(name, f"no complete answer within {limits.timeout_seconds:g} s")


def too_large(limits: FetchLimits) -> str:
    return f"larger than the limit of {limits.max_bytes / 2**20:g} MiB"


def _reason(error: Exception) -> str:
    # httpcore's messages are the socket's ("[Errno 111] Connection refused"): no URL.
    return str(error) or type(error).__name__
