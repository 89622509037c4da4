"""The plan: what to plan (`requirements`, `goals`), how long the axis must be
(`horizon`), solving it into sessions and checking them (`pipeline`, `sessions`,
`validation`), and the layers above a single plan: `replan` (+ `history`), `deadline`
(why a deadline cannot be met, with checked fixes) and `whatif` (other weekly budgets).
Dependencies run one way: those layers call `pipeline`, never the reverse."""
