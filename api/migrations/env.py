"""Alembic environment: runs migrations on the connection api.database.migrate passes."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, engine_from_config, pool

connection = context.config.attributes.get("connection")


def run_with(connection_to_use: Connection) -> None:
    context.configure(connection=connection_to_use, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    run_with(connection)
else:  # `alembic` on the command line, with sqlalchemy.url in its config
    engine = engine_from_config(
        context.config.get_section(context.config.config_ini_section) or {},
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with engine.connect() as fresh:
        run_with(fresh)
