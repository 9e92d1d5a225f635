from assistant.core.search import search_occupations, words
from assistant.core.taxonomy import Taxonomy


def test_words_strip_plurals_but_not_double_s() -> None:
    assert words("Data Analysts, class") == {"data", "analyst", "class"}


def test_exact_label_ranks_first(taxonomy: Taxonomy) -> None:
    hits = search_occupations(taxonomy, "data analyst")
    assert hits[0].occupation.preferred_label == "data analyst"
    assert hits[0].score == 1.0


def test_alternative_labels_are_searched(taxonomy: Taxonomy) -> None:
    hits = search_occupations(taxonomy, "data warehouse analyst", limit=3)
    assert hits[0].occupation.preferred_label == "data analyst"
    assert hits[0].matched_label == "data warehouse analyst"


def test_nothing_for_empty_or_unknown_words(taxonomy: Taxonomy) -> None:
    assert search_occupations(taxonomy, "   ") == []
    assert search_occupations(taxonomy, "zzqxv") == []


def test_preferred_label_beats_the_same_words_as_a_synonym(taxonomy: Taxonomy) -> None:
    hits = search_occupations(taxonomy, "welder", limit=5)
    assert hits[0].occupation.preferred_label == "welder"
    assert hits[0].score == 1.0
    assert hits[1].score < 1.0


def test_skills_are_found_as_they_are_typed(taxonomy: Taxonomy) -> None:
    from assistant.core.search import search_skills

    assert [m.label for m in search_skills(taxonomy, "SQL")][:1] == ["SQL"]
    assert any(m.label == "Python (computer programming)" for m in search_skills(taxonomy, "pyth"))
    assert all("custom" in m.matched_label.casefold() for m in search_skills(taxonomy, "customer serv"))
    assert search_skills(taxonomy, "zzqx") == [] and search_skills(taxonomy, "  ") == []


def test_products_are_offered_while_typing(taxonomy: Taxonomy) -> None:
    from assistant.core.search import search_skills

    assert search_skills(taxonomy, "power b")[0].skill_uri == "onet-technology:Microsoft Power BI"
    excel = search_skills(taxonomy, "excel")[0]
    assert (excel.skill_uri, excel.label) == ("onet-technology:Microsoft Excel", "Microsoft Excel")
    assert search_skills(taxonomy, "data ana")[0].source == "esco", "a skill before a kind of software"
    assert "onet-technology:Data analysis software" not in {m.skill_uri for m in search_skills(taxonomy, "data ana")}
