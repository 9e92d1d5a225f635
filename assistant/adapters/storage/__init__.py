"""Persistence for the conversation service: ``SqlStore`` implements ``assistant.core.store.Store``.
URLs: ``sqlite:///.stackwise/stackwise.db`` (the default; the caller creates the folder),
``sqlite:///:memory:`` (tests), ``postgresql+psycopg://user:password@host/stackwise``.
"""

from __future__ import annotations

from assistant.adapters.storage.sql import SqlStore

__all__ = ["SqlStore"]
