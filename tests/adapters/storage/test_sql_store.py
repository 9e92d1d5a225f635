"""SqlStore against the Store contract (``tests/contracts/store.py``), on a SQLite file, in memory, and on
Postgres when one is given; then what only a database shows: hashes and erased bytes on disk, pragmas,
concurrent writers.

Postgres runs when ``STACKWISE_TEST_POSTGRES_URL`` is set (``eval "$(.ci/postgres.sh)"`` starts one); its
tables are dropped before each test, so point it at a throwaway database.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, select, text

from assistant.adapters.storage import SqlStore
from assistant.adapters.storage.sql import metadata, users
from assistant.core.access import Role
from assistant.core.store import ProfileRecord, ResumeRecord
from tests.contracts.store import T0, StoreContract, fill_learner, make_advisor, make_learner

POSTGRES_URL = os.environ.get("STACKWISE_TEST_POSTGRES_URL", "")
NO_POSTGRES = 'STACKWISE_TEST_POSTGRES_URL is not set (eval "$(.ci/postgres.sh)" starts a throwaway server)'
BACKENDS = ["sqlite-file", "sqlite-memory", "postgres"]


def _open(backend: str, tmp_path: Path) -> SqlStore:
    if backend == "sqlite-file":
        return SqlStore(f"sqlite:///{tmp_path / 'stackwise.db'}")
    if backend == "sqlite-memory":
        return SqlStore("sqlite:///:memory:")
    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    engine = create_engine(POSTGRES_URL)
    drop_everything(engine)
    engine.dispose()
    return SqlStore(POSTGRES_URL)


def drop_everything(engine: Engine) -> None:
    """The store's tables and the migrations' version table: the next store starts from an empty database."""
    metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlStore]:
    opened = _open(request.param, tmp_path)
    yield opened
    opened.close()


class TestSqlStoreContract(StoreContract):
    """Every contract test, on each backend of the ``store`` fixture."""


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Iterator[tuple[SqlStore, Path]]:
    path = tmp_path / "stackwise.db"
    opened = SqlStore(f"sqlite:///{path}")
    yield opened, path
    opened.close()


# -- users and keys ---------------------------------------------------------------------------------------


def test_only_the_hash_of_a_key_is_stored(store: SqlStore) -> None:
    user, key = store.create_user(Role.LEARNER, "Lee", user_id="lee")
    with store._engine.connect() as conn:
        stored = [dict(row._mapping) for row in conn.execute(select(users))]
    assert len(stored) == 1 and not any(key in str(value) for value in stored[0].values())
    assert stored[0]["key_hash"] == hashlib.sha256(key.encode()).hexdigest()
    assert user.id == "lee"


def test_plain_key_never_reaches_the_sqlite_file(sqlite_file: tuple[SqlStore, Path]) -> None:
    store, path = sqlite_file
    keys = [store.create_user(Role.LEARNER, f"user {n}")[1] for n in range(3)]
    keys.append(store.rotate_key(store.list_users()[0].id))
    raw = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    assert hashlib.sha256(keys[-1].encode()).hexdigest().encode() in raw
    assert not any(key.encode() in raw or key[3:].encode() in raw for key in keys)


# -- assignments ------------------------------------------------------------------------------------------


# -- résumé and profile -----------------------------------------------------------------------------------


def test_records_normalise_to_utc_and_refuse_naive_times() -> None:
    plus_two = datetime(2025, 3, 1, 11, 30, tzinfo=timezone(timedelta(hours=2)))
    record = ProfileRecord(learner_id="x", profile_json="{}", updated_at=plus_two)
    assert record.updated_at == T0 and record.updated_at.tzinfo is UTC and record.updated_at.hour == 9
    with pytest.raises(ValueError, match="timezone"):
        ProfileRecord(learner_id="x", profile_json="{}", updated_at=datetime(2025, 3, 1))


# -- sessions and messages --------------------------------------------------------------------------------


# -- briefs -----------------------------------------------------------------------------------------------


# -- erasure ----------------------------------------------------------------------------------------------


def _raw(path: Path) -> dict[str, bytes]:
    """The database file and its WAL and shared-memory companions, as bytes on disk now."""
    return {p.name: p.read_bytes() for p in sorted(path.parent.glob(path.name + "*"))}


def test_deleted_learner_leaves_no_bytes_in_the_database_or_wal(sqlite_file: tuple[SqlStore, Path]) -> None:
    store, path = sqlite_file
    canary, kept = "CANARY-7f3c9e2a-resume-text", "KEEPSAKE-41b0"
    ada = make_advisor(store)
    lee, keep = make_learner(store, "Lee"), make_learner(store, "Keep")
    fill_learner(store, lee, ada, canary)
    fill_learner(store, keep, ada, kept)
    assert any(canary.encode() in data for data in _raw(path).values())

    store.delete_learner(lee.id)

    files = _raw(path)  # the store is still open: nothing was tidied up by closing it
    assert path.name + "-wal" in files and len(files[path.name + "-wal"]) == 0
    assert {name: canary.encode() in data for name, data in files.items()} == dict.fromkeys(files, False)
    assert kept.encode() in files[path.name]
    assert store.get_resume(keep.id) is not None


def test_deleted_resume_leaves_no_bytes(sqlite_file: tuple[SqlStore, Path]) -> None:
    store, path = sqlite_file
    lee = make_learner(store)
    store.save_resume(ResumeRecord(learner_id=lee.id, filename=None, text="x" * 9000 + "CANARY-resume", uploaded_at=T0))
    store.save_profile(ProfileRecord(learner_id=lee.id, profile_json='"KEEP-profile"', updated_at=T0))
    store.delete_resume(lee.id)
    files = _raw(path)
    assert not any(b"CANARY-resume" in data for data in files.values())
    assert b"KEEP-profile" in files[path.name]


def test_sqlite_connections_are_configured(sqlite_file: tuple[SqlStore, Path]) -> None:
    store, _ = sqlite_file
    with store._engine.connect() as conn:
        settings = {
            name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "busy_timeout", "foreign_keys", "secure_delete")
        }
    assert settings == {"journal_mode": "wal", "busy_timeout": 10000, "foreign_keys": 1, "secure_delete": 1}


# -- concurrency ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
def test_twenty_threads_write_at_once_without_locking_errors(backend: str, tmp_path: Path) -> None:
    """FastAPI runs sync endpoints on ~20 threads; every write must wait its turn, none may fail."""
    store = _open(backend, tmp_path)
    threads, writes = 20, 20
    learners = [make_learner(store, f"L{n}") for n in range(threads)]
    start = threading.Barrier(threads)

    def work(n: int) -> int:
        learner = learners[n]
        start.wait()
        session = store.create_session(learner.id, "chat", "{}")  # write 1
        for i in range(writes - 1):  # writes 2..20, with reads in between
            if i % 6 == 5:
                store.save_resume(ResumeRecord(learner_id=learner.id, filename=None, text=f"v{i}", uploaded_at=T0))
            elif i % 6 == 3:
                store.update_session_state(session.id, f'{{"turn": {i}}}')
            else:
                store.add_message(session.id, "user", f"message {i}")
                store.messages(session.id, limit=5)
        return len(store.messages(session.id))

    try:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            counts = list(pool.map(work, range(threads)))
        assert counts == [13] * threads
        rows = store.count_rows()
        assert (rows["sessions"], rows["messages"], rows["resumes"]) == (threads, 13 * threads, threads)
    finally:
        store.close()


def test_the_sqlite_file_is_created_readable_by_its_owner_only(tmp_path: Path) -> None:
    """Résumé text lives in it: 0600, whatever the umask (an earlier release made it 0644)."""
    import stat

    path = tmp_path / "stackwise.db"
    SqlStore(f"sqlite:///{path}")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
