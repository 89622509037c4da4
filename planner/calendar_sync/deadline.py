"""One deadline for a CalDAV exchange's requests (webdav.DavClient): every connection,
read and write waits at most until it, whatever the per-request timeouts allow.

Why in the connection and not between requests: a server that trickles its answer a
byte at a time satisfies every read timeout, and httpcore reads the headers in a loop
we do not see; a deadline checked only between requests or between body chunks would
let it hold the thread (and the calendar target's lease) for as long as it likes.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Iterable
from typing import Any

import httpcore

from planner.inputs.busy_fetch import CheckedBackend, Network


class DavDeadlineError(httpcore.TimeoutException):
    """The exchange's deadline passed: the server answers too slowly, or not at all."""


class DeadlineBackend(CheckedBackend):
    """The busy calendar fetcher's checked backend, every connect, read and write ended
    `seconds` after the start (or the last `restart`); None: the requests' timeouts only."""

    def __init__(self, allowed_networks: tuple[Network, ...], seconds: float | None) -> None:
        super().__init__(allowed_networks)
        self.seconds = seconds
        self.deadline: float | None = None
        self.restart()

    def restart(self) -> None:
        """A new deadline, `seconds` from now (a sync's push after its re-plan)."""
        self.deadline = None if self.seconds is None else time.monotonic() + self.seconds

    def left(self, timeout: float | None) -> float | None:
        """`timeout`, shortened to what is left before the deadline.

        Raises:
            DavDeadlineError: nothing is left.
        """
        if self.deadline is None:
            return timeout
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise self.passed()
        return left if timeout is None else min(timeout, left)

    def passed(self) -> DavDeadlineError:
        return DavDeadlineError(f"no complete answer within {self.seconds:g} s")

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        stream = super().connect_tcp(host, port, self.left(timeout), local_address, socket_options)
        return _DeadlineStream(stream, self)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream, backend: DeadlineBackend) -> None:
        self._stream, self._backend = stream, backend

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        bounded = self._backend.left(timeout)
        try:
            return self._stream.read(max_bytes, bounded)
        except httpcore.ReadTimeout:
            if bounded != timeout:  # the deadline cut it short, not the request's timeout
                raise self._backend.passed() from None
            raise

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        bounded = self._backend.left(timeout)
        try:
            self._stream.write(buffer, bounded)
        except httpcore.WriteTimeout:
            if bounded != timeout:  # the deadline cut it short, not the request's timeout
                raise self._backend.passed() from None
            raise

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        secured = self._stream.start_tls(ssl_context, server_hostname, self._backend.left(timeout))
        return _DeadlineStream(secured, self._backend)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)
