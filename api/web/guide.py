"""The guide at /guide: the user guide built from `docs/` (mkdocs-material), shipped
in the wheel as static files (`api/web/guide/`, written by `python -m docs.generate`),
so it works offline and after a plain `pip install .`, with no build at serve time.

Material's pages carry three small inline scripts (the page's base URL, the colour
palette, the open tab); the guide's Content-Security-Policy allows exactly those, by
their SHA-256, and no other inline script (api/web/security.py)."""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

GUIDE_DIR = Path(__file__).resolve().parent / "guide"
GUIDE_PATH = "/guide"
# The guide's section for each page of the web app: its "Help" link.
HELP: dict[str, str] = {
    "start": "get-started/#the-web-app",
    "plan": "your-week/",
    "today": "every-day/",
    "subscribe": "calendars/#a-calendar-that-updates-itself-planner-serve-and-planner-publish",
    "whatif": "how-sure/",
}
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def install_guide(app: FastAPI) -> None:
    """Serve the built guide at /guide/ (a directory's index.html; /guide redirects)."""
    if GUIDE_DIR.is_dir():  # a copy without the built guide answers 404 there, no 500
        app.mount(GUIDE_PATH, StaticFiles(directory=GUIDE_DIR, html=True), name="guide")


def help_url(page: str) -> str:
    return f"{GUIDE_PATH}/{HELP.get(page, '')}"


@cache
def inline_script_hashes() -> tuple[str, ...]:
    """The CSP sources of every inline script in the guide's pages, read once."""
    found: set[str] = set()
    for page in GUIDE_DIR.rglob("*.html"):
        for script in _INLINE_SCRIPT.findall(page.read_text(encoding="utf-8")):
            digest = hashlib.sha256(script.encode("utf-8")).digest()
            found.add(f"'sha256-{base64.b64encode(digest).decode('ascii')}'")
    return tuple(sorted(found))
