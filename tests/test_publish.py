"""`planner publish`: a feed without a server, through Typer's runner."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli.app import app

FIXTURES = Path(__file__).parent / "fixtures"
TINY_ROADMAP = ["--roadmap", str(FIXTURES / "tiny-roadmap.yaml")]
TINY = [
    *TINY_ROADMAP,
    "--prerequisites", str(FIXTURES / "tiny-prerequisites.yaml"),
    "--profile", str(FIXTURES / "dst-fallback-profile.yaml"),
]  # fmt: skip
NAME_FILE = ".planner-feed-name"
# secrets.token_urlsafe(24): 32 characters of the URL-safe base64 alphabet, 192 random bits.
UNGUESSABLE = re.compile(r"[A-Za-z0-9_-]{32,}\.ics")
runner = CliRunner()


def plan_files(folder: Path, *options: str) -> tuple[Path, Path]:
    """`planner plan --json --ics` into `folder`; the JSON and the calendar."""
    folder.mkdir(parents=True, exist_ok=True)
    json_path, ics_path = folder / "plan.json", folder / "plan.ics"
    arguments = ["plan", *options, "--json", str(json_path), "--ics", str(ics_path)]
    result = runner.invoke(app, arguments)
    assert result.exit_code == 0, result.output
    return json_path, ics_path


@pytest.fixture(scope="module")
def bundled_plan(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return plan_files(tmp_path_factory.mktemp("bundled"))


@pytest.fixture(scope="module")
def tiny_plan(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return plan_files(tmp_path_factory.mktemp("tiny"), *TINY)


def publish(plan: Path, folder: Path, *options: str) -> str:
    """`planner publish`; the file name it published under."""
    result = runner.invoke(app, ["publish", "--plan", str(plan), "--dir", str(folder), *options])
    assert result.exit_code == 0, result.output
    [calendar] = [path.name for path in folder.iterdir() if path.suffix == ".ics"]
    # Rich wraps long lines at the runner's 80 columns, inside the path if it must.
    said = result.stdout.replace("\n", "")
    assert f"Wrote {folder / calendar} (" in said
    assert f"subscribe to https://<host>/{calendar}" in said
    return calendar


def test_publish_writes_the_calendar_plan_writes(
    bundled_plan: tuple[Path, Path], tmp_path: Path
) -> None:
    plan_json, plan_ics = bundled_plan
    site = tmp_path / "site"
    name = publish(plan_json, site)
    assert (site / name).read_bytes() == plan_ics.read_bytes()
    assert sorted(path.name for path in site.iterdir()) == sorted([NAME_FILE, name])


def test_the_name_is_unguessable_and_kept(tiny_plan: tuple[Path, Path], tmp_path: Path) -> None:
    plan_json, plan_ics = tiny_plan
    name = publish(plan_json, tmp_path / "site", *TINY_ROADMAP)
    assert UNGUESSABLE.fullmatch(name), name
    assert publish(plan_json, tmp_path / "site", *TINY_ROADMAP) == name
    assert (tmp_path / "site" / name).read_bytes() == plan_ics.read_bytes()
    # Another folder, another name: the name is random, not derived from the plan.
    assert publish(plan_json, tmp_path / "elsewhere", *TINY_ROADMAP) != name


def test_a_new_plan_is_published_under_the_same_name(
    tiny_plan: tuple[Path, Path], tmp_path: Path
) -> None:
    plan_json, plan_ics = tiny_plan
    site = tmp_path / "site"
    name = publish(plan_json, site, *TINY_ROADMAP)
    progress = tmp_path / "progress.yaml"
    progress.write_text(json.dumps({"as_of": "2027-11-07", "missed": []}), encoding="utf-8")
    replanned_json, replanned_ics = tmp_path / "plan2.json", tmp_path / "plan2.ics"
    replanned = runner.invoke(
        app,
        ["replan", "--previous", str(plan_json), "--progress", str(progress), *TINY,
         "--json", str(replanned_json), "--ics", str(replanned_ics)],
    )  # fmt: skip
    assert replanned.exit_code == 0, replanned.output
    assert replanned_ics.read_bytes() != plan_ics.read_bytes()
    assert publish(replanned_json, site, *TINY_ROADMAP) == name
    assert (site / name).read_bytes() == replanned_ics.read_bytes()


def test_rotate_gives_a_new_name_and_deletes_the_old_file(
    tiny_plan: tuple[Path, Path], tmp_path: Path
) -> None:
    plan_json, plan_ics = tiny_plan
    site = tmp_path / "site"
    old = publish(plan_json, site, *TINY_ROADMAP)
    new = publish(plan_json, site, *TINY_ROADMAP, "--rotate")
    assert new != old and UNGUESSABLE.fullmatch(new)
    assert not (site / old).exists()
    assert (site / new).read_bytes() == plan_ics.read_bytes()
    assert (site / NAME_FILE).read_text() == new
    assert publish(plan_json, site, *TINY_ROADMAP) == new


def test_published_files_are_readable_by_a_web_server(
    tiny_plan: tuple[Path, Path], tmp_path: Path
) -> None:
    # Written through a temporary file (mkstemp makes it owner-only); the result must
    # have the permissions any new file gets, or a static host cannot serve it.
    umask = os.umask(0o022)
    try:
        name = publish(tiny_plan[0], tmp_path / "site", *TINY_ROADMAP)
    finally:
        os.umask(umask)
    assert (tmp_path / "site" / name).stat().st_mode & 0o777 == 0o644


def test_a_plan_for_another_roadmap_is_refused(
    tiny_plan: tuple[Path, Path], tmp_path: Path
) -> None:
    plan_json, _ = tiny_plan
    site = tmp_path / "site"
    result = runner.invoke(app, ["publish", "--plan", str(plan_json), "--dir", str(site)])
    assert result.exit_code == 1
    assert f"{plan_json}: this plan is for roadmap 'tiny', not 'python-backend'" in result.stderr
    assert not site.exists()


def test_a_missing_plan_file_is_refused(tmp_path: Path) -> None:
    missing, site = tmp_path / "nowhere.json", tmp_path / "site"
    result = runner.invoke(app, ["publish", "--plan", str(missing), "--dir", str(site)])
    assert result.exit_code == 1
    assert f"error: {missing}: file not found" in result.stderr
    assert not site.exists()


@pytest.mark.parametrize("planted", ["../../outside.ics", "/tmp/outside.ics", "sub/x.ics", ""])
def test_a_tampered_name_file_never_writes_outside_the_folder(
    tiny_plan: tuple[Path, Path], tmp_path: Path, planted: str
) -> None:
    """Regression: publish trusted .planner-feed-name and wrote wherever it pointed."""
    site = tmp_path / "a" / "b" / "site"
    site.mkdir(parents=True)
    (site / NAME_FILE).write_text(planted)
    before = sorted(path for path in tmp_path.rglob("*"))
    result = runner.invoke(
        app, ["publish", "--plan", str(tiny_plan[0]), "--dir", str(site), *TINY_ROADMAP]
    )
    if planted:
        assert result.exit_code == 1
        assert NAME_FILE in result.stderr and "--rotate" in result.stderr
        assert sorted(path for path in tmp_path.rglob("*")) == before
    else:  # an empty name file is no name: a new one is made
        assert result.exit_code == 0
    # Rotating replaces the bad name and deletes nothing outside the folder.
    for stale in site.glob("*.ics"):
        stale.unlink()
    calendar = publish(tiny_plan[0], site, "--rotate", *TINY_ROADMAP)
    assert UNGUESSABLE.fullmatch(calendar)
    assert [path for path in tmp_path.rglob("*.ics") if site not in path.parents] == []


def test_a_symlink_in_the_folder_is_not_written_through(
    tiny_plan: tuple[Path, Path], tmp_path: Path
) -> None:
    """The published calendar is a symlink to a file outside the folder (issue 27):
    publish refuses, naming both, and the file outside keeps its bytes."""
    site = tmp_path / "site"
    calendar = publish(tiny_plan[0], site, *TINY_ROADMAP)
    outside = tmp_path / "outside.txt"
    outside.write_text("mine")
    (site / calendar).unlink()
    (site / calendar).symlink_to(outside)
    result = runner.invoke(
        app, ["publish", "--plan", str(tiny_plan[0]), "--dir", str(site), *TINY_ROADMAP]
    )
    assert result.exit_code == 1
    assert f"leads to {outside}, outside {site}: nothing is written out of it" in result.stderr
    assert outside.read_text() == "mine"
