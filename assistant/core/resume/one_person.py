"""Is this one person's résumé? Several résumés pasted together, or far more text than one person's, are
refused with plain words rather than read as one learner with hundreds of skills.

The signs, and why these limits (``python -m eval.one_person``, on the 208 development résumés of
``resume_entities`` and our own: at most 2,953 words, 3 experience headings, 2 education headings and 1
e-mail address in one résumé):

* more than ``MAX_WORDS`` words: about three times the longest real résumé;
* ``MIN_HEADINGS`` or more experience headings, or ``MIN_EDUCATION`` or more education headings: each
  résumé brings its own;
* ``MIN_EMAILS`` or more distinct e-mail addresses: each résumé brings its owner's (a referee's or an
  employer's address makes two at most in practice).

Two résumés joined are often not caught (they look like one long one); three or more nearly always are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.core.resume.models import ResumeDocument, SectionKind

MAX_WORDS = 8_000
MIN_HEADINGS = 4
MIN_EDUCATION = 3
MIN_EMAILS = 3
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@dataclass(frozen=True)
class Bulk:
    """How much of a résumé's usual parts one text holds."""

    words: int
    experience_headings: int
    education_headings: int
    emails: int


def measure(document: ResumeDocument) -> Bulk:
    headings = [s.kind for s in document.sections if s.heading_line is not None]
    return Bulk(
        words=len(document.text.split()),
        experience_headings=headings.count(SectionKind.EXPERIENCE),
        education_headings=headings.count(SectionKind.EDUCATION),
        emails=len({m.group(0).lower() for m in _EMAIL.finditer(document.text)}),
    )


def not_one_person(document: ResumeDocument) -> str | None:
    """Why this text looks like more than one person's résumé, in words a learner can act on; None if not."""
    bulk = measure(document)
    signs: list[str] = []
    if bulk.experience_headings >= MIN_HEADINGS:
        signs.append(f"{bulk.experience_headings} separate work-experience sections")
    if bulk.education_headings >= MIN_EDUCATION:
        signs.append(f"{bulk.education_headings} separate education sections")
    if bulk.emails >= MIN_EMAILS:
        signs.append(f"{bulk.emails} different e-mail addresses")
    if signs:
        return (
            f"This looks like several résumés joined together ({', '.join(signs)}). "
            "Stackwise reads one person's résumé at a time: please paste or upload just yours."
        )
    if bulk.words > MAX_WORDS:
        return (
            f"This is {bulk.words:,} words, far more than one person's résumé (a long one is about 3,000). "
            "Please paste or upload just your résumé."
        )
    return None


__all__ = ["MAX_WORDS", "MIN_EDUCATION", "MIN_EMAILS", "MIN_HEADINGS", "Bulk", "measure", "not_one_person"]
