"""Redaction of personal data: every planted item found, nothing else in a résumé touched.

The synthetic résumés in tests/fixtures/pii mark each planted item as ``[[kind|value]]``; everything outside
the markers (dates, hours, money, percentages, versions, IDs, ZIP-like counts) must come through unchanged.
"""

from __future__ import annotations

import dataclasses
import re
import time
from pathlib import Path
from typing import NamedTuple

import pytest

from assistant.core.privacy import Finding, Redaction, redact

PII = Path(__file__).resolve().parents[1] / "fixtures" / "pii"
_MARKER = re.compile(r"\[\[([\w-]+)\|(.+?)\]\]")


class Planted(NamedTuple):
    kind: str
    start: int
    end: int
    value: str


def load(path: Path) -> tuple[str, list[Planted]]:
    """The résumé without markers, and where each planted item lies in it."""
    source = path.read_text(encoding="utf-8")
    pieces: list[str] = []
    planted: list[Planted] = []
    position = length = 0
    for match in _MARKER.finditer(source):
        before = source[position : match.start()]
        pieces.append(before)
        length += len(before)
        kind, value = match.groups()
        planted.append(Planted(kind, length, length + len(value), value))
        pieces.append(value)
        length += len(value)
        position = match.end()
    pieces.append(source[position:])
    return "".join(pieces), planted


FIXTURES = sorted(PII.glob("*.txt"))


def test_there_are_enough_varied_fixtures() -> None:
    kinds = {item.kind for path in FIXTURES for item in load(path)[1]}
    assert len(FIXTURES) >= 6
    assert kinds == {"email", "phone", "address", "url-profile", "date-of-birth", "national-id"}


@pytest.mark.parametrize("path", FIXTURES, ids=lambda path: path.stem)
def test_every_planted_item_is_found_and_nothing_else(path: Path) -> None:
    text, planted = load(path)
    result = redact(text)
    missed = [
        item
        for item in planted
        if not any(f.kind == item.kind and f.start <= item.start and item.end <= f.end for f in result.findings)
    ]
    assert missed == []  # recall 100 %
    spurious = [
        text[f.start : f.end] for f in result.findings if not any(f.start < p.end and p.start < f.end for p in planted)
    ]
    assert spurious == []  # no false positives anywhere else in the résumé
    for item in planted:
        assert item.value not in result.text


@pytest.mark.parametrize("path", FIXTURES, ids=lambda path: path.stem)
def test_text_outside_the_findings_is_unchanged(path: Path) -> None:
    text, _planted = load(path)
    result = redact(text)
    rebuilt, position = [], 0
    for finding in result.findings:
        rebuilt += [text[position : finding.start], f"[{finding.kind}]"]
        position = finding.end
    rebuilt.append(text[position:])
    assert result.text == "".join(rebuilt)


