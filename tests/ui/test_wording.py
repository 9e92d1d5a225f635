"""The pages' shared wording: counts, prerequisites and requirements in plain words."""

from __future__ import annotations

import pytest

from ui.components.wording import count, importance, listed, prerequisites, source


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "0 credentials"),
        (1, "1 credential"),
        (2, "2 credentials"),
        (1234, "1,234 credentials"),
        (1.0, "1 credential"),
    ],
)
def test_count_is_singular_for_exactly_one(n: float, expected: str) -> None:
    assert count(n, "credential") == expected


def test_count_takes_an_irregular_plural_and_whole_hours() -> None:
    assert count(2, "course of study", "courses of study") == "2 courses of study"
    assert count(1, "course of study", "courses of study") == "1 course of study"
    assert count(15.0, "hour") == "15 hours"
    assert count(7.5, "hour") == "7.5 hours"


def test_listed_joins_like_a_sentence() -> None:
    assert listed([]) == ""
    assert listed(["A"]) == "A"
    assert listed(["A", "B"], "or") == "A or B"
    assert listed(["A", "B", "C"]) == "A, B and C"


def _group(required: int, *titles: str) -> dict[str, object]:
    return {"required": required, "credentials": [{"id": f"ID-{i}", "title": t} for i, t in enumerate(titles)]}


def test_prerequisites_say_one_of_when_either_is_enough() -> None:
    """The catalog's "LPC-DA-101 or LPC-SD-101" read as both when listed as codes."""
    text = prerequisites([_group(1, "Spreadsheet Analysis Essentials", "Programming Foundations with Python")])
    assert text == "Requires one of Spreadsheet Analysis Essentials or Programming Foundations with Python"


def test_prerequisites_say_both_or_all_when_every_one_is_needed() -> None:
    assert prerequisites([_group(1, "A")]) == "Requires A"
    assert prerequisites([_group(1, "A"), _group(1, "B")]) == "Requires both A and B"  # two groups of one
    assert prerequisites([_group(2, "A", "B")]) == "Requires both A and B"
    assert prerequisites([_group(3, "A", "B", "C")]) == "Requires all of A, B and C"
    assert prerequisites([_group(2, "A", "B", "C")]) == "Requires any two of A, B and C"


def test_prerequisites_mix_a_required_one_and_a_choice() -> None:
    text = prerequisites([_group(1, "Design Basics"), _group(1, "Media", "Assessment")])
    assert text == "Requires Design Basics, and one of Media or Assessment"
    assert prerequisites([]) == ""


def test_importance_is_words_never_none_or_a_code() -> None:
    assert importance({"source": "esco-essential", "importance": None}) == "Essential"
    assert importance({"source": "esco-optional", "importance": None}) == "Optional"
    assert importance({"source": "onet-skill", "importance": 4.12}) == "Very important, 4.1 of 5"
    assert importance({"source": "onet-skill", "importance": 2.5}) == "Important, 2.5 of 5"
    assert importance({"source": "onet-technology", "importance": None, "hot_technology": True}) == "Hot technology"
    both = {"source": "onet-technology", "importance": None, "hot_technology": True, "in_demand": True}
    assert importance(both) == "Hot technology, in demand"
    assert importance({"source": "onet-technology", "importance": None}) == ""


def test_source_is_words() -> None:
    assert source({"source": "esco-essential"}) == "ESCO"
    assert source({"source": "onet-skill"}) == "O*NET skills"
    assert source({"source": "something-new"}) == "something new"
