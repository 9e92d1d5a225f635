"""Personal-data redaction: contact details out of résumé text before it reaches a language model or a log.

Stackwise needs a résumé's skills and dates, never how to reach its author, so e-mail addresses, phone
numbers, postal addresses, profile URLs, dates of birth and national ID numbers are replaced by placeholders
such as ``[email]``; a line with special-category data (health, disability, religion…) becomes
``[special-category]``. Findings keep only the kind and the offsets in the original text, never the value,
so a ``Redaction`` is itself safe to log or store.

Phones are found by ``phonenumbers`` (several home regions, and any ``+`` international number); its
candidates are then filtered, because the matcher happily reads year ranges, IDs and version numbers as
numbers. The other detectors are bounded regular expressions, so a crafted text cannot make them slow.
Precision matters as much as recall here: redacting "120 hours" or "2019 – 2023" would damage the
résumé the advice is built from.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

import phonenumbers

from assistant.core.sensitive import special_category

PiiKind = Literal["email", "phone", "address", "url-profile", "date-of-birth", "national-id", "special-category"]

# Regions whose local (no "+") formats are tried; numbers with "+" are read whatever the region.
PHONE_REGIONS: tuple[str, ...] = ("US", "GB", "AU", "IN", "DE")


@dataclass(frozen=True, slots=True)
class Finding:
    """One piece of personal data: its kind and ``[start, end)`` in the original text (never the value)."""

    kind: PiiKind
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Redaction:
    """The redacted text and what was removed from where."""

    text: str
    findings: tuple[Finding, ...] = ()

    @property
    def counts(self) -> Mapping[PiiKind, int]:
        """How many findings of each kind (kinds with none are absent)."""
        return dict(Counter(finding.kind for finding in self.findings))


def placeholder(kind: PiiKind) -> str:
    return f"[{kind}]"


def redact(text: str) -> Redaction:
    """``text`` with every detected piece of personal data replaced by ``[kind]``.

    Detectors run in order of confidence; a later one never claims characters an earlier one took, so an
    e-mail's digits are not also a phone number.
    """
    taken: list[Finding] = []  # sorted by start, never overlapping
    for detector in _DETECTORS:
        for finding in detector(text):
            index = bisect.bisect_left(taken, finding.start, key=lambda other: other.start)
            if index and taken[index - 1].end > finding.start:
                continue
            if index < len(taken) and taken[index].start < finding.end:
                continue
            taken.insert(index, finding)
    if not taken:
        return Redaction(text=text)
    pieces: list[str] = []
    position = 0
    for finding in taken:
        pieces += [text[position : finding.start], placeholder(finding.kind)]
        position = finding.end
    pieces.append(text[position:])
    return Redaction(text="".join(pieces), findings=tuple(taken))


# --- e-mail ----------------------------------------------------------------------------------------------

_EMAIL = re.compile(r"(?<![\w.%+-])[\w.%+-]{1,64}@(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.){1,8}[^\W\d_]{2,24}(?![\w-])")
# written out to dodge scrapers: "jane.doe [at] example [dot] com"
_SPELLED_AT = re.compile(r"[\[(<{][ \t]?at[ \t]?[\])>}]", re.IGNORECASE)
_SPELLED_DOT = r"(?:[ \t]?[\[(<{][ \t]?dot[ \t]?[\])>}][ \t]?|\.|[ \t]dot[ \t])"
_SPELLED_EMAIL = re.compile(
    rf"(?<![\w.+-])[\w+-]{{1,64}}(?:{_SPELLED_DOT}[\w+-]{{1,64}}){{0,3}}[ \t]?[\[(<{{][ \t]?at[ \t]?[\])>}}][ \t]?"
    rf"[\w-]{{1,63}}(?:{_SPELLED_DOT}[\w-]{{1,63}}){{1,4}}",
    re.IGNORECASE,
)


def _emails(text: str) -> Iterator[Finding]:
    matches = list(_EMAIL.finditer(text)) if "@" in text else []
    if _SPELLED_AT.search(text):
        matches += _SPELLED_EMAIL.finditer(text)
    for match in matches:
        yield Finding("email", match.start(), match.end())


# --- profile URLs ----------------------------------------------------------------------------------------

_PROFILE_SITES = (
    r"linkedin\.com/(?:in|pub|profile)/",
    r"github\.com/",
    r"gitlab\.com/",
    r"bitbucket\.org/",
    r"twitter\.com/",
    r"(?<![\w.-])x\.com/",
    r"stackoverflow\.com/users/",
    r"medium\.com/@",
    r"kaggle\.com/",
    r"behance\.net/",
    r"dribbble\.com/",
    r"facebook\.com/",
    r"instagram\.com/",
)
_PROFILE_URL = re.compile(
    r"(?:https?://)?(?:[\w-]{1,63}\.){0,3}(?:" + "|".join(_PROFILE_SITES) + r")[^\s,;()\[\]<>\"'|]{1,200}"
    r"|(?:https?://)?[\w-]{1,63}\.github\.io\b(?:/[^\s,;()\[\]<>\"'|]{0,200})?",
    re.IGNORECASE,
)
_TRAILING_PUNCTUATION = ".,:;!?"


def _profile_urls(text: str) -> Iterator[Finding]:
    for match in _PROFILE_URL.finditer(text):
        end = match.start() + len(match.group().rstrip(_TRAILING_PUNCTUATION))
        yield Finding("url-profile", match.start(), end)


# --- dates of birth and national IDs (only with their label: a bare date is a résumé date) ---------------

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]{0,6}\.?"
_BIRTH_DATE = re.compile(
    r"\b(?:date[ \t]of[ \t]birth|d\.?[ \t]?o\.?[ \t]?b\b\.?|birth[ \t]?date|born(?:[ \t](?:on|in))?|"
    r"geburtsdatum|date[ \t]de[ \t]naissance)[ \t]*[:\-–]?[ \t]*"
    r"(?P<date>\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{1,2}-\d{1,2}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?[ \t]{_MONTH},?[ \t]\d{{4}}"
    rf"|{_MONTH}[ \t]\d{{1,2}}(?:st|nd|rd|th)?,?[ \t]\d{{4}}"
    r"|(?:19|20)\d{2}(?!\d))",
    re.IGNORECASE,
)
_NATIONAL_ID = re.compile(
    r"(?<![\w-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\w-])"  # US SSN
    r"|(?<!\w)(?![DFIQUV])[A-Z](?![DFIOQUV])[A-Z][ \t]?\d{2}[ \t]?\d{2}[ \t]?\d{2}[ \t]?[A-D](?!\w)"  # UK NI
)


def _birth_dates(text: str) -> Iterator[Finding]:
    for match in _BIRTH_DATE.finditer(text):
        yield Finding("date-of-birth", match.start("date"), match.end("date"))


def _national_ids(text: str) -> Iterator[Finding]:
    for match in _NATIONAL_ID.finditer(text):
        yield Finding("national-id", match.start(), match.end())


# --- phone numbers ---------------------------------------------------------------------------------------

_SEPARATED = re.compile(r"\d[\s().\-/\u2010\u2011]+\d")
_EXTENSION = r"(?:[ \t]*(?:x|ext\.?|extension)[ \t]*\d{1,6})?"
# Shapes people write phones in; a candidate in one of them is kept even if its exchange is fictional (555).
_PHONE_SHAPE = re.compile(
    r"(?:\+\d.*"  # international: the matcher has checked the country's lengths
    r"|(?:1[-.\s])?\(?\d{3}\)?[-.\s]?\d{3}[-.\s]\d{4}"  # North American: (555) 014-2231, 555.014.2231
    r"|\d{3}[-.]\d{4}"  # North American local: 555-0100
    r"|[6-9]\d{4}[-\s]\d{5}"  # Indian mobile: 98765 43210
    r"|\(?0\d{1,4}\)?[-.\s/]\d{2,4}(?:[-.\s]?\d{2,4}){0,3}"  # national trunk prefix: 020 7946 0958
    rf"){_EXTENSION}",
    re.IGNORECASE,
)
_DATE_LIKE = re.compile(
    r"[–—]"  # phones use hyphens; ranges of years use dashes
    r"|(?<!\d)(?:19|20)\d\d[ \t]*[-/][ \t]*(?:\d{1,2}/)?(?:19|20)\d\d(?!\d)"  # 2019-2023, 2018 - 12/2020
    r"|(?<!\d)\d{1,2}/(?:19|20)\d\d(?!\d)"  # 03/2018
    r"|(?<!\d)\d{1,2}[/.]\d{1,2}[/.]\d{2,4}(?!\d)"  # 12/03/2019
)
_PHONE_LABEL = re.compile(
    r"(?:\b(?:phone|tel(?:ephone)?|mob(?:ile)?|cell(?:phone)?|whats[ \t]?app|contact|call|fax|ph)\b\.?"
    r"|\b[tmph][ \t]?:|[☎📞📱])[ \t]*(?:no\.?|number|#)?[ \t]*[:.\-]?[ \t]*$",
    re.IGNORECASE,
)
_DIGIT_RUN = re.compile(
    r"[+(]?\d[\d \t().\-/\u2010\u2011\u00a0]{4,40}\d(?:[ \t]*(?:x|ext\.?|extension)[ \t]*\d{1,6})?", re.IGNORECASE
)
_GLUED_BEFORE = re.compile(r"[\w\-/.]")  # part of an identifier or version, not a number on its own
_GLUED_AFTER = re.compile(r"[\w\-/]")
_EXTENSION_TAIL = re.compile(r"(?:x|ext\.?|extension)[ \t]*\d{1,6}$", re.IGNORECASE)
_FIELD_BEFORE = re.compile(r"(?:\A|[\n|·•,;:\t]|[ \t]{2})[ \t]*\Z")
_FIELD_AFTER = re.compile(r"[ \t]*(?:\Z|[\n|·•,;\t]|[ \t]{2})")
_BARE_NUMBER = re.compile(r"(?<!\d)\d{10,12}(?!\d)")
_LABEL_WINDOW = 30
_MIN_DIGITS = 7
_MAX_DIGITS = 15  # E.164


def _phones(text: str) -> Iterator[Finding]:
    for run in _DIGIT_RUN.finditer(text):  # the matcher is slow on prose: give it only digit-dense stretches
        if not _may_hold_phone(text, run):
            continue
        whole = (run.start(), run.end())
        spans: dict[tuple[int, int], bool] = {}
        for region in PHONE_REGIONS:
            for match in phonenumbers.PhoneNumberMatcher(run.group(), region, leniency=phonenumbers.Leniency.POSSIBLE):
                key = (run.start() + match.start, run.start() + match.end)
                spans[key] = spans.get(key, False) or phonenumbers.is_valid_number(match.number)
            if whole in spans and _looks_like_phone(text, *whole, spans[whole]):
                break  # the whole stretch is a phone already: other regions can only agree
        for (start, end), valid in _outermost(spans):
            if _looks_like_phone(text, start, end, valid):
                yield Finding("phone", start, end)


def _may_hold_phone(text: str, run: re.Match[str]) -> bool:
    """Whether any candidate in ``run`` could pass ``_looks_like_phone``: skips the matcher on tables of numbers."""
    stretch = run.group()
    if sum(char.isdigit() for char in stretch) < _MIN_DIGITS:
        return False
    return bool(
        _PHONE_SHAPE.search(stretch)
        or _PHONE_LABEL.search(text[max(0, run.start() - _LABEL_WINDOW) : run.start()])
        or _BARE_NUMBER.search(stretch)
    )


def _outermost(spans: Mapping[tuple[int, int], bool]) -> Iterable[tuple[tuple[int, int], bool]]:
    """Regions may cut one number differently ("+44 20 …" vs "20 …"): keep the widest reading of each."""
    kept: list[tuple[tuple[int, int], bool]] = []
    for (start, end), valid in sorted(spans.items(), key=lambda item: (item[0][0], -item[0][1])):
        if kept and start < kept[-1][0][1]:
            (kept_start, kept_end), kept_valid = kept[-1]
            kept[-1] = ((kept_start, max(kept_end, end)), kept_valid or valid)
            continue
        kept.append(((start, end), valid))
    return kept


def _looks_like_phone(text: str, start: int, end: int, valid: bool) -> bool:
    """A matcher candidate is kept in a shape people write phones in, or where a label or the layout says so."""
    raw = text[start:end]
    digits = sum(char.isdigit() for char in _EXTENSION_TAIL.sub("", raw))
    if not _MIN_DIGITS <= digits <= _MAX_DIGITS or _DATE_LIKE.search(raw):
        return False
    if _GLUED_BEFORE.match(text, max(0, start - 1), start) or _GLUED_AFTER.match(text, end):  # CVE-2021-44228
        return False
    if _PHONE_SHAPE.fullmatch(raw):
        return True
    before = text[max(0, start - _LABEL_WINDOW) : start]
    if _PHONE_LABEL.search(before):
        return True
    # Otherwise only a valid unbroken number standing alone in a field ("Jane Doe | 4155552671 | …"):
    # grouped digits in no phone shape, or digits inside a sentence, are amounts, IDs and references.
    return (
        valid
        and not _SEPARATED.search(raw)
        and bool(_FIELD_BEFORE.search(before))
        and bool(_FIELD_AFTER.match(text, end))
    )


# --- postal addresses ------------------------------------------------------------------------------------

_STATES = (  # US states and territories, Canadian provinces
    "AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|"
    "OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC|PR|AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT"
)
_STATE = rf"(?:{_STATES})"
_ZIP = r"(?:\d{5}(?:-\d{4})?|[ABCEGHJ-NPRSTVXY]\d[A-Z][ \t]?\d[A-Z]\d)"  # US ZIP(+4), Canadian postal code
_AU_STATE = r"(?:NSW|VIC|QLD|SA|WA|TAS|ACT|NT)[ \t]+\d{4}"
_UK_POSTCODE = r"(?:GIR[ \t]?0AA|(?![QVX])[A-Z](?:(?![IJZ])[A-Z])?\d[A-Z\d]?[ \t]?\d(?![CIKMOV])[A-Z](?![CIKMOV])[A-Z])"
_SUFFIXES = (
    "Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Way|Terrace|Terr|Ter|"
    "Circle|Cir|Parkway|Pkwy|Highway|Hwy|Square|Sq|Trail|Trl|Close|Crescent|Cres|Gardens|Gdns|Grove|Mews|"
    "Row|Walk|Hill|Loop|Plaza|Plz|Pike|Alley|Broadway"
)
_WORD = r"(?:[A-Z][A-Za-z'’.-]{0,30}|\d{1,3}(?:st|nd|rd|th))"
_UNIT = (
    r"(?:[ \t]*,?[ \t]*(?:(?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|Fl|Room|Rm|Bldg|Building)\.?[ \t]*#?"
    r"|#[ \t]?)[A-Za-z0-9][A-Za-z0-9-]{0,5}\b)"
)
# A town counts only when what follows shows it ends the address, so "12 High St, Managed …" stays text.
_PLACE_END = rf"(?=[ \t]*(?:$|[,|·•;/)]|[ \t]{_STATE}\b|[ \t]{_AU_STATE}\b|[ \t]{_UK_POSTCODE}\b|[ \t]{_ZIP}\b))"
_PLACE = rf"(?:,[ \t]*[A-Z][A-Za-z'’.-]{{1,30}}(?:[ \t-][A-Z][A-Za-z'’.-]{{1,30}}){{0,3}}{_PLACE_END}){{0,2}}"
_REGION_TAIL = rf"(?:,?[ \t]+(?:{_AU_STATE}|{_STATE}(?:[ \t]+{_ZIP})?|{_UK_POSTCODE}|{_ZIP})\b)?"
_HOUSE_NUMBER = r"(?<![\w$£€%.,/+-])\d{1,6}[A-Za-z]?(?:-\d{1,4})?"
_STREET = (
    rf"{_HOUSE_NUMBER},?[ \t]+{_WORD}(?:[ \t]+{_WORD}){{0,3}}[ \t]+(?:{_SUFFIXES})\b\.?"
    r"(?:[ \t]+(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\b)?"
)
_PO_BOX = r"\b(?:P\.?[ \t]?O\.?[ \t]?Box|Post[ \t]Office[ \t]Box)[ \t]*#?\d{1,6}\b"
_UNIT_FIRST = r"(?:(?:Apt|Apartment|Suite|Unit|Flat)\.?[ \t]*#?[A-Za-z0-9][A-Za-z0-9-]{0,5},?[ \t]+)?"
_ADDRESS = re.compile(
    # a street, then what may follow it; "4 Main Street revitalization grants" is a sentence, not an address
    rf"{_UNIT_FIRST}(?:{_STREET}|{_PO_BOX}){_UNIT}?{_PLACE}{_REGION_TAIL}(?![ \t]+[a-z])"
    # a town with a US/Canadian ZIP: "Springfield, IL 62704"
    rf"|\b[A-Z][A-Za-z'’.-]{{1,30}}(?:[ \t][A-Z][A-Za-z'’.-]{{1,30}}){{0,2}},[ \t]*{_STATE}[ \t]+{_ZIP}\b"
    # a UK postcode ending a line or a comma-separated part: "London SW1A 1AA"
    rf"|(?<![\w-]){_UK_POSTCODE}(?=[ \t]*(?:$|[,|·•;)]|[ \t]+(?:UK|United[ \t]Kingdom|England|Scotland|Wales)\b))"
    # German and French streets: "Hauptstraße 5, 10115 Berlin", "12 rue de la Paix, 75002 Paris"
    r"|\b[A-ZÄÖÜ][a-zäöüß-]{1,30}(?:straße|strasse|str\.|weg|gasse|platz|allee|ring|damm)[ \t]+\d{1,4}[a-z]?\b"
    r"(?:,?[ \t]+\d{5}[ \t]+[A-ZÄÖÜ][a-zäöüß-]{1,30})?"
    r"|(?<![\w.,])\d{1,4}(?:[ \t]?(?:bis|ter))?,?[ \t]+(?i:rue|avenue|boulevard|bd|place|allée|chemin|impasse|quai)"
    r"[ \t]+(?:(?:de|du|des|la|le|l'|d')[ \t]*){0,3}[A-ZÉÈ][\w'-]{1,30}(?:[ \t][A-ZÉÈ][\w'-]{1,30}){0,3}"
    r"(?:,?[ \t]+\d{5}[ \t]+[A-ZÉÈ][\w-]{1,30})?",
    re.MULTILINE,
)


def _addresses(text: str) -> Iterator[Finding]:
    for match in _ADDRESS.finditer(text):
        yield Finding("address", match.start(), match.end())


def _special_category(text: str) -> Iterator[Finding]:
    """Health, disability, religion, ethnicity, political, sexual-orientation or union data (GDPR Art. 9): the
    whole line goes, so no model ever reads it (:mod:`assistant.core.sensitive` says what counts)."""
    for finding in special_category(text):
        yield Finding("special-category", finding.start, finding.end)


_DETECTORS = (_special_category, _emails, _profile_urls, _birth_dates, _national_ids, _phones, _addresses)
