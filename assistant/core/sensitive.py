"""Special-category personal data (GDPR Art. 9) in résumé text: health, disability, religion, ethnicity or
caste, political opinion, sexual orientation, trade-union membership.

Some CVs carry a "Personal Details" block ("Religion: Hindu", "Physically challenged") or a sentence that
discloses a condition. Such a line must never become a skill, never be quoted as evidence and never reach
a language model. Detection looks for *disclosure about the person*, not for the words alone: "mental
health ward" in a nurse's duties is work, "I live with type 1 diabetes" is health data. Two shapes count:

* a personal field — ``Religion: …``, ``Caste: …``, ``Disability: …``, ``Health: …``, ``Blood group …``,
  ``Political affiliation: …``, ``Sexual orientation: …``, ``Union membership: …``;
* a disclosure — a condition or status word in a first-person or field-less statement about the writer
  ("physically challenged", "person with a disability", "I am diabetic", "member of the … union").

Precision matters both ways: a missed disclosure leaks, a false one hides a real duty line. The patterns
are bounded regular expressions (no catastrophic backtracking on crafted text).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

Category = Literal["health", "disability", "religion", "ethnicity", "political", "sexual-orientation", "trade-union"]

_FIELD = re.compile(
    r"(?im)^[\s\-•*·]*(?P<field>religion|religious affiliation|faith|caste|sub-?caste|category|community|ethnicity|"
    r"ethnic origin|race|tribe|nationality and religion|disability|disabilities|handicap|health|health status|"
    r"medical conditions?|medical history|blood group|blood type|allergies|political affiliation|political party|"
    r"political views|party membership|sexual orientation|sexuality|union membership|trade union|union)"
    r"\s*[:\-–]\s*(?P<value>[^\n]{1,120})$"
)
_FIELD_KIND: dict[str, Category] = {
    "religion": "religion", "religious affiliation": "religion", "faith": "religion",
    "caste": "ethnicity", "subcaste": "ethnicity", "sub-caste": "ethnicity", "category": "ethnicity",
    "community": "ethnicity", "ethnicity": "ethnicity", "ethnic origin": "ethnicity", "race": "ethnicity",
    "tribe": "ethnicity", "nationality and religion": "religion",
    "disability": "disability", "disabilities": "disability", "handicap": "disability",
    "health": "health", "health status": "health", "medical condition": "health", "medical conditions": "health",
    "medical history": "health", "blood group": "health", "blood type": "health", "allergies": "health",
    "political affiliation": "political", "political party": "political", "political views": "political",
    "party membership": "political", "sexual orientation": "sexual-orientation", "sexuality": "sexual-orientation",
    "union membership": "trade-union", "trade union": "trade-union", "union": "trade-union",
}  # fmt: skip
#: "Category" and "Community" are special only with a caste-like value (a category of work is not)
_CASTE_VALUES = re.compile(r"(?i)\b(?:general|obc|sc|st|nt|vjnt|sbc|ews|open|backward|scheduled|dalit|brahmin)\b")

_DISCLOSURES: tuple[tuple[Category, re.Pattern[str]], ...] = (
    (
        "disability",
        re.compile(
            r"(?i)\b(?:physically (?:challenged|handicapped|disabled)|differently[- ]abled|person with (?:a )?"
            r"disabilit(?:y|ies)|pwd\b|wheelchair user|(?:hearing|visual|visually|speech|mobility|lower[- ]limb|"
            r"upper[- ]limb|locomotor) (?:impair(?:ment|ed)|disabilit(?:y|ies)|handicap)|(?:partially|legally) "
            r"(?:sighted|blind)|registered disabled|benchmark disability)"
        ),
    ),
    (
        "health",
        re.compile(
            r"(?i)\b(?:i (?:am|have been|was) (?:diagnosed|living|diabetic|epileptic|asthmatic|hiv)|"
            r"i (?:have|live with) (?:type [12] )?(?:diabetes|epilepsy|asthma|cancer|hiv|depression|anxiety|adhd|"
            r"autism|dyslexia|"
            r"a (?:chronic|long-term) (?:illness|condition)|a heart condition)|(?:type [12] )?diabetic,? (?:well )?"
            r"controlled|well[- ]controlled (?:asthma|diabetes|epilepsy)|on medication for|recovering from (?:cancer|"
            r"surgery|an? (?:illness|injury))|(?:career|employment) (?:break|gap) (?:for|due to) (?:medical|health|"
            r"illness|maternity|pregnancy))"
        ),
    ),
    (
        "trade-union",
        re.compile(
            r"(?i)\b(?:(?:active |paid-up )?member of (?:the )?[\w&.' -]{0,40}\bunion\b|"
            r"union (?:steward|rep(?:resentative)?|member(?:ship)?)\b|shop steward)"
        ),
    ),
    (
        "sexual-orientation",
        re.compile(r"(?i)\b(?:i am|i'm|as an?) (?:gay|lesbian|bisexual|queer|transgender|trans|asexual)\b"),
    ),
    (
        "religion",
        re.compile(
            r"(?i)\b(?:practi[cs]ing|devout|observant) (?:hindu|muslim|christian|catholic|jew|jewish|sikh|buddhist|"
            r"jain)\b"
        ),
    ),
    (
        "political",
        re.compile(r"(?i)\b(?:member|activist|volunteer) of the [\w' -]{1,40} party\b"),
    ),
)


@dataclass(frozen=True, slots=True)
class SpecialFinding:
    """Special-category data at ``[start, end)`` of the text (the whole line or field), by category."""

    category: Category
    start: int
    end: int


def special_category(text: str) -> Iterator[SpecialFinding]:
    """Every line of ``text`` that carries special-category data about its writer."""
    for match in _FIELD.finditer(text):
        field = re.sub(r"\s+", " ", match.group("field").casefold())
        kind = _FIELD_KIND.get(field)
        if kind is None:
            continue
        if field in ("category", "community") and not _CASTE_VALUES.search(match.group("value")):
            continue
        yield SpecialFinding(kind, match.start(), match.end())
    for kind, pattern in _DISCLOSURES:
        for match in pattern.finditer(text):
            start = text.rfind("\n", 0, match.start()) + 1
            end = text.find("\n", match.end())
            yield SpecialFinding(kind, start, len(text) if end < 0 else end)


def has_special_category(text: str) -> bool:
    return next(special_category(text), None) is not None
