"""Stable ids from titles, and duplicates grouped for a person to resolve."""

from __future__ import annotations

import re

from assistant.core.models.credentials import CREDENTIAL_ID_PATTERN
from index.catalogs.onboard.identity import duplicate_groups, folded, propose_ids

LONG = "A course on relational databases, SQL queries, joins and indexes for analysts who need answers fast."


def test_ids_are_valid_stable_and_unique() -> None:
    titles = ["Data Analysis: Take It to the MAX()", "Introducción a la programación", "Intro to SQL", "Intro to SQL"]
    institutions = ["Delft University of Technology", "Universidad de Chile", "edX", "edX"]
    ids = propose_ids(titles, institutions)
    assert ids == propose_ids(titles, institutions)  # the same export gives the same ids
    assert ids[0] == "DUOT-data-analysis-take-it-to-the-max"
    assert ids[1] == "UDC-introduccion-a-la-programacion"
    assert ids[2:] == ["E-intro-to-sql-1", "E-intro-to-sql-2"]
    assert all(re.match(CREDENTIAL_ID_PATTERN, i) for i in ids)
    assert propose_ids(["第 1 周"], ["清华大学"]) == ["X-1"]


def test_duplicates_are_the_same_title_at_one_institution_or_the_same_text() -> None:
    rows = [
        ("a", "Intro to SQL", "edX", LONG),
        ("b", "INTRO TO SQL!", "edX", "Another text entirely, long enough to count as a description of a course."),
        ("c", "Marketing Management", "IIM", "Short."),
        ("d", "Marketing Management", "University of Edinburgh", "Short."),
        ("e", "Databases: Advanced SQL", "Stanford", LONG),
    ]
    groups = {(g.ids, g.reason) for g in duplicate_groups(rows)}
    assert (("a", "b"), "same title") in groups
    assert (("a", "e"), "same description and outcomes") in groups
    assert not any("c" in ids for ids, _ in groups)  # two universities' courses of one name are two courses


def test_folding_keeps_other_scripts() -> None:
    assert folded("第 1 周 – 成龍") != folded("第 2 周 – 成龍")
    assert folded("Café  Économie!") == "cafe economie"
