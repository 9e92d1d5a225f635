"""One entry point for every catalog source: the reader is chosen by the file's extension."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from assistant.core.catalog import Catalog
from assistant.core.errors import DataSourceError
from index.catalogs.csv_mapping import read_csv_catalog
from index.catalogs.files import read_catalog_file
from index.catalogs.source import DEFAULT_MAX_BYTES

DOCUMENT_SUFFIXES = (".yaml", ".yml", ".json")


def load_catalog(
    path: Path,
    *,
    mapping: Path | None = None,
    known_skill_uris: Collection[str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Catalog:
    """Load and validate a catalog, all or nothing.

    ``.yaml``/``.yml``/``.json`` are read as ``stackwise-catalog/1``; ``.csv`` needs the
    ``mapping`` file that says which column is which. ``known_skill_uris`` (the loaded ESCO
    skills) makes skills outside the taxonomy an error. Raises CatalogValidationError with every
    issue found, or DataSourceError when the file cannot be read at all.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in DOCUMENT_SUFFIXES:
        if mapping is not None:
            raise DataSourceError(f"{path}: a column mapping only applies to .csv catalogs")
        return read_catalog_file(path, known_skill_uris=known_skill_uris, max_bytes=max_bytes)
    if suffix == ".csv":
        if mapping is None:
            raise DataSourceError(
                f"{path}: a CSV catalog needs a column mapping file (mapping=...); "
                "see index/data/catalogs/FORMAT.md"
            )
        return read_csv_catalog(path, Path(mapping), known_skill_uris=known_skill_uris, max_bytes=max_bytes)
    raise DataSourceError(
        f"{path}: unsupported catalog file type {suffix or '(none)'!r}; "
        "use .yaml, .yml, .json, or .csv with a mapping"
    )
