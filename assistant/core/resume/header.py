"""Reading an entry's header lines: split them into parts, then tell title from organisation
(or qualification from institution) by head words, falling back to the order they were written in."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assistant.core.resume.vocabulary import (
    DEGREE_WORDS,
    INSTITUTION_WORDS,
    ORGANISATION_WORDS,
    STATE_CODES,
    TITLE_WORDS,
    WORK_PATTERN_WORDS,
)

_COMPANY_SUFFIX = r"(?:inc|llc|ltd|co|corp|gmbh|plc|llp|lp|ag|pty)\b"
_SEPARATOR = re.compile(rf"\||\t|\s{{2,}}|\s[–—-]\s|[–—]|;|,(?!\s?{_COMPANY_SUFFIX})|\s@\s|\sat\s", re.IGNORECASE)
_PATTERN_WORDS = "|".join(re.escape(word) for word in sorted(WORK_PATTERN_WORDS, key=len, reverse=True))
_WORK_PATTERN = re.compile(rf"\(\s?(?:{_PATTERN_WORDS})\s?\)", re.IGNORECASE)
_EDU_STATUS = re.compile(
    r"\(?\b(?:expected|anticipated|in progress|ongoing|graduated|graduation|completed|class of)\b:?\)?", re.IGNORECASE
)
_EMPTY_BRACKETS = re.compile(r"\(\s{0,3}\)|\[\s{0,3}\]")
_TOKEN = re.compile(r"[\w.'&-]+")
_EDGE = " \t,;:|-–—/*_"


def split_parts(text: str) -> list[str]:
    """Header text (dates already cut out) → its parts, work-pattern words and empty pieces dropped."""
    text = _EMPTY_BRACKETS.sub(" ", _WORK_PATTERN.sub(" ", text))
    parts = []
    for piece in _SEPARATOR.split(text):
        part = _balance(piece.strip(_EDGE))
        if part and part.casefold() not in WORK_PATTERN_WORDS:
            parts.append(part)
    return parts


def _balance(part: str) -> str:
    """Drop a bracket left open or closed by a split ("(2019" → "2019")."""
    if part.count("(") != part.count(")"):
        part = part.replace("(", "").replace(")", "").strip(_EDGE)
    return part


def cut(text: str, start: int, end: int) -> str:
    """The text with [start, end) replaced by a separator, so the pieces on either side stay apart."""
    return f"{text[:start]} | {text[end:]}"


def strip_education_status(text: str) -> str:
    return _EDU_STATUS.sub(" ", text)


def _tokens(part: str) -> list[str]:
    return [token.rstrip(".") if token.rstrip(".") else token for token in _TOKEN.findall(part.casefold())]


def _has(tokens: Iterable[str], words: frozenset[str]) -> bool:
    return any(token in words or f"{token}." in words for token in tokens)


def _is_location(parts: Sequence[str], index: int) -> bool:
    part = parts[index]
    if part in STATE_CODES:
        return True
    following = parts[index + 1] if index + 1 < len(parts) else ""
    return following in STATE_CODES and not _has(_tokens(part), ORGANISATION_WORDS | TITLE_WORDS)


@dataclass(frozen=True)
class Roles:
    first: str | None
    second: str | None


def _pick(parts: Sequence[str], strong: list[bool], weak: list[bool], other: list[bool]) -> Roles:
    """First role: a strong match, else a weak one; second: a match for its words; then writing order."""
    candidates = [index for index in range(len(parts)) if not _is_location(parts, index)]
    first = next((i for i in candidates if strong[i]), None)
    if first is None:
        first = next((i for i in candidates if weak[i] and not other[i]), None)
    second = next((i for i in candidates if other[i] and i != first), None)
    rest = [i for i in candidates if i not in (first, second)]
    if first is None and rest:
        first = rest.pop(0)
    if second is None and rest:
        second = rest.pop(0)
    return Roles(parts[first] if first is not None else None, parts[second] if second is not None else None)


def title_and_organisation(parts: Sequence[str]) -> Roles:
    """("Data Analyst", "Acme Corp") from parts in either order; a title's last word names the job."""
    tokens = [_tokens(part) for part in parts]
    strong = [bool(t) and t[-1] in TITLE_WORDS for t in tokens]
    weak = [_has(t, TITLE_WORDS) for t in tokens]
    organisation = [_has(t, ORGANISATION_WORDS) and not s for t, s in zip(tokens, strong, strict=True)]
    return _pick(parts, strong, weak, organisation)


def qualification_and_institution(parts: Sequence[str]) -> Roles:
    """("B.S. in Business Analytics", "State University"); an unlabelled part after the qualification
    is its field of study ("Bachelor of Science, Nursing") when the institution is named elsewhere."""
    tokens = [_tokens(part) for part in parts]
    degree = [_has(t, DEGREE_WORDS) for t in tokens]
    institution = [_has(t, INSTITUTION_WORDS) and not d for t, d in zip(tokens, degree, strict=True)]
    roles = _pick(parts, degree, degree, institution)
    if roles.first is None or not any(institution):
        return roles
    index = parts.index(roles.first)
    following = parts[index + 1] if index + 1 < len(parts) else None
    if following is not None and not degree[index + 1] and not institution[index + 1] and following != roles.second:
        return Roles(f"{roles.first}, {following}", roles.second)
    return roles


def has_degree_word(text: str) -> bool:
    return _has(_tokens(text), DEGREE_WORDS)


def has_institution_word(text: str) -> bool:
    return _has(_tokens(text), INSTITUTION_WORDS)
