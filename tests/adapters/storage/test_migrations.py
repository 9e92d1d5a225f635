"""Schema migrations: the migrated schema is the one the code reads, and a database made by an earlier release
(``create_all``, no ``alembic_version``) upgrades with its rows intact; on SQLite and, when one is given,
Postgres (``STACKWISE_TEST_POSTGRES_URL``; ``eval "$(.ci/postgres.sh)"`` starts one)."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, inspect, text

from assistant.adapters.storage import SqlStore, migrate
from assistant.adapters.storage.schema import metadata
from tests.adapters.storage.test_sql_store import NO_POSTGRES, POSTGRES_URL, drop_everything
from tests.contracts.store import fill_learner, make_advisor, make_learner


@pytest.fixture(params=["sqlite", "postgres"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'stackwise.db'}"
        return
    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    engine = create_engine(POSTGRES_URL)
    drop_everything(engine)
    yield POSTGRES_URL
    drop_everything(engine)
    engine.dispose()


def _differences(engine: Engine) -> list[object]:
    with engine.connect() as conn:
        return list(compare_metadata(MigrationContext.configure(conn), metadata))


def _revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return migrate.current(conn)


def test_a_new_database_is_made_by_the_migrations_and_matches_the_code(url: str) -> None:
    store = SqlStore(url)
    try:
        assert _revision(store._engine) == migrate.head()
        assert _differences(store._engine) == []
    finally:
        store.close()


def test_a_database_of_the_previous_release_upgrades_with_its_rows(url: str) -> None:
    engine = create_engine(url)
    metadata.create_all(engine)  # what every release before migrations did on start
    engine.dispose()
    with_rows = SqlStore(url)  # stamps the baseline and upgrades
    learner, advisor = make_learner(with_rows, "Old"), make_advisor(with_rows)
    fill_learner(with_rows, learner, advisor, "old-release")
    counts = with_rows.count_rows()
    with_rows.close()

    with create_engine(url).begin() as conn:  # back to how the previous release left it
        conn.execute(text("DROP TABLE alembic_version"))
    upgraded = SqlStore(url)
    try:
        assert _revision(upgraded._engine) == migrate.head()
        assert _differences(upgraded._engine) == []
        assert upgraded.count_rows() == counts
        resume = upgraded.get_resume(learner.id)
        assert resume is not None and resume.text.endswith("old-release")
    finally:
        upgraded.close()


def test_downgrade_to_nothing_and_up_again(url: str) -> None:
    engine = create_engine(url)
    migrate.upgrade(engine)
    with engine.begin() as conn:
        config = migrate._config(conn)
        command.downgrade(config, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    assert migrate.upgrade(engine) is None
    assert _differences(engine) == []
    engine.dispose()


def test_processes_opening_a_new_database_at_once_take_turns(url: str) -> None:
    with ThreadPoolExecutor(4) as pool:
        stores = list(pool.map(lambda _: SqlStore(url), range(4)))
    try:
        assert {_revision(store._engine) for store in stores} == {migrate.head()}
        make_learner(stores[0])
        assert len(stores[3].list_users()) == 1
    finally:
        for store in stores:
            store.close()
