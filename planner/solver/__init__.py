"""The study-plan solver, cpsat-primer style: `problem` (what to place) and
`start_tables` (what each start costs); `list_schedule` (the plans anyone could make),
`band` (the exact search among orders close to a base order), `beam` (a search over any
order), CP-SAT `variables`, `constraints` (`add_*`), `objective` (`*_penalty`) and
`windows` (CP-SAT over windows of the plan), `free_search` (beam, band polish, windows);
`order` (the order rules and figures), `score` and `bounds` (how good a plan is);
`search.solve` runs the pipeline under `settings`. Import from the modules themselves.
"""
