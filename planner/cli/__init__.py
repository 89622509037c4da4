"""The `planner` command line: `app` (plan, replan, whatif, check), `service` (serve,
publish) and what they share (`common`)."""
