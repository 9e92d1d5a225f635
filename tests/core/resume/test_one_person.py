"""One person's résumé or several: joined résumés and far-too-long text are named, real résumés pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.core.resume import structure
from assistant.core.resume.one_person import MAX_WORDS, measure, not_one_person

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "resumes"
RESUMES = sorted(FIXTURES.glob("*.txt"))


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", RESUMES, ids=lambda p: p.stem)
def test_one_real_resume_is_one_person(path: Path) -> None:
    assert not_one_person(structure(_text(path))) is None


def test_two_resumes_joined_are_not_refused_on_their_headings_alone() -> None:
    # two look like one long résumé with two jobs' worth of sections: a known miss, not a false alarm
    joined = structure("\n\n".join(_text(p) for p in RESUMES[:2]))
    assert measure(joined).experience_headings == 2
    assert not_one_person(joined) is None


def test_several_resumes_joined_are_named_with_the_signs() -> None:
    joined = structure("\n\n".join(_text(p) for p in (*RESUMES, *RESUMES[:1])))
    message = not_one_person(joined)
    assert message is not None
    assert "several résumés joined together" in message and "4 separate work-experience sections" in message
    assert "just yours" in message


def test_three_e_mail_addresses_are_three_people() -> None:
    text = "\n".join(
        f"Name {n}\n{n}@example.org\nExperience\nClerk, Acme, 2019 - 2021\nFiled records." for n in ("ann", "bo", "cy")
    )
    message = not_one_person(structure(text))
    assert message is not None and "3 different e-mail addresses" in message


def test_far_more_text_than_a_resume_is_refused_with_its_size() -> None:
    words = ("Managed the weekly stock count and trained new staff on the till. " * (MAX_WORDS // 12 + 50)).strip()
    message = not_one_person(structure(f"Experience\n{words}"))
    assert message is not None and "far more than one person's résumé" in message
    assert f"{len(words.split()) + 1:,} words" in message
