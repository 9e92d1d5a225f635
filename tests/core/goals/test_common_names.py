"""The hand-checked table of everyday job names (common_names.csv): well formed, and every URI is a real
ESCO v1.1.1 occupation carrying exactly the preferred label the table gives."""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).parents[3]
TABLE = REPO_ROOT / "assistant" / "core" / "goals" / "common_names.csv"
ESCO_ZIP = REPO_ROOT.parent / "shared" / "data" / "esco" / "esco_v1.1.1_classification_en_csv.zip"
HEADER = ["name", "expect", "esco_uris", "esco_labels", "note", "caveat"]


@cache
def _table() -> tuple[list[str], list[dict[str, str]]]:
    with TABLE.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return _table()[1]


@pytest.fixture(scope="module")
def esco_labels() -> dict[str, str]:
    """conceptUri -> stripped preferredLabel, read from the ESCO zip once for the module."""
    if not ESCO_ZIP.is_file():
        pytest.skip(f"ESCO source {ESCO_ZIP} is not present")
    with zipfile.ZipFile(ESCO_ZIP) as archive:
        text = archive.read("occupations_en.csv").decode("utf-8")
    return {row["conceptUri"]: row["preferredLabel"].strip() for row in csv.DictReader(io.StringIO(text))}


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|")] if cell.strip() else []


def test_header_is_exact() -> None:
    assert _table()[0] == HEADER


def test_table_is_a_useful_size(rows: list[dict[str, str]]) -> None:
    assert len(rows) >= 300
    assert {row["expect"] for row in rows} == {"resolved", "clarify"}


def test_names_are_lower_case_and_unique(rows: list[dict[str, str]]) -> None:
    names = [row["name"] for row in rows]
    assert all(name and name == name.strip() for name in names)
    assert [name for name in names if name != name.lower()] == []
    counts = Counter(name.casefold() for name in names)
    assert sorted(name for name, count in counts.items() if count > 1) == []


def test_names_that_fold_together_agree(rows: list[dict[str, str]]) -> None:
    """The resolver looks names up by their folded key ("dev" and "developer" both fold to "developer");
    rows that fold together must say the same thing, or one would silently shadow the other."""
    from assistant.core.goals.lexicon import key

    readings: dict[str, set[tuple[str, str]]] = {}
    for row in rows:
        readings.setdefault(key(row["name"]), set()).add((row["expect"], row["esco_uris"]))
    assert sorted(folded for folded, seen in readings.items() if len(seen) > 1) == []


def test_expect_and_uri_counts(rows: list[dict[str, str]]) -> None:
    problems = []
    for row in rows:
        uris, labels = _split(row["esco_uris"]), _split(row["esco_labels"])
        if row["expect"] == "resolved" and len(uris) != 1:
            problems.append(f"{row['name']}: resolved needs exactly one URI, has {len(uris)}")
        elif row["expect"] == "clarify" and not 2 <= len(uris) <= 8:
            problems.append(f"{row['name']}: clarify needs 2-8 URIs, has {len(uris)}")
        elif row["expect"] not in {"resolved", "clarify"}:
            problems.append(f"{row['name']}: unknown expect {row['expect']!r}")
        if len(labels) != len(uris):
            problems.append(f"{row['name']}: {len(uris)} URIs but {len(labels)} labels")
        if len(set(uris)) != len(uris):
            problems.append(f"{row['name']}: repeated URI")
        if not row["note"].strip():
            problems.append(f"{row['name']}: empty note")
    assert problems == []


def test_uris_are_esco_occupations_with_those_labels(rows: list[dict[str, str]], esco_labels: dict[str, str]) -> None:
    problems = []
    for row in rows:
        for uri, label in zip(_split(row["esco_uris"]), _split(row["esco_labels"]), strict=False):
            if uri not in esco_labels:
                problems.append(f"{row['name']}: {uri} is not an ESCO v1.1.1 occupation")
            elif esco_labels[uri] != label:
                problems.append(f"{row['name']}: {uri} is {esco_labels[uri]!r}, not {label!r}")
    assert problems == []


def test_a_caveat_names_no_code_the_chat_guard_would_take_for_a_credential(rows: list[dict[str, str]]) -> None:
    """ "NCLEX-PN" in the LPN caveat reached the learner as "[not in the catalog]": an id-like word is redacted."""
    from assistant.core.dialogue.guard import ID_LIKE

    caveats = [row["caveat"] for row in rows if row.get("caveat")]
    assert caveats and not [c for c in caveats if ID_LIKE.search(c)]
    assert not [c for c in caveats if c.endswith(".")]  # the resolver ends the sentence
