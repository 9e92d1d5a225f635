"""What the service keeps between requests, and the ``Store`` port the API codes against.

Pure on purpose (stdlib and pydantic): the API and the tests depend on these records and this protocol only;
``assistant.adapters.storage.SqlStore`` implements it over SQLite or Postgres. What is kept, and why:

* users with a role and the SHA-256 of their API key: a leaked database holds no usable key;
* the parsed text of a learner's résumé, never the uploaded file: the text is all advice needs;
* the learner's profile and earned credentials as opaque JSON, so the store needs no change when models do;
* conversation sessions with their messages, and advisors' briefs about a learner.

``delete_learner`` erases everything about a learner in one transaction and says what it removed.
Timestamps are timezone-aware UTC everywhere.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import UTC, datetime
from typing import Annotated, Literal, Protocol

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict

from assistant.core.access import Role

API_KEY_PREFIX = "sw_"

MessageRole = Literal["user", "assistant"]


def _to_utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


UtcDatetime = Annotated[AwareDatetime, AfterValidator(_to_utc)]
"""A timezone-aware instant, normalised to UTC (naive datetimes are rejected: their zone is a guess)."""


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    """A random, unguessable id for users, sessions and briefs (they appear in URLs)."""
    return uuid.uuid4().hex


def new_api_key() -> str:
    """``sw_`` and 32 URL-safe random characters (192 bits), shown to its owner once."""
    return API_KEY_PREFIX + secrets.token_urlsafe(24)


def hash_api_key(key: str) -> str:
    """What is stored and looked up instead of the key; a fast hash suffices for 192 random bits."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class _StoredRecord(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class User(_StoredRecord):
    id: str
    role: Role
    display_name: str
    created_at: UtcDatetime


class ResumeRecord(_StoredRecord):
    """A learner's résumé as parsed text; one per learner, replaced by the next upload."""

    learner_id: str
    filename: str | None
    text: str
    uploaded_at: UtcDatetime


class ProfileRecord(_StoredRecord):
    """The learner's profile and earned credentials, serialised by the caller."""

    learner_id: str
    profile_json: str
    earned_json: str = "[]"
    updated_at: UtcDatetime


class SessionRecord(_StoredRecord):
    """One conversation; ``state_json`` is the dialogue state the service resumes from."""

    id: str
    learner_id: str
    title: str
    state_json: str
    created_at: UtcDatetime
    updated_at: UtcDatetime


class MessageRecord(_StoredRecord):
    id: int
    session_id: str
    role: MessageRole
    text: str
    payload_json: str | None
    created_at: UtcDatetime


class BriefRecord(_StoredRecord):
    """An advisor's write-up about a learner: ``content_md`` is shared, ``notes`` are the advisor's own."""

    id: str
    learner_id: str
    advisor_id: str
    title: str
    content_md: str
    notes: str
    payload_json: str | None
    created_at: UtcDatetime
    updated_at: UtcDatetime

    @classmethod
    def new(
        cls, learner_id: str, advisor_id: str, title: str, content_md: str, payload_json: str | None = None
    ) -> BriefRecord:
        """A brief as first written: a fresh id, no advisor notes yet, created and updated now."""
        now = utcnow()
        return cls(
            id=new_id(),
            learner_id=learner_id,
            advisor_id=advisor_id,
            title=title,
            content_md=content_md,
            notes="",
            payload_json=payload_json,
            created_at=now,
            updated_at=now,
        )


class DeletionReport(_StoredRecord):
    """How many rows of each kind ``delete_learner`` removed, so the erasure can be confirmed to the learner."""

    learner_id: str
    resumes: int
    profiles: int
    sessions: int
    messages: int
    briefs: int
    assignments: int


class Store(Protocol):
    """Persistence for users, résumés, profiles, sessions and briefs. Methods are synchronous and thread-safe.

    Reads return ``None`` (or an empty list) for what is absent; writes that reference a user or session
    that does not exist raise ``NotFoundError``; a user of the wrong role raises ``ValueError``.
    """

    # users and keys
    def create_user(self, role: Role, display_name: str, *, user_id: str | None = None) -> tuple[User, str]:
        """Create a user and return it with its API key, the only time the plain key is available."""
        ...

    def user_by_key(self, key: str) -> User | None: ...

    def get_user(self, user_id: str) -> User | None: ...

    def list_users(self, role: Role | None = None) -> list[User]: ...

    def rotate_key(self, user_id: str) -> str:
        """Issue a new key for the user; the old one stops working at once."""
        ...

    # advisor assignments
    def assign(self, advisor_id: str, learner_id: str) -> None:
        """Let an advisor see a learner (idempotent); the advisor must be an advisor, the learner a learner."""
        ...

    def unassign(self, advisor_id: str, learner_id: str) -> bool:
        """Remove an assignment; False when there was none."""
        ...

    def advisees(self, advisor_id: str) -> list[str]: ...

    def advisors_of(self, learner_id: str) -> list[str]: ...

    # résumé and profile
    def save_resume(self, record: ResumeRecord) -> None:
        """Store the learner's résumé text, replacing the previous one."""
        ...

    def get_resume(self, learner_id: str) -> ResumeRecord | None: ...

    def delete_resume(self, learner_id: str) -> bool: ...

    def save_profile(self, record: ProfileRecord) -> None: ...

    def get_profile(self, learner_id: str) -> ProfileRecord | None: ...

    # sessions and messages
    def create_session(self, learner_id: str, title: str, state_json: str) -> SessionRecord: ...

    def get_session(self, session_id: str) -> SessionRecord | None: ...

    def list_sessions(self, learner_id: str) -> list[SessionRecord]:
        """The learner's sessions, most recently active first."""
        ...

    def update_session_state(self, session_id: str, state_json: str, title: str | None = None) -> SessionRecord: ...

    def delete_session(self, session_id: str) -> bool:
        """Delete a session with its messages; False when there was none."""
        ...

    def add_message(
        self, session_id: str, role: MessageRole, text: str, payload_json: str | None = None
    ) -> MessageRecord:
        """Append a message and mark the session active now."""
        ...

    def messages(self, session_id: str, limit: int | None = None) -> list[MessageRecord]:
        """Messages oldest first; with ``limit``, only the latest ``limit`` of them (still oldest first)."""
        ...

    # briefs
    def save_brief(self, record: BriefRecord) -> BriefRecord:
        """Insert, or update by id keeping the original ``created_at``; returns what is stored."""
        ...

    def get_brief(self, brief_id: str) -> BriefRecord | None: ...

    def list_briefs(self, learner_id: str | None = None, advisor_id: str | None = None) -> list[BriefRecord]:
        """Briefs matching both filters (none given: all), most recently updated first."""
        ...

    def delete_brief(self, brief_id: str) -> bool: ...

    # erasure and lifecycle
    def delete_learner(self, learner_id: str) -> DeletionReport:
        """Erase the learner and everything about them in one transaction (résumé, profile, sessions with
        their messages, briefs about them, assignments, the user row)."""
        ...

    def problem(self) -> str | None:
        """Why writes would fail now (disk full, read-only, unreachable), in plain words; None when they would
        not. Cheap enough for every ``/ready`` call."""
        ...

    def close(self) -> None: ...
