"""Special-category personal data is found where the writer discloses it, not wherever a word appears."""

from __future__ import annotations

import pytest

from assistant.core.sensitive import has_special_category, special_category


@pytest.mark.parametrize(
    ("line", "category"),
    [
        ("Religion: Hindu", "religion"),
        ("Caste: General (OC)", "ethnicity"),
        ("Category: OBC", "ethnicity"),
        ("Physically challenged (lower-limb disability)", "disability"),
        ("Physically challenged (bilateral hearing impairment) – uses hearing aids", "disability"),
        ("Health: asthma, well controlled", "health"),
        ("Health: type 1 diabetic, well controlled", "health"),
        ("I live with type 1 diabetes and manage it well.", "health"),
        ("Member of UNITE trade union", "trade-union"),
        ("Member of the Boilermakers union since 2015", "trade-union"),
        ("Sexual orientation: gay", "sexual-orientation"),
        ("Political affiliation: Green Party", "political"),
    ],
)
def test_disclosures_are_found(line: str, category: str) -> None:
    found = list(special_category(f"Skills: SQL\n{line}\nExcel"))
    assert [f.category for f in found][:1] == [category]
    text = f"Skills: SQL\n{line}\nExcel"
    assert text[found[0].start : found[0].end].strip() == line  # the whole line, nothing around it


@pytest.mark.parametrize(
    "line",
    [
        "Cared for 30 patients a shift on the mental health ward",
        "Category: Retail operations",
        "Delivered disability awareness training to 40 staff",
        "Negotiated with the union on shift patterns",
        "Union Pacific Railroad, Omaha NE",
        "Health and safety: IOSH Managing Safely",
        "Taught religious education to years 7 to 9",
    ],
)
def test_work_about_these_topics_is_not_personal_data(line: str) -> None:
    assert not has_special_category(line)
