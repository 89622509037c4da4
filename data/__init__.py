"""Bundled roadmap, prerequisites and example profiles: package data (planner.bundled)."""
