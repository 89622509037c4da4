"""Time: the learner's weekly wall-clock windows become concrete UTC windows
(`windows`), those become the solver's axis of available slots (`axis`); `zones` holds
the DST arithmetic both need, `vtimezone` the VTIMEZONE the calendar carries."""
