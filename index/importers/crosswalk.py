"""Importer for the ESCO occupation ↔ O*NET-SOC crosswalk (Nesta, mapping-career-causeways).

The file maps each of 1,680 ESCO occupations to one O*NET-SOC 2010 occupation, with a semantic
similarity and a confidence. O*NET 29.2 uses the 2019 taxonomy, so the bundle builder carries codes
that changed over to 2019 (see ``index.bundle.map_crosswalk_codes``).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from assistant.core.errors import DataSourceError
from index.importers._files import require_file

CROSSWALK_FILE = "esco_onet_crosswalk_Nov2020.csv"


@dataclass(frozen=True)
class CrosswalkRow:
    esco_uri: str
    onet_code: str
    onet_title: str
    similarity: float
    confidence: float


def read_crosswalk(path: Path) -> list[CrosswalkRow]:
    require_file(path, "ESCO–O*NET crosswalk")
    rows: list[CrosswalkRow] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for line_no, row in enumerate(csv.DictReader(handle), start=2):
            try:
                rows.append(
                    CrosswalkRow(
                        esco_uri=row["concept_uri"].strip(),
                        onet_code=row["onet_code"].strip(),
                        onet_title=row["onet_occupation"].strip(),
                        similarity=float(row["semantic_similarity"]),
                        confidence=float(row["confidence"]),
                    )
                )
            except (KeyError, ValueError) as exc:
                raise DataSourceError(f"{path.name}, row {line_no}: unreadable crosswalk row ({exc})") from exc
    return rows


def onet_codes_by_esco(rows: list[CrosswalkRow], known_codes: set[str] | None = None) -> dict[str, tuple[str, ...]]:
    """ESCO URI → O*NET-SOC codes, best match first, keeping only codes in ``known_codes`` if given."""
    grouped: dict[str, list[CrosswalkRow]] = {}
    for row in rows:
        if known_codes is not None and row.onet_code not in known_codes:
            continue
        grouped.setdefault(row.esco_uri, []).append(row)
    return {
        uri: tuple(dict.fromkeys(r.onet_code for r in sorted(items, key=lambda r: (r.confidence, -r.similarity))))
        for uri, items in grouped.items()
    }
