"""Fixtures shared by the API tests."""

from __future__ import annotations

import pytest

from assistant.bootstrap import Stackwise
from assistant.core.taxonomy import Taxonomy
from eval.realstack import small_real_service


@pytest.fixture(scope="session")
def small_real_stack(taxonomy: Taxonomy, tmp_path_factory: pytest.TempPathFactory) -> Stackwise:
    """The real model and FAISS over a slice of the real data (``eval/realstack.py``), embedded once per run:
    about half a minute, so the suites that drive the real service through HTTP share it."""
    return small_real_service(taxonomy, tmp_path_factory.mktemp("small-real-stack"))
