"""Domain models (pydantic v2), one module per file a learner reads or writes:
`roadmap` (roadmap + prerequisites), `profile` (the learner's week and wishes),
`progress` (what happened), `plan` (the planner's answer). Frozen, and strict about
unknown keys so a typo in a file is reported instead of silently ignored.
"""
