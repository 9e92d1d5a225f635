"""Small readers shared by the source importers: CSV inside zips, tab-delimited text."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

from assistant.core.errors import DataSourceError

csv.field_size_limit(10_000_000)


def require_file(path: Path, what: str) -> Path:
    if not path.is_file():
        raise DataSourceError(f"{what} not found at {path}")
    return path


def iter_zip_csv(archive: Path, member: str) -> Iterator[dict[str, str]]:
    """Yield rows of ``member`` inside ``archive`` as dicts, streaming (no extraction to disk)."""
    require_file(archive, f"archive for {member}")
    try:
        with zipfile.ZipFile(archive) as zf:
            try:
                raw = zf.open(member)
            except KeyError as exc:
                raise DataSourceError(
                    f"{archive.name} has no member {member!r}; is it the ESCO v1.1.1 CSV export?"
                ) from exc
            with raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as text:
                yield from csv.DictReader(text)
    except zipfile.BadZipFile as exc:
        raise DataSourceError(f"{archive} is not a readable zip file: {exc}") from exc


def iter_tsv(path: Path) -> Iterator[dict[str, str]]:
    """Yield rows of an O*NET-style tab-delimited text file with a header line."""
    require_file(path, "tab-delimited source file")
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)


def split_labels(value: str) -> tuple[str, ...]:
    """ESCO packs alternative labels one per line; drop blanks and duplicates, keep order."""
    seen: dict[str, None] = {}
    for label in value.splitlines():
        label = label.strip()
        if label:
            seen.setdefault(label, None)
    return tuple(seen)

