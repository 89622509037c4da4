"""A real browser for the web pages: Debian's Chromium driven by Playwright.

Nothing downloads a browser build: Playwright launches /usr/bin/chromium (apt package
`chromium`). When it is missing, the suite installs it with apt-get if it runs as root
(as CI does; the same way the suite installs its pinned ical.js), and otherwise stops
with the command to run. Every page a test opens is watched: a JavaScript error or a
console error (a CSP refusal included) fails the test, and a failed test leaves a
screenshot in test-screenshots/.

The browser is in Berlin and its clock is fixed at the service's (tests.serving.NOW):
no test depends on the calendar, and a page that read a day in the browser's zone
instead of the plan's would show it for learners elsewhere. `set_clock` moves both
clocks to a moment a test lives through.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.serving import NOW
from tests.system_packages import apt_install

CHROMIUM = Path("/usr/bin/chromium")
# The closed network of CI machines: no background requests, no updates, no QUIC.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
FAILURE_SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _install_chromium() -> None:
    """apt-get install chromium, once, when missing."""
    if not CHROMIUM.exists():
        apt_install("chromium", "The browser tests use Debian's Chromium, at /usr/bin/chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Chromium, headless, with a fresh profile (Playwright makes a new user-data-dir)."""
    _install_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
        )
        yield launched
        launched.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


# Chromium logs every 4xx answer to fetch() as a console error. The JSON API's refusals
# (422 with the field, 404 for a forgotten plan) are answers the pages show in words, and
# the tests check those words; anything else that fails to load is an error.
# Refusals the pages show in words: of a plan request, of a roadmap's preview, and of a
# busy calendar's test read.
API_REFUSAL = re.compile(
    r"status of 4\d\d .*\(http://[^/]+/plans[/?]?"
    r"|status of 422 .*\(http://[^/]+/(roadmaps/preview|busy/check)\)"
)


class PageErrors:
    """Console errors and uncaught exceptions of one page, as text."""

    def __init__(self, page: Any) -> None:
        self.messages: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.messages.append(f"uncaught: {error}"))

    def _console(self, message: Any) -> None:
        text = f"console: {message.text} ({message.location.get('url')})"
        if message.type == "error" and not API_REFUSAL.search(text):
            self.messages.append(text)


BROWSER_ZONE = "Europe/Berlin"  # the example learner's; the daily-loop learners live elsewhere


def open_page(browser: Any, viewport: dict[str, int]) -> tuple[Any, Any, PageErrors]:
    """A new context (own storage) and page, in Berlin, its clock fixed at the service's
    NOW, allowed to use the clipboard."""
    context = browser.new_context(
        viewport=viewport,
        timezone_id=BROWSER_ZONE,
        locale="en-GB",
        permissions=["clipboard-read", "clipboard-write"],
    )
    context.set_default_timeout(30_000)
    context.clock.set_fixed_time(NOW)
    page = context.new_page()
    return context, page, PageErrors(page)


@pytest.fixture
def set_clock(live_server: Any) -> Iterator[Callable[[Any, datetime], None]]:
    """``set_clock(page, moment)``: the learner's clock fixed at `moment` (aware), in the
    browser (Playwright's clock: Date.now() and new Date()) and in the service (its
    `now` dependency). The service's clock goes back to NOW after the test."""

    def set_to(page: Any, moment: datetime) -> None:
        assert moment.tzinfo is not None, "a moment, with its zone"
        live_server.clock.set(moment)
        page.clock.set_fixed_time(moment)

    yield set_to
    live_server.clock.reset()


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A desktop-sized page; the test fails on any JavaScript or console error."""
    yield from _watched_page(browser, request, DESKTOP)


@pytest.fixture
def phone_page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A page 390 px wide, as on a phone; same checks as `page`."""
    yield from _watched_page(browser, request, PHONE)


def _watched_page(
    browser: Any, request: pytest.FixtureRequest, viewport: dict[str, int]
) -> Iterator[Any]:
    context, opened, errors = open_page(browser, viewport)
    yield opened
    _finish(request, opened, errors)
    context.close()


def _finish(request: pytest.FixtureRequest, page: Any, errors: PageErrors) -> None:
    call_report = getattr(request.node, "report_call", None)
    if call_report is not None and call_report.failed:
        FAILURE_SCREENSHOTS.mkdir(exist_ok=True)
        path = FAILURE_SCREENSHOTS / f"{request.node.name}.png"
        page.screenshot(path=str(path), full_page=True)
        print(f"screenshot of the failed test: {path}")
    assert not errors.messages, "the page reported errors:\n" + "\n".join(errors.messages)


@pytest.fixture(scope="session")
def check_accessibility() -> Any:
    """``check(page)``: axe-core on the page as it is now, no serious or critical
    violation allowed."""
    return _check_accessibility


@pytest.fixture(scope="session")
def save_screenshot() -> Any:
    """``save(page, name)``: the guide's screenshots (see `_save_screenshot`)."""
    return _save_screenshot


def _check_accessibility(page: Any) -> None:
    """axe-core on the page as it is now: no serious or critical violation.

    axe is evaluated through the DevTools protocol, which the page's CSP does not
    govern, so the pages keep their real policy while they are checked.
    """
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:5])
        for violation in result["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]
    assert not serious, f"accessibility violations on {page.url}:\n" + "\n".join(serious)


def _save_screenshot(page: Any, name: str, part: str | None = None) -> None:
    """The guide's screenshots: written only when PLANNER_SCREENSHOT_DIR says where. The
    whole page, or only the element `part` selects."""
    folder = os.environ.get("PLANNER_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        path = str(Path(folder) / f"{name}.png")
        if part is None:
            page.screenshot(path=path, full_page=True)
        else:
            page.locator(part).screenshot(path=path)
