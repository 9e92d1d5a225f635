"""Importer for the O*NET 29.2 database in its official tab-delimited text form.

Reads occupations with alternate and reported titles and job zones, Skills ratings (Importance and
Level scales, rows flagged "Recommend Suppress" or "Not Relevant" left out, as O*NET advises), and
Technology Skills with their Hot Technology / In Demand flags.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from assistant.core.errors import DataSourceError
from assistant.core.models import OnetOccupation, OnetSkillRating, OnetTechnology
from index.importers._files import iter_tsv

RELEASE = "O*NET 29.2"


@dataclass
class OnetData:
    occupations: list[OnetOccupation] = field(default_factory=list)
    skills: list[OnetSkillRating] = field(default_factory=list)
    technologies: list[OnetTechnology] = field(default_factory=list)


def _titles(onet_dir: Path, filename: str, column: str) -> dict[str, list[str]]:
    titles: dict[str, list[str]] = defaultdict(list)
    for row in iter_tsv(onet_dir / filename):
        title = row[column].strip()
        if title and title not in titles[row["O*NET-SOC Code"]]:
            titles[row["O*NET-SOC Code"]].append(title)
    return titles


def read_occupations(onet_dir: Path) -> list[OnetOccupation]:
    alternates = _titles(onet_dir, "Alternate Titles.txt", "Alternate Title")
    reported = _titles(onet_dir, "Sample of Reported Titles.txt", "Reported Job Title")
    zones = {row["O*NET-SOC Code"]: int(row["Job Zone"]) for row in iter_tsv(onet_dir / "Job Zones.txt")}
    return [
        OnetOccupation(
            code=row["O*NET-SOC Code"],
            title=row["Title"],
            alt_titles=tuple(alternates.get(row["O*NET-SOC Code"], ())),
            reported_titles=tuple(reported.get(row["O*NET-SOC Code"], ())),
            job_zone=zones.get(row["O*NET-SOC Code"]),
        )
        for row in iter_tsv(onet_dir / "Occupation Data.txt")
    ]


def read_skill_ratings(onet_dir: Path) -> list[OnetSkillRating]:
    """Pair each element's IM and LV rows into one rating; skip suppressed or not-relevant ones."""
    importance: dict[tuple[str, str], float] = {}
    level: dict[tuple[str, str], float] = {}
    names: dict[str, str] = {}
    for row in iter_tsv(onet_dir / "Skills.txt"):
        if row["Recommend Suppress"] == "Y" or row.get("Not Relevant") == "Y":
            continue
        key = (row["O*NET-SOC Code"], row["Element ID"])
        names[row["Element ID"]] = row["Element Name"]
        value = float(row["Data Value"])
        if row["Scale ID"] == "IM":
            importance[key] = value
        elif row["Scale ID"] == "LV":
            level[key] = value
    return [
        OnetSkillRating(
            onet_code=code, element_id=element, element_name=names[element], importance=im, level=level[(code, element)]
        )
        for (code, element), im in importance.items()
        if (code, element) in level
    ]


def read_technologies(onet_dir: Path) -> list[OnetTechnology]:
    return [
        OnetTechnology(
            onet_code=row["O*NET-SOC Code"],
            example=row["Example"],
            commodity_code=row["Commodity Code"],
            commodity_title=row["Commodity Title"],
            hot_technology=row["Hot Technology"] == "Y",
            in_demand=row["In Demand"] == "Y",
        )
        for row in iter_tsv(onet_dir / "Technology Skills.txt")
    ]


def read_onet(onet_dir: Path) -> OnetData:
    if not onet_dir.is_dir():
        raise DataSourceError(f"O*NET folder not found: {onet_dir}")
    return OnetData(
        occupations=read_occupations(onet_dir),
        skills=read_skill_ratings(onet_dir),
        technologies=read_technologies(onet_dir),
    )
