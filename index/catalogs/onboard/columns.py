"""Which export column holds which catalog field, inferred from column names and what the cells hold.

A registrar's export names columns its own way ("course_effort", "Level", "Course Title", "Fee"); the
onboarding reads them through a mapping, written to the review folder so a person can correct it. Each
field is claimed by the column whose name is closest to one of the field's usual names (``rapidfuzz``), or,
where no name is close, by the column whose cells read as that field (web addresses, "hours per week",
prices); each claim says which rule made it. A field no column claims stays unmapped: not stated.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from index.catalogs.onboard.fields import read_effort, read_language, read_length, read_level, read_pacing, read_price
from index.catalogs.onboard.records import URL

#: catalog field → the names exports give it (folded: lower case, words only)
NAMES: Mapping[str, tuple[str, ...]] = {
    "title": ("title", "course title", "course name", "name", "program name"),
    "summary": ("summary", "short description", "overview", "subtitle"),
    "description": ("description", "course description", "long description", "about"),
    "learning_outcomes": ("learning outcomes", "outcomes", "syllabus", "course syllabus", "what you will learn"),
    "skills": ("skills", "skills gained", "skill tags", "competencies"),
    "url": ("url", "course url", "link", "web address", "course link"),
    "institution": ("institution", "provider", "school", "university", "partner", "organization"),
    "level": ("level", "difficulty", "course level"),
    "field": ("subject", "category", "field", "discipline", "department"),
    "language": ("language", "course language", "language of instruction"),
    "effort": ("effort", "course effort", "hours per week", "weekly effort", "time commitment"),
    "length": ("length", "course length", "duration", "weeks"),
    "price": ("price", "cost", "fee", "tuition"),
    "pacing": ("course type", "pacing", "format", "schedule", "delivery"),
}
NAME_MATCH = 85  # rapidfuzz ratio of folded names for a claim by name
CONTENT_SHARE = 0.6  # share of a column's filled cells that must read as the field for a claim by content

_READERS: Mapping[str, Callable[[str], object]] = {
    "url": lambda text: text if URL.match(text.strip()) else None,
    "effort": lambda text: read_effort(text).value,
    "length": lambda text: read_length(text).value,
    "price": lambda text: read_price(text).value,
    "level": lambda text: read_level(text).value,
    "language": lambda text: read_language(text).value,
    "pacing": lambda text: read_pacing(text).value,
}


def _fold(name: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", name.replace("_", " ").lower()))


@dataclass(frozen=True)
class Claim:
    field: str
    column: str
    how: str  # "name" (with the score) or "content" (with the share of cells read)


def infer_columns(header: Sequence[str], rows: Sequence[Mapping[str, str]]) -> dict[str, Claim]:
    """Catalog field → the column that holds it (rules in the module docstring)."""
    columns = [c for c in header if c.strip()]
    claims: dict[str, Claim] = {}
    taken: set[str] = set()
    scored = sorted(
        ((max(fuzz.ratio(_fold(column), name) for name in names), field, column)
         for field, names in NAMES.items() for column in columns),
        reverse=True,
    )  # fmt: skip
    for score, field, column in scored:
        if score < NAME_MATCH:
            break
        if field not in claims and column not in taken:
            claims[field] = Claim(field, column, f"name ({score:.0f})")
            taken.add(column)
    for field, reader in _READERS.items():
        if field in claims:
            continue
        best: tuple[float, str] | None = None
        for column in columns:
            if column in taken:
                continue
            cells = [row.get(column, "") for row in rows if row.get(column, "").strip()]
            if not cells:
                continue
            share = sum(reader(cell) is not None for cell in cells) / len(cells)
            if share >= CONTENT_SHARE and (best is None or share > best[0]):
                best = (share, column)
        if best is not None:
            claims[field] = Claim(field, best[1], f"content ({best[0]:.0%} of cells)")
            taken.add(best[1])
    return claims


__all__ = ["NAMES", "Claim", "infer_columns"]
