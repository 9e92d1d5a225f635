"""O*NET technologies a course names are found by their exact names, and only where they cannot be words."""

from __future__ import annotations

from index.catalogs.onboard.technologies import Technology, TechnologyFinder, technology_finder

TECH = [
    Technology("Microsoft Excel", True, "esco:excel"),
    Technology("Excel", False, None),
    Technology("Tableau", True, "esco:tableau"),
    Technology("R", True, "esco:r"),
    Technology("word", False, None),
    Technology("C++", True, "esco:cpp"),
]


def test_exact_names_longest_first_and_counted_per_sentence() -> None:
    finder = TechnologyFinder(TECH)
    found = finder.find(
        [
            "Build pivot tables in Microsoft Excel and dashboards in Tableau.",
            "Export the Tableau workbook; in R you would do it differently.",
            "Excel at word problems, then write C++ code.",
        ]
    )
    names = {m.name: m for m in found}
    assert names["Tableau"].sentences == 2 and names["Tableau"].skill_uri == "esco:tableau"
    assert "Microsoft Excel" in names and "Excel" not in names  # "Excel at …" opens a sentence: a word
    assert "R" not in names and "word" not in names  # too short, or an everyday word
    assert names["C++"].hot


def test_the_real_taxonomy_gives_a_finder_with_linked_hot_technologies(taxonomy: object) -> None:
    finder = technology_finder(taxonomy)  # type: ignore[arg-type]
    assert len(finder) > 1000
    (tableau,) = [m for m in finder.find(["Create dashboards in Tableau."]) if m.name == "Tableau"]
    assert tableau.hot
