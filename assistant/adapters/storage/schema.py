"""The tables of the conversation store, as the code uses them now.

A change here needs a migration in ``migrations/versions`` too: ``tests/adapters/storage/test_migrations.py``
fails while the migrated schema and these tables differ.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, Column, DateTime, ForeignKey, Integer, MetaData, String, Table, Text

from assistant.core.access import Role

MAX_ID_LENGTH = 64
_ROLES = ", ".join(f"'{role.value}'" for role in Role)

metadata = MetaData()
_Time = DateTime(timezone=True)


def _id(name: str, *args: Any, **kwargs: Any) -> Column[str]:
    return Column(name, String(MAX_ID_LENGTH), *args, **kwargs)


def _user_ref(name: str, *, cascade: bool = True, **kwargs: Any) -> Column[str]:
    ondelete = "CASCADE" if cascade else None
    return _id(name, ForeignKey("users.id", ondelete=ondelete), nullable=False, **kwargs)


users = Table(
    "users",
    metadata,
    _id("id", primary_key=True),
    Column("role", String(16), nullable=False),
    Column("display_name", Text, nullable=False),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("created_at", _Time, nullable=False),
    CheckConstraint(f"role IN ({_ROLES})", name="users_role"),
)
assignments = Table(
    "assignments",
    metadata,
    _user_ref("advisor_id", primary_key=True),
    _user_ref("learner_id", primary_key=True, index=True),
    Column("created_at", _Time, nullable=False),
)
resumes = Table(
    "resumes",
    metadata,
    _user_ref("learner_id", primary_key=True),
    Column("filename", Text),
    Column("text", Text, nullable=False),
    Column("uploaded_at", _Time, nullable=False),
)
profiles = Table(
    "profiles",
    metadata,
    _user_ref("learner_id", primary_key=True),
    Column("profile_json", Text, nullable=False),
    Column("earned_json", Text, nullable=False),
    Column("updated_at", _Time, nullable=False),
)
sessions = Table(
    "sessions",
    metadata,
    _id("id", primary_key=True),
    _user_ref("learner_id", index=True),
    Column("title", Text, nullable=False),
    Column("state_json", Text, nullable=False),
    Column("created_at", _Time, nullable=False),
    Column("updated_at", _Time, nullable=False),
)
messages = Table(
    "messages",
    metadata,
    # INTEGER PRIMARY KEY AUTOINCREMENT on SQLite: ids of erased messages are never handed out again.
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    _id("session_id", ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("role", String(16), nullable=False),
    Column("text", Text, nullable=False),
    Column("payload_json", Text),
    Column("created_at", _Time, nullable=False),
    CheckConstraint("role IN ('user', 'assistant')", name="messages_role"),
    sqlite_autoincrement=True,
)
briefs = Table(
    "briefs",
    metadata,
    _id("id", primary_key=True),
    _user_ref("learner_id", index=True),
    _user_ref("advisor_id", cascade=False, index=True),
    Column("title", Text, nullable=False),
    Column("content_md", Text, nullable=False),
    Column("notes", Text, nullable=False),
    Column("payload_json", Text),
    Column("created_at", _Time, nullable=False),
    Column("updated_at", _Time, nullable=False),
)
