"""What the planner writes: the calendar (`ics`), what the CLI prints (`report`), the
what-if chart (`chart`), and files written all or nothing (`files`)."""
