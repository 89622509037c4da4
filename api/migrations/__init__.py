"""Alembic migrations of the API's database (applied on start by api.database.migrate)."""
