"""The mutation score of each module from mutmut's results so far, not counting the
mutants that TESTING.md lists as equivalent (a line "- `<mutant name>`: <why>", or
"- `<mutant name>`, `_<n>`, `_<n>`: <why>" for more of its function, in its section
"Equivalent mutants"; the survivors still to kill are listed after it).

    .venv/bin/python tests/mutation_scores.py     (tests/mutation.sh runs it)

Score: killed (timeouts included) / all mutants that were checked, less the equivalent.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LISTED = re.compile(r"^- (`[^`]+__mutmut_\d+`(?:,\s+`_\d+`)*):", re.MULTILINE)
NUMBER = re.compile(r"_(\d+)`")
KILLED = {"killed", "timeout", "caught by type check"}


def module_of(mutant: str) -> str:
    """ "planner.planning.scaling.x__shares__mutmut_3" -> "planner.planning.scaling"."""
    return re.split(r"\.x[_ǁ]", mutant, maxsplit=1)[0]


def statuses() -> dict[str, str]:
    """Each mutant's status, as `mutmut results --all true` prints them."""
    printed = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all", "true"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = (line.strip().rpartition(": ") for line in printed.splitlines())
    return {name: status for name, _, status in found if "__mutmut_" in name}


def main() -> None:
    section = (ROOT / "TESTING.md").read_text().split("### Equivalent mutants")[1]
    equivalent = {
        f"{names[1:].split('__mutmut_')[0]}__mutmut_{number}"
        for names in LISTED.findall(section.split("\n#")[0])
        for number in NUMBER.findall(names)
    }
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for mutant, status in statuses().items():
        listed = status == "survived" and mutant in equivalent
        counts[module_of(mutant)]["equivalent" if listed else status] += 1
    print("| module | mutants | killed | survived | equivalent | other | score |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for module, seen in sorted(counts.items()):
        killed = sum(seen[status] for status in KILLED)
        checked = sum(seen.values()) - seen["not checked"] - seen["equivalent"]
        other = checked - killed - seen["survived"]
        score = f"{killed / checked:.1%}" if checked else "—"
        print(f"| {module} | {sum(seen.values())} | {killed} | {seen['survived']} | "
              f"{seen['equivalent']} | {other} | {score} |")  # fmt: skip
    unchecked = sum(seen["not checked"] for seen in counts.values())
    if unchecked:
        print(f"\n{unchecked} mutants not checked yet: run tests/mutation.sh again.")


if __name__ == "__main__":
    main()
