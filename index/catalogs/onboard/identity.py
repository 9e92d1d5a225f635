"""Stable ids for an export's rows, and the rows that are the same course twice.

An export's titles are not ids ("Data Analysis: Take It to the MAX()"), and a row has no other key, so
each row gets an id from its institution's short form and its title's words, the same every time the
same export is onboarded (a re-run must not rename what people have reviewed). Two rows are grouped as
duplicates when their titles are the same once case, punctuation and spacing are set aside, or when their
description and outcomes together are (the same course listed under two subjects); the same title from two
institutions is two courses, and so are the parts of a series that share only the series' description
(Stanford's three "Databases" courses each teach their own syllabus). The review file shows each group so a
person keeps one.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_WORD = re.compile(r"[a-z0-9]+")
_LETTERS = re.compile(r"\w+")
MAX_ID_WORDS = 8
MIN_DESCRIPTION = 80  # characters: shorter descriptions ("Learn Python.") say too little to call two rows one


def folded(text: str) -> str:
    """Case, accents and punctuation set aside, in any script: "Data Analysis: Take It to the MAX()" →
    "data analysis take it to the max"; "第 1 周" stays itself."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(_LETTERS.findall(plain.casefold()))


def _ascii_words(text: str) -> list[str]:
    """The words an id can carry (ids are ASCII): accents dropped, other scripts left out."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return _WORD.findall(plain)


def prefix_of(institution: str) -> str:
    """A short form of the institution's name for ids: initials of its words ("Harvard University" → "HU")."""
    words = _ascii_words(institution)
    return "".join(w[0] for w in words).upper()[:6] or "X"


def propose_ids(titles: Sequence[str], institutions: Sequence[str]) -> list[str]:
    """One stable id per row: PREFIX-title-words, numbered in export order (-1, -2) when rows would share one."""
    base = [
        f"{prefix_of(inst)}-" + ("-".join(_ascii_words(title)[:MAX_ID_WORDS]) or "untitled")
        for title, inst in zip(titles, institutions, strict=True)
    ]
    counts: dict[str, int] = defaultdict(int)
    for candidate in base:
        counts[candidate] += 1
    seen: dict[str, int] = defaultdict(int)
    out = []
    for candidate in base:
        if counts[candidate] == 1:
            out.append(candidate)
            continue
        seen[candidate] += 1
        out.append(f"{candidate}-{seen[candidate]}")
    return out


@dataclass(frozen=True)
class DuplicateGroup:
    """Rows (their ids) that are one course twice, and why they were grouped."""

    ids: tuple[str, ...]
    reason: str


def duplicate_groups(rows: Iterable[tuple[str, str, str, str]]) -> list[DuplicateGroup]:
    """Groups of ``(id, title, institution, text)`` rows with the same folded title from the same institution
    (two universities' "Marketing Management" are two courses), or the same folded text, where the caller
    passes a course's description and outcomes together."""
    by_title: dict[tuple[str, str], list[str]] = defaultdict(list)
    by_text: dict[str, list[str]] = defaultdict(list)
    for row_id, title, institution, description in rows:
        by_title[(folded(title), folded(institution))].append(row_id)
        text = folded(description)
        if len(text) >= MIN_DESCRIPTION:
            by_text[text].append(row_id)
    groups: list[DuplicateGroup] = []
    grouped: set[frozenset[str]] = set()
    for (title, _), ids in by_title.items():
        if title and len(ids) > 1:
            groups.append(DuplicateGroup(tuple(ids), "same title"))
            grouped.add(frozenset(ids))
    for ids in by_text.values():
        if len(ids) > 1 and frozenset(ids) not in grouped:
            groups.append(DuplicateGroup(tuple(ids), "same description and outcomes"))
    return groups


__all__ = ["DuplicateGroup", "duplicate_groups", "folded", "prefix_of", "propose_ids"]
