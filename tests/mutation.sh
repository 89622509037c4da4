#!/usr/bin/env bash
# Mutation testing with mutmut: the modules and tests named in [tool.mutmut] of
# pyproject.toml. Slow (hours on two cores), so not part of CI; stop it whenever you
# like and run it again: it continues where it stopped, and re-tests only what changed.
#
#   tests/mutation.sh                      # 2 workers; MUTMUT_CHILDREN=1 for fewer
#   tests/mutation.sh 'planner.planning.validation.*'   # just these mutants, again
#   .venv/bin/mutmut browse                # the survivors, with their diffs
#
# Prints the score per module at the end (see TESTING.md).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/mutmut ] || .venv/bin/pip install -q -e '.[test,mutation]'
# mutmut re-traces only new tests, so after a change to the code or the tests its map of
# which test calls which function is stale (a mutant then skips the tests that would
# kill it and "survives"): map them afresh each time (a few minutes); results are kept.
rm -f mutants/mutmut-stats.json
.venv/bin/mutmut run --max-children "${MUTMUT_CHILDREN:-2}" "$@" || true  # scores either way
.venv/bin/python tests/mutation_scores.py
