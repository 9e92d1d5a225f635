"""Columns are matched to catalog fields by their names, or by what their cells hold when no name fits."""

from __future__ import annotations

from index.catalogs.onboard.columns import infer_columns


def test_names_and_contents_both_claim_fields() -> None:
    header = ["Course Title", "Fee", "Col7", "Col8", "Skills Gained", "Notes"]
    rows = [
        {"Course Title": "Intro to SQL", "Fee": "$49", "Col7": "https://x.edu/sql", "Col8": "2–3 hours per week",
         "Skills Gained": "SQL, data analysis", "Notes": "popular"},
        {"Course Title": "Excel", "Fee": "Free", "Col7": "https://x.edu/excel", "Col8": "4 hours per week",
         "Skills Gained": "Microsoft Excel", "Notes": ""},
    ]  # fmt: skip
    claims = infer_columns(header, rows)
    assert claims["title"].column == "Course Title" and claims["title"].how.startswith("name")
    assert claims["price"].column == "Fee"
    assert claims["skills"].column == "Skills Gained"
    assert claims["url"].column == "Col7" and claims["url"].how.startswith("content")
    assert claims["effort"].column == "Col8"
    assert "description" not in claims  # no column says it: not stated, not guessed
    assert "Notes" not in {c.column for c in claims.values()}
