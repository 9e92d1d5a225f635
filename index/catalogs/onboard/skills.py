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


#: unattended acceptance: at least this confident and named in at least this many of the course's sentences
AUTO_ACCEPT = 0.8
AUTO_ACCEPT_SENTENCES = 2


def auto_accepted(suggestion: Suggestion, *, language_skill: bool = False, language_course: bool = False) -> bool:
    """Whether a suggestion is accepted without a person: confident, named in two or more sentences, and not
    a language skill read from a course that does not teach a language ("Italian opera" is not Italian).
    On the judged edX pairs (``eval/onboarding/judgments.jsonl``) this rule keeps 40 of 53 right on the
    development part and 19 of 21 on the held-out part; a single sentence keeps 23 of 52 right."""
    if language_skill and not language_course:
        return False
    return suggestion.confidence >= AUTO_ACCEPT and suggestion.sentences >= AUTO_ACCEPT_SENTENCES


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
    finder: MentionFinder, courses: Sequence[Sequence[str]], *, per_course: int = PER_COURSE
) -> list[list[Suggestion]]:
    """For each course (its texts), its best-supported skills, strongest first."""
    pieces = [sentences_of(texts) for texts in courses]
    flat = [sentence for group in pieces for sentence in group]
    found = finder.mentions_many(flat) if flat else []
    out: list[list[Suggestion]] = []
    offset = 0
    for group in pieces:
        best: dict[str, tuple[float, str, str]] = {}
        count: dict[str, int] = defaultdict(int)
        for sentence, mentions in zip(group, found[offset : offset + len(group)], strict=True):
            for mention in {m.uri: m for m in mentions}.values():
                count[mention.uri] += 1
                if mention.uri not in best or mention.confidence > best[mention.uri][0]:
                    best[mention.uri] = (mention.confidence, mention.label, sentence)
        offset += len(group)
        ranked = []
        for uri, (confidence, label, sentence) in best.items():
            raised = min(1.0, confidence + REPEAT_BONUS * min(count[uri] - 1, 3))
            if raised >= MIN_CONFIDENCE:
                ranked.append(Suggestion(uri, label, round(raised, 4), sentence, count[uri]))
        ranked.sort(key=lambda s: (-s.confidence, s.label))
        out.append(ranked[:per_course])
    return out


__all__ = ["AUTO_ACCEPT", "MentionFinder", "Suggestion", "auto_accepted", "sentences_of", "suggest_skills"]
