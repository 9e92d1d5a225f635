"""The compact taxonomy bundle committed in the repo, and the loader that turns it into a Taxonomy.

``stackwise data bundle`` derives it from the official releases in ``../shared/data``: labels, codes,
relations and numbers only — no taxonomy descriptions, which the loader attaches from the source
files when they are present. Files are gzipped JSON lines written deterministically (fixed gzip
mtime, sorted where order does not matter), so rebuilding from the same sources changes no byte,
and the manifest records each source file's SHA-256 so a stale bundle can be detected.
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.adapters.files import sha256_of
from assistant.core.errors import DataSourceError
from assistant.core.models import (
    Occupation,
    OccupationSkillRelation,
    OnetOccupation,
    OnetSkillRating,
    OnetTechnology,
    Projection,
    RelationType,
    ReuseLevel,
    Skill,
    SkillGroup,
    SkillType,
    Wage,
)
from assistant.core.taxonomy import Taxonomy
from index import soc_mapping
from index.importers import bls, crosswalk, esco, onet

BUNDLE_FORMAT = "stackwise-taxonomy-bundle/1"
ESCO_BASE = "http://data.europa.eu/esco/"
PACKAGE_DATA = Path(__file__).resolve().parent / "data"
#: the official releases, beside the checkout (``../shared/data``), as ``Settings.source_data_dir`` defaults to
DEFAULT_SOURCE_DIR = Path(__file__).resolve().parents[2] / "shared" / "data"
DEFAULT_BUNDLE_DIR = PACKAGE_DATA / "bundle"
ONET_SKILL_MAPPING = PACKAGE_DATA / "mappings" / "onet_skills_to_esco.csv"


@dataclass(frozen=True)
class SourcePaths:
    """Where the official releases live inside a data folder laid out like ``../shared/data``."""

    root: Path

    @property
    def esco(self) -> Path:
        return self.root / "esco"

    @property
    def onet(self) -> Path:
        return self.root / "onet" / "db_29_2_text"

    @property
    def crosswalk(self) -> Path:
        return self.root / "crosswalk" / crosswalk.CROSSWALK_FILE

    @property
    def oews(self) -> Path:
        return self.root / "demand" / "oews_2025" / "oews-2025.sqlite.gz"

    @property
    def projections(self) -> Path:
        return self.root / "demand" / "projections_2020_2030" / "EP_2020_2030_occupations.csv"

    def files(self) -> dict[str, Path]:
        classification, relations = esco.esco_paths(self.esco)
        onet_files = (
            "Occupation Data.txt",
            "Alternate Titles.txt",
            "Sample of Reported Titles.txt",
            "Job Zones.txt",
            "Skills.txt",
            "Technology Skills.txt",
        )
        files = {"esco/" + classification.name: classification, "esco/" + relations.name: relations}
        files |= {f"onet/{name}": self.onet / name for name in onet_files}
        files |= {"crosswalk": self.crosswalk, "oews": self.oews, "projections": self.projections}
        return files

    def present(self) -> bool:
        return all(path.is_file() for path in self.files().values())


# -- compact URIs ----------------------------------------------------------------------------------
def _short(uri: str) -> str:
    return uri[len(ESCO_BASE) :] if uri.startswith(ESCO_BASE) else uri


def _long(short: str) -> str:
    return short if short.startswith("http") else ESCO_BASE + short


# -- deterministic gzip JSON lines ---------------------------------------------------------------
def _write_jsonl(path: Path, rows: Iterable[Any]) -> int:
    count = 0
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=9) as gz:
        for row in rows:
            gz.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n")
            count += 1
    return count


def _read_jsonl(path: Path) -> Iterator[Any]:
    if not path.is_file():
        raise DataSourceError(f"bundle file missing: {path}; run `stackwise data bundle` to rebuild it")
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                yield json.loads(line)
    except (OSError, json.JSONDecodeError, EOFError) as exc:
        raise DataSourceError(f"bundle file {path.name} is corrupt ({exc}); run `stackwise data bundle`") from exc


def _drop_empty(row: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in row.items() if value not in (None, [], "", False)}


# -- linking O*NET to ESCO -------------------------------------------------------------------------
def link_technologies(technologies: Iterable[OnetTechnology], skills: Iterable[Skill]) -> dict[str, str]:
    """Link O*NET technology examples to ESCO skills whose label matches exactly (case-insensitive).

    Only unambiguous matches are kept: a label shared by two ESCO skills links neither, so no
    requirement is attached to the wrong skill.
    """
    by_label: dict[str, set[str]] = {}
    for skill in skills:
        for label in skill.labels:
            by_label.setdefault(label.casefold(), set()).add(skill.uri)
    links: dict[str, str] = {}
    for tech in technologies:
        uris = by_label.get(tech.example.casefold())
        if uris is not None and len(uris) == 1:
            links[tech.example] = next(iter(uris))
    return links


def read_onet_skill_links(path: Path = ONET_SKILL_MAPPING) -> dict[str, tuple[str, ...]]:
    """O*NET Skills element id → ESCO skill URIs, from the hand-checked mapping file."""
    if not path.is_file():
        return {}
    links: dict[str, list[str]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            links.setdefault(row["element_id"], []).append(row["esco_uri"])
    return {element: tuple(uris) for element, uris in links.items()}


def map_crosswalk_codes(
    rows: list[crosswalk.CrosswalkRow],
    onet_occupations: Iterable[OnetOccupation] | Mapping[str, str],
    labels: Mapping[str, Sequence[str]] | None = None,
    checks: Mapping[str, soc_mapping.SocCheck] | None = None,
) -> tuple[dict[str, tuple[str, ...]], dict[str, int]]:
    """ESCO URI → O*NET 29.2 codes, carrying the crosswalk's O*NET-SOC 2010 codes over to 2019.

    ``onet_occupations`` are the 29.2 occupations (with alternate and reported titles), or only
    code → title; ``labels`` maps an ESCO URI to its preferred then alternative labels; ``checks`` are
    the hand checks, which win. The rules are in ``index.soc_mapping``. Returns the map and how many
    crosswalk rows each rule resolved (``unmapped`` for rows none could).
    """
    onet_titles = (
        soc_mapping.OnetTitles.from_titles(onet_occupations)
        if isinstance(onet_occupations, Mapping)
        else soc_mapping.OnetTitles(onet_occupations)
    )
    decisions = soc_mapping.map_rows(rows, onet_titles, labels, checks)
    by_uri = {row.esco_uri: row for row in rows}
    remapped = [
        crosswalk.CrosswalkRow(
            d.esco_uri,
            d.code,
            onet_titles.titles[d.code],
            by_uri[d.esco_uri].similarity if d.esco_uri in by_uri else 1.0,
            by_uri[d.esco_uri].confidence if d.esco_uri in by_uri else 0.0,
        )
        for d in decisions
        if d.code is not None
    ]
    return crosswalk.onet_codes_by_esco(remapped), soc_mapping.count_methods(decisions, set(by_uri))


def _checks_summary(
    checks: Mapping[str, soc_mapping.SocCheck], rows: list[crosswalk.CrosswalkRow], path: Path
) -> dict[str, Any]:
    """What the manifest says of the hand checks: the file's hash, how many, how many changed a code."""
    in_crosswalk = {row.esco_uri for row in rows}
    return {
        "file": path.name,
        "sha256": sha256_of(path) if path.is_file() else None,
        "checked": len(checks),
        "changed": sum(1 for check in checks.values() if check.changed),
        "outside_crosswalk": sum(1 for uri in checks if uri not in in_crosswalk),
    }


