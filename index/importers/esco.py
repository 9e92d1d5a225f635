"""Importer for the official ESCO v1.1.1 CSV export (English), read straight from the two zips.

Expects ``esco_v1.1.1_classification_en_csv.zip`` and ``esco_v1.1.1_relations_csv.zip`` as the
European Commission publishes them. Descriptions are read only when asked for: they stay out of
the committed bundle and are attached at load time when the source files are present.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from assistant.core.errors import DataSourceError
from assistant.core.models import (
    Occupation,
    OccupationSkillRelation,
    RelationType,
    ReuseLevel,
    Skill,
    SkillGroup,
    SkillType,
)
from index.importers._files import iter_zip_csv, split_labels

CLASSIFICATION_ZIP = "esco_v1.1.1_classification_en_csv.zip"
RELATIONS_ZIP = "esco_v1.1.1_relations_csv.zip"
RELEASE = "ESCO v1.1.1"

#: collection name → member CSV listing the skills in it
SKILL_COLLECTIONS = {
    "digital": "digitalSkillsCollection_en.csv",
    "digcomp": "digCompSkillsCollection_en.csv",
    "green": "greenSkillsCollection_en.csv",
    "language": "languageSkillsCollection_en.csv",
    "research": "researchSkillsCollection_en.csv",
    "transversal": "transversalSkillsCollection_en.csv",
}


@dataclass
class EscoData:
    """Everything the importer read, in source order."""

    skills: list[Skill] = field(default_factory=list)
    skill_groups: list[SkillGroup] = field(default_factory=list)
    occupations: list[Occupation] = field(default_factory=list)
    relations: list[OccupationSkillRelation] = field(default_factory=list)
    skill_relations: list[tuple[str, str, RelationType]] = field(default_factory=list)


def esco_paths(esco_dir: Path) -> tuple[Path, Path]:
    return esco_dir / CLASSIFICATION_ZIP, esco_dir / RELATIONS_ZIP


def _broader_map(relations_zip: Path, member: str) -> dict[str, list[str]]:
    broader: dict[str, list[str]] = defaultdict(list)
    for row in iter_zip_csv(relations_zip, member):
        broader[row["conceptUri"]].append(row["broaderUri"])
    return broader


def _collections(classification_zip: Path) -> dict[str, set[str]]:
    membership: dict[str, set[str]] = defaultdict(set)
    for name, member in SKILL_COLLECTIONS.items():
        for row in iter_zip_csv(classification_zip, member):
            membership[row["conceptUri"]].add(name)
    return membership


def read_skills(esco_dir: Path, *, with_descriptions: bool = False) -> list[Skill]:
    classification_zip, relations_zip = esco_paths(esco_dir)
    broader = _broader_map(relations_zip, "broaderRelationsSkillPillar.csv")
    membership = _collections(classification_zip)
    skills: list[Skill] = []
    for row in iter_zip_csv(classification_zip, "skills_en.csv"):
        uri = row["conceptUri"]
        skills.append(
            Skill(
                uri=uri,
                preferred_label=row["preferredLabel"],
                alt_labels=tuple(a for a in split_labels(row["altLabels"]) if a != row["preferredLabel"]),
                skill_type=SkillType(row["skillType"]) if row["skillType"] else None,
                reuse_level=ReuseLevel(row["reuseLevel"]) if row["reuseLevel"] else None,
                broader=tuple(broader.get(uri, ())),
                collections=frozenset(membership.get(uri, ())),
                description=(row["description"].strip() or None) if with_descriptions else None,
            )
        )
    return skills


def read_skill_groups(esco_dir: Path) -> list[SkillGroup]:
    classification_zip, relations_zip = esco_paths(esco_dir)
    broader = _broader_map(relations_zip, "broaderRelationsSkillPillar.csv")
    return [
        SkillGroup(
            uri=row["conceptUri"],
            preferred_label=row["preferredLabel"],
            code=row["code"] or None,
            broader=tuple(broader.get(row["conceptUri"], ())),
        )
        for row in iter_zip_csv(classification_zip, "skillGroups_en.csv")
    ]


def read_occupations(
    esco_dir: Path, *, onet_codes: dict[str, tuple[str, ...]] | None = None, with_descriptions: bool = False
) -> list[Occupation]:
    """Occupations with ISCO group and broader links; ``onet_codes`` comes from the crosswalk."""
    classification_zip, relations_zip = esco_paths(esco_dir)
    broader = _broader_map(relations_zip, "broaderRelationsOccPillar.csv")
    crosswalk = onet_codes or {}
    occupations: list[Occupation] = []
    for row in iter_zip_csv(classification_zip, "occupations_en.csv"):
        uri = row["conceptUri"]
        occupations.append(
            Occupation(
                uri=uri,
                preferred_label=row["preferredLabel"],
                alt_labels=tuple(a for a in split_labels(row["altLabels"]) if a != row["preferredLabel"]),
                isco_group=row["iscoGroup"],
                code=row["code"] or None,
                onet_codes=crosswalk.get(uri, ()),
                broader=tuple(broader.get(uri, ())),
                description=(row["description"].strip() or None) if with_descriptions else None,
                regulated=row.get("regulatedProfessionNote", "").rstrip("/").endswith("/regulated"),
            )
        )
    return occupations


def read_occupation_skill_relations(esco_dir: Path) -> list[OccupationSkillRelation]:
    _, relations_zip = esco_paths(esco_dir)
    return [
        OccupationSkillRelation(
            occupation_uri=row["occupationUri"],
            skill_uri=row["skillUri"],
            relation=RelationType(row["relationType"]),
        )
        for row in iter_zip_csv(relations_zip, "occupationSkillRelations.csv")
    ]


def read_skill_skill_relations(esco_dir: Path) -> list[tuple[str, str, RelationType]]:
    """Skill→skill links (essential/optional): 'knowing X usually goes with Y'."""
    _, relations_zip = esco_paths(esco_dir)
    return [
        (row["originalSkillUri"], row["relatedSkillUri"], RelationType(row["relationType"]))
        for row in iter_zip_csv(relations_zip, "skillSkillRelations.csv")
    ]


def read_descriptions(esco_dir: Path) -> dict[str, str]:
    """URI → description for skills and occupations, for attaching to the bundle at load time."""
    classification_zip, _ = esco_paths(esco_dir)
    out: dict[str, str] = {}
    for member in ("skills_en.csv", "occupations_en.csv"):
        for row in iter_zip_csv(classification_zip, member):
            text = row["description"].strip()
            if text:
                out[row["conceptUri"]] = text
    return out


def read_esco(esco_dir: Path, *, onet_codes: dict[str, tuple[str, ...]] | None = None) -> EscoData:
    if not esco_dir.is_dir():
        raise DataSourceError(f"ESCO folder not found: {esco_dir}")
    return EscoData(
        skills=read_skills(esco_dir),
        skill_groups=read_skill_groups(esco_dir),
        occupations=read_occupations(esco_dir, onet_codes=onet_codes),
        relations=read_occupation_skill_relations(esco_dir),
        skill_relations=read_skill_skill_relations(esco_dir),
    )
