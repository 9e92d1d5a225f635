"""An in-memory ``Store``: the fake the use-case tests can use instead of a database.

It passes the same contract as ``SqlStore`` (``tests/contracts/store.py``): the same checks on users and
roles, the same orders, the same erasure report. One lock makes it thread-safe like the real one.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field
from datetime import timedelta

from assistant.core.access import Role
from assistant.core.errors import NotFoundError
from assistant.core.store import (
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

MAX_ID_LENGTH = 64
_ROLES = ("user", "assistant")


@dataclass
class InMemoryStore:
    users: dict[str, User] = field(default_factory=dict)
    key_hashes: dict[str, str] = field(default_factory=dict)  # hash -> user id
    assignments: set[tuple[str, str]] = field(default_factory=set)
    resumes: dict[str, ResumeRecord] = field(default_factory=dict)
    profiles: dict[str, ProfileRecord] = field(default_factory=dict)
    sessions: dict[str, SessionRecord] = field(default_factory=dict)
    message_rows: dict[int, MessageRecord] = field(default_factory=dict)
    briefs: dict[str, BriefRecord] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _lock: threading.RLock = field(default_factory=threading.RLock)

    # --- helpers -------------------------------------------------------------------------------------------

    def _role(self, user_id: str, *expected: Role) -> Role:
        user = self.users.get(user_id)
        if user is None:
            raise NotFoundError(f"no user with id {user_id!r}")
        if expected and user.role not in expected:
            raise ValueError(f"user {user_id!r} is a {user.role.value}, not a {' or '.join(r.value for r in expected)}")
        return user.role

    # --- users and keys ------------------------------------------------------------------------------------

    def create_user(self, role: Role, display_name: str, *, user_id: str | None = None) -> tuple[User, str]:
        uid = new_id() if user_id is None else user_id
        if not uid.strip() or len(uid) > MAX_ID_LENGTH:
            raise ValueError(f"a user id has 1 to {MAX_ID_LENGTH} characters")
        with self._lock:
            if uid in self.users:
                raise ValueError(f"a user with id {uid!r} already exists")
            key = new_api_key()
            user = User(id=uid, role=role, display_name=display_name, created_at=utcnow())
            self.users[uid] = user
            self.key_hashes[hash_api_key(key)] = uid
            return user, key

    def user_by_key(self, key: str) -> User | None:
        with self._lock:
            uid = self.key_hashes.get(hash_api_key(key))
            return self.users.get(uid) if uid else None

    def get_user(self, user_id: str) -> User | None:
        return self.users.get(user_id)

    def list_users(self, role: Role | None = None) -> list[User]:
        with self._lock:
            return [u for u in self.users.values() if role is None or u.role is role]

    def rotate_key(self, user_id: str) -> str:
        with self._lock:
            if user_id not in self.users:
                raise NotFoundError(f"no user with id {user_id!r}")
            self.key_hashes = {h: uid for h, uid in self.key_hashes.items() if uid != user_id}
            key = new_api_key()
            self.key_hashes[hash_api_key(key)] = user_id
            return key

    # --- advisor assignments -------------------------------------------------------------------------------

    def assign(self, advisor_id: str, learner_id: str) -> None:
        with self._lock:
            self._role(advisor_id, Role.ADVISOR)
            self._role(learner_id, Role.LEARNER)
            self.assignments.add((advisor_id, learner_id))

    def unassign(self, advisor_id: str, learner_id: str) -> bool:
        with self._lock:
            found = (advisor_id, learner_id) in self.assignments
            self.assignments.discard((advisor_id, learner_id))
            return found

    def advisees(self, advisor_id: str) -> list[str]:
        with self._lock:
            return sorted(learner for advisor, learner in self.assignments if advisor == advisor_id)

    def advisors_of(self, learner_id: str) -> list[str]:
        with self._lock:
            return sorted(advisor for advisor, learner in self.assignments if learner == learner_id)

    # --- résumé and profile --------------------------------------------------------------------------------

    def save_resume(self, record: ResumeRecord) -> None:
        with self._lock:
            self._role(record.learner_id, Role.LEARNER)
            self.resumes[record.learner_id] = record

    def get_resume(self, learner_id: str) -> ResumeRecord | None:
        return self.resumes.get(learner_id)

    def delete_resume(self, learner_id: str) -> bool:
        with self._lock:
            return self.resumes.pop(learner_id, None) is not None

    def save_profile(self, record: ProfileRecord) -> None:
        with self._lock:
            self._role(record.learner_id, Role.LEARNER)
            self.profiles[record.learner_id] = record

    def get_profile(self, learner_id: str) -> ProfileRecord | None:
        return self.profiles.get(learner_id)

    # --- sessions and messages -----------------------------------------------------------------------------

    def create_session(self, learner_id: str, title: str, state_json: str) -> SessionRecord:
        with self._lock:
            self._role(learner_id, Role.LEARNER)
            now = utcnow()
            record = SessionRecord(
                id=new_id(), learner_id=learner_id, title=title, state_json=state_json, created_at=now, updated_at=now
            )
            self.sessions[record.id] = record
            return record

    def get_session(self, session_id: str) -> SessionRecord | None:
        return self.sessions.get(session_id)

    def list_sessions(self, learner_id: str) -> list[SessionRecord]:
        with self._lock:
            mine = [s for s in self.sessions.values() if s.learner_id == learner_id]
        mine.sort(key=lambda s: s.id)
        return sorted(mine, key=lambda s: s.updated_at, reverse=True)

    def _touch(self, session: SessionRecord, **changes: object) -> SessionRecord:
        """Mark a session active now (strictly later than before, as a database clock would be)."""
        now = max(utcnow(), session.updated_at + timedelta(microseconds=1))
        updated = session.model_copy(update={**changes, "updated_at": now})
        self.sessions[session.id] = updated
        return updated

    def update_session_state(self, session_id: str, state_json: str, title: str | None = None) -> SessionRecord:
        with self._lock:
            session = self.sessions.get(session_id)
            if session is None:
                raise NotFoundError(f"no session with id {session_id!r}")
            changes: dict[str, object] = {"state_json": state_json}
            if title is not None:
                changes["title"] = title
            return self._touch(session, **changes)

    def delete_session(self, session_id: str) -> bool:
        with self._lock:
            self.message_rows = {i: m for i, m in self.message_rows.items() if m.session_id != session_id}
            return self.sessions.pop(session_id, None) is not None

    def add_message(
        self, session_id: str, role: MessageRole, text: str, payload_json: str | None = None
    ) -> MessageRecord:
        if role not in _ROLES:
            raise ValueError(f"a message role is one of {', '.join(_ROLES)}, not {role!r}")
        with self._lock:
            session = self.sessions.get(session_id)
            if session is None:
                raise NotFoundError(f"no session with id {session_id!r}")
            touched = self._touch(session)
            message = MessageRecord(
                id=next(self._ids),
                session_id=session_id,
                role=role,
                text=text,
                payload_json=payload_json,
                created_at=touched.updated_at,
            )
            self.message_rows[message.id] = message
            return message

    def messages(self, session_id: str, limit: int | None = None) -> list[MessageRecord]:
        if limit is not None and limit < 0:
            raise ValueError("limit must not be negative")
        with self._lock:
            mine = sorted((m for m in self.message_rows.values() if m.session_id == session_id), key=lambda m: m.id)
        if limit is None:
            return mine
        return mine[len(mine) - limit :] if limit else []

    # --- briefs --------------------------------------------------------------------------------------------

    def save_brief(self, record: BriefRecord) -> BriefRecord:
        with self._lock:
            self._role(record.learner_id, Role.LEARNER)
            self._role(record.advisor_id, Role.ADVISOR, Role.ADMIN)
            current = self.briefs.get(record.id)
            if current is not None:
                if (current.learner_id, current.advisor_id) != (record.learner_id, record.advisor_id):
                    raise ValueError(f"brief {record.id!r} belongs to another learner or author")
                record = record.model_copy(update={"created_at": current.created_at})
            self.briefs[record.id] = record
            return record

    def get_brief(self, brief_id: str) -> BriefRecord | None:
        return self.briefs.get(brief_id)

    def list_briefs(self, learner_id: str | None = None, advisor_id: str | None = None) -> list[BriefRecord]:
        with self._lock:
            found = [
                b
                for b in self.briefs.values()
                if (learner_id is None or b.learner_id == learner_id)
                and (advisor_id is None or b.advisor_id == advisor_id)
            ]
        found.sort(key=lambda b: b.id)
        return sorted(found, key=lambda b: b.updated_at, reverse=True)

    def delete_brief(self, brief_id: str) -> bool:
        with self._lock:
            return self.briefs.pop(brief_id, None) is not None

    # --- erasure and lifecycle -----------------------------------------------------------------------------

    def delete_learner(self, learner_id: str) -> DeletionReport:
        with self._lock:
            self._role(learner_id, Role.LEARNER)
            sessions = [s for s in self.sessions.values() if s.learner_id == learner_id]
            ids = {s.id for s in sessions}
            messages = [i for i, m in self.message_rows.items() if m.session_id in ids]
            briefs = [b for b in self.briefs.values() if b.learner_id == learner_id]
            assigned = {pair for pair in self.assignments if pair[1] == learner_id}
            report = DeletionReport(
                learner_id=learner_id,
                resumes=int(self.resumes.pop(learner_id, None) is not None),
                profiles=int(self.profiles.pop(learner_id, None) is not None),
                sessions=len(sessions),
                messages=len(messages),
                briefs=len(briefs),
                assignments=len(assigned),
            )
            for message_id in messages:
                del self.message_rows[message_id]
            for session_id in ids:
                del self.sessions[session_id]
            for brief in briefs:
                del self.briefs[brief.id]
            self.assignments -= assigned
            self.key_hashes = {h: uid for h, uid in self.key_hashes.items() if uid != learner_id}
            del self.users[learner_id]
            return report

    def count_rows(self) -> dict[str, int]:
        """Rows per kind, as ``SqlStore.count_rows`` reports them (the erasure tests compare before and after)."""
        with self._lock:
            return {
                "users": len(self.users),
                "assignments": len(self.assignments),
                "briefs": len(self.briefs),
                "profiles": len(self.profiles),
                "resumes": len(self.resumes),
                "sessions": len(self.sessions),
                "messages": len(self.message_rows),
            }

    def problem(self) -> str | None:
        """Memory is always writable."""
        return None

    def close(self) -> None:
        """Nothing to release."""
