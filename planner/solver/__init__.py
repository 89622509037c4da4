"""The study-plan solver, cpsat-primer style: `problem` (what to place) and
`start_tables` (what each start costs); `list_schedule` (the plan anyone could make),
`beam` (a search over study orders); CP-SAT `variables`, `constraints` (`add_*`),
`objective` (`*_penalty`); `score` and `bounds` (how good a plan is); `search.solve`
runs the pipeline under `settings`. Import from the modules themselves.
"""
