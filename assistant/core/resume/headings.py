"""Section headings: known phrases in any case, or heading-shaped lines that contain a telling word."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.core.resume.models import SectionKind
from assistant.core.resume.vocabulary import HEADING_STEMS, HEADINGS

_LEADING = "#=*_ \t"
_TRAILING = "=*_: \t"
_NON_WORD = re.compile(r"[^\w\s]")
_INLINE = re.compile(r"^(?P<label>[^:]{3,40}):\s*(?P<rest>\S.*)$")
_MAX_WORDS = 5


@dataclass(frozen=True)
class Heading:
    kind: SectionKind
    label: str
    inline_content: bool = False


def _bare(text: str) -> str:
    """Without Markdown marks and a trailing colon: "## Skills:" → "Skills"."""
    return text.lstrip(_LEADING).rstrip(_TRAILING)


def _fold(text: str) -> str:
    text = _bare(text).casefold().replace("&", " and ")
    return " ".join(_NON_WORD.sub(" ", text).split())


def _looks_like_heading(text: str) -> bool:
    """Short, no digits or sentence punctuation, and set apart by capitals, a colon or a Markdown '#'."""
    bare = _bare(text)
    words = bare.split()
    if not words or len(words) > _MAX_WORDS or any(char.isdigit() for char in bare) or re.search(r"[.,;@|]", bare):
        return False
    letters = [char for char in bare if char.isalpha()]
    all_caps = bool(letters) and all(char.isupper() for char in letters)
    title_case = all(word[0].isupper() for word in words if len(word) > 3)
    return all_caps or title_case or text.rstrip().endswith(":") or text.lstrip().startswith("#")


def detect_heading(text: str) -> Heading | None:
    """The section a line opens, if it is a heading ("WORK EXPERIENCE", "Skills:", "## Projects")."""
    if text.startswith("- "):
        return None
    folded = _fold(text)
    if folded in HEADINGS:
        return Heading(HEADINGS[folded], _bare(text))
    if _looks_like_heading(text):
        kind = _kind_from_stems(folded)
        if kind is not None:
            return Heading(kind, _bare(text))
    inline = _INLINE.match(text)
    if inline:
        label = _fold(inline.group("label"))
        if label in HEADINGS and HEADINGS[label] not in (SectionKind.EXPERIENCE, SectionKind.EDUCATION):
            return Heading(HEADINGS[label], inline.group("label").strip(), inline_content=True)
    return None


def _kind_from_stems(folded: str) -> SectionKind | None:
    """The earliest stem wins, but the last word must hold one: "Project Manager" is a title, not a heading."""
    last_word = folded.rsplit(" ", 1)[-1]
    if not any(stem in last_word for stem, _ in HEADING_STEMS):
        return None
    best: tuple[int, SectionKind] | None = None
    for stem, kind in HEADING_STEMS:
        position = folded.find(stem)
        if position >= 0 and (best is None or position < best[0]):
            best = (position, kind)
    return None if best is None else best[1]
