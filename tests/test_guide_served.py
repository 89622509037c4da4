"""The guide at /guide, through a real uvicorn: offline, linked, and under a CSP that
allows exactly the inline scripts its pages carry (api/web/guide.py)."""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

from api.web.guide import HELP

APP_PAGES = {
    "start": "/",
    "plan": "/plan/0123abcd",
    "today": "/plan/0123abcd/today",
    "subscribe": "/plan/0123abcd/subscribe",
    "whatif": "/plan/0123abcd/whatif",
}


def script_sources(html: str) -> set[str]:
    return {
        "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"
        for script in re.findall(r"<script>(.*?)</script>", html, flags=re.DOTALL)
    }


def links(html: str) -> set[str]:
    return set(re.findall(r'(?:href|src)="([^"#]+)', html)) - {""}


def test_the_guide_answers_at_guide_and_its_pages_link(live_server: Any) -> None:
    with httpx.Client(base_url=live_server.base_url) as http:
        moved = http.get("/guide")
        assert moved.status_code in (301, 307) and moved.headers["location"].endswith("/guide/")
        home = http.get("/guide/")
        assert home.status_code == 200
        assert "<title>Roadmap Planner</title>" in home.text
        assert "fonts.googleapis.com" not in home.text  # offline: no font from elsewhere
        pages = {link for link in links(home.text) if not urlsplit(link).scheme}
        assert "every-day/" in pages and "reference/profile/" in pages
        for link in sorted(pages):
            answer = http.get(urljoin(f"{live_server.base_url}/guide/", link))
            assert answer.status_code == 200, link


@pytest.mark.parametrize("page", ["/guide/", "/guide/reference/cli/", "/guide/how-it-plans/"])
def test_the_guides_policy_allows_its_inline_scripts_and_no_others(
    live_server: Any, page: str
) -> None:
    answer = httpx.get(f"{live_server.base_url}{page}")
    policy = dict(
        part.strip().split(" ", 1) for part in answer.headers["content-security-policy"].split(";")
    )
    allowed = set(policy["script-src"].split())
    needed = script_sources(answer.text)
    assert needed and needed <= allowed, needed - allowed
    assert "'unsafe-inline'" not in allowed
    assert policy["style-src-attr"] == "'unsafe-inline'"  # Material sets a few from scripts
    assert answer.headers["x-frame-options"] == "DENY"


def test_the_web_apps_policy_allows_no_inline_script(live_server: Any) -> None:
    answer = httpx.get(f"{live_server.base_url}/")
    assert "script-src 'self';" in answer.headers["content-security-policy"]
    assert "style-src-attr" not in answer.headers["content-security-policy"]


@pytest.mark.parametrize("page", sorted(APP_PAGES))
def test_each_page_of_the_web_app_links_its_section_of_the_guide(
    live_server: Any, page: str
) -> None:
    with httpx.Client(base_url=live_server.base_url) as http:
        html = http.get(APP_PAGES[page]).text
        found = re.search(r'<a class="help-link" href="([^"]+)">Help</a>', html)
        assert found is not None
        assert found.group(1) == f"/guide/{HELP[page]}"
        address, _, anchor = found.group(1).partition("#")
        section = http.get(address)
        assert section.status_code == 200
        if anchor:
            assert f'id="{anchor}"' in section.text