@pytest.mark.parametrize(
    "text",
    [
        "Managed 3 teams of 12 engineers",
        "2019 – 2023",
        "Jan 2021 – Present; 03/2018 - 12/2020; 2014–2018; 2019-2023; June 2017 to Aug 2017",
        "Completed 120 hours of training; worked 40 hours per week",
        "Revenue up 45%, 99.99% uptime, GPA 3.8/4.0, ratio 3:1",
        "Saved $1,250,000 and £45,000; budget €4.5M; 2 500 000 NOK",
        "Python 3.11, Python 3.11.4, Django 4.2, v2.4.1, Node 18, Excel 2016",
        "Processed 62704 claims across 12345678 records",
        "ISO 27001, ISO 9001:2015, CVE-2021-44228, arXiv:2101.12345, 10.0.0.1",
        "Order 123-456-789; SKU 4006381333931; PO 4500012345; invoice 2020-001234",
        "ORCID 0000-0002-1825-0097; student ID 20231234; 1,000,000 users",
        "Years active: 2018 2019 2020 2021; scores 98 95 97 99",
        "Led 4 Main Street revitalization grants in Columbus, OH",
        "Data Analyst, Acme Corp, New York, NY",
        "Published on GitHub; profile on LinkedIn",
        "St Elsewhere Hospital; Office Suite 2019; Unit 4 tests; Apt 3 years",
        "Q3 2021, 24/7 support, 16 GB RAM, 1080p, 4K, Mon–Fri 09:00–17:00",
        "Born and raised in Ohio; dates of 2019",
    ],
)
def test_resume_content_is_not_redacted(text: str) -> None:
    assert redact(text) == Redaction(text=text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("jane.doe+jobs@example.com", "email"),
        ("j.doe(at)uni-example.de", "email"),
        ("+1 (415) 555-2671", "phone"),
        ("+44 (0) 20 7946 0958", "phone"),
        ("0044 20 7946 0958", "phone"),
        ("(02) 9876 5432", "phone"),
        ("030 12345678", "phone"),
        ("98765 43210", "phone"),
        ("+14155550199", "phone"),
        ("(312) 555-0147 ext. 204", "phone"),
        ("Suite 200, 500 Market Street, San Francisco, CA 94105", "address"),
        ("221B Baker Street, London NW1 6XE", "address"),
        ("Post Office Box 77, Columbus, OH 43215", "address"),
        ("SW1A 1AA", "address"),
        ("https://www.linkedin.com/in/jdoe/", "url-profile"),
        ("gitlab.com/jdoe", "url-profile"),
    ],
)
def test_single_items(text: str, kind: str) -> None:
    result = redact(f"Contact: {text}")
    assert result.text == f"Contact: [{kind}]"
    assert result.counts == {kind: 1}


def test_findings_carry_offsets_not_values() -> None:
    text = "Reach me at sam@example.com or (555) 014-2231."
    result = redact(text)
    assert result.text == "Reach me at [email] or [phone]."
    assert result.findings == (Finding("email", 12, 27), Finding("phone", 31, 45))
    assert [field.name for field in dataclasses.fields(Finding)] == ["kind", "start", "end"]
    assert "sam@example.com" not in repr(result.findings)
    assert result.counts == {"email": 1, "phone": 1}
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.text = "x"  # type: ignore[misc]


def test_an_email_is_not_also_a_phone() -> None:
    result = redact("alex.4155550199@example.com")
    assert result.counts == {"email": 1}


def test_empty_text_and_placeholders_are_stable() -> None:
    assert redact("") == Redaction(text="")
    once = redact((PII / "us_caregiver.txt").read_text(encoding="utf-8")).text
    assert redact(once).text == once


def test_a_two_page_resume_is_redacted_quickly() -> None:
    text = "\n\n".join(load(path)[0] for path in FIXTURES)
    assert 5_000 < len(text) < 8_000  # about two pages
    best = min(_timed(text) for _ in range(5))
    assert best < 0.05


def _timed(text: str) -> float:
    started = time.perf_counter()
    redact(text)
    return time.perf_counter() - started


@pytest.mark.parametrize(
    "chunk",
    [
        "a" * 70 + "@" + "b." * 40 + " 1" * 200 + " Street ",  # near-miss e-mails, endless digit groups
        ", ".join(f"{n:08d}" for n in range(40)) + "\n",  # a pasted table of numbers
        "12 Main " * 50 + "(" * 50 + "+" * 50 + "\n",
        "(555) 014-2231 | ",  # nothing but phone numbers: every one goes through the matcher
    ],
    ids=["near-miss-emails", "number-table", "fragments", "phones-only"],
)
def test_long_hostile_input_stays_fast(chunk: str) -> None:
    text = (chunk * (200_000 // len(chunk)))[:200_000]  # the most text a résumé may have
    started = time.perf_counter()
    redact(text)
    assert time.perf_counter() - started < 5.0  # about 1 s for the phone-only text on one core