# -- build -----------------------------------------------------------------------------------------
def build_bundle(
    sources: SourcePaths, out_dir: Path = DEFAULT_BUNDLE_DIR, *, soc_checks: Path = soc_mapping.CHECKS_FILE
) -> dict[str, Any]:
    """Derive the bundle from the official files and replace ``out_dir`` atomically.

    ``soc_checks`` is the hand-checked ESCO → O*NET-SOC 2019 file (``index/data/mappings``).
    """
    missing = [name for name, path in sources.files().items() if not path.is_file()]
    if missing:
        raise DataSourceError(f"source files missing under {sources.root}: {', '.join(missing)}")
    onet_data = onet.read_onet(sources.onet)
    esco_data = esco.read_esco(sources.esco)
    crosswalk_rows = crosswalk.read_crosswalk(sources.crosswalk)
    checks = soc_mapping.read_checks(soc_checks)
    onet_codes, crosswalk_methods = map_crosswalk_codes(
        crosswalk_rows,
        onet_data.occupations,
        labels={occ.uri: occ.labels for occ in esco_data.occupations},
        checks=checks,
    )
    esco_data.occupations = [
        occ.model_copy(update={"onet_codes": onet_codes.get(occ.uri, ())}) for occ in esco_data.occupations
    ]
    wages = bls.read_oews_national(sources.oews)
    projections = bls.read_projections(sources.projections)
    tech_links = link_technologies(onet_data.technologies, esco_data.skills)

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".bundle-", dir=out_dir.parent))
    staging.chmod(0o755)
    try:
        counts = {
            "skills": _write_jsonl(staging / "skills.jsonl.gz", (_skill_row(s) for s in esco_data.skills)),
            "skill_groups": _write_jsonl(
                staging / "skill_groups.jsonl.gz", (_group_row(g) for g in esco_data.skill_groups)
            ),
            "occupations": _write_jsonl(
                staging / "occupations.jsonl.gz", (_occupation_row(o) for o in esco_data.occupations)
            ),
            "occupation_skill_relations": _write_relations(staging / "occupation_skills.jsonl.gz", esco_data.relations),
            "skill_skill_relations": _write_jsonl(
                staging / "skill_skills.jsonl.gz",
                ({"s": _short(a), "r": r.value[0], "t": _short(b)} for a, b, r in esco_data.skill_relations),
            ),
            "onet_occupations": _write_jsonl(
                staging / "onet_occupations.jsonl.gz",
                (_drop_empty(o.model_dump(mode="json")) for o in onet_data.occupations),
            ),
            "onet_skill_ratings": _write_jsonl(
                staging / "onet_skills.jsonl.gz",
                ([r.onet_code, r.element_id, r.element_name, r.importance, r.level] for r in onet_data.skills),
            ),
            "onet_technology_skills": _write_jsonl(
                staging / "onet_technology.jsonl.gz",
                (
                    [t.onet_code, t.example, t.commodity_code, t.commodity_title, t.hot_technology, t.in_demand]
                    for t in onet_data.technologies
                ),
            ),
            "wages": _write_jsonl(staging / "wages.jsonl.gz", (_drop_empty(w.model_dump(mode="json")) for w in wages)),
            "projections": _write_jsonl(
                staging / "projections.jsonl.gz", (_drop_empty(p.model_dump(mode="json")) for p in projections)
            ),
            "onet_technologies_linked_to_esco": _write_jsonl(
                staging / "technology_links.jsonl.gz",
                ({"example": k, "skill": _short(v)} for k, v in sorted(tech_links.items())),
            ),
        }
        manifest = {
            "format": BUNDLE_FORMAT,
            "built_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
            "releases": {
                "esco": esco.RELEASE,
                "onet": onet.RELEASE,
                "crosswalk": "Nesta ESCO–O*NET crosswalk (Nov 2020)",
                "oews": wages[0].release if wages else "BLS OEWS",
                "projections": "BLS Employment Projections 2020–30",
            },
            "counts": counts,
            "crosswalk_2010_to_2019": crosswalk_methods,
            "esco_soc_checks": _checks_summary(checks, crosswalk_rows, soc_checks),
            "sources": {name: sha256_of(path) for name, path in sorted(sources.files().items())},
        }
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        _replace_dir(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest


def _replace_dir(staging: Path, target: Path) -> None:
    """Swap ``staging`` into place so a reader never sees a half-written bundle."""
    backup = target.with_name(target.name + ".old")
    if backup.exists():
        shutil.rmtree(backup)
    if target.exists():
        os.replace(target, backup)
    os.replace(staging, target)
    shutil.rmtree(backup, ignore_errors=True)


def _skill_row(skill: Skill) -> dict[str, Any]:
    return _drop_empty(
        {
            "id": _short(skill.uri),
            "label": skill.preferred_label,
            "alt": list(skill.alt_labels),
            "type": skill.skill_type.value if skill.skill_type else None,
            "reuse": skill.reuse_level.value if skill.reuse_level else None,
            "broader": [_short(b) for b in skill.broader],
            "collections": sorted(skill.collections),
        }
    )


def _group_row(group: SkillGroup) -> dict[str, Any]:
    return _drop_empty(
        {
            "id": _short(group.uri),
            "label": group.preferred_label,
            "code": group.code,
            "broader": [_short(b) for b in group.broader],
        }
    )


def _occupation_row(occ: Occupation) -> dict[str, Any]:
    return _drop_empty(
        {
            "id": _short(occ.uri),
            "label": occ.preferred_label,
            "alt": list(occ.alt_labels),
            "isco": occ.isco_group,
            "code": occ.code,
            "onet": list(occ.onet_codes),
            "broader": [_short(b) for b in occ.broader],
            "regulated": occ.regulated or None,
        }
    )


def _write_relations(path: Path, relations: list[OccupationSkillRelation]) -> int:
    """Group relations by occupation, one line each, keeping the source's row order within a group."""
    grouped: dict[str, dict[str, list[str]]] = {}
    for rel in relations:
        grouped.setdefault(rel.occupation_uri, {"essential": [], "optional": []})[rel.relation.value].append(
            _short(rel.skill_uri).removeprefix("skill/")
        )
    _write_jsonl(path, ({"occ": _short(uri), "e": g["essential"], "o": g["optional"]} for uri, g in grouped.items()))
    return len(relations)


# -- load ------------------------------------------------------------------------------------------
def read_manifest(bundle_dir: Path = DEFAULT_BUNDLE_DIR) -> dict[str, Any]:
    path = bundle_dir / "manifest.json"
    if not path.is_file():
        raise DataSourceError(f"no taxonomy bundle at {bundle_dir}; run `stackwise data bundle`")
    manifest: dict[str, Any] = json.loads(path.read_text())
    if manifest.get("format") != BUNDLE_FORMAT:
        raise DataSourceError(
            f"bundle at {bundle_dir} has format {manifest.get('format')!r}, expected {BUNDLE_FORMAT!r}; "
            "run `stackwise data bundle`"
        )
    return manifest


def load_taxonomy(bundle_dir: Path = DEFAULT_BUNDLE_DIR, *, descriptions_from: Path | None = None) -> Taxonomy:
    """Read the bundle; attach ESCO descriptions when the official ESCO folder is given and present."""
    manifest = read_manifest(bundle_dir)
    descriptions: dict[str, str] = {}
    if descriptions_from is not None and (descriptions_from / esco.CLASSIFICATION_ZIP).is_file():
        descriptions = esco.read_descriptions(descriptions_from)
    skills = {}
    for row in _read_jsonl(bundle_dir / "skills.jsonl.gz"):
        uri = _long(row["id"])
        skills[uri] = Skill(
            uri=uri,
            preferred_label=row["label"],
            alt_labels=tuple(row.get("alt", ())),
            skill_type=SkillType(row["type"]) if "type" in row else None,
            reuse_level=ReuseLevel(row["reuse"]) if "reuse" in row else None,
            broader=tuple(_long(b) for b in row.get("broader", ())),
            collections=frozenset(row.get("collections", ())),
            description=descriptions.get(uri),
        )
    groups = {
        _long(row["id"]): SkillGroup(
            uri=_long(row["id"]),
            preferred_label=row["label"],
            code=row.get("code"),
            broader=tuple(_long(b) for b in row.get("broader", ())),
        )
        for row in _read_jsonl(bundle_dir / "skill_groups.jsonl.gz")
    }
    occupations = {}
    for row in _read_jsonl(bundle_dir / "occupations.jsonl.gz"):
        uri = _long(row["id"])
        occupations[uri] = Occupation(
            uri=uri,
            preferred_label=row["label"],
            alt_labels=tuple(row.get("alt", ())),
            isco_group=row["isco"],
            code=row.get("code"),
            onet_codes=tuple(row.get("onet", ())),
            broader=tuple(_long(b) for b in row.get("broader", ())),
            description=descriptions.get(uri),
            regulated=bool(row.get("regulated", False)),
        )
    relations: list[OccupationSkillRelation] = []
    for row in _read_jsonl(bundle_dir / "occupation_skills.jsonl.gz"):
        occ = _long(row["occ"])
        for key, relation in (("e", RelationType.ESSENTIAL), ("o", RelationType.OPTIONAL)):
            relations.extend(
                OccupationSkillRelation.model_construct(
                    occupation_uri=occ, skill_uri=ESCO_BASE + "skill/" + sid, relation=relation
                )
                for sid in row.get(key, ())
            )
    skill_relations = tuple(
        (_long(row["s"]), _long(row["t"]), RelationType.ESSENTIAL if row["r"] == "e" else RelationType.OPTIONAL)
        for row in _read_jsonl(bundle_dir / "skill_skills.jsonl.gz")
    )
    onet_occupations = {
        row["code"]: OnetOccupation.model_validate(row) for row in _read_jsonl(bundle_dir / "onet_occupations.jsonl.gz")
    }
    onet_skills = tuple(
        OnetSkillRating(onet_code=r[0], element_id=r[1], element_name=r[2], importance=r[3], level=r[4])
        for r in _read_jsonl(bundle_dir / "onet_skills.jsonl.gz")
    )
    technologies = tuple(
        OnetTechnology(
            onet_code=r[0], example=r[1], commodity_code=r[2], commodity_title=r[3], hot_technology=r[4], in_demand=r[5]
        )
        for r in _read_jsonl(bundle_dir / "onet_technology.jsonl.gz")
    )
    wages = {row["soc_code"]: Wage.model_validate(row) for row in _read_jsonl(bundle_dir / "wages.jsonl.gz")}
    projections = {
        row["soc_code"]: Projection.model_validate(row) for row in _read_jsonl(bundle_dir / "projections.jsonl.gz")
    }
    tech_links = {row["example"]: _long(row["skill"]) for row in _read_jsonl(bundle_dir / "technology_links.jsonl.gz")}
    return Taxonomy(
        skills=skills,
        occupations=occupations,
        relations=tuple(relations),
        skill_groups=groups,
        skill_relations=skill_relations,
        onet_occupations=onet_occupations,
        onet_skills=onet_skills,
        onet_technologies=technologies,
        wages=wages,
        projections=projections,
        technology_skills=tech_links,
        onet_skill_links=read_onet_skill_links(),
        releases=manifest.get("releases", {}),
    )
