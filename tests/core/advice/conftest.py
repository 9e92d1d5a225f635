"""Fixtures over the tiny taxonomy and catalog in ``tiny.py``."""

from __future__ import annotations

import pytest

from assistant.core.advice import AdviceOptions, SkillMatcher
from assistant.core.catalog import Catalog
from assistant.core.taxonomy import Taxonomy
from tests.core.advice.tiny import START, make_catalog, make_taxonomy


@pytest.fixture(scope="session")
def tiny_taxonomy() -> Taxonomy:
    return make_taxonomy()


@pytest.fixture(scope="session")
def tiny_catalog() -> Catalog:
    return make_catalog()


@pytest.fixture
def matcher(tiny_taxonomy: Taxonomy) -> SkillMatcher:
    return SkillMatcher(tiny_taxonomy)


@pytest.fixture
def options() -> AdviceOptions:
    return AdviceOptions(start=START)
