"""Shared fixtures. Hugging Face stays offline in every test; real data comes from ../shared/data."""

from __future__ import annotations

import os

for _name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
    os.environ.setdefault(_name, "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from assistant.core.catalog import Catalog  # noqa: E402
from assistant.core.models import Credential  # noqa: E402
from assistant.core.taxonomy import Taxonomy  # noqa: E402
from tests import builders  # noqa: E402
from tests.fakes import FakeEmbedder  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[1]
#: fixtures that load the real embedding model: a test using one is marked ``real_model`` wherever it sits
REAL_MODEL_FIXTURES = frozenset({"small_real_stack", "torch_embedder", "real_linker", "onnx_dir"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if REAL_MODEL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.real_model)


SHARED_DATA = (REPO_ROOT.parent / "shared" / "data").resolve()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The official source files; tests that read them are skipped (with the reason) when absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"source data folder {SHARED_DATA} is not present")
    return SHARED_DATA


@pytest.fixture(scope="session")
def taxonomy() -> Taxonomy:
    """The real taxonomy from the committed bundle (about two seconds, loaded once)."""
    from index.bundle import load_taxonomy

    return load_taxonomy()


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def make_fake_embedder() -> Callable[..., FakeEmbedder]:
    return FakeEmbedder


@pytest.fixture
def make_credential() -> Callable[..., Credential]:
    return builders.credential


@pytest.fixture
def small_catalog() -> Catalog:
    """Twelve credentials over three fields, varied in mode, level, cost, duration and language."""
    return builders.small_catalog()


@pytest.fixture
def small_taxonomy() -> Taxonomy:
    """Eight skills and four occupations, two of them mapped to O*NET; one O*NET code unmapped."""
    return builders.small_taxonomy()
