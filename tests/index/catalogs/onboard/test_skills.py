"""Course texts are cut into sentences, linked in one batch, and each course keeps its best-supported skills."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from index.catalogs.onboard.skills import sentences_of, suggest_skills


@dataclass(frozen=True)
class _Mention:
    uri: str
    label: str
    confidence: float


class _Finder:
    """Names SQL wherever "SQL" is written, and tableware for "Tableau" (the mislink the review must catch)."""

    def __init__(self) -> None:
        self.batches: list[int] = []

    def mentions_many(self, texts: Sequence[str]) -> list[list[_Mention]]:
        self.batches.append(len(texts))
        out = []
        for text in texts:
            found = [_Mention("esco:sql", "SQL", 0.9)] if "SQL" in text else []
            found += [_Mention("esco:tableware", "prepare tableware", 0.55)] if "Tableau" in text else []
            out.append(found)
        return out


def test_sentences_are_split_deduplicated_and_short() -> None:
    text = "Learn SQL quickly. Write queries!\nModule 1 Joins Module 2 Indexes; Learn SQL quickly. Go."
    assert sentences_of([text, "x" * 1000]) == [
        "Learn SQL quickly.", "Write queries!", "Module 1 Joins", "Module 2 Indexes;", "x" * 300
    ]  # fmt: skip


def test_one_batch_for_all_courses_and_repeats_raise_confidence() -> None:
    finder = _Finder()
    courses = [
        ["You will write SQL queries every week.", "Module 1 SQL basics", "Module 2 More SQL joins"],
        ["Dashboards with Tableau for managers."],
        [""],
    ]
    out = suggest_skills(finder, courses)
    assert finder.batches == [4]
    (sql,) = out[0]
    assert sql.uri == "esco:sql" and sql.sentences == 3 and sql.confidence == 0.96
    assert sql.sentence == "You will write SQL queries every week."
    assert [s.label for s in out[1]] == ["prepare tableware"]  # suggested, for a person to reject
    assert out[2] == []


def test_only_well_supported_suggestions_are_accepted_unattended() -> None:
    from index.catalogs.onboard.skills import Suggestion, auto_accepted

    once = Suggestion("esco:sql", "SQL", 0.97, "SQL appears once.", 1)
    twice = Suggestion("esco:stats", "statistics", 0.9, "Statistics basics.", 2)
    strong = Suggestion("esco:stats", "statistics", 0.96, "Statistics basics.", 3)
    cell = Suggestion("esco:sql", "SQL", 0.85, "SQL", 0, from_skills_cell=True)
    assert not auto_accepted(once, title="Databases")
    assert not auto_accepted(twice, title="Data Analysis")  # two sentences, not in the title: a person decides
    assert auto_accepted(twice, title="Statistics for Engineers") and auto_accepted(strong, title="Data Analysis")
    assert auto_accepted(cell) and not auto_accepted(replace(cell, confidence=0.7))
    latin = Suggestion("esco:latin", "Latin", 0.98, "Latin American history.", 4)
    assert not auto_accepted(latin, title="Latin America in the World", subject="History", language_skill=True)
    assert auto_accepted(latin, title="Latin for Beginners", subject="Language", language_skill=True)
    english = Suggestion("esco:english", "English", 0.98, "For English speakers.", 3)
    assert not auto_accepted(english, title="Spanish for Beginners", subject="Language", language_skill=True)
