from pathlib import Path

import pytest

from assistant.core.errors import DataSourceError
from assistant.core.models import RelationType, ReuseLevel, SkillType
from index.importers import esco


@pytest.fixture(scope="module")
def esco_data(shared_data: Path) -> esco.EscoData:
    return esco.read_esco(shared_data / "esco")


def test_reads_the_published_counts(esco_data: esco.EscoData) -> None:
    assert len(esco_data.skills) == 13_896
    assert len(esco_data.occupations) == 3_007
    assert len(esco_data.relations) == 123_855
    assert len(esco_data.skill_groups) == 640
    assert len(esco_data.skill_relations) == 5_899


def test_skill_fields_come_through(esco_data: esco.EscoData) -> None:
    python = next(s for s in esco_data.skills if s.preferred_label == "Python (computer programming)")
    assert "Python" in python.alt_labels
    assert python.uri == "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"
    assert python.skill_type is SkillType.KNOWLEDGE
    assert python.reuse_level is ReuseLevel.SECTOR_SPECIFIC
    assert "digital" in python.collections
    assert python.broader  # placed in the hierarchy
    assert python.description is None  # descriptions stay out unless asked for


def test_alt_labels_are_split_and_exclude_the_preferred_label(esco_data: esco.EscoData) -> None:
    staff = next(s for s in esco_data.skills if s.preferred_label == "manage musical staff")
    assert "manage music staff" in staff.alt_labels
    assert "manage musical staff" not in staff.alt_labels


def test_relations_keep_essential_and_optional(esco_data: esco.EscoData) -> None:
    kinds = {r.relation for r in esco_data.relations}
    assert kinds == {RelationType.ESSENTIAL, RelationType.OPTIONAL}
    essential = sum(r.relation is RelationType.ESSENTIAL for r in esco_data.relations)
    assert 0 < essential < len(esco_data.relations)


def test_occupations_carry_isco_groups(esco_data: esco.EscoData) -> None:
    analyst = next(o for o in esco_data.occupations if o.preferred_label == "data analyst")
    assert analyst.isco_group == "2511"
    assert "data warehouse analyst" in analyst.alt_labels


def test_descriptions_are_read_on_request(shared_data: Path) -> None:
    descriptions = esco.read_descriptions(shared_data / "esco")
    python_uri = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"
    assert "programming" in descriptions[python_uri].lower()


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DataSourceError, match="ESCO folder not found"):
        esco.read_esco(tmp_path / "nope")


def test_wrong_zip_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / esco.CLASSIFICATION_ZIP).write_bytes(b"not a zip")
    (tmp_path / esco.RELATIONS_ZIP).write_bytes(b"not a zip")
    with pytest.raises(DataSourceError, match="not a readable zip"):
        esco.read_skills(tmp_path)
