"""Plans named by the learner, and the once-per-plan "save your private link" step:
the name is suggested on the start form, shown in "Your plans in this browser" and as
the plan page's heading (in another browser too: it is kept with the plan), renamed
later; the private link is offered with a copy button until the learner has saved it."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.browser.conftest import DESKTOP, PHONE, open_page


def make_plan(page: Any, live_server: Any, name: str | None) -> str:
    """Makes a plan through the form (the example week); its private-link-free plan URL."""
    page.goto(f"{live_server.base_url}/")
    page.click("#example-week")
    if name is not None:
        page.get_by_label("Name of this plan").fill(name)
    page.click("#make-plan")
    page.wait_for_url(re.compile(r"/plan/[0-9a-f]+$"))
    page.wait_for_selector(".fc-event, .fc-list-event")
    return str(page.url)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_a_plan_is_named_saved_by_its_link_and_renamed(
    browser: Any, live_server: Any, viewport: dict[str, int], check_accessibility: Any
) -> None:
    context, page, errors = open_page(browser, viewport)
    make_plan(page, live_server, "Evenings in Seoul")
    assert page.inner_text("h1") == "Evenings in Seoul"

    step = page.locator("#save-link")
    assert step.is_visible(), "a new plan offers its private link"
    assert "only way back to this plan from another device" in step.inner_text()
    assert "anyone who has it can change the plan" in step.inner_text()
    link = page.input_value("#save-link-url")
    assert re.search(r"/plan/[0-9a-f]+#token=.+", link)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"the page is {width} px wide"
    check_accessibility(page)
    page.click("#save-link-copy")
    page.wait_for_selector("#save-link-status >> text=Copied")
    assert page.evaluate("() => navigator.clipboard.readText()") == link
    page.get_by_role("button", name="I have saved it").click()
    assert step.is_hidden()
    page.reload()
    page.wait_for_selector(".fc-event, .fc-list-event")
    assert page.inner_text("h1") == "Evenings in Seoul"
    assert step.is_hidden(), "the step is shown once per plan, not every time"

    # Another browser opens the private link: the name comes with the plan, the step does not.
    other_context, other, other_errors = open_page(browser, viewport)
    other.goto(link)
    other.wait_for_selector(".fc-event, .fc-list-event")
    assert other.inner_text("h1") == "Evenings in Seoul"
    assert other.locator("#save-link").is_hidden()
    other.get_by_role("button", name="Rename this plan").click()
    other.get_by_label("Name of this plan").fill("FastAPI by May")
    other.get_by_role("button", name="Save the name").click()
    other.wait_for_selector("#rename-status >> text=Renamed")
    assert other.inner_text("h1") == "FastAPI by May"
    check_accessibility(other)
    other.goto(f"{live_server.base_url}/")
    assert other.get_by_role("link", name="FastAPI by May").is_visible()
    assert not other_errors.messages, other_errors.messages
    other_context.close()

    page.reload()  # the first browser reads the new name with the plan
    page.wait_for_selector(".fc-event, .fc-list-event")
    assert page.inner_text("h1") == "FastAPI by May"
    page.goto(f"{live_server.base_url}/")
    saved = page.locator("#saved-plans li")
    saved.first.wait_for()
    assert saved.count() == 1 and saved.get_by_role("link").inner_text() == "FastAPI by May"
    check_accessibility(page)
    assert not errors.messages, errors.messages
    context.close()


def test_an_unnamed_plan_gets_a_telling_name(page: Any, live_server: Any) -> None:
    """Left empty, the name is the roadmap's title and the start day, or the first goal's
    title when there is a goal: two plans in one browser can be told apart."""
    by_start = "Python Backend Developer Roadmap from 8 Feb 2027"
    page.goto(f"{live_server.base_url}/")
    page.click("#example-week")
    page.fill("#start", "2027-02-08")
    field = page.get_by_label("Name of this plan")
    assert field.get_attribute("placeholder") == by_start
    page.click("#make-plan")
    page.wait_for_url(re.compile(r"/plan/[0-9a-f]+$"))
    page.wait_for_selector(".fc-event")
    assert page.inner_text("h1") == by_start

    page.goto(f"{live_server.base_url}/")
    page.click("#example-week")
    page.click("#add-goal")
    page.locator(".goal-row .goal-id").fill("6.3")
    title = page.inner_text("#goal-ids-python-backend option[value='6.3']")
    by_goal = f"Python Backend Developer Roadmap: {title}"
    assert field.get_attribute("placeholder") == by_goal
    page.click("#make-plan")
    page.wait_for_url(re.compile(r"/plan/[0-9a-f]+$"))
    page.wait_for_selector(".fc-event")
    assert page.inner_text("h1") == by_goal
    page.goto(f"{live_server.base_url}/")
    names = page.locator("#saved-plans li a").all_inner_texts()
    assert sorted(names) == sorted([by_start, by_goal])


def test_a_plan_renamed_on_its_page_can_still_be_replanned_there(
    page: Any, live_server: Any, example_profile: dict[str, Any]
) -> None:
    """Renaming writes a new version of the plan: the page's other writes send that one
    (a stale If-Match would be refused)."""
    base = live_server.base_url
    mine = httpx.post(f"{base}/plans", json={"profile": example_profile}, timeout=60).json()
    headers = {"Authorization": f"Bearer {mine['owner_token']}"}
    slower = {"done": ["1.1", "1.2"], "hours": {"1.1": 6, "1.2": 9}}
    assert httpx.post(f"{base}/plans/{mine['id']}/progress", json=slower, headers=headers)
    assert httpx.post(f"{base}/plans/{mine['id']}/replan", headers=headers, timeout=60)
    page.goto(f"{base}/plan/{mine['id']}#token={mine['owner_token']}")
    page.locator("#forecast-chart svg").wait_for()
    page.get_by_role("button", name="Rename this plan").click()
    page.get_by_label("Name of this plan").fill("Slower than I thought")
    page.get_by_role("button", name="Save the name").click()
    page.wait_for_selector("#rename-status >> text=Renamed")
    page.get_by_role("button", name="Plan with my pace").click()
    page.get_by_role("button", name="Plan with the estimates again").wait_for()
    read = httpx.get(f"{base}/plans/{mine['id']}", headers=headers).json()
    assert (read["name"], read["profile"]["pace"]) == ("Slower than I thought", "learned")
