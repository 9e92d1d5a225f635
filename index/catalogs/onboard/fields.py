"""Catalog fields read from the free text of a real export, each with the text it came from.

Exports state effort, length, price, level, language and delivery in words ("2–3 hours per week",
"3 - 6 Months", "FREE-Add a Verified Certificate for $49 USD", "Self-paced on your time"). Each reader
returns the value it found and the text, or no value and why ("not stated" for an empty cell, "unreadable"
for a cell that holds something else, as a misaligned row does): nothing is guessed. A level word
("Introductory") stays a word: mapping it to an EQF level is a proposal a person reviews, not a fact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, Literal, TypeVar

from price_parser import Price

T = TypeVar("T")

NOT_STATED = "not stated"
_RANGE = r"(?P<low>\d+(?:[.,]\d+)?)(?:\s*(?:–|-|—|to)\s*(?P<high>\d+(?:[.,]\d+)?))?"
_EFFORT = re.compile(rf"^\s*{_RANGE}\s*(?:hours?|hrs?|h)\s*(?:per|a|/)\s*(?:week|wk)\b", re.I)
_LENGTH = re.compile(rf"^\s*{_RANGE}\s*(?P<unit>days?|weeks?|wks?|months?|years?)\b", re.I)
_WEEKS_PER = {"day": 1 / 7, "week": 1.0, "wk": 1.0, "month": 52 / 12, "year": 52.0}
_FREE = re.compile(r"^\s*free\b", re.I)
_LEVELS = {"introductory": "introductory", "beginner": "introductory", "intermediate": "intermediate",
           "advanced": "advanced"}  # fmt: skip
_LANGUAGES = {"english": "en", "español": "es", "espanol": "es", "spanish": "es", "français": "fr", "francais": "fr",
              "french": "fr", "italiano": "it", "italian": "it", "português": "pt", "portugues": "pt",
              "portuguese": "pt", "deutsch": "de", "german": "de", "中文": "zh", "chinese": "zh",
              "日本語": "ja", "japanese": "ja", "русский": "ru", "russian": "ru", "العربية": "ar",
              "arabic": "ar", "nederlands": "nl", "dutch": "nl", "한국어": "ko", "korean": "ko",
              "türkçe": "tr", "turkish": "tr", "हिन्दी": "hi", "hindi": "hi"}  # fmt: skip
Pacing = Literal["self-paced", "scheduled"]


@dataclass(frozen=True)
class Read(Generic[T]):
    """What a cell says: the value, the text it came from, and why there is no value when there is none."""

    value: T | None
    text: str
    why_missing: str = ""

    @property
    def stated(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class Span:
    """A range as stated ("2–3"): low and high, equal when one number was given."""

    low: float
    high: float

    @property
    def middle(self) -> float:
        return (self.low + self.high) / 2


@dataclass(frozen=True)
class Offer:
    """A price as an export states it: what taking the course costs, and what a certificate costs."""

    amount: Decimal
    currency: str | None
    free_to_audit: bool = False


def _missing(text: str) -> str:
    return NOT_STATED if not text.strip() or text.strip().lower() in {"none", "n/a", "-", "null"} else "unreadable"


def _number(text: str | None) -> float | None:
    return float(text.replace(",", ".")) if text else None


def _span(match: re.Match[str]) -> Span:
    low = _number(match.group("low")) or 0.0
    high = _number(match.group("high")) or low
    return Span(min(low, high), max(low, high))


def read_effort(text: str) -> Read[Span]:
    """Hours a week: "2–3 hours per week" → 2 to 3."""
    match = _EFFORT.match(text)
    return Read(_span(match), text) if match else Read(None, text, _missing(text))


def read_length(text: str) -> Read[Span]:
    """Weeks: "6 Weeks" → 6; "3 - 6 Months" → 13 to 26; "2 to 4 years depending on…" → 104 to 208."""
    match = _LENGTH.match(text)
    if not match:
        return Read(None, text, _missing(text))
    unit = match.group("unit").lower().rstrip("s")
    factor = _WEEKS_PER["wk" if unit == "wk" else unit]
    span = _span(match)
    return Read(Span(round(span.low * factor, 1), round(span.high * factor, 1)), text)


def read_price(text: str) -> Read[Offer]:
    """ "FREE-Add a Verified Certificate for $49 USD" → free to audit, certificate $49 USD; "$1,200" → 1200."""
    if not text.strip() or len(text) > 120:
        return Read(None, text, _missing(text) if len(text) <= 120 else "unreadable")
    found = Price.fromstring(text)
    free = bool(_FREE.match(text))
    if found.amount is None:
        return Read(Offer(Decimal(0), None, True), text) if free else Read(None, text, "unreadable")
    currency = {"$": "USD", "€": "EUR", "£": "GBP"}.get(found.currency or "", found.currency)
    return Read(Offer(Decimal(found.amount), currency, free), text)


def read_level(text: str) -> Read[str]:
    """The level word the export uses ("introductory", "intermediate", "advanced"), never an EQF guess."""
    level = _LEVELS.get(text.strip().lower())
    return Read(level, text) if level else Read(None, text, _missing(text))


def read_language(text: str) -> Read[str]:
    """ISO 639-1 code of a language named in its own or English words ("Español" → "es"); the first of a
    list ("English, 中文" → "en")."""
    first = text.split(",")[0].strip().lower()
    code = _LANGUAGES.get(first)
    return Read(code, text) if code else Read(None, text, _missing(text))


def read_pacing(text: str) -> Read[Pacing]:
    """ "Self-paced on your time" → self-paced; "Instructor-led on a course schedule" → scheduled."""
    lowered = text.strip().lower()
    if lowered.startswith(("self-paced", "self paced", "on demand", "on-demand")):
        return Read("self-paced", text)
    if lowered.startswith(("instructor-led", "instructor led", "scheduled", "cohort")):
        return Read("scheduled", text)
    return Read(None, text, _missing(text))


__all__ = [
    "NOT_STATED",
    "Offer",
    "Read",
    "Span",
    "read_effort",
    "read_language",
    "read_length",
    "read_level",
    "read_pacing",
    "read_price",
]
