"""A store on a full or read-only disk: a ``StorageUnavailableError`` (503) with plain words, nothing written,
nothing of the request in the log, and ``problem()`` (``/ready``) saying so until a write succeeds.

SQLite is made full with ``max_page_count`` and read-only with ``query_only``: the same error codes
(``SQLITE_FULL``, ``SQLITE_READONLY``) a full or read-only file system gives. ``python -m eval.storage_faults``
does it on a real 1 MiB file system where the machine allows mounting one.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError, OperationalError

from assistant.adapters.storage import SqlStore
from assistant.adapters.storage.sql import storage_fault
from assistant.core.errors import StorageUnavailableError
from assistant.core.store import ResumeRecord
from tests.contracts.store import T0, fill_learner, make_advisor, make_learner

SECRET = "Canary-résumé-line-7731"


@pytest.fixture(params=["sqlite-file", "sqlite-memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlStore]:
    url = f"sqlite:///{tmp_path / 'stackwise.db'}" if request.param == "sqlite-file" else "sqlite:///:memory:"
    opened = SqlStore(url)
    yield opened
    opened.close()


def _on_every_connection(store: SqlStore, pragma: str) -> Any:
    """Apply ``pragma`` to the connections the store uses from now on (the one shared connection in memory);
    returns the listener that does it for a file."""

    def apply(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(pragma)

    if store._file_sqlite:
        event.listen(store._engine, "connect", apply)
        store._engine.dispose()
    else:
        with store._engine.connect() as conn:
            conn.exec_driver_sql(pragma)
    return apply


def _fill_disk(store: SqlStore) -> Any:
    with store._engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar_one()
    return _on_every_connection(store, f"PRAGMA max_page_count={pages}")


def _resume(learner_id: str, size: int = 200_000) -> ResumeRecord:
    return ResumeRecord(learner_id=learner_id, filename="cv.txt", text=SECRET + " x" * size, uploaded_at=T0)


def test_a_full_disk_fails_the_write_plainly_and_keeps_what_was_there(
    store: SqlStore, caplog: pytest.LogCaptureFixture
) -> None:
    learner, advisor = make_learner(store), make_advisor(store)
    fill_learner(store, learner, advisor, "kept")
    before = store.count_rows()
    assert store.problem() is None
    _fill_disk(store)

    with caplog.at_level(logging.DEBUG), pytest.raises(StorageUnavailableError) as info:
        store.save_resume(_resume(learner.id))

    assert info.value.fault == "full"
    assert str(info.value) == (
        "Stackwise cannot use its database right now: the disk that holds its data is full. Nothing was changed; "
        "please try again later."
    )
    assert info.value.__cause__ is None and info.value.__suppress_context__
    assert store.count_rows() == before
    stored = store.get_resume(learner.id)
    assert stored is not None and stored.text.endswith("kept")
    assert store.problem() == str(info.value)
    assert "storage write failed: full (SQLITE_FULL)" in caplog.text
    assert SECRET not in caplog.text and "INSERT" not in caplog.text and "UPDATE" not in caplog.text


def test_problem_clears_once_a_write_succeeds_again(tmp_path: Path) -> None:
    store = SqlStore(f"sqlite:///{tmp_path / 'stackwise.db'}")
    learner = make_learner(store)
    listener = _fill_disk(store)
    with pytest.raises(StorageUnavailableError):
        store.save_resume(_resume(learner.id))
    assert store.problem() is not None

    event.remove(store._engine, "connect", listener)  # space was freed
    store._engine.dispose()
    store.save_resume(_resume(learner.id, size=10))
    assert store.problem() is None
    store.close()


def test_a_read_only_database_fails_every_write_plainly(store: SqlStore) -> None:
    learner = make_learner(store)
    _on_every_connection(store, "PRAGMA query_only=ON")

    for write in (
        lambda: store.save_resume(_resume(learner.id, size=10)),
        lambda: store.create_session(learner.id, "t", "{}"),
        lambda: store.delete_learner(learner.id),
    ):
        with pytest.raises(StorageUnavailableError, match="its data is read-only on this server") as info:
            write()
        assert info.value.fault == "read-only"
    assert store.get_user(learner.id) is not None  # erasure did not half-happen
    assert store.problem() is not None and "read-only" in store.problem()  # type: ignore[operator]


def test_erasure_works_on_a_full_disk(store: SqlStore) -> None:
    """Deleting frees pages, so a learner can be erased when nothing else can be written."""
    learner, advisor = make_learner(store), make_advisor(store)
    fill_learner(store, learner, advisor, "gone")
    _fill_disk(store)
    report = store.delete_learner(learner.id)
    assert (report.resumes, report.sessions, report.briefs) == (1, 2, 1)
    assert store.get_user(learner.id) is None and store.get_resume(learner.id) is None


def test_only_faults_of_the_machine_become_503s() -> None:
    class Orig(Exception):
        def __init__(self, name: str = "", state: str = "") -> None:
            self.sqlite_errorname, self.sqlstate = name, state

    def fault(cls: type[Any], **orig: str) -> str | None:
        return storage_fault(cls("INSERT …", {}, Orig(**orig)))

    assert fault(OperationalError, name="SQLITE_FULL") == "full"
    assert fault(OperationalError, state="53100") == "full"
    assert fault(OperationalError, name="SQLITE_READONLY_DBMOVED") == "read-only"
    assert fault(OperationalError, name="SQLITE_CANTOPEN") == "unavailable"
    assert fault(OperationalError, state="08006") == "unavailable"
    assert fault(IntegrityError, name="SQLITE_CONSTRAINT_UNIQUE") is None


def test_a_read_only_or_nearly_full_file_system_is_reported_before_a_write_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    store = SqlStore(f"sqlite:///{tmp_path / 'stackwise.db'}")
    real = os.statvfs(tmp_path)

    class Stats:
        def __init__(self, flag: int, free_blocks: int) -> None:
            self.f_flag, self.f_bavail, self.f_frsize = flag, free_blocks, real.f_frsize

    monkeypatch.setattr(os, "statvfs", lambda _path: Stats(os.ST_RDONLY, real.f_bavail))
    assert "read-only" in (store.problem() or "")
    monkeypatch.setattr(os, "statvfs", lambda _path: Stats(0, 1))
    assert "full" in (store.problem() or "")
    monkeypatch.setattr(os, "statvfs", lambda _path: real)
    assert store.problem() is None
    store.close()


def test_a_read_only_postgres_fails_writes_plainly() -> None:
    from tests.adapters.storage.test_sql_store import NO_POSTGRES, POSTGRES_URL, _open

    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    store = _open("postgres", Path())
    try:
        learner = make_learner(store)
        _read_only = "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"

        def apply(dbapi_connection: Any, _record: Any) -> None:
            with dbapi_connection.cursor() as cursor:
                cursor.execute(_read_only)
            dbapi_connection.commit()

        event.listen(store._engine, "connect", apply)
        store._engine.dispose()
        with pytest.raises(StorageUnavailableError, match="read-only") as info:
            store.save_resume(_resume(learner.id, size=10))
        assert info.value.fault == "read-only"
        assert store.problem() == str(info.value)
    finally:
        store.close()


def test_an_erasure_that_meets_a_full_disk_gives_up_the_reserve_and_erases(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a real full disk the deletion's WAL frames need room before pages are freed (``python -m
    eval.storage_faults`` shows it); here the first attempt is made to fail as it does there."""
    store = SqlStore(f"sqlite:///{tmp_path / 'stackwise.db'}")
    reserve = tmp_path / "stackwise.db.reserve"
    assert reserve.stat().st_size == 1 << 20
    learner, advisor = make_learner(store), make_advisor(store)
    fill_learner(store, learner, advisor, "gone")
    real = SqlStore._delete_learner
    attempts: list[str] = []

    def full_once(self: SqlStore, learner_id: str) -> Any:
        attempts.append("reserve" if reserve.exists() else "no reserve")
        if len(attempts) == 1:
            raise StorageUnavailableError("full")
        return real(self, learner_id)

    monkeypatch.setattr(SqlStore, "_delete_learner", full_once)
    report = store.delete_learner(learner.id)
    assert attempts == ["reserve", "no reserve"] and report.resumes == 1
    assert store.get_user(learner.id) is None
    assert store.problem() is None and reserve.exists()  # space came back: the reserve is kept again
    store.close()


def test_without_a_reserve_a_full_disk_erasure_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = SqlStore(f"sqlite:///{tmp_path / 'stackwise.db'}")
    (tmp_path / "stackwise.db.reserve").unlink()
    learner = make_learner(store)

    def full(self: SqlStore, learner_id: str) -> Any:
        raise StorageUnavailableError("full")

    monkeypatch.setattr(SqlStore, "_delete_learner", full)
    with pytest.raises(StorageUnavailableError, match="disk that holds its data is full"):
        store.delete_learner(learner.id)
    store.close()
