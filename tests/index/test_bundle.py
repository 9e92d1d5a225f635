import gzip
import json
import shutil
from pathlib import Path

import pytest

from assistant.adapters.files import sha256_of
from assistant.core.errors import DataSourceError
from assistant.core.models import OnetTechnology, Skill
from assistant.core.taxonomy import Taxonomy
from index import bundle
from index.importers import esco


@pytest.fixture(scope="module")
def built(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bundle") / "bundle"
    bundle.build_bundle(bundle.SourcePaths(shared_data), out)
    return out


def test_manifest_counts_match_the_releases(built: Path) -> None:
    counts = bundle.read_manifest(built)["counts"]
    assert counts["skills"] == 13_896
    assert counts["occupations"] == 3_007
    assert counts["occupation_skill_relations"] == 123_855
    assert counts["onet_occupations"] == 1_016


def test_bundle_holds_no_descriptions(built: Path) -> None:
    with gzip.open(built / "skills.jsonl.gz", "rt", encoding="utf-8") as handle:
        first = json.loads(handle.readline())
    assert "description" not in first
    assert set(first) <= {"id", "label", "alt", "type", "reuse", "broader", "collections"}


def test_round_trip_equals_the_importer(built: Path, shared_data: Path) -> None:
    loaded = bundle.load_taxonomy(built)
    direct = {s.uri: s for s in esco.read_skills(shared_data / "esco")}
    assert loaded.skills == direct
    assert len(loaded.relations) == 123_855


def test_descriptions_attach_from_sources(built: Path, shared_data: Path) -> None:
    loaded = bundle.load_taxonomy(built, descriptions_from=shared_data / "esco")
    described = sum(1 for s in loaded.skills.values() if s.description)
    assert described > 13_000


def test_rebuild_is_byte_identical(built: Path, shared_data: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    bundle.build_bundle(bundle.SourcePaths(shared_data), again)
    for path in built.glob("*.gz"):
        assert sha256_of(path) == sha256_of(again / path.name), path.name


def test_committed_bundle_is_current(shared_data: Path) -> None:
    """The bundle in the repo was derived from exactly these source files (else: `stackwise data bundle`)."""
    recorded = bundle.read_manifest()["sources"]
    current = {name: sha256_of(path) for name, path in bundle.SourcePaths(shared_data).files().items()}
    assert recorded == current


def test_corrupt_file_says_how_to_fix(built: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(built, broken)
    (broken / "skills.jsonl.gz").write_bytes(b"\x1f\x8b garbage")
    with pytest.raises(DataSourceError, match=r"corrupt.*stackwise data bundle"):
        bundle.load_taxonomy(broken)


def test_missing_bundle_says_how_to_fix(tmp_path: Path) -> None:
    with pytest.raises(DataSourceError, match="stackwise data bundle"):
        bundle.load_taxonomy(tmp_path)


def test_missing_sources_are_named(tmp_path: Path) -> None:
    with pytest.raises(DataSourceError, match=r"source files missing.*esco"):
        bundle.build_bundle(bundle.SourcePaths(tmp_path), tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_technology_links_only_unambiguous_labels() -> None:
    skills = [
        Skill(
            uri="http://data.europa.eu/esco/skill/a",
            preferred_label="Python (computer programming)",
            alt_labels=("Python",),
        ),
        Skill(
            uri="http://data.europa.eu/esco/skill/b",
            preferred_label="Java (computer programming)",
            alt_labels=("Java",),
        ),
        Skill(uri="http://data.europa.eu/esco/skill/c", preferred_label="Java island culture", alt_labels=("java",)),
    ]
    techs = [
        OnetTechnology(onet_code="15-1252.00", example=name, commodity_code="1", commodity_title="t")
        for name in ("python", "Java", "Excel")
    ]
    assert bundle.link_technologies(techs, skills) == {"python": "http://data.europa.eu/esco/skill/a"}


def test_crosswalk_codes_carry_over_to_2019() -> None:
    from index.importers.crosswalk import CrosswalkRow

    titles = {
        "15-1252.00": "Software Developers",
        "15-1221.00": "Computer and Information Research Scientists",
        "11-9013.00": "Farmers, Ranchers, and Other Agricultural Managers",
        "11-1011.00": "Chief Executives",
    }
    rows = [
        CrosswalkRow("keep", "11-1011.00", "chief executives", 0.8, 1.0),
        CrosswalkRow("title", "15-1111.00", "computer and information research scientists", 0.8, 1.0),
        CrosswalkRow("head", "15-1132.00", "software developers, applications", 0.8, 1.0),
        CrosswalkRow("base", "11-9013.03", "aquacultural managers", 0.8, 1.0),
        CrosswalkRow("lost", "11-2031.00", "public relations and fundraising managers", 0.8, 1.0),
    ]
    mapped, methods = bundle.map_crosswalk_codes(rows, titles)
    assert mapped == {
        "keep": ("11-1011.00",),
        "title": ("15-1221.00",),
        "head": ("15-1252.00",),
        "base": ("11-9013.00",),
    }
    assert {m: n for m, n in methods.items() if n} == {
        "same_code": 1,
        "same_title": 1,
        "title_head": 1,
        "base_code": 1,
        "unmapped": 1,
    }


def test_loaded_taxonomy_is_usable(taxonomy: Taxonomy) -> None:
    assert taxonomy.stats()["occupations_with_onet"] > 1_400
    assert taxonomy.releases["esco"] == "ESCO v1.1.1"
