"""The dialogue over the real taxonomy bundle and the demo catalog, with lexical matching only (no model)."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.core.advice import AdviceService
from assistant.core.advice.profile import lexicon_for
from assistant.core.catalog import Catalog
from assistant.core.dialogue import Advisor, DialogueEngine, Guard
from assistant.core.linking import SkillLexicon
from assistant.core.taxonomy import Taxonomy
from tests.builders import demo_catalog

TODAY = date(2026, 3, 15)


@pytest.fixture(scope="session")
def catalog(taxonomy: Taxonomy) -> Catalog:
    """The demo catalog, loaded as the product loads it."""
    return demo_catalog(taxonomy)


@pytest.fixture(scope="session")
def lexicon(taxonomy: Taxonomy) -> SkillLexicon:
    return lexicon_for(taxonomy)


@pytest.fixture(scope="session")
def advisor(taxonomy: Taxonomy, catalog: Catalog) -> Advisor:
    """Lexical only: no similarity model, no title search, a fixed start date."""
    return Advisor(AdviceService(taxonomy, catalog), today=lambda: TODAY)


@pytest.fixture
def guard(catalog: Catalog, lexicon: SkillLexicon, taxonomy: Taxonomy) -> Guard:
    return Guard(catalog, lexicon, taxonomy)


@pytest.fixture
def engine(advisor: Advisor, guard: Guard) -> DialogueEngine:
    return DialogueEngine(advisor, guard)
