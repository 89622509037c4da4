"""Two-way sync of a plan with the learner's own CalDAV calendar (`planner sync`):
connect (`connection`), read what is there (`remote`), compare it with what was last
pushed (`state`), and push only what changed (`push`)."""
