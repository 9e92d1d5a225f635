from pathlib import Path

import pytest

from index.importers import onet
from index.importers._files import iter_tsv


@pytest.fixture(scope="module")
def onet_data(shared_data: Path) -> onet.OnetData:
    return onet.read_onet(shared_data / "onet" / "db_29_2_text")


def test_reads_every_occupation_with_titles(onet_data: onet.OnetData) -> None:
    assert len(onet_data.occupations) == 1_016
    ceo = next(o for o in onet_data.occupations if o.code == "11-1011.00")
    assert ceo.title == "Chief Executives"
    assert "Aeronautics Commission Director" in ceo.alt_titles
    assert "CEO (Chief Executive Officer)" in ceo.reported_titles
    assert ceo.job_zone == 5
    assert ceo.soc_code == "11-1011"


def test_pairs_importance_and_level(onet_data: onet.OnetData) -> None:
    rating = next(
        r for r in onet_data.skills if r.onet_code == "11-1011.00" and r.element_name == "Reading Comprehension"
    )
    assert rating.element_id == "2.A.1.a"
    assert rating.importance == pytest.approx(4.12)
    assert rating.level == pytest.approx(4.62)


def test_skips_ratings_marked_not_relevant(onet_data: onet.OnetData, shared_data: Path) -> None:
    skills_file = shared_data / "onet" / "db_29_2_text" / "Skills.txt"
    not_relevant = {
        (row["O*NET-SOC Code"], row["Element ID"]) for row in iter_tsv(skills_file) if row["Not Relevant"] == "Y"
    }
    assert not_relevant, "the release marks some ratings not relevant"
    kept = {(r.onet_code, r.element_id) for r in onet_data.skills}
    assert not kept & not_relevant
    assert len(onet_data.skills) < 61_530 // 2


def test_technology_flags(onet_data: onet.OnetData) -> None:
    assert len(onet_data.technologies) == 32_627
    acrobat = next(t for t in onet_data.technologies if t.onet_code == "11-1011.00" and t.example == "Adobe Acrobat")
    assert acrobat.hot_technology is True
    assert acrobat.in_demand is False
    assert acrobat.commodity_title == "Document management software"
