"""Spaced reviews: when each is due (`dues`), where they go around the topics (`book`,
`weave`, `schedule`), the earliest the topics can be done with them (`bound`), what a
re-plan carries over (`history`), and the rules a plan's reviews keep (`validation`)."""
