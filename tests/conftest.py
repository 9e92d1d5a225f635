"""Shared fixtures. Hugging Face stays offline in every test; real data comes from ../shared/data."""

from __future__ import annotations

import os

for _name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
    os.environ.setdefault(_name, "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from assistant.core.taxonomy import Taxonomy  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[1]
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
