"""ESCO skills suggested for a course from its own text, each with its confidence and the sentence behind it.

An export without skill alignment still says what a course teaches, in its description, outcomes and
syllabus. Those texts are cut into sentences (and syllabus lines), every sentence of every course goes to
the product's skill linker in one batch (the same linker that reads résumés, so one embedding pass serves the
whole catalog), and each course keeps its best-supported skills: a skill's confidence is the best mention's,
raised a little when several sentences name it. Nothing is accepted here: the review file shows each
suggestion with its sentence, and only those at or above the auto-accept threshold are accepted unattended.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

MAX_SENTENCES = 40  # per course: the syllabus of a long course says the same things many times
MAX_CHARS = 300  # per sentence: the linker reads a line, not a page
PER_COURSE = 8
MIN_CONFIDENCE = 0.5
REPEAT_BONUS = 0.03  # per further sentence naming the same skill, up to three
_SENTENCE = re.compile(r"(?<=[.!?;:])\s+|\n+|\s+(?=(?:Module|Week|Unit|Lesson|Section)\s+\d)", re.I)


class _Mention(Protocol):
    @property
    def uri(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def confidence(self) -> float: ...
    @property
    def text(self) -> str: ...


class MentionFinder(Protocol):
    """The linker's batch port (``SkillLinker.mentions_many`` fits)."""

    def mentions_many(self, texts: Sequence[str]) -> Sequence[Sequence[_Mention]]: ...


@dataclass(frozen=True)
class Suggestion:
    uri: str
    label: str
    confidence: float
    sentence: str
    sentences: int  # how many of the course's sentences name it
    from_skills_cell: bool = False  # the export's own skills column names it


#: unattended acceptance: at least this confident and named in at least this many of the course's sentences,
#: and either surer still (``STRONG``, in ``STRONG_SENTENCES`` sentences) or named in the course's title or subject
AUTO_ACCEPT = 0.8
AUTO_ACCEPT_SENTENCES = 2
STRONG = 0.95
STRONG_SENTENCES = 3
_WORD = re.compile(r"[a-z]+")


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.casefold()))


def auto_accepted(suggestion: Suggestion, *, title: str = "", subject: str = "", language_skill: bool = False) -> bool:
    """Whether a suggestion is accepted without a person. A skill the export's own skills column names is
    accepted when confident. One read from the course's text must be confident and named in two or more
    sentences, and either very confident in three or more, or named in the course's title or subject (a word of
    four letters or more of its label). A language skill is accepted only from a language course that names the
    language in its title ("Latin America" is not Latin, a Spanish course for English speakers does not teach
    English). On 200 judged edX pairs (``eval/onboarding/judgments.jsonl``, part ``dev2``) the earlier rule
    (confident, two sentences) kept 160 right (80%); this one keeps 117 of 133 (88%)."""
    if suggestion.confidence < AUTO_ACCEPT:
        return False
    label = {w for w in _words(suggestion.label) if len(w) >= 4}
    in_title = bool(label & _words(f"{title} {subject}"))
    if language_skill:
        return "language" in _words(f"{title} {subject}") and bool(label & _words(title))
    if suggestion.from_skills_cell:
        return True
    if suggestion.sentences < AUTO_ACCEPT_SENTENCES:
        return False
    return in_title or (suggestion.confidence >= STRONG and suggestion.sentences >= STRONG_SENTENCES)


def sentences_of(texts: Sequence[str]) -> list[str]:
    """A course's texts cut into sentences and syllabus lines, each short enough to link, without repeats."""
    out: dict[str, None] = {}
    for text in texts:
        for piece in _SENTENCE.split(text or ""):
            piece = piece.strip(" -•*\t")
            if len(piece) >= 12:
                out.setdefault(piece[:MAX_CHARS], None)
    return list(out)[:MAX_SENTENCES]


def suggest_skills(
    finder: MentionFinder,
    courses: Sequence[Sequence[str]],
    *,
    skill_cells: Sequence[str] | None = None,
    per_course: int = PER_COURSE,
) -> list[list[Suggestion]]:
    """For each course (its texts, and its skills cell if the export has one), its best-supported skills,
    strongest first."""
    cells = list(skill_cells) if skill_cells is not None else [""] * len(courses)
    if len(cells) != len(courses):
        raise ValueError("one skills cell per course")
    pieces = [sentences_of(texts) for texts in courses]
    flat = [sentence for group in pieces for sentence in group]
    cell_texts = [cell.strip()[:2000] for cell in cells]
    wanted = flat + [cell for cell in cell_texts if cell]
    found = list(finder.mentions_many(wanted)) if wanted else []
    by_cell = iter(found[len(flat) :])
    out: list[list[Suggestion]] = []
    offset = 0
    for group, cell in zip(pieces, cell_texts, strict=True):
        best: dict[str, tuple[float, str, str]] = {}
        count: dict[str, int] = defaultdict(int)
        for sentence, mentions in zip(group, found[offset : offset + len(group)], strict=True):
            for mention in {m.uri: m for m in mentions}.values():
                count[mention.uri] += 1
                if mention.uri not in best or mention.confidence > best[mention.uri][0]:
                    best[mention.uri] = (mention.confidence, mention.label, sentence)
        offset += len(group)
        in_cell: set[str] = set()
        if cell:
            for mention in next(by_cell):
                in_cell.add(mention.uri)
                if mention.uri not in best or mention.confidence >= best[mention.uri][0]:
                    best[mention.uri] = (mention.confidence, mention.label, mention.text)
        ranked = []
        for uri, (confidence, label, sentence) in best.items():
            named = count[uri] + (uri in in_cell)
            raised = min(1.0, confidence + REPEAT_BONUS * min(named - 1, 3))
            if raised >= MIN_CONFIDENCE:
                ranked.append(Suggestion(uri, label, round(raised, 4), sentence, count[uri], uri in in_cell))
        ranked.sort(key=lambda s: (-s.from_skills_cell, -s.confidence, s.label))
        out.append(ranked[:per_course])
    return out


__all__ = ["AUTO_ACCEPT", "MentionFinder", "Suggestion", "auto_accepted", "sentences_of", "suggest_skills"]
