"""The goal resolver on the bundled taxonomy: it settles only where the words name one job, asks where a
word covers several (or names a field), repairs typos, and says plainly when nothing is close."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pytest

from assistant.core.goals import GoalResolver
from assistant.core.taxonomy import Taxonomy


@pytest.fixture(scope="module")
def resolver(taxonomy: Taxonomy) -> GoalResolver:
    return GoalResolver(taxonomy)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("data analyst", "data analyst"),
        ("i want to move into project managment", "project manager"),
        ("data anaylst", "data analyst"),
        ("attorney", "lawyer"),
        ("software engineer", "software developer"),
        ("What about becoming a pharmacy tech?", "pharmacy technician"),
        ("welding", "welder"),
        ("my mum keeps saying i should be an accountant lol", "accountant"),
        ("chef de partie", "chef"),
        ("joiner", "carpenter"),
        ("after the army i want to be a cop", "police officer"),
        ("could i become a paralegel without a law degree?", "legal assistant"),
        ("im good with computers so maybe IT support?", "ICT help desk agent"),
        ("anything where i can drive a truck tbh", "cargo vehicle driver"),
        ("I'd like to work in an office doing admin", "administrative assistant"),  # place + work: "office admin"
        ("i want to run a restaurant one day", "restaurant manager"),  # "run a …" is its manager
        ("manage a warehouse", "warehouse manager"),
        ("home care aide", "home care aide"),  # "home" starts a job here, not "be home more"
        ("i want to be a home health aide", "home care aide"),
    ],
)
def test_words_that_name_one_job_resolve(resolver: GoalResolver, text: str, label: str) -> None:
    answer = resolver.resolve(text)
    assert answer.status == "resolved" and answer.occupation is not None, answer
    assert answer.occupation.label == label


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("teacher", {"primary school teacher", "secondary school teacher"}),
        ("nurse", {"specialist nurse"}),
        ("engineer", {"civil engineer"}),
        ("chemist", {"pharmacist", "chemist"}),
        ("PT", {"physiotherapist", "personal trainer"}),
    ],
)
def test_a_word_for_several_jobs_is_a_question(resolver: GoalResolver, text: str, expected: set[str]) -> None:
    answer = resolver.resolve(text)
    assert answer.status == "clarify" and answer.occupation is None
    labels = [o.label for o in answer.options]
    assert expected <= set(labels), labels
    assert 1 <= len(labels) <= 8 and len(set(labels)) == len(labels)
    assert len({o.uri for o in answer.options}) == len(labels)


def test_teacher_is_never_the_politics_lecturer_it_is_a_synonym_of(resolver: GoalResolver) -> None:
    answer = resolver.resolve("teacher")
    assert answer.options[0].label != "politics lecturer"


def test_a_field_gets_jobs_to_explore_with_wage_and_growth(resolver: GoalResolver) -> None:
    for text in ("I'm in sales but I'd like something in data", "healthcare", "IT"):
        answer = resolver.resolve(text)
        assert answer.status == "clarify" and answer.field, (text, answer)
        assert any(o.wage_median for o in answer.options) and any(o.growth_pct is not None for o in answer.options)


def test_the_current_job_is_not_the_goal(resolver: GoalResolver) -> None:
    answer = resolver.resolve("I used to be a chef but want to do something in healthcare")
    assert answer.status == "clarify" and answer.field == "healthcare"


@pytest.mark.parametrize(
    "text",
    [
        "unicorn wrangler",
        "asdf",
        "make money",
        "i like cats",
        "nothing really, i just need a job",
        "idk",
        "i want to be home more",
    ],
)
def test_nothing_close_is_said_plainly(resolver: GoalResolver, text: str) -> None:
    answer = resolver.resolve(text)
    assert answer.status == "not_found" and answer.note


@dataclass(frozen=True)
class _Hit:
    occupation_uri: str
    score: float


class _Meaning:
    def __init__(self, hits: Sequence[_Hit]) -> None:
        self.hits = hits

    def search_titles(self, title: str, k: int = 10) -> Sequence[_Hit]:
        return self.hits[:k]


def test_a_match_by_meaning_alone_is_offered_never_taken(taxonomy: Taxonomy) -> None:
    animal = next(o.uri for o in taxonomy.occupations.values() if o.preferred_label == "animal handler")
    close = GoalResolver(taxonomy, _Meaning([_Hit(animal, 0.85)])).resolve("unicorn wrangler")
    assert close.status == "clarify" and [o.label for o in close.options] == ["animal handler"]
    loose = GoalResolver(taxonomy, _Meaning([_Hit(animal, 0.75)])).resolve("unicorn wrangler")
    assert loose.status == "not_found"  # an unknown word needs a closer match even to be offered


def test_an_activity_names_its_field(resolver: GoalResolver) -> None:
    for text in ("working with kids", "i want a job where i help people"):
        answer = resolver.resolve(text)
        assert answer.status == "clarify" and answer.field, (text, answer)


def test_an_everyday_name_says_how_it_was_read(resolver: GoalResolver) -> None:
    answer = resolver.resolve("sparky")
    assert answer.status == "resolved" and answer.how == "common name"
    assert "electrician" in answer.note


@pytest.mark.parametrize("name", ["LPN", "licensed practical nurse", "LVN"])
def test_a_job_esco_lacks_is_read_as_the_nearest_and_says_so(resolver: GoalResolver, name: str) -> None:
    """ "LPN" was read as nurse assistant with no word that a licensed practical nurse is not one, so a CNA was
    steered to the certificate she holds; the note now says the occupation is only the nearest ESCO has."""
    answer = resolver.resolve(name)
    assert answer.status == "resolved" and answer.occupation is not None
    assert answer.occupation.label == "nurse assistant"
    assert answer.note.startswith("ESCO has no licensed practical nurse; the nearest occupation it has")
    assert "licensing exam for practical nurses" in answer.note


def test_running_a_kitchen_is_asked_about_not_unknown(resolver: GoalResolver) -> None:
    """ "i want to run a kitchen someday" was "Nothing … is close" and "I do not know the word “run”"."""
    answer = resolver.resolve("i want to run a kitchen someday")
    assert answer.status == "clarify" and "head chef" in [option.label for option in answer.options]


def test_supply_chain_and_warehouse_are_answered_from_the_titles_that_hold_them(resolver: GoalResolver) -> None:
    """A warehouse lead's "something in supply chain" offered mover, stevedore, hearse driver and parking valet
    (the transport field); the words are in ESCO titles, which answer better."""
    answer = resolver.resolve("something in supply chain")
    labels = [o.label for o in answer.options]
    assert answer.status == "clarify" and {"supply chain manager", "supply chain assistant"} <= set(labels), labels
    assert "hearse driver" not in labels
    warehouse = [o.label for o in resolver.resolve("warehouse").options]
    assert {"warehouse worker", "warehouse manager"} <= set(warehouse) and "hearse driver" not in warehouse
