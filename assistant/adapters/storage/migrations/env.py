"""Alembic's environment: always run in-process on a connection handed over by ``migrate.upgrade``."""

from __future__ import annotations

from alembic import context

from assistant.adapters.storage.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters a table by copying it
)
with context.begin_transaction():
    context.run_migrations()
