"""Security headers on every response, and the per-request nonce the pages give their
styles (the calendar library injects its own <style>; scripts need no nonce: the pages
have no inline script at all; the guide's few are allowed by their hashes)."""

from __future__ import annotations

import secrets

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.web.guide import GUIDE_PATH, inline_script_hashes


def content_security_policy(nonce: str, *, guide: bool = False) -> str:
    """The policy of every answer. The guide's pages (api/web/guide.py) also run their
    few inline scripts, by hash, and may set style attributes (Material sets some from
    its scripts; the guide holds nothing of a learner's for a style to leak)."""
    scripts = ("script-src 'self'", *(inline_script_hashes() if guide else ()))
    return "; ".join(
        [
            "default-src 'self'",
            " ".join(scripts),
            f"style-src 'self' 'nonce-{nonce}'",
            *(["style-src-attr 'unsafe-inline'"] if guide else []),
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class SecurityHeaders:
    """Plain ASGI middleware: a fresh nonce in `request.state.csp_nonce`, and CSP,
    `Referrer-Policy: no-referrer` (a page's address never travels to another site),
    nosniff and no framing on every answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(16)
        scope.setdefault("state", {})["csp_nonce"] = nonce
        in_guide = scope["path"] == GUIDE_PATH or scope["path"].startswith(f"{GUIDE_PATH}/")
        policy = content_security_policy(nonce, guide=in_guide)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Content-Security-Policy"] = policy
                headers["Referrer-Policy"] = "no-referrer"
                headers["X-Content-Type-Options"] = "nosniff"
                headers["X-Frame-Options"] = "DENY"
            await send(message)

        await self.app(scope, receive, send_with_headers)
