"""A learner's own roadmap in the browser: pasted (Markdown) or loaded from a file (YAML)
on the start form, previewed as it is pasted (POST /roadmaps/preview: the plan page's
summary under the box, or the refusal with its line), planned, and read back on the
plan, Today and What-if pages (which fetch it from /plans/{id}/roadmap); a roadmap the
planner refuses is shown under the text it is about, with its line, and no plan is made."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.browser.test_web_app import owner_token, read_plan

OWN_CHOICE = "Your own roadmap (paste it or load a file)"
FRONTEND = Path(__file__).parents[1] / "fixtures" / "markdown" / "frontend-roadmap.md"
TOPIC_WITHOUT_HOURS = "# Mine\n\n1. **A** (3 h)\n\n   1.1. **x** (1 h)\n   1.2. **y**\n"
# As `planner import` writes it: comments first, so a "#" first line is no Markdown title.
SECTION_WITHOUT_HOURS = """\
# My roadmap, written by hand.
id: mine
title: Mine
sections:
  - id: "1"
    title: A
    topics:
      - {id: "1.1", title: a, hours: 1}
"""
PREVIEW = re.compile(r"/roadmaps/preview$")
FRONTEND_LINE = "Frontend Developer Roadmap: 3 sections, 9 topics, 28 h"


def choose_own_roadmap(page: Any) -> None:
    page.click("#example-week")  # the form starts with an empty week
    page.get_by_label("Roadmap", exact=True).select_option(label=OWN_CHOICE)
    assert page.locator("#own-roadmap").is_visible()
    assert page.locator(".topics:visible").count() == 0, "no bundled topic tree to skip in"


def plans_in_this_browser(page: Any) -> Any:
    return page.evaluate("() => JSON.parse(localStorage.getItem('roadmap-planner:plans'))")


def test_a_pasted_markdown_roadmap_is_planned_and_every_page_reads_it(
    page: Any, live_server: Any, check_accessibility: Any, save_screenshot: Any
) -> None:
    base = live_server.base_url
    page.goto(f"{base}/")
    choose_own_roadmap(page)
    markdown = FRONTEND.read_text(encoding="utf-8")
    page.get_by_label("Your roadmap", exact=True).fill(markdown)
    assert page.get_by_label("Markdown", exact=True).is_checked()
    assert page.inner_text("#own-format-hint").startswith("Read as Markdown")
    check_accessibility(page)
    with page.expect_request(re.compile(r"/plans$")) as request:
        page.click("#make-plan")
    sent = request.value.post_data_json
    assert sent["own_roadmap"] == {"markdown": markdown}, "no prerequisites: none sent"
    assert "roadmap" not in sent
    assert sent["profile"]["skip"] == [] and sent["profile"]["hours"] == {}
    page.wait_for_url(re.compile(r"/plan/[0-9a-f]+$"))
    plan_id = page.url.rsplit("/", 1)[1]

    # The plan page: the roadmap's title, how it was read, its topics in the calendar.
    page.wait_for_selector(".fc-event")
    # Named for the roadmap read and the first day (the name field left empty).
    assert page.inner_text("#plan-title") == "Frontend Developer Roadmap from 1 Feb 2027"
    summary = page.locator("#roadmap-summary")
    assert summary.get_attribute("open") is not None, "open for a roadmap brought here"
    line = page.inner_text("#roadmap-summary-line")
    assert line == "Frontend Developer Roadmap: 3 sections, 9 topics, 28 h"
    rows = summary.locator("tbody tr").all_inner_texts()
    assert [re.split(r"\s+", row.strip()) for row in rows] == [
        ["1.", "Web", "Basics", "3", "7.5", "h"],
        ["2.", "JavaScript", "3", "12", "h"],
        ["3.", "Frameworks", "3", "8.5", "h"],
    ]
    assert "Not planned, as the roadmap gives no hours: 2.3 Build a Portfolio Page." in (
        summary.inner_text()
    )
    record = read_plan(base, plan_id, owner_token(page, plan_id))
    assert record["roadmap"] == "frontend"
    shown = " ".join(page.locator(".fc-event").all_inner_texts())
    assert "HTML Essentials" in shown, shown
    assert page.locator("#graph .rv-topic").count() == 9
    assert page.locator(".timeline-bar").count() == 3
    check_accessibility(page)
    save_screenshot(page, "plan-own-roadmap")

    # Today and What if read the same roadmap.
    page.click("nav >> text=Today")
    page.wait_for_selector("#topics details")
    assert page.locator("#topics details").count() == 3
    assert page.inner_text("#sessions").startswith("HTML Essentials, Mon, 1 Feb 2027, 19:00")
    check_accessibility(page)
    page.click("nav >> text=What if")
    page.wait_for_selector("#whatif-table tbody tr")
    check_accessibility(page)


def requests_to(page: Any, pattern: re.Pattern[str]) -> list[str]:
    """The URLs of the page's requests that match `pattern`, from now on (a live list)."""
    seen: list[str] = []
    page.on(
        "request", lambda request: seen.append(request.url) if pattern.search(request.url) else None
    )
    return seen


