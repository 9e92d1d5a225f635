"""Course texts are cut into sentences, linked in one batch, and each course keeps its best-supported skills."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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

    once = Suggestion("esco:sql", "SQL", 0.95, "SQL appears once.", 1)
    twice = Suggestion("esco:sql", "SQL", 0.9, "SQL basics.", 2)
    italian = Suggestion("esco:italian", "Italian", 0.98, "Italian opera.", 3)
    assert not auto_accepted(once) and auto_accepted(twice)
    assert not auto_accepted(italian, language_skill=True)
    assert auto_accepted(italian, language_skill=True, language_course=True)
