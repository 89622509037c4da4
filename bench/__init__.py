"""Benchmark: our planner against TaskJuggler 3 and a greedy baseline.

Run `python -m bench` from the repository root; it writes `bench/RESULTS.md`. Not part of
the test suite: it takes a minute and needs `tj3` on the PATH for the TaskJuggler rows.
"""