def test_a_pasted_roadmap_is_previewed_before_any_plan_is_made(
    page: Any, live_server: Any, check_accessibility: Any
) -> None:
    page.goto(f"{live_server.base_url}/")
    choose_own_roadmap(page)
    plan_requests = requests_to(page, re.compile(r"/plans$"))
    markdown = FRONTEND.read_text(encoding="utf-8")
    roadmap_text = page.get_by_label("Your roadmap", exact=True)
    with page.expect_request(PREVIEW) as request:
        roadmap_text.fill(markdown)
    assert request.value.post_data_json == {"markdown": markdown}, "as own_roadmap is sent"

    # The plan page's summary, under the box: title, sections, topics, hours.
    preview = page.locator("#own-roadmap-preview")
    assert preview.get_attribute("aria-live") == "polite"
    page.locator("#own-roadmap-preview-summary").wait_for()
    assert page.inner_text("#own-roadmap-preview-line") == FRONTEND_LINE
    rows = preview.locator("tbody tr").all_inner_texts()
    assert [re.split(r"\s+", row.strip()) for row in rows] == [
        ["1.", "Web", "Basics", "3", "7.5", "h"],
        ["2.", "JavaScript", "3", "12", "h"],
        ["3.", "Frameworks", "3", "8.5", "h"],
    ]
    assert "Not planned, as the roadmap gives no hours: 2.3 Build a Portfolio Page." in (
        preview.inner_text()
    )
    assert page.locator("#own-roadmap .field-error").count() == 0
    check_accessibility(page)

    # Calm: the preview stays while the learner types, until the next one replaces it.
    with page.expect_response(PREVIEW) as answer:
        roadmap_text.fill(markdown.replace("# Frontend Developer Roadmap", "# Frontend Roadmap"))
        assert page.inner_text("#own-roadmap-preview-line") == FRONTEND_LINE
    assert answer.value.status == 200
    page.wait_for_function(
        "() => document.querySelector('#own-roadmap-preview-line').textContent"
        ".startsWith('Frontend Roadmap: 3 sections')"
    )
    assert plan_requests == [], "nothing planned yet"
    assert page.url == f"{live_server.base_url}/" and plans_in_this_browser(page) is None


def test_a_bad_roadmap_shows_its_line_under_the_box_before_planning(
    page: Any, live_server: Any, check_accessibility: Any
) -> None:
    page.goto(f"{live_server.base_url}/")
    choose_own_roadmap(page)
    plan_requests = requests_to(page, re.compile(r"/plans$"))
    roadmap_text = page.get_by_label("Your roadmap", exact=True)
    roadmap_text.fill(FRONTEND.read_text(encoding="utf-8"))
    page.locator("#own-roadmap-preview-summary").wait_for()

    with page.expect_response(PREVIEW) as answer:
        roadmap_text.fill(TOPIC_WITHOUT_HOURS)
    assert answer.value.status == 422
    error = page.locator("[data-loc='own_roadmap'] .field-error")
    error.wait_for()
    assert error.inner_text().startswith("Line 6: topic 1.2 y has no hours: write its estimate")
    assert roadmap_text.get_attribute("aria-invalid") == "true"
    assert page.locator("#own-roadmap-preview-summary").is_hidden(), "no roadmap read"
    note = page.inner_text("#own-roadmap-preview-note")
    assert note.startswith("Not read: Line 6: topic 1.2 y"), "said in the live region"
    assert page.inner_text("#form-errors") == "", "no summary: the learner is still typing"
    assert page.evaluate("() => document.activeElement.id") == "own-roadmap-text"
    check_accessibility(page)

    # Mended: the line goes, the preview comes back.
    roadmap_text.fill(TOPIC_WITHOUT_HOURS.replace("**y**", "**y** (2 h)"))
    page.wait_for_function(
        "() => document.querySelector('#own-roadmap-preview-line').textContent"
        " === 'Mine: 1 section, 2 topics, 3 h'"
    )
    assert error.count() == 0 and roadmap_text.get_attribute("aria-invalid") is None

    # Prerequisites naming a topic the roadmap lacks: under the prerequisites.
    edges = 'roadmap: mine\nedges:\n  - {before: "9.9", after: "1.1", why: "w"}\n'
    page.get_by_label("Prerequisites (YAML, optional)").fill(edges)
    error = page.locator("[data-loc='own_roadmap.prerequisites'] .field-error")
    error.wait_for()
    assert error.inner_text().startswith(
        "edges[0].before: there is no topic or section 9.9 in this roadmap"
    )
    assert page.locator("[data-loc='own_roadmap'] .field-error").count() == 0
    assert plan_requests == [] and plans_in_this_browser(page) is None


