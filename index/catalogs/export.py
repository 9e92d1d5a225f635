"""Write a catalog back out in the native format, so imported records (CTDL, Open Badges) can be
reviewed, edited and then loaded like any other catalog."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from assistant.core.models import Credential, Institution
from index.catalogs.files import FORMAT


def catalog_document(institution: Institution, credentials: Iterable[Credential]) -> dict[str, Any]:
    """The native document for these records: every field explicit, no defaults block."""
    return {
        "format": FORMAT,
        "institution": institution.model_dump(mode="json", exclude_none=True),
        "credentials": [
            credential.model_dump(mode="json", exclude_none=True, exclude_defaults=True) for credential in credentials
        ],
    }


def write_catalog(path: Path, institution: Institution, credentials: Iterable[Credential]) -> None:
    """Write YAML (or JSON for a ``.json`` path) atomically: a temp file renamed into place."""
    document = catalog_document(institution, credentials)
    if path.suffix.lower() == ".json":
        import json

        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    else:
        text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=110)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
