"""SqlStore against the Store contract, on a SQLite file, in memory, and on Postgres when one is given.

Postgres runs when ``STACKWISE_TEST_POSTGRES_URL`` is set (``eval "$(.ci/postgres.sh)"`` starts one); its
tables are dropped before each test, so point it at a throwaway database.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from assistant.adapters.storage import SqlStore
from assistant.adapters.storage.sql import metadata, users
from assistant.core.access import Role
from assistant.core.errors import NotFoundError
from assistant.core.store import BriefRecord, ProfileRecord, ResumeRecord, Store, User, new_id

POSTGRES_URL = os.environ.get("STACKWISE_TEST_POSTGRES_URL", "")
NO_POSTGRES = 'STACKWISE_TEST_POSTGRES_URL is not set (eval "$(.ci/postgres.sh)" starts a throwaway server)'
BACKENDS = ["sqlite-file", "sqlite-memory", "postgres"]
T0 = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


def _open(backend: str, tmp_path: Path) -> SqlStore:
    if backend == "sqlite-file":
        return SqlStore(f"sqlite:///{tmp_path / 'stackwise.db'}")
    if backend == "sqlite-memory":
        return SqlStore("sqlite:///:memory:")
    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    engine = create_engine(POSTGRES_URL)
    metadata.drop_all(engine)
    engine.dispose()
    return SqlStore(POSTGRES_URL)


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlStore]:
    opened = _open(request.param, tmp_path)
    yield opened
    opened.close()


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Iterator[tuple[SqlStore, Path]]:
    path = tmp_path / "stackwise.db"
    opened = SqlStore(f"sqlite:///{path}")
    yield opened, path
    opened.close()


def _learner(store: Store, name: str = "Lee") -> User:
    return store.create_user(Role.LEARNER, name)[0]


def _advisor(store: Store, name: str = "Ada") -> User:
    return store.create_user(Role.ADVISOR, name)[0]


def _brief(learner: User, advisor: User, **changes: object) -> BriefRecord:
    values: dict[str, object] = {
        "id": new_id(),
        "learner_id": learner.id,
        "advisor_id": advisor.id,
        "title": "Next steps",
        "content_md": "# Plan",
        "notes": "private",
        "payload_json": None,
        "created_at": T0,
        "updated_at": T0,
    }
    return BriefRecord.model_validate(values | changes)


def _is_utc(value: datetime) -> bool:
    return value.utcoffset() == timedelta(0)


# -- users and keys ---------------------------------------------------------------------------------------


def test_create_user_returns_a_key_that_finds_the_user(store: SqlStore) -> None:
    user, key = store.create_user(Role.ADVISOR, "Ada Advisor")
    assert re.fullmatch(r"sw_[A-Za-z0-9_-]{32}", key)
    assert user.role is Role.ADVISOR and user.display_name == "Ada Advisor" and _is_utc(user.created_at)
    assert store.user_by_key(key) == user
    assert store.get_user(user.id) == user
    assert store.user_by_key(key[:-1] + ("A" if key[-1] != "A" else "B")) is None
    assert store.user_by_key("not-a-key") is None
    assert store.get_user("nobody") is None


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


def test_explicit_ids_are_unique_and_bounded(store: SqlStore) -> None:
    store.create_user(Role.ADMIN, "Root", user_id="root")
    with pytest.raises(ValueError, match="already exists"):
        store.create_user(Role.LEARNER, "Other", user_id="root")
    with pytest.raises(ValueError, match="1 to 64"):
        store.create_user(Role.LEARNER, "Long", user_id="x" * 65)
    with pytest.raises(ValueError, match="1 to 64"):
        store.create_user(Role.LEARNER, "Blank", user_id=" ")


def test_list_users_by_role(store: SqlStore) -> None:
    learner, advisor = _learner(store), _advisor(store)
    admin = store.create_user(Role.ADMIN, "Root")[0]
    assert [u.id for u in store.list_users()] == [learner.id, advisor.id, admin.id]
    assert store.list_users(Role.ADVISOR) == [advisor]
    assert store.list_users(Role.LEARNER) == [learner]


def test_rotate_key_retires_the_old_key(store: SqlStore) -> None:
    user, old = store.create_user(Role.LEARNER, "Lee")
    new = store.rotate_key(user.id)
    assert new != old
    assert store.user_by_key(old) is None
    assert store.user_by_key(new) == user
    with pytest.raises(NotFoundError):
        store.rotate_key("nobody")


# -- assignments ------------------------------------------------------------------------------------------


def test_assignments(store: SqlStore) -> None:
    ada, bo = _advisor(store, "Ada"), _advisor(store, "Bo")
    lee, max_ = _learner(store, "Lee"), _learner(store, "Max")
    store.assign(ada.id, lee.id)
    store.assign(ada.id, lee.id)  # idempotent
    store.assign(ada.id, max_.id)
    store.assign(bo.id, lee.id)
    assert store.advisees(ada.id) == sorted([lee.id, max_.id])
    assert store.advisors_of(lee.id) == sorted([ada.id, bo.id])
    assert store.unassign(ada.id, lee.id) is True
    assert store.unassign(ada.id, lee.id) is False
    assert store.advisees(ada.id) == [max_.id]
    assert store.advisees(lee.id) == []


def test_assign_checks_users_and_roles(store: SqlStore) -> None:
    ada, lee = _advisor(store), _learner(store)
    admin = store.create_user(Role.ADMIN, "Root")[0]
    with pytest.raises(NotFoundError):
        store.assign("nobody", lee.id)
    with pytest.raises(NotFoundError):
        store.assign(ada.id, "nobody")
    with pytest.raises(ValueError, match="not a advisor"):
        store.assign(lee.id, lee.id)
    with pytest.raises(ValueError, match="not a advisor"):
        store.assign(admin.id, lee.id)
    with pytest.raises(ValueError, match="not a learner"):
        store.assign(ada.id, ada.id)


# -- résumé and profile -----------------------------------------------------------------------------------


def test_resume_is_saved_replaced_and_deleted(store: SqlStore) -> None:
    lee = _learner(store)
    assert store.get_resume(lee.id) is None
    first = ResumeRecord(learner_id=lee.id, filename="cv.pdf", text="Python\n  SQL  \n", uploaded_at=T0)
    store.save_resume(first)
    assert store.get_resume(lee.id) == first  # text kept exactly, whitespace included
    second = ResumeRecord(learner_id=lee.id, filename=None, text="Rust", uploaded_at=T0 + timedelta(days=1))
    store.save_resume(second)
    assert store.get_resume(lee.id) == second
    assert store.delete_resume(lee.id) is True
    assert store.get_resume(lee.id) is None
    assert store.delete_resume(lee.id) is False


def test_resume_and_profile_need_a_learner(store: SqlStore) -> None:
    ada = _advisor(store)
    with pytest.raises(NotFoundError):
        store.save_resume(ResumeRecord(learner_id="nobody", filename=None, text="x", uploaded_at=T0))
    with pytest.raises(ValueError, match="not a learner"):
        store.save_resume(ResumeRecord(learner_id=ada.id, filename=None, text="x", uploaded_at=T0))
    with pytest.raises(NotFoundError):
        store.save_profile(ProfileRecord(learner_id="nobody", profile_json="{}", updated_at=T0))


def test_profile_is_saved_and_replaced(store: SqlStore) -> None:
    lee = _learner(store)
    assert store.get_profile(lee.id) is None
    first = ProfileRecord(learner_id=lee.id, profile_json='{"skills": []}', updated_at=T0)
    store.save_profile(first)
    assert store.get_profile(lee.id) == first
    assert first.earned_json == "[]"
    second = first.model_copy(update={"earned_json": '[{"achievement_id": "a"}]', "updated_at": T0 + timedelta(1)})
    store.save_profile(second)
    assert store.get_profile(lee.id) == second


def test_records_normalise_to_utc_and_refuse_naive_times() -> None:
    plus_two = datetime(2025, 3, 1, 11, 30, tzinfo=timezone(timedelta(hours=2)))
    record = ProfileRecord(learner_id="x", profile_json="{}", updated_at=plus_two)
    assert record.updated_at == T0 and record.updated_at.tzinfo is UTC and record.updated_at.hour == 9
    with pytest.raises(ValueError, match="timezone"):
        ProfileRecord(learner_id="x", profile_json="{}", updated_at=datetime(2025, 3, 1))


# -- sessions and messages --------------------------------------------------------------------------------


def test_sessions_lifecycle(store: SqlStore) -> None:
    lee, max_ = _learner(store, "Lee"), _learner(store, "Max")
    first = store.create_session(lee.id, "Data analyst?", '{"step": 1}')
    second = store.create_session(lee.id, "Nursing?", "{}")
    store.create_session(max_.id, "Other", "{}")
    assert store.get_session(first.id) == first
    assert _is_utc(first.created_at) and first.created_at == first.updated_at
    assert [s.id for s in store.list_sessions(lee.id)] == [second.id, first.id]

    updated = store.update_session_state(first.id, '{"step": 2}')
    assert (updated.state_json, updated.title, updated.created_at) == ('{"step": 2}', "Data analyst?", first.created_at)
    assert updated.updated_at > first.updated_at
    assert store.update_session_state(first.id, "{}", title="Renamed").title == "Renamed"
    assert [s.id for s in store.list_sessions(lee.id)] == [first.id, second.id]
    with pytest.raises(NotFoundError):
        store.update_session_state("nope", "{}")
    with pytest.raises(NotFoundError):
        store.create_session("nobody", "t", "{}")

    store.add_message(first.id, "user", "hello")
    assert store.delete_session(first.id) is True
    assert store.get_session(first.id) is None
    assert store.messages(first.id) == []
    assert store.delete_session(first.id) is False
    assert [s.id for s in store.list_sessions(lee.id)] == [second.id]
    assert store.count_rows()["messages"] == 0


def test_messages(store: SqlStore) -> None:
    lee = _learner(store)
    session = store.create_session(lee.id, "Chat", "{}")
    other = store.create_session(lee.id, "Other", "{}")
    sent = [
        store.add_message(session.id, "user", "I want to be a data analyst"),
        store.add_message(session.id, "assistant", "Here is the gap", payload_json='{"gap": []}'),
        store.add_message(session.id, "user", "  and the cost?  "),
    ]
    store.add_message(other.id, "user", "elsewhere")
    assert [m.id for m in sent] == sorted(m.id for m in sent)
    assert store.messages(session.id) == sent
    assert store.messages(session.id, limit=2) == sent[1:]
    assert store.messages(session.id, limit=10) == sent
    assert store.messages(session.id, limit=0) == []
    assert sent[1].payload_json == '{"gap": []}' and sent[2].text == "  and the cost?  "
    assert all(_is_utc(m.created_at) for m in sent)
    assert store.get_session(session.id).updated_at == sent[-1].created_at  # type: ignore[union-attr]
    assert store.list_sessions(lee.id)[0].id == other.id
    with pytest.raises(ValueError, match="negative"):
        store.messages(session.id, limit=-1)
    with pytest.raises(NotFoundError):
        store.add_message("nope", "user", "x")
    with pytest.raises(ValueError, match="message role"):
        store.add_message(session.id, "system", "x")  # type: ignore[arg-type]


# -- briefs -----------------------------------------------------------------------------------------------


def test_briefs_are_inserted_updated_listed_and_deleted(store: SqlStore) -> None:
    ada, bo = _advisor(store, "Ada"), _advisor(store, "Bo")
    lee, max_ = _learner(store, "Lee"), _learner(store, "Max")
    admin = store.create_user(Role.ADMIN, "Root")[0]
    first = store.save_brief(_brief(lee, ada))
    assert store.get_brief(first.id) == first
    later = T0 + timedelta(hours=1)
    edited = store.save_brief(
        first.model_copy(update={"content_md": "# New plan", "created_at": later, "updated_at": later})
    )
    assert (edited.content_md, edited.created_at, edited.updated_at) == ("# New plan", T0, later)
    second = store.save_brief(_brief(max_, ada, updated_at=T0 + timedelta(hours=2), payload_json='{"routes": 3}'))
    third = store.save_brief(_brief(lee, bo))
    by_admin = store.save_brief(_brief(lee, admin))

    assert [b.id for b in store.list_briefs()] == [second.id, edited.id, *sorted([third.id, by_admin.id])]
    assert [b.id for b in store.list_briefs(advisor_id=ada.id)] == [second.id, edited.id]
    assert {b.id for b in store.list_briefs(learner_id=lee.id)} == {edited.id, third.id, by_admin.id}
    assert store.list_briefs(learner_id=lee.id, advisor_id=ada.id) == [edited]
    assert store.get_brief(second.id).payload_json == '{"routes": 3}'  # type: ignore[union-attr]
    assert store.delete_brief(third.id) is True
    assert store.delete_brief(third.id) is False
    assert store.get_brief(third.id) is None


def test_brief_checks_its_people(store: SqlStore) -> None:
    ada, lee, max_ = _advisor(store), _learner(store, "Lee"), _learner(store, "Max")
    with pytest.raises(ValueError, match="not a advisor or admin"):
        store.save_brief(_brief(lee, max_))
    with pytest.raises(ValueError, match="not a learner"):
        store.save_brief(_brief(ada, ada))
    with pytest.raises(NotFoundError):
        store.save_brief(_brief(lee, ada).model_copy(update={"advisor_id": "nobody"}))
    saved = store.save_brief(_brief(lee, ada))
    with pytest.raises(ValueError, match="another learner"):
        store.save_brief(saved.model_copy(update={"learner_id": max_.id}))
    assert store.get_brief(saved.id) == saved


# -- erasure ----------------------------------------------------------------------------------------------


def _fill(store: Store, learner: User, advisor: User, marker: str) -> None:
    """Everything a learner can have, each carrying ``marker``; the résumé spans overflow pages."""
    filler = "Led a team of analysts; built dashboards in Power BI and SQL. " * 200
    store.save_resume(
        ResumeRecord(learner_id=learner.id, filename=f"{marker}.pdf", text=filler + marker, uploaded_at=T0)
    )
    store.save_profile(ProfileRecord(learner_id=learner.id, profile_json=f'{{"n": "{marker}"}}', updated_at=T0))
    store.assign(advisor.id, learner.id)
    for n in range(2):
        session = store.create_session(learner.id, f"{marker} {n}", f'{{"s": "{marker}"}}')
        for m in range(3):
            store.add_message(session.id, "user", f"{marker} says {m}", payload_json=f'["{marker}"]')
    store.save_brief(_brief(learner, advisor, content_md=f"About {marker}", notes=marker))


def test_delete_learner_reports_and_removes_everything(store: SqlStore) -> None:
    ada = _advisor(store)
    lee, key = store.create_user(Role.LEARNER, "Lee")
    keep = _learner(store, "Keep")
    _fill(store, lee, ada, "erase-me")
    _fill(store, keep, ada, "keep-me")
    before = store.count_rows()

    report = store.delete_learner(lee.id)

    assert report.model_dump() == {
        "learner_id": lee.id,
        "resumes": 1,
        "profiles": 1,
        "sessions": 2,
        "messages": 6,
        "briefs": 1,
        "assignments": 1,
    }
    after = store.count_rows()
    assert {name: before[name] - after[name] for name in before} == {
        "users": 1,
        "assignments": 1,
        "briefs": 1,
        "profiles": 1,
        "resumes": 1,
        "sessions": 2,
        "messages": 6,
    }
    assert store.get_user(lee.id) is None and store.user_by_key(key) is None
    assert store.get_resume(lee.id) is None and store.get_profile(lee.id) is None
    assert store.list_sessions(lee.id) == [] and store.list_briefs(learner_id=lee.id) == []
    assert store.advisees(ada.id) == [keep.id] and store.get_user(ada.id) == ada
    assert store.get_resume(keep.id) is not None and len(store.list_sessions(keep.id)) == 2
    with pytest.raises(NotFoundError):
        store.delete_learner(lee.id)
    with pytest.raises(ValueError, match="not a learner"):
        store.delete_learner(ada.id)


def test_a_learner_with_nothing_stored_is_deleted_with_zero_counts(store: SqlStore) -> None:
    lee = _learner(store)
    report = store.delete_learner(lee.id)
    assert (report.resumes, report.profiles, report.sessions, report.messages, report.briefs) == (0, 0, 0, 0, 0)
    assert store.get_user(lee.id) is None


def _raw(path: Path) -> dict[str, bytes]:
    """The database file and its WAL and shared-memory companions, as bytes on disk now."""
    return {p.name: p.read_bytes() for p in sorted(path.parent.glob(path.name + "*"))}


def test_deleted_learner_leaves_no_bytes_in_the_database_or_wal(sqlite_file: tuple[SqlStore, Path]) -> None:
    store, path = sqlite_file
    canary, kept = "CANARY-7f3c9e2a-resume-text", "KEEPSAKE-41b0"
    ada = _advisor(store)
    lee, keep = _learner(store, "Lee"), _learner(store, "Keep")
    _fill(store, lee, ada, canary)
    _fill(store, keep, ada, kept)
    assert any(canary.encode() in data for data in _raw(path).values())

    store.delete_learner(lee.id)

    files = _raw(path)  # the store is still open: nothing was tidied up by closing it
    assert path.name + "-wal" in files and len(files[path.name + "-wal"]) == 0
    assert {name: canary.encode() in data for name, data in files.items()} == dict.fromkeys(files, False)
    assert kept.encode() in files[path.name]
    assert store.get_resume(keep.id) is not None


def test_deleted_resume_leaves_no_bytes(sqlite_file: tuple[SqlStore, Path]) -> None:
    store, path = sqlite_file
    lee = _learner(store)
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
    learners = [_learner(store, f"L{n}") for n in range(threads)]
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