def test_a_topic_without_hours_is_refused_under_the_roadmap_text(
    page: Any, live_server: Any, check_accessibility: Any
) -> None:
    page.goto(f"{live_server.base_url}/")
    choose_own_roadmap(page)
    roadmap_text = page.get_by_label("Your roadmap", exact=True)
    roadmap_text.fill(TOPIC_WITHOUT_HOURS)
    with page.expect_response(re.compile(r"/plans$")) as answer:
        page.click("#make-plan")
    assert answer.value.status == 422
    error = page.locator("[data-loc='own_roadmap'] .field-error")
    error.wait_for()
    assert error.inner_text().startswith("Line 6: topic 1.2 y has no hours: write its estimate")
    assert roadmap_text.get_attribute("aria-invalid") == "true"
    assert "Your roadmap: Line 6: topic 1.2 y has no hours" in page.inner_text("#form-errors")
    assert page.url == f"{live_server.base_url}/" and plans_in_this_browser(page) is None
    check_accessibility(page)

    # Prerequisites naming a topic the roadmap lacks: under the prerequisites.
    roadmap_text.fill(FRONTEND.read_text(encoding="utf-8"))
    edges = 'roadmap: frontend\nedges:\n  - {before: "9.9", after: "1.1", why: "w"}\n'
    page.get_by_label("Prerequisites (YAML, optional)").fill(edges)
    page.click("#make-plan")
    error = page.locator("[data-loc='own_roadmap.prerequisites'] .field-error")
    error.wait_for()
    assert error.inner_text().startswith(
        "edges[0].before: there is no topic or section 9.9 in this roadmap"
    )
    assert page.locator("[data-loc='own_roadmap'] .field-error").count() == 0
    assert roadmap_text.get_attribute("aria-invalid") is None
    assert plans_in_this_browser(page) is None


def test_a_yaml_file_is_loaded_read_as_yaml_and_refused_with_its_line(
    page: Any, live_server: Any
) -> None:
    page.goto(f"{live_server.base_url}/")
    choose_own_roadmap(page)
    page.set_input_files(
        "#own-roadmap-file",
        files=[
            {
                "name": "mine.yaml",
                "mimeType": "application/yaml",
                "buffer": SECTION_WITHOUT_HOURS.encode(),
            }
        ],
    )
    roadmap_text = page.get_by_label("Your roadmap", exact=True)
    page.wait_for_function("() => document.querySelector('#own-roadmap-text').value !== ''")
    assert roadmap_text.input_value() == SECTION_WITHOUT_HOURS
    assert page.get_by_label("YAML", exact=True).is_checked(), "a # comment is no Markdown title"
    with page.expect_request(re.compile(r"/plans$")) as request:
        page.click("#make-plan")
    assert request.value.post_data_json["own_roadmap"] == {"yaml": SECTION_WITHOUT_HOURS}
    error = page.locator("[data-loc='own_roadmap'] .field-error")
    error.wait_for()
    assert error.inner_text().startswith("Line 5: sections[0].hours: this key is required")
    assert plans_in_this_browser(page) is None


def test_the_own_roadmap_fields_fit_a_phone(
    phone_page: Any, live_server: Any, check_accessibility: Any
) -> None:
    phone_page.goto(f"{live_server.base_url}/")
    choose_own_roadmap(phone_page)
    phone_page.get_by_label("Your roadmap", exact=True).fill(FRONTEND.read_text(encoding="utf-8"))
    assert phone_page.evaluate("() => document.documentElement.scrollWidth") <= 390
    check_accessibility(phone_page)
