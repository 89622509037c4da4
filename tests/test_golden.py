"""Golden files: the calendar and the JSON that `planner plan` and `planner replan` write
for the example learner and the bench profiles, byte for byte.

Any change to them must be on purpose. After one, regenerate and review the diff:

    .venv/bin/pytest tests/test_golden.py --update-expected
    git diff tests/fixtures/expected/
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = Path(__file__).resolve().parent / "fixtures" / "expected"
PROFILES = {
    "example": ROOT / "data" / "profiles" / "example.yaml",
    **{path.stem: path for path in sorted((ROOT / "bench" / "profiles").glob("*.yaml"))},
}
MISSED_TWO_WEEKS = "as_of: 2027-02-01\nmissed:\n  - {from: 2027-01-18, to: 2027-01-31}\n"


def _compare(produced: dict[str, bytes], update: bool) -> None:
    for name, content in produced.items():
        expected = EXPECTED / name
        if update:
            expected.write_bytes(content)
            continue
        assert expected.is_file(), f"{expected} is missing: run with --update-expected"
        assert content == expected.read_bytes(), (
            f"{name} differs from {expected}; if the change is intended, run "
            "`pytest tests/test_golden.py --update-expected` and review the diff"
        )


def _plan(profile: Path, out: Path) -> dict[str, bytes]:
    json_path, ics_path = out / "plan.json", out / "plan.ics"
    result = CliRunner().invoke(
        app, ["plan", "--profile", str(profile), "--json", str(json_path), "--ics", str(ics_path)]
    )
    assert result.exit_code == 0, result.output
    return {"json": json_path.read_bytes(), "ics": ics_path.read_bytes()}


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_plan_outputs_are_the_expected_bytes(
    name: str, tmp_path: Path, update_expected: bool
) -> None:
    written = _plan(PROFILES[name], tmp_path)
    _compare({f"{name}.json": written["json"], f"{name}.ics": written["ics"]}, update_expected)


def test_plan_with_reviews_outputs_are_the_expected_bytes(
    tmp_path: Path, update_expected: bool
) -> None:
    written = _plan(Path(__file__).parent / "fixtures" / "review-profile.yaml", tmp_path)
    _compare(
        {"example-reviews.json": written["json"], "example-reviews.ics": written["ics"]},
        update_expected,
    )


def test_replan_outputs_are_the_expected_bytes(tmp_path: Path, update_expected: bool) -> None:
    _plan(PROFILES["example"], tmp_path)
    progress = tmp_path / "progress.yaml"
    progress.write_text(MISSED_TWO_WEEKS)
    result = CliRunner().invoke(
        app,
        ["replan", "--previous", str(tmp_path / "plan.json"), "--progress", str(progress),
         "--json", str(tmp_path / "replan.json"), "--ics", str(tmp_path / "replan.ics")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    summary = re.sub(r"in \d+\.\d+ s", "in X s", result.stdout)
    _compare(
        {
            "example-replan.json": (tmp_path / "replan.json").read_bytes(),
            "example-replan.ics": (tmp_path / "replan.ics").read_bytes(),
            "example-replan.summary.txt": summary.replace(str(tmp_path), "TMP").encode(),
        },
        update_expected,
    )
