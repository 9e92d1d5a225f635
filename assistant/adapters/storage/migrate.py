"""Schema migrations, run when a store opens: a new database is made by them, one from an earlier release is
upgraded to the schema this code reads (``schema.py``).

Alembic runs in-process, on one connection, in one transaction: a failed migration leaves the database as it
was. Several processes opening one database take turns: on Postgres through a transaction-level advisory
lock, on SQLite through the write transaction (``BEGIN IMMEDIATE``). A database made by ``create_all`` before
migrations existed has the baseline tables and no ``alembic_version``; it is stamped at the baseline first.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")
BASELINE = "0001"
_ADVISORY_LOCK = 0x53746B77  # any fixed number; "Stkw"


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@cache
def head() -> str:
    """The newest revision, the one ``schema.py`` describes."""
    revision = ScriptDirectory.from_config(_config()).get_current_head()
    if revision is None:  # pragma: no cover - the package ships its revisions
        raise RuntimeError(f"no migrations in {MIGRATIONS}")
    return revision


def current(connection: Connection) -> str | None:
    """The database's revision; None for a database no migration has touched."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> str | None:
    """Bring the database to ``head()``; returns the revision it was at (None: empty or pre-migration)."""
    with engine.connect() as conn:
        conn = conn.execution_options(stackwise_begin="IMMEDIATE")
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK})
            before = current(conn)
            if before == head():
                return before
            config = _config(conn)
            if before is None and inspect(conn).has_table("users"):
                command.stamp(config, BASELINE)
            command.upgrade(config, "head")
    if before is not None or inspect(engine).has_table("users"):
        log.info("database schema upgraded from %s to %s", before or f"{BASELINE} (unversioned)", head())
    return before
