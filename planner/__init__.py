"""Roadmap Planner: learning roadmap -> study calendar."""
