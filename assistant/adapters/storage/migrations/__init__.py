"""Alembic migrations of the conversation store; ``assistant.adapters.storage.migrate`` runs them."""
