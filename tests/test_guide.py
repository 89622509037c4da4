"""The guide (docs/, mkdocs-material): it builds offline in strict mode, its generated
pages are those the models and the Typer app give today, and every profile key is
described."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from planner.models.profile import Profile

ROOT = Path(__file__).resolve().parent.parent
REFRESH = "python -m docs.generate"


def build(root: Path, site: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)]
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(command, cwd=root, env=environment, capture_output=True, text=True)


def copy_of_the_guide(tmp_path: Path) -> Path:
    copy = tmp_path / "checkout"
    shutil.copytree(ROOT / "docs", copy / "docs", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("mkdocs.yml", "TESTING.md"):
        shutil.copy(ROOT / name, copy / name)
    return copy


def test_the_guide_builds_offline_in_strict_mode(tmp_path: Path) -> None:
    built = build(ROOT, tmp_path / "site")
    assert built.returncode == 0, built.stderr
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis.com" not in home and "fonts.gstatic.com" not in home


def test_a_broken_anchor_fails_the_build(tmp_path: Path) -> None:
    copy = copy_of_the_guide(tmp_path)
    page = copy / "docs" / "glossary.md"
    page.write_text(page.read_text() + "\nSee [nowhere](every-day.md#no-such-section).\n")
    built = build(copy, tmp_path / "site")
    assert built.returncode != 0
    assert "no-such-section" in built.stderr


def test_the_generated_pages_and_the_served_guide_are_fresh() -> None:
    checked = subprocess.run(
        [sys.executable, "-m", "docs.generate", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, f"{checked.stderr}\nRefresh them: {REFRESH}"


def test_every_profile_key_is_described_in_the_reference() -> None:
    schema = Profile.model_json_schema()
    models = [schema, *schema["$defs"].values()]
    reference = (ROOT / "docs" / "reference" / "profile.md").read_text(encoding="utf-8")
    for model in models:
        for key, field in model.get("properties", {}).items():
            assert field.get("description"), f"{model.get('title')}.{key} has no description"
            assert f"| `{key}` |" in reference, key
