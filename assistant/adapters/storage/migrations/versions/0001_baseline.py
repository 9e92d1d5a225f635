"""Baseline: the tables every release up to now created with ``metadata.create_all``.

Written out here rather than taken from ``schema.metadata``, which moves on with the code; a database that
has these tables and no ``alembic_version`` is stamped at this revision and then upgraded.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ID = 64


def _time() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _user_ref(name: str, *, cascade: bool = True, primary_key: bool = False) -> sa.Column[str]:
    ondelete = "CASCADE" if cascade else None
    return sa.Column(
        name, sa.String(ID), sa.ForeignKey("users.id", ondelete=ondelete), nullable=False, primary_key=primary_key
    )


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.String(ID), primary_key=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("display_name", sa.Text, nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", _time(), nullable=False),
        sa.CheckConstraint("role IN ('learner', 'advisor', 'admin')", name="users_role"),
    )
    op.create_table(
        "assignments",
        _user_ref("advisor_id", primary_key=True),
        _user_ref("learner_id", primary_key=True),
        sa.Column("created_at", _time(), nullable=False),
    )
    op.create_index("ix_assignments_learner_id", "assignments", ["learner_id"])
    op.create_table(
        "resumes",
        _user_ref("learner_id", primary_key=True),
        sa.Column("filename", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("uploaded_at", _time(), nullable=False),
    )
    op.create_table(
        "profiles",
        _user_ref("learner_id", primary_key=True),
        sa.Column("profile_json", sa.Text, nullable=False),
        sa.Column("earned_json", sa.Text, nullable=False),
        sa.Column("updated_at", _time(), nullable=False),
    )
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(ID), primary_key=True),
        _user_ref("learner_id"),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("state_json", sa.Text, nullable=False),
        sa.Column("created_at", _time(), nullable=False),
        sa.Column("updated_at", _time(), nullable=False),
    )
    op.create_index("ix_sessions_learner_id", "sessions", ["learner_id"])
    op.create_table(
        "messages",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("session_id", sa.String(ID), sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("payload_json", sa.Text),
        sa.Column("created_at", _time(), nullable=False),
        sa.CheckConstraint("role IN ('user', 'assistant')", name="messages_role"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_messages_session_id", "messages", ["session_id"])
    op.create_table(
        "briefs",
        sa.Column("id", sa.String(ID), primary_key=True),
        _user_ref("learner_id"),
        _user_ref("advisor_id", cascade=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("content_md", sa.Text, nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("payload_json", sa.Text),
        sa.Column("created_at", _time(), nullable=False),
        sa.Column("updated_at", _time(), nullable=False),
    )
    op.create_index("ix_briefs_learner_id", "briefs", ["learner_id"])
    op.create_index("ix_briefs_advisor_id", "briefs", ["advisor_id"])


def downgrade() -> None:
    for table in ("briefs", "messages", "sessions", "profiles", "resumes", "assignments", "users"):
        op.drop_table(table)
