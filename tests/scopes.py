"""The scope of the expensive fixtures that tests share."""

from __future__ import annotations

import os

import pytest


def shared(fixture_name: str, config: pytest.Config) -> str:
    """ "module": computed once for the tests of a file. Except while mutmut maps each
    test to the functions it calls (tests/mutation.sh): then a module fixture's calls
    would count for the first test that uses it alone, and a mutant of them would skip
    the other tests, so each test computes it itself."""
    return "function" if os.environ.get("MUTANT_UNDER_TEST") == "stats" else "module"
