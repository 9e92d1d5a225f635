"""Building, reusing, checking and loading the three parts; the `stackwise index` commands."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from assistant.adapters.search.documents import DOCUMENTS_VERSION
from assistant.adapters.search.errors import IndexCorruptError, IndexNotBuiltError, IndexStaleError, VectorIndexError
from assistant.adapters.search.faiss_store import ENTRIES_FILE, INDEX_FILE
from assistant.adapters.search.indexes import MANIFEST, check_indexes, load_indexes
from assistant.bootstrap import Stackwise
from assistant.core.catalog import Catalog
from assistant.core.ports import CREDENTIALS, OCCUPATIONS, PARTS, SKILLS, CredentialFilter
from assistant.core.taxonomy import Taxonomy
from assistant.index_cli import index_group
from assistant.settings import Settings
from index.build import build_indexes


def snapshot(directory: Path) -> dict[str, tuple[int, str]]:
    """mtime and content hash of every file under a folder."""
    return {
        str(p.relative_to(directory)): (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def part_dir(index_dir: Path, part: str) -> Path:
    top = json.loads((index_dir / MANIFEST).read_text())
    return index_dir / top["parts"][part]["dir"]


def retitled(catalog: Catalog, position: int = 0, suffix: str = " (revised)") -> Catalog:
    credentials = list(catalog)
    credentials[position] = credentials[position].model_copy(update={"title": credentials[position].title + suffix})
    return Catalog(catalog.institution, credentials, source=catalog.source)


@pytest.fixture
def built(tmp_path: Path, small_taxonomy: Taxonomy, small_catalog: Catalog, fake_embedder) -> Path:
    index_dir = tmp_path / "index"
    build_indexes(index_dir, embedder=fake_embedder, taxonomy=small_taxonomy, catalog=small_catalog, progress=False)
    return index_dir


def test_build_writes_each_part_with_its_manifest(built: Path, small_catalog: Catalog, fake_embedder) -> None:
    top = json.loads((built / MANIFEST).read_text())
    assert set(top["parts"]) == set(PARTS)
    for part in PARTS:
        folder = part_dir(built, part)
        assert {p.name for p in folder.iterdir()} == {MANIFEST, INDEX_FILE, ENTRIES_FILE}
        manifest = json.loads((folder / MANIFEST).read_text())
        assert manifest["format"] == "stackwise-index/1"
        assert manifest["part"] == part
        assert manifest["model"] == {"id": "fake-bow-32", "backend": "fake", "dimension": 32}
        assert manifest["index"]["type"] == "flat"
        assert manifest["inputs"]["documents_version"] == DOCUMENTS_VERSION
        assert len(manifest["inputs"]["sha256"]) == 64
        assert set(manifest["files"]) == {INDEX_FILE, ENTRIES_FILE}
        assert manifest["built_at"]
    credentials = json.loads((part_dir(built, CREDENTIALS) / MANIFEST).read_text())
    assert credentials["counts"]["keys"] == credentials["counts"]["credential"] == len(small_catalog)
    occupations = json.loads((part_dir(built, OCCUPATIONS) / MANIFEST).read_text())
    assert occupations["counts"]["occupation"] == 4
    assert occupations["counts"]["onet-occupation"] == 2
    assert not [p for p in built.iterdir() if p.name.startswith(".tmp")]


def test_loaded_indexes_answer_queries(
    built: Path, small_taxonomy: Taxonomy, small_catalog: Catalog, fake_embedder
) -> None:
    indexes = load_indexes(built, embedder=fake_embedder, taxonomy=small_taxonomy, catalog=small_catalog)
    assert indexes.skills.search_one("structured query language", 1)[0].key.endswith("/sql")
    assert indexes.occupations.search_one("data scientist", 1)[0].key.endswith("/ds")
    hits = indexes.credentials.search_one("welding", 3, filter=CredentialFilter(max_cost=500))
    assert hits[0].key == "WELD-1"
    assert all(indexes.credentials.metadata(h.key)["cost"] in {"300", "150", "400", "250", "90", "350"} for h in hits)
    with pytest.raises(TypeError):
        indexes.skills.search("a single string")  # type: ignore[arg-type]


def test_hnsw_above_threshold_is_recorded(tmp_path: Path, small_taxonomy: Taxonomy, fake_embedder) -> None:
    report = build_indexes(
        tmp_path, embedder=fake_embedder, taxonomy=small_taxonomy, parts=[SKILLS], hnsw_threshold=10, progress=False
    )
    assert report.parts[SKILLS].index_type == "hnsw"
    manifest = json.loads((part_dir(tmp_path, SKILLS) / MANIFEST).read_text())
    assert manifest["index"]["type"] == "hnsw"
    assert manifest["index"]["hnsw_threshold"] == 10
    indexes = load_indexes(tmp_path, embedder=fake_embedder, taxonomy=small_taxonomy, parts=[SKILLS])
    assert indexes.skills.search_one("arc welding", 1)[0].key.endswith("/weld")


def test_rebuild_after_catalog_change_reembeds_only_the_catalog(
    built: Path, small_taxonomy: Taxonomy, small_catalog: Catalog, make_fake_embedder
) -> None:
    before = {part: snapshot(part_dir(built, part)) for part in (SKILLS, OCCUPATIONS)}
    dirs_before = {part: part_dir(built, part) for part in (SKILLS, OCCUPATIONS)}
    changed = retitled(small_catalog)
    counting = make_fake_embedder()
    report = build_indexes(built, embedder=counting, taxonomy=small_taxonomy, catalog=changed, progress=False)
    assert report.parts[SKILLS].status == report.parts[OCCUPATIONS].status == "reused"
    assert report.parts[CREDENTIALS].status == "built"
    assert "catalog changed" in report.parts[CREDENTIALS].reason
    catalog_texts = report.parts[CREDENTIALS].counts["texts"]
    assert counting.texts_encoded == catalog_texts, "only the catalog's texts were embedded"
    for part in (SKILLS, OCCUPATIONS):
        assert part_dir(built, part) == dirs_before[part]
        assert snapshot(part_dir(built, part)) == before[part], f"{part} files untouched"
    indexes = load_indexes(built, embedder=counting, taxonomy=small_taxonomy, catalog=changed)
    assert indexes.credentials.search_one("SQL for data analysis (revised)", 1)[0].text.endswith("(revised)")


def test_catalog_only_build_touches_nothing_else(
    built: Path, small_taxonomy: Taxonomy, small_catalog: Catalog, make_fake_embedder
) -> None:
    before = snapshot(built)
    counting = make_fake_embedder()
    report = build_indexes(
        built,
        embedder=counting,
        taxonomy=small_taxonomy,
        catalog=retitled(small_catalog),
        parts=[CREDENTIALS],
        progress=False,
    )
    assert list(report.parts) == [CREDENTIALS]
    after = snapshot(built)
    changed = {name for name in set(before) | set(after) if before.get(name) != after.get(name)}
    assert changed and all(name == MANIFEST or name.startswith("credentials-") for name in changed)
    assert counting.calls and sum(counting.calls) == report.parts[CREDENTIALS].counts["texts"]


def test_unchanged_inputs_are_reused_and_force_rebuilds(
    built: Path, small_taxonomy: Taxonomy, small_catalog: Catalog, make_fake_embedder
) -> None:
    counting = make_fake_embedder()
    report = build_indexes(built, embedder=counting, taxonomy=small_taxonomy, catalog=small_catalog, progress=False)
    assert {r.status for r in report.parts.values()} == {"reused"}
    assert counting.texts_encoded == 0
    report = build_indexes(
        built,
        embedder=counting,
        taxonomy=small_taxonomy,
        catalog=small_catalog,
        parts=[CREDENTIALS],
        force=True,
        progress=False,
    )
    assert report.parts[CREDENTIALS].status == "built"
    assert report.parts[CREDENTIALS].reason == "forced"
    assert len([p for p in built.iterdir() if p.name.startswith("credentials-")]) == 1, "old folder collected"


def test_other_model_is_stale_and_names_every_part(
    built: Path, small_taxonomy: Taxonomy, small_catalog: Catalog, make_fake_embedder
) -> None:
    other = make_fake_embedder(model_id="fake-bow-32-v2")
    with pytest.raises(IndexStaleError) as caught:
        load_indexes(built, embedder=other, taxonomy=small_taxonomy, catalog=small_catalog)
    message = str(caught.value)
    assert set(caught.value.parts) == set(PARTS)
    assert "built with model 'fake-bow-32', but the configured embedder is 'fake-bow-32-v2'" in message
    assert "run `stackwise index build`" in message


def test_other_dimension_is_stale(
    built: Path, small_taxonomy: Taxonomy, small_catalog: Catalog, make_fake_embedder
) -> None:
    with pytest.raises(IndexStaleError, match="32-dimensional"):
        load_indexes(
            built,
            embedder=make_fake_embedder(dimension=16, model_id="fake-bow-32"),
            taxonomy=small_taxonomy,
            catalog=small_catalog,
        )


def test_changed_catalog_is_stale_and_suggests_catalog_only(
    built: Path, small_taxonomy: Taxonomy, small_catalog: Catalog, fake_embedder
) -> None:
    with pytest.raises(IndexStaleError) as caught:
        load_indexes(built, embedder=fake_embedder, taxonomy=small_taxonomy, catalog=retitled(small_catalog))
    assert caught.value.parts == (CREDENTIALS,)
    message = str(caught.value)
    assert "credentials: the catalog changed since it was built" in message
    assert "stackwise index build --catalog-only" in message
    # a stale catalog does not stop loading the taxonomy parts on their own
    indexes = load_indexes(built, embedder=fake_embedder, taxonomy=small_taxonomy, parts=[SKILLS, OCCUPATIONS])
    assert set(indexes.parts) == {SKILLS, OCCUPATIONS}


def test_changed_taxonomy_is_stale(
    built: Path, small_taxonomy: Taxonomy, small_catalog: Catalog, fake_embedder
) -> None:
    skills = dict(small_taxonomy.skills)
    uri = next(iter(skills))
    skills[uri] = skills[uri].model_copy(update={"alt_labels": ("a brand new label",)})
    taxonomy = Taxonomy(
        skills=skills,
        occupations=small_taxonomy.occupations,
        relations=(),
        onet_occupations=small_taxonomy.onet_occupations,
    )
    with pytest.raises(IndexStaleError, match=r"skills: the taxonomy \(ESCO skills\) changed") as caught:
        load_indexes(built, embedder=fake_embedder, taxonomy=taxonomy, catalog=small_catalog)
    assert caught.value.parts == (SKILLS,)
    assert "--catalog-only" not in str(caught.value)


def test_not_built(tmp_path: Path, fake_embedder, small_taxonomy: Taxonomy, small_catalog: Catalog) -> None:
    with pytest.raises(IndexNotBuiltError, match=r"index not built in .*\n  - skills: not built yet") as caught:
        load_indexes(tmp_path / "nothing", embedder=fake_embedder, taxonomy=small_taxonomy, catalog=small_catalog)
    assert isinstance(caught.value, IndexStaleError)
    assert "run `stackwise index build`" in str(caught.value)


@pytest.mark.parametrize("damage", ["flip-byte", "truncate", "delete", "part-manifest", "top-manifest"])
def test_corrupt_files_raise_a_clear_error(
    built: Path, small_taxonomy: Taxonomy, small_catalog: Catalog, fake_embedder, damage: str
) -> None:
    folder = part_dir(built, SKILLS)
    target = folder / INDEX_FILE
    if damage == "flip-byte":
        data = bytearray(target.read_bytes())
        data[-10] ^= 0x01
        target.write_bytes(bytes(data))
    elif damage == "truncate":
        target.write_bytes(target.read_bytes()[:50])
    elif damage == "delete":
        target.unlink()
    elif damage == "part-manifest":
        (folder / MANIFEST).write_text("{")
    else:
        (built / MANIFEST).write_text("not json")
    with pytest.raises(IndexCorruptError) as caught:
        load_indexes(built, embedder=fake_embedder, taxonomy=small_taxonomy, catalog=small_catalog)
    message = str(caught.value)
    assert "index is corrupt" in message
    assert "run `stackwise index build`" in message
    if damage != "top-manifest":
        assert caught.value.parts == (SKILLS,)
        # the builder sees it too and rebuilds just that part
        report = build_indexes(
            built, embedder=fake_embedder, taxonomy=small_taxonomy, catalog=small_catalog, progress=False
        )
        assert [name for name, r in report.parts.items() if r.status == "built"] == [SKILLS]
        load_indexes(built, embedder=fake_embedder, taxonomy=small_taxonomy, catalog=small_catalog)


def test_failed_build_leaves_the_previous_index_usable(
    built: Path, small_taxonomy: Taxonomy, small_catalog: Catalog, fake_embedder
) -> None:
    class Exploding:
        model_id, dimension = fake_embedder.model_id, fake_embedder.dimension

        def embed(self, texts: Any) -> Any:
            raise RuntimeError("out of memory")

    before = snapshot(built)
    with pytest.raises(RuntimeError):
        build_indexes(
            built, embedder=Exploding(), taxonomy=small_taxonomy, catalog=small_catalog, force=True, progress=False
        )
    assert snapshot(built) == before
    load_indexes(built, embedder=fake_embedder, taxonomy=small_taxonomy, catalog=small_catalog)


def test_check_indexes_reports_without_raising(
    built: Path, small_taxonomy: Taxonomy, small_catalog: Catalog, fake_embedder
) -> None:
    statuses = check_indexes(built, model_id="fake-bow-32", dimension=32)
    assert {s.state for s in statuses.values()} == {"fresh"}
    (part_dir(built, OCCUPATIONS) / ENTRIES_FILE).write_text("[]")
    statuses = check_indexes(built, model_id="other")
    assert statuses[OCCUPATIONS].state == "corrupt"
    assert statuses[SKILLS].state == "stale"
    assert issubclass(IndexCorruptError, VectorIndexError)


# -- the commands -------------------------------------------------------------------------------------
@pytest.fixture
def service(tmp_path: Path, small_taxonomy: Taxonomy, small_catalog: Catalog, fake_embedder) -> Any:
    settings = Settings(state_dir=tmp_path / "state")
    return Stackwise(settings, taxonomy=small_taxonomy, catalog=small_catalog, embedder=fake_embedder)


def test_cli_build_then_stats(service: Any) -> None:
    runner = CliRunner()
    result = runner.invoke(index_group, ["stats", "--json"], obj=service)
    assert result.exit_code == 1
    assert json.loads(result.stdout)["parts"]["skills"]["state"] == "missing"

    result = runner.invoke(index_group, ["build", "--quiet"], obj=service)
    assert result.exit_code == 0, result.output
    assert "skills" in result.stdout and "built in" in result.stdout

    result = runner.invoke(index_group, ["stats", "--json"], obj=service)
    assert result.exit_code == 0, result.output
    stats = json.loads(result.stdout)
    assert stats["ok"] is True
    assert stats["model"] == {"id": "fake-bow-32", "dimension": 32}
    for part in PARTS:
        assert stats["parts"][part]["state"] == "fresh"
        assert stats["parts"][part]["index_type"] == "flat"
        assert stats["parts"][part]["bytes_on_disk"] > 0
        assert stats["parts"][part]["dimension"] == 32
    assert stats["parts"]["credentials"]["counts"]["keys"] == 12

    result = runner.invoke(index_group, ["build", "--catalog-only", "--quiet"], obj=service)
    assert result.exit_code == 0
    assert "credentials  up to date" in result.stdout

    result = runner.invoke(index_group, ["stats"], obj=service)
    assert result.exit_code == 0
    assert "fresh" in result.stdout


def test_cli_stats_flags_a_stale_catalog(
    service: Any, small_taxonomy: Taxonomy, small_catalog: Catalog, fake_embedder
) -> None:
    runner = CliRunner()
    assert runner.invoke(index_group, ["build", "-q"], obj=service).exit_code == 0
    changed = Stackwise(
        service.settings, taxonomy=small_taxonomy, catalog=retitled(small_catalog), embedder=fake_embedder
    )
    result = runner.invoke(index_group, ["stats"], obj=changed)
    assert result.exit_code == 1
    assert "stale" in result.stdout and "the catalog changed" in result.stdout
    assert "stackwise index build --catalog-only" in result.stderr
    result = runner.invoke(index_group, ["build", "--catalog-only", "--json", "-q"], obj=changed)
    assert json.loads(result.stdout)["parts"]["credentials"]["status"] == "built"


def test_cli_reports_errors_without_a_traceback(service: Any, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(index_group, ["build", "-q"], obj=service).exit_code == 0
    index_dir = service.settings.index_path
    top = json.loads((index_dir / MANIFEST).read_text())
    (index_dir / top["parts"]["skills"]["dir"] / INDEX_FILE).write_bytes(b"junk")
    result = runner.invoke(index_group, ["stats"], obj=service)
    assert result.exit_code == 1
    assert "corrupt" in result.stdout
    assert "Traceback" not in result.output
