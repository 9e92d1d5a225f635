"""Reading the API's ``indexes`` check into the banner's share of the whole build."""

from __future__ import annotations

import pytest

from ui.components.preparing import build_fraction


@pytest.mark.parametrize(
    ("check", "expected"),
    [
        ("building: skills 0% (part 1 of 3)", (0.0, "skills")),
        ("building: skills 45% (part 1 of 3)", (0.15, "skills")),
        ("building: credentials 100% (part 3 of 3)", (1.0, "credentials")),
        ("building: credentials 40% (part 1 of 1)", (0.4, "credentials")),
    ],
)
def test_share_of_the_whole_build(check: str, expected: tuple[float, str]) -> None:
    share, part = build_fraction(check) or (None, None)
    assert part == expected[1] and share == pytest.approx(expected[0])


def test_no_build_no_banner() -> None:
    assert build_fraction("") is None and build_fraction("ok") is None
