"""``SqlStore``: the ``Store`` port over SQLAlchemy Core, on a SQLite file (the default), in memory, or Postgres.

The SQL is portable; only the SQLite connection hooks are SQLite's own. They exist because the API serves
about 20 requests at once from a thread pool, and a learner's erasure must really erase:

* WAL lets readers run beside the one writer; writes open with ``BEGIN IMMEDIATE`` (after a process-wide
  lock) so a writer waits its turn up to ``busy_timeout`` instead of failing with "database is locked", which
  a deferred transaction upgrading from read to write can do at once;
* ``secure_delete`` zeroes deleted rows in place, and every deletion ends with a ``TRUNCATE`` checkpoint, so
  erased résumé text survives neither in free pages of the database file nor in old frames of the WAL file;
* ``foreign_keys`` makes the ``ON DELETE CASCADE`` clauses apply, although every deletion is explicit anyway.

SQLite keeps no time zone, so instants are stored as UTC and read back as UTC.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar, get_args

from pydantic import BaseModel
from sqlalchemy import Connection, Table, and_, create_engine, delete, event, func, insert, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.pool import QueuePool, StaticPool

from assistant.adapters.storage import migrate
from assistant.adapters.storage.schema import (
    MAX_ID_LENGTH,
    assignments,
    briefs,
    messages,
    metadata,
    profiles,
    resumes,
    sessions,
    users,
)
from assistant.core.access import Role
from assistant.core.errors import NotFoundError, StorageFault, StorageUnavailableError
from assistant.core.store import (
    API_KEY_PREFIX,
    BriefRecord,
    DeletionReport,
    MessageRecord,
    MessageRole,
    ProfileRecord,
    ResumeRecord,
    SessionRecord,
    User,
    hash_api_key,
    new_api_key,
    new_id,
    utcnow,
)

log = logging.getLogger(__name__)

_MESSAGE_ROLES: tuple[str, ...] = get_args(MessageRole)


_SQLITE_PRAGMAS = (
    "PRAGMA busy_timeout=10000",
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",  # durable across application crashes in WAL mode, and much faster than FULL
    "PRAGMA foreign_keys=ON",
    "PRAGMA secure_delete=ON",
)
_BEGIN = {"IMMEDIATE": "BEGIN IMMEDIATE", "DEFERRED": "BEGIN"}


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own transaction handling would defer BEGIN; _sqlite_begin issues it instead.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        for pragma in _SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    conn.exec_driver_sql(_BEGIN[conn.get_execution_options().get("stackwise_begin", "DEFERRED")])


M = TypeVar("M", bound=BaseModel)


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _record(model: type[M], row: Any) -> M:
    values: Mapping[str, Any] = row._mapping
    fields = model.model_fields
    return model.model_validate(
        {key: _utc(value) if isinstance(value, datetime) else value for key, value in values.items() if key in fields}
    )


def _private_file(path: Path) -> None:
    """Create the SQLite file readable by its owner only (0600) before SQLite does; its -wal and -shm files
    take the same mode. A database made by an earlier release is left as it is."""
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


#: a disk with less free space than this is reported as full by ``problem()`` before a write fails on it
MIN_FREE_BYTES = 1 << 20
#: space kept aside next to a SQLite file, given up when an erasure meets a full disk: a deletion writes to
#: the WAL before it frees anything, and a learner's erasure must not wait for someone to free space
RESERVE_BYTES = 1 << 20


def storage_fault(exc: DBAPIError) -> StorageFault | None:
    """The machine-side reason a statement failed, from the driver's error code; None for a request's fault
    (a constraint) or a bug (bad SQL). SQLite names its codes; Postgres gives a SQLSTATE."""
    name = str(getattr(exc.orig, "sqlite_errorname", "") or "")
    state = str(getattr(exc.orig, "sqlstate", "") or "")
    if name == "SQLITE_FULL" or state.startswith("53"):  # 53100 disk_full, 53xxx insufficient resources
        return "full"
    if name.startswith("SQLITE_READONLY") or state == "25006":  # read_only_sql_transaction
        return "read-only"
    if isinstance(exc, OperationalError):  # cannot open, I/O error, locked past the timeout, connection lost
        return "unavailable"
    return None


class SqlStore:
    """``Store`` over any SQLAlchemy URL; the schema is migrated to the current one on start (``migrate``).

    ``sqlite:///path.db`` (the folder must exist), ``sqlite:///:memory:`` for tests, or
    ``postgresql+psycopg://user:password@host/db``.
    """

    def __init__(self, url: str) -> None:
        parsed = make_url(url)
        self.backend = parsed.get_backend_name()
        self._file_sqlite = False
        lock: AbstractContextManager[Any] = nullcontext()
        if self.backend == "sqlite":
            memory = parsed.database in (None, "", ":memory:")
            self._file_sqlite = not memory
            if memory:  # one shared connection: every use, reads included, must take turns
                self._engine = create_engine(parsed, poolclass=StaticPool, connect_args={"check_same_thread": False})
            else:
                self._engine = create_engine(
                    parsed,
                    poolclass=QueuePool,
                    pool_size=10,
                    max_overflow=30,
                    pool_timeout=60,
                    connect_args={"check_same_thread": False, "timeout": 10},
                )
            event.listen(self._engine, "connect", _sqlite_connect)
            event.listen(self._engine, "begin", _sqlite_begin)
            lock = threading.RLock()
        else:
            self._engine = create_engine(parsed, pool_size=10, max_overflow=30, pool_timeout=60, pool_pre_ping=True)
        self._write_lock = lock
        self._read_lock: AbstractContextManager[Any] = nullcontext() if self._file_sqlite else lock
        self._path = Path(parsed.database) if self._file_sqlite and parsed.database else None
        self._fault: StorageFault | None = None
        if self._path is not None:
            _private_file(self._path)
        with self._faults():
            migrate.upgrade(self._engine)
        self._keep_reserve()

    def _reserve(self) -> Path | None:
        return None if self._path is None else self._path.with_name(self._path.name + ".reserve")

    def _keep_reserve(self) -> None:
        """Put the reserve back if it is gone and the disk has room; best effort, never an error."""
        reserve = self._reserve()
        if reserve is None or reserve.exists():
            return
        try:
            with reserve.open("wb") as out:
                out.truncate(0)
                os.posix_fallocate(out.fileno(), 0, RESERVE_BYTES)
        except OSError:
            reserve.unlink(missing_ok=True)

    # -- transactions -------------------------------------------------------------------------------------

    @contextmanager
    def _faults(self, *, write: bool = True) -> Iterator[None]:
        """Turn a failure of the machine into ``StorageUnavailableError`` (a 503), remembered for ``problem()``
        until a write succeeds. The driver's message names the statement and its parameters (résumé text),
        so only the fault and the driver's code are logged, and the original is not chained."""
        try:
            yield
        except DBAPIError as exc:
            fault = storage_fault(exc)
            if fault is None:
                raise
            if fault == "unavailable" and self._path is not None and self._read_only_disk():
                fault = "read-only"  # SQLite cannot open its WAL index there: "unable to open database file"
            self._fault = fault
            code = getattr(exc.orig, "sqlite_errorname", None) or getattr(exc.orig, "sqlstate", None)
            log.warning("storage %s: %s (%s)", "write failed" if write else "read failed", fault, code)
            raise StorageUnavailableError(fault) from None
        if write:
            self._fault = None

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self._faults(), self._write_lock, self._engine.connect() as conn:
            conn.execution_options(stackwise_begin="IMMEDIATE")
            with conn.begin():
                yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self._faults(write=False), self._read_lock, self._engine.connect() as conn, conn.begin():
            yield conn

    def _erased(self) -> None:
        """Move the WAL into the database file and truncate it, so deleted text is left in neither."""
        if not self._file_sqlite:
            return
        with self._write_lock:
            raw = self._engine.raw_connection()
            try:
                cursor = raw.cursor()
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                row = cursor.fetchone()
                cursor.close()
            except sqlite3.Error as exc:  # the deletion is committed; a later checkpoint moves it
                log.warning(
                    "WAL checkpoint after a deletion failed (%s); it completes on a later one", exc.sqlite_errorname
                )
                return
            finally:
                raw.close()
        if row is not None and row[0]:
            log.warning("WAL checkpoint after a deletion was blocked by a reader; it completes on a later one")

    @staticmethod
    def _user_role(conn: Connection, user_id: str, *expected: Role) -> Role:
        role = conn.execute(select(users.c.role).where(users.c.id == user_id)).scalar_one_or_none()
        if role is None:
            raise NotFoundError(f"no user with id {user_id!r}")
        if expected and Role(role) not in expected:
            wanted = " or ".join(r.value for r in expected)
            raise ValueError(f"user {user_id!r} is a {role}, not a {wanted}")
        return Role(role)

    @staticmethod
    def _upsert(conn: Connection, table: Table, key: dict[str, Any], values: dict[str, Any]) -> None:
        where = and_(*(table.c[name] == value for name, value in key.items()))
        if conn.execute(update(table).where(where).values(**values)).rowcount:
            return
        try:
            with conn.begin_nested():
                conn.execute(insert(table).values(**key, **values))
        except IntegrityError:  # another writer inserted it first (Postgres); ours is the later write
            conn.execute(update(table).where(where).values(**values))

    # -- users and keys -----------------------------------------------------------------------------------

    def create_user(self, role: Role, display_name: str, *, user_id: str | None = None) -> tuple[User, str]:
        uid = new_id() if user_id is None else user_id
        if not uid.strip() or len(uid) > MAX_ID_LENGTH:
            raise ValueError(f"a user id has 1 to {MAX_ID_LENGTH} characters")
        key = new_api_key()
        user = User(id=uid, role=role, display_name=display_name, created_at=utcnow())
        row = {**user.model_dump(), "role": role.value, "key_hash": hash_api_key(key)}
        with self._write() as conn:
            if conn.execute(select(users.c.id).where(users.c.id == uid)).first() is not None:
                raise ValueError(f"a user with id {uid!r} already exists")
            try:
                with conn.begin_nested():
                    conn.execute(insert(users).values(**row))
            except IntegrityError as error:
                raise ValueError(f"a user with id {uid!r} already exists") from error
        return user, key

    def user_by_key(self, key: str) -> User | None:
        if not key.startswith(API_KEY_PREFIX):
            return None
        with self._read() as conn:
            row = conn.execute(select(users).where(users.c.key_hash == hash_api_key(key))).first()
        return None if row is None else _record(User, row)

    def get_user(self, user_id: str) -> User | None:
        with self._read() as conn:
            row = conn.execute(select(users).where(users.c.id == user_id)).first()
        return None if row is None else _record(User, row)

    def list_users(self, role: Role | None = None) -> list[User]:
        query = select(users).order_by(users.c.created_at, users.c.id)
        if role is not None:
            query = query.where(users.c.role == role.value)
        with self._read() as conn:
            return [_record(User, row) for row in conn.execute(query)]

    def rotate_key(self, user_id: str) -> str:
        key = new_api_key()
        with self._write() as conn:
            changed = conn.execute(update(users).where(users.c.id == user_id).values(key_hash=hash_api_key(key)))
            if not changed.rowcount:
                raise NotFoundError(f"no user with id {user_id!r}")
        return key

    # -- assignments --------------------------------------------------------------------------------------

    def assign(self, advisor_id: str, learner_id: str) -> None:
        with self._write() as conn:
            self._user_role(conn, advisor_id, Role.ADVISOR)
            self._user_role(conn, learner_id, Role.LEARNER)
            pair = and_(assignments.c.advisor_id == advisor_id, assignments.c.learner_id == learner_id)
            if conn.execute(select(assignments.c.advisor_id).where(pair)).first() is None:
                conn.execute(
                    insert(assignments).values(advisor_id=advisor_id, learner_id=learner_id, created_at=utcnow())
                )

    def unassign(self, advisor_id: str, learner_id: str) -> bool:
        pair = and_(assignments.c.advisor_id == advisor_id, assignments.c.learner_id == learner_id)
        with self._write() as conn:
            return bool(conn.execute(delete(assignments).where(pair)).rowcount)

    def advisees(self, advisor_id: str) -> list[str]:
        query = select(assignments.c.learner_id).where(assignments.c.advisor_id == advisor_id)
        with self._read() as conn:
            return list(conn.execute(query.order_by(assignments.c.learner_id)).scalars())

    def advisors_of(self, learner_id: str) -> list[str]:
        query = select(assignments.c.advisor_id).where(assignments.c.learner_id == learner_id)
        with self._read() as conn:
            return list(conn.execute(query.order_by(assignments.c.advisor_id)).scalars())

    # -- résumé and profile -------------------------------------------------------------------------------

    def save_resume(self, record: ResumeRecord) -> None:
        values = record.model_dump(exclude={"learner_id"})
        with self._write() as conn:
            self._user_role(conn, record.learner_id, Role.LEARNER)
            self._upsert(conn, resumes, {"learner_id": record.learner_id}, values)

    def get_resume(self, learner_id: str) -> ResumeRecord | None:
        with self._read() as conn:
            row = conn.execute(select(resumes).where(resumes.c.learner_id == learner_id)).first()
        return None if row is None else _record(ResumeRecord, row)

    def delete_resume(self, learner_id: str) -> bool:
        with self._write() as conn:
            deleted = bool(conn.execute(delete(resumes).where(resumes.c.learner_id == learner_id)).rowcount)
        self._erased()
        return deleted

    def save_profile(self, record: ProfileRecord) -> None:
        values = record.model_dump(exclude={"learner_id"})
        with self._write() as conn:
            self._user_role(conn, record.learner_id, Role.LEARNER)
            self._upsert(conn, profiles, {"learner_id": record.learner_id}, values)

    def get_profile(self, learner_id: str) -> ProfileRecord | None:
        with self._read() as conn:
            row = conn.execute(select(profiles).where(profiles.c.learner_id == learner_id)).first()
        return None if row is None else _record(ProfileRecord, row)

    # -- sessions and messages ----------------------------------------------------------------------------

    def create_session(self, learner_id: str, title: str, state_json: str) -> SessionRecord:
        now = utcnow()
        record = SessionRecord(
            id=new_id(), learner_id=learner_id, title=title, state_json=state_json, created_at=now, updated_at=now
        )
        with self._write() as conn:
            self._user_role(conn, learner_id, Role.LEARNER)
            conn.execute(insert(sessions).values(**record.model_dump()))
        return record

    def get_session(self, session_id: str) -> SessionRecord | None:
        with self._read() as conn:
            row = conn.execute(select(sessions).where(sessions.c.id == session_id)).first()
        return None if row is None else _record(SessionRecord, row)

    def list_sessions(self, learner_id: str) -> list[SessionRecord]:
        query = select(sessions).where(sessions.c.learner_id == learner_id)
        with self._read() as conn:
            rows = conn.execute(query.order_by(sessions.c.updated_at.desc(), sessions.c.id))
            return [_record(SessionRecord, row) for row in rows]

    def update_session_state(self, session_id: str, state_json: str, title: str | None = None) -> SessionRecord:
        values: dict[str, Any] = {"state_json": state_json, "updated_at": utcnow()}
        if title is not None:
            values["title"] = title
        with self._write() as conn:
            if not conn.execute(update(sessions).where(sessions.c.id == session_id).values(**values)).rowcount:
                raise NotFoundError(f"no session with id {session_id!r}")
            row = conn.execute(select(sessions).where(sessions.c.id == session_id)).one()
        return _record(SessionRecord, row)

    def delete_session(self, session_id: str) -> bool:
        with self._write() as conn:
            conn.execute(delete(messages).where(messages.c.session_id == session_id))
            deleted = bool(conn.execute(delete(sessions).where(sessions.c.id == session_id)).rowcount)
        self._erased()
        return deleted

    def add_message(
        self, session_id: str, role: MessageRole, text: str, payload_json: str | None = None
    ) -> MessageRecord:
        if role not in _MESSAGE_ROLES:
            raise ValueError(f"a message role is one of {', '.join(_MESSAGE_ROLES)}, not {role!r}")
        now = utcnow()
        with self._write() as conn:
            touched = conn.execute(update(sessions).where(sessions.c.id == session_id).values(updated_at=now))
            if not touched.rowcount:
                raise NotFoundError(f"no session with id {session_id!r}")
            values = {"session_id": session_id, "role": role, "text": text, "payload_json": payload_json}
            result = conn.execute(insert(messages).values(**values, created_at=now))
            key = result.inserted_primary_key
            assert key is not None
        return MessageRecord(id=int(key[0]), created_at=now, **values)

    def messages(self, session_id: str, limit: int | None = None) -> list[MessageRecord]:
        if limit is not None and limit < 0:
            raise ValueError("limit must not be negative")
        query = select(messages).where(messages.c.session_id == session_id).order_by(messages.c.id.desc())
        if limit is not None:
            query = query.limit(limit)
        with self._read() as conn:
            latest_first = [_record(MessageRecord, row) for row in conn.execute(query)]
        return latest_first[::-1]

    # -- briefs -------------------------------------------------------------------------------------------

    def save_brief(self, record: BriefRecord) -> BriefRecord:
        """Insert or update; a stored brief keeps its learner, author and ``created_at``."""
        with self._write() as conn:
            self._user_role(conn, record.learner_id, Role.LEARNER)
            self._user_role(conn, record.advisor_id, Role.ADVISOR, Role.ADMIN)
            current = conn.execute(select(briefs).where(briefs.c.id == record.id)).first()
            if current is None:
                conn.execute(insert(briefs).values(**record.model_dump()))
            else:
                if (current.learner_id, current.advisor_id) != (record.learner_id, record.advisor_id):
                    raise ValueError(f"brief {record.id!r} belongs to another learner or author")
                values = record.model_dump(exclude={"id", "learner_id", "advisor_id", "created_at"})
                conn.execute(update(briefs).where(briefs.c.id == record.id).values(**values))
            row = conn.execute(select(briefs).where(briefs.c.id == record.id)).one()
        return _record(BriefRecord, row)

    def get_brief(self, brief_id: str) -> BriefRecord | None:
        with self._read() as conn:
            row = conn.execute(select(briefs).where(briefs.c.id == brief_id)).first()
        return None if row is None else _record(BriefRecord, row)

    def list_briefs(self, learner_id: str | None = None, advisor_id: str | None = None) -> list[BriefRecord]:
        query = select(briefs).order_by(briefs.c.updated_at.desc(), briefs.c.id)
        if learner_id is not None:
            query = query.where(briefs.c.learner_id == learner_id)
        if advisor_id is not None:
            query = query.where(briefs.c.advisor_id == advisor_id)
        with self._read() as conn:
            return [_record(BriefRecord, row) for row in conn.execute(query)]

    def delete_brief(self, brief_id: str) -> bool:
        with self._write() as conn:
            deleted = bool(conn.execute(delete(briefs).where(briefs.c.id == brief_id)).rowcount)
        self._erased()
        return deleted

    # -- erasure and lifecycle ----------------------------------------------------------------------------

    def delete_learner(self, learner_id: str) -> DeletionReport:
        try:
            return self._delete_learner(learner_id)
        except StorageUnavailableError as exc:
            reserve = self._reserve()
            if exc.fault != "full" or reserve is None or not reserve.exists():
                raise
            log.warning("erasure met a full disk: the space reserve is given up for it")
            reserve.unlink()
            return self._delete_learner(learner_id)

    def _delete_learner(self, learner_id: str) -> DeletionReport:
        with self._write() as conn:
            self._user_role(conn, learner_id, Role.LEARNER)

            def erase(table: Table, *where: Any) -> int:
                return int(conn.execute(delete(table).where(*where)).rowcount)

            own_sessions = select(sessions.c.id).where(sessions.c.learner_id == learner_id).scalar_subquery()
            report = DeletionReport(
                learner_id=learner_id,
                messages=erase(messages, messages.c.session_id.in_(own_sessions)),
                sessions=erase(sessions, sessions.c.learner_id == learner_id),
                resumes=erase(resumes, resumes.c.learner_id == learner_id),
                profiles=erase(profiles, profiles.c.learner_id == learner_id),
                briefs=erase(briefs, briefs.c.learner_id == learner_id),
                assignments=erase(assignments, assignments.c.learner_id == learner_id),
            )
            erase(users, users.c.id == learner_id)
        self._erased()
        return report

    def count_rows(self) -> dict[str, int]:
        """Rows per table, for health checks and tests."""
        with self._read() as conn:
            return {
                table.name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
                for table in metadata.sorted_tables
            }

    def problem(self) -> str | None:
        """The last write's fault, until a write succeeds; before any fails, a read-only or nearly full disk
        under the SQLite file, or a database that does not answer."""
        fault: StorageFault | None = self._fault
        if fault is None and self._path is not None:
            if self._read_only_disk():
                fault = "read-only"
            else:
                stats = os.statvfs(self._path.parent)
                if stats.f_bavail * stats.f_frsize < MIN_FREE_BYTES:
                    fault = "full"
        if fault is None:
            try:
                with self._read() as conn:
                    conn.execute(select(1))
            except StorageUnavailableError as exc:
                fault = exc.fault
        if fault is None:
            self._keep_reserve()
        return None if fault is None else str(StorageUnavailableError(fault))

    def _read_only_disk(self) -> bool:
        return self._path is not None and bool(os.statvfs(self._path.parent).f_flag & os.ST_RDONLY)

    def close(self) -> None:
        self._engine.dispose()
