"""The in-memory store passes the same Store contract as the SQL store."""

from __future__ import annotations

import pytest

from tests.contracts.store import StoreContract
from tests.fake_store import InMemoryStore


class TestInMemoryStoreContract(StoreContract):
    @pytest.fixture
    def store(self) -> InMemoryStore:
        return InMemoryStore()
