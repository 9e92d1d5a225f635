"""Split a line into candidate skill phrases, keeping character offsets for evidence spans.

Skills hide in lists ("Python, SQL, Tableau"), in clauses joined by "and"/"or", and in whole
sentences ("built dashboards for the sales team"). Each piece becomes a phrase to link; the whole
line stays a candidate too, so context is never lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# "Tally ERP 9- Exprience - 96 months" (Kaggle / Indeed exports): the duration note is not part of the name
_SEPARATORS = re.compile(
    r"[,;|•·/()\[\]:]|\band\b|\bor\b|&|\s[-–—*]\s|-\s*ex(?:pe|p)rience\b(?:\s*-\s*\d+\s*months?)?", re.IGNORECASE
)
_EDGE = " \t.-–—*"
MIN_PHRASE_CHARS = 2


@dataclass(frozen=True, slots=True)
class Phrase:
    text: str
    start: int
    end: int


def split_phrases(line: str) -> list[Phrase]:
    """Pieces of ``line`` between list and clause separators, trimmed, with their offsets."""
    phrases: list[Phrase] = []
    position = 0
    for match in [*_SEPARATORS.finditer(line), None]:
        stop = match.start() if match else len(line)
        piece = line[position:stop]
        left = len(piece) - len(piece.lstrip(_EDGE))
        trimmed = piece.strip(_EDGE)
        if len(trimmed) > MIN_PHRASE_CHARS or (trimmed and not trimmed.islower()):
            start = position + left
            phrases.append(Phrase(trimmed, start, start + len(trimmed)))
        if match:
            position = match.end()
    return phrases


def looks_like_a_list(line: str) -> bool:
    """A line of short comma- or bullet-separated items ("Python, SQL, Tableau")."""
    items = [p for p in re.split(r"[,;|•·]", line) if p.strip()]
    return len(items) >= 3 and sum(len(p.split()) for p in items) / len(items) <= 4
