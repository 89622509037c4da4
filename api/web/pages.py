"""The learner's pages (HTML, server-rendered with Jinja2) and the offline API docs.

The pages never see the owner token: it lives in the browser (the URL fragment, then
localStorage), and the pages' scripts send it to the JSON API as a Bearer header. So
the server renders what is public — the form, the roadmaps, the time zones — and the
scripts fill in the learner's plan.
"""

from __future__ import annotations

import zoneinfo
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, FastAPI, Request
from fastapi import Path as PathParameter
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from api.credentials import key_problem
from api.deps import SettingsDep
from api.routes.roadmaps import roadmap_public
from api.solving import bundled_roadmaps
from api.web.guide import help_url, install_guide
from api.web.holiday_countries import holiday_countries
from api.web.security import SecurityHeaders
from planner.inputs.loading import bundled_file, load_profile
from planner.models.fields import WEEKDAYS
from planner.models.order import OrderMode
from planner.models.profile import Profile, SessionRules
from planner.models.reviews import ReviewRules

WEB_DIR = Path(__file__).resolve().parent
DAY_NAMES = dict(zip(WEEKDAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                "Saturday", "Sunday"), strict=True))  # fmt: skip
# The start form's order choices, each in one line a learner reads (the guide's table
# and planner/models/order.py say the same at length).
ORDER_CHOICES: dict[OrderMode, str] = {
    "roadmap": "Exactly the roadmap's order, topic after topic.",
    "balanced": "The roadmap's order, with small swaps where they save sessions or time.",
    "free": "Any order the prerequisites allow, wherever it saves sessions or time.",
}

router = APIRouter(include_in_schema=False)
PlanId = Annotated[str, PathParameter(max_length=32)]
PlanView = Literal["plan", "today", "subscribe", "whatif"]


def install(app: FastAPI) -> None:
    """Add the pages, their static files, the offline /docs and /guide and the security
    headers."""
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    install_guide(app)
    app.include_router(router)
    app.add_middleware(SecurityHeaders)


@lru_cache
def _templates() -> Jinja2Templates:
    return Jinja2Templates(directory=WEB_DIR / "templates")


def _page(request: Request, template: str, **context: Any) -> HTMLResponse:
    context.setdefault("plan_id", None)
    context["help_url"] = help_url(context["page"])
    return _templates().TemplateResponse(
        request, template, {"nonce": request.state.csp_nonce, **context}
    )


@router.get("/", response_class=HTMLResponse)
def start_page(request: Request) -> HTMLResponse:
    """Start: the form that makes a plan (empty, with an example week a click away), and
    the plans kept in this browser."""
    return _profile_form(request, page="start")


@router.get("/plan/{plan_id}/week", response_class=HTMLResponse)
def change_week_page(request: Request, plan_id: PlanId) -> HTMLResponse:
    """Change my week: the start form filled with the plan's profile, which re-plans."""
    return _profile_form(request, page="week", plan_id=plan_id, editing=True)


def _profile_form(request: Request, **context: Any) -> HTMLResponse:
    example = _example_profile()
    return _page(
        request,
        "start.html",
        roadmaps=[roadmap_public(roadmap_id) for roadmap_id in bundled_roadmaps()],
        time_zones=_time_zones(),
        example=example,
        example_week=_week_in_words(example),
        session_defaults=SessionRules(),
        holiday_countries=holiday_countries(),
        day_names=DAY_NAMES,
        order_choices=ORDER_CHOICES,
        order_field=Profile.model_fields["order"],
        max_shift_field=Profile.model_fields["max_shift"],
        review_rules=ReviewRules(),
        **context,
    )


def _week_in_words(profile: Profile) -> str:
    """ "Monday 19:00-21:00, Wednesday 19:00-21:00, Saturday 09:00-13:00" """
    return ", ".join(
        f"{DAY_NAMES[day]} {' and '.join(str(window) for window in windows)}"
        for day, windows in profile.weekly.items()
    )


@router.get("/plan/{plan_id}", response_class=HTMLResponse)
@router.get("/plan/{plan_id}/{view}", response_class=HTMLResponse)
def plan_page(
    request: Request, plan_id: PlanId, settings: SettingsDep, view: PlanView = "plan"
) -> HTMLResponse:
    """One of a plan's pages: the plan itself (calendar, timeline by section, roadmap
    view, dates), today (this week's sessions, progress, re-plan and what it changed),
    subscribe (feed links, QR code, your own calendar, rotation, the private link,
    "forget this plan") or what-if (finish dates at other weekly budgets)."""
    # Whether "Your own calendar" can be offered: the service keeps passwords only
    # encrypted, with the operator's key.
    keeps_passwords = key_problem(settings) is None
    return _page(
        request, f"{view}.html", page=view, plan_id=plan_id, keeps_passwords=keeps_passwords
    )


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """Swagger UI from our own static files: works with no internet, and under our CSP
    (FastAPI's own page loads it from a CDN and starts it with an inline script)."""
    return _page(request, "docs.html", page="docs")


@lru_cache
def _time_zones() -> list[str]:
    return sorted(
        name
        for name in zoneinfo.available_timezones()
        if "/" in name and not name.startswith(("posix/", "right/", "SystemV/"))
    )


@lru_cache
def _example_profile() -> Profile:
    with bundled_file("profiles/example.yaml") as path:
        return load_profile(path)
