"""Catalog importers: YAML/JSON in the native format, CSV exports through a column mapping.

Every reader validates all records and the catalog as a whole and returns a finished
:class:`~assistant.core.catalog.Catalog` or raises with every issue found; nothing half-loaded.
"""

from index.catalogs.csv_mapping import MAPPING_FORMAT, CsvMapping, load_mapping, read_csv_catalog
from index.catalogs.files import FORMAT, catalog_from_document, read_catalog_file
from index.catalogs.loader import load_catalog
from index.catalogs.source import DEFAULT_MAX_BYTES

__all__ = [
    "DEFAULT_MAX_BYTES",
    "FORMAT",
    "MAPPING_FORMAT",
    "CsvMapping",
    "catalog_from_document",
    "load_catalog",
    "load_mapping",
    "read_catalog_file",
    "read_csv_catalog",
]
