"""What text goes into each index part, which key each text maps back to, and the inputs' content hash.

* ``skills``: every ESCO skill's preferred and alternative labels → the skill URI.
* ``occupations``: every ESCO occupation's preferred and alternative labels, plus the O*NET title,
  alternate titles and reported titles of the O*NET occupations the crosswalk maps it to → the
  ESCO occupation URI; and every O*NET occupation's titles → its O*NET-SOC code (kind
  ``onet-occupation``), so O*NET occupations with no ESCO counterpart are found too; and each ESCO
  occupation's label and description as one text (kind ``occupation-profile``), which searches leave
  out: the relevance gate reads their vectors to see how many jobs a course is close to.
* ``credentials``: each credential's title, each learning outcome and the labels of its aligned
  ESCO skills → the credential id, with the metadata that filters use (mode, level, cost,
  duration, language, kind, field).

Texts are whitespace-normalised; blank ones are dropped; a text repeated for one key is kept once
(the first source wins: a preferred label over an alternative). The content hash covers exactly
what is embedded and stored, so an index is stale precisely when its hash differs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from assistant.core.advice.relevance import occupation_profile
from assistant.core.catalog import Catalog
from assistant.core.models import Credential
from assistant.core.ports import (
    CREDENTIAL,
    CREDENTIALS,
    OCCUPATION,
    OCCUPATION_PROFILE,
    OCCUPATIONS,
    ONET_OCCUPATION,
    SKILL,
    SKILLS,
)
from assistant.core.taxonomy import Taxonomy

DOCUMENTS_VERSION = 1


@dataclass(frozen=True, slots=True)
class Entry:
    """One text to embed and the key it stands for."""

    text: str
    kind: str
    key: str
    source: str


@dataclass(frozen=True)
class PartDocuments:
    """All entries of one part plus per-key metadata (``(kind, key)`` → JSON-able dict)."""

    part: str
    entries: tuple[Entry, ...]
    metadata: Mapping[tuple[str, str], Mapping[str, Any]] = field(default_factory=dict)

    @cached_property
    def content_hash(self) -> str:
        digest = hashlib.sha256(f"stackwise-documents/{DOCUMENTS_VERSION}\0{self.part}\0".encode())
        for entry in self.entries:
            digest.update(f"{entry.kind}\0{entry.key}\0{entry.source}\0{entry.text}\n".encode())
        for (kind, key), meta in sorted(self.metadata.items()):
            digest.update(f"{kind}\0{key}\0".encode())
            digest.update(json.dumps(meta, sort_keys=True, ensure_ascii=False, default=str).encode())
            digest.update(b"\n")
        return digest.hexdigest()

    @cached_property
    def unique_texts(self) -> int:
        return len({entry.text for entry in self.entries})

    @cached_property
    def keys(self) -> tuple[tuple[str, str], ...]:
        return tuple(dict.fromkeys((entry.kind, entry.key) for entry in self.entries))

    def counts(self) -> dict[str, int]:
        by_kind: dict[str, int] = {}
        for kind, _ in self.keys:
            by_kind[kind] = by_kind.get(kind, 0) + 1
        return {"entries": len(self.entries), "texts": self.unique_texts, "keys": len(self.keys), **by_kind}

    def sample(self, max_texts: int) -> PartDocuments:
        """The entries of the first keys, up to about ``max_texts`` distinct texts (for quick runs)."""
        by_key: dict[tuple[str, str], list[str]] = {}
        for entry in self.entries:
            by_key.setdefault((entry.kind, entry.key), []).append(entry.text)
        texts: set[str] = set()
        kept_keys: set[tuple[str, str]] = set()
        for item, item_texts in by_key.items():
            if len(texts) >= max_texts:
                break
            kept_keys.add(item)
            texts.update(item_texts)
        entries = tuple(e for e in self.entries if (e.kind, e.key) in kept_keys)
        metadata = {k: v for k, v in self.metadata.items() if k in kept_keys}
        return PartDocuments(self.part, entries, metadata)


def clean(text: str | None) -> str:
    return " ".join(text.split()) if text else ""


class _Collector:
    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self._seen: set[tuple[str, str, str]] = set()

    def add(self, kind: str, key: str, texts: Iterable[str | None], source: str) -> None:
        for raw in texts:
            text = clean(raw)
            if text and (kind, key, text) not in self._seen:
                self._seen.add((kind, key, text))
                self.entries.append(Entry(text, kind, key, source))


def skill_documents(taxonomy: Taxonomy) -> PartDocuments:
    out = _Collector()
    metadata: dict[tuple[str, str], dict[str, Any]] = {}
    for uri in sorted(taxonomy.skills):
        skill = taxonomy.skills[uri]
        out.add(SKILL, uri, [skill.preferred_label], "preferred-label")
        out.add(SKILL, uri, skill.alt_labels, "alt-label")
        metadata[(SKILL, uri)] = {
            "label": skill.preferred_label,
            "skill_type": skill.skill_type.value if skill.skill_type else None,
        }
    return PartDocuments(SKILLS, tuple(out.entries), metadata)


def occupation_documents(taxonomy: Taxonomy) -> PartDocuments:
    out = _Collector()
    metadata: dict[tuple[str, str], dict[str, Any]] = {}
    onet = taxonomy.onet_occupations
    for uri in sorted(taxonomy.occupations):
        occupation = taxonomy.occupations[uri]
        out.add(OCCUPATION, uri, [occupation.preferred_label], "esco-preferred")
        out.add(OCCUPATION, uri, occupation.alt_labels, "esco-alt")
        for code in occupation.onet_codes:
            if code in onet:
                out.add(OCCUPATION, uri, [onet[code].title], "onet-title")
                out.add(OCCUPATION, uri, onet[code].alt_titles, "onet-alt")
                out.add(OCCUPATION, uri, onet[code].reported_titles, "onet-reported")
        metadata[(OCCUPATION, uri)] = {
            "label": occupation.preferred_label,
            "isco_group": occupation.isco_group,
            "onet_codes": list(occupation.onet_codes),
        }
    for code in sorted(onet):
        record = onet[code]
        out.add(ONET_OCCUPATION, code, [record.title], "onet-title")
        out.add(ONET_OCCUPATION, code, record.alt_titles, "onet-alt")
        out.add(ONET_OCCUPATION, code, record.reported_titles, "onet-reported")
        metadata[(ONET_OCCUPATION, code)] = {"label": record.title, "job_zone": record.job_zone}
    for uri in sorted(taxonomy.occupations):
        out.add(OCCUPATION_PROFILE, uri, [occupation_profile(taxonomy.occupations[uri])], "esco-description")
    return PartDocuments(OCCUPATIONS, tuple(out.entries), metadata)


def credential_metadata(credential: Credential) -> dict[str, Any]:
    """The fields filters read (see ``CredentialFilter``), JSON-able."""
    return {
        "id": credential.id,
        "title": credential.title,
        "kind": credential.kind.value,
        "delivery_mode": credential.delivery_mode.value if credential.delivery_mode else None,
        "eqf_level": credential.eqf_level,
        "cost": str(credential.cost.amount) if credential.cost else None,
        "currency": credential.cost.currency if credential.cost else None,
        "duration_weeks": credential.duration_weeks,
        "language": credential.language,
        "field": credential.field,
        "pacing": credential.pacing.value,
        "workload_hours": credential.workload_hours,
        "ects": credential.ects,
        "skill_uris": list(credential.skill_uris),
    }


def credential_documents(catalog: Iterable[Credential] | Catalog, taxonomy: Taxonomy | None = None) -> PartDocuments:
    out = _Collector()
    metadata: dict[tuple[str, str], dict[str, Any]] = {}
    for credential in catalog:
        if (CREDENTIAL, credential.id) in metadata:
            continue
        out.add(CREDENTIAL, credential.id, [credential.title], "title")
        out.add(CREDENTIAL, credential.id, credential.learning_outcomes, "outcome")
        labels = []
        for alignment in credential.skills:
            skill = taxonomy.skills.get(alignment.uri) if taxonomy is not None else None
            labels.append(skill.preferred_label if skill is not None else alignment.label)
        out.add(CREDENTIAL, credential.id, labels, "skill")
        metadata[(CREDENTIAL, credential.id)] = credential_metadata(credential)
    return PartDocuments(CREDENTIALS, tuple(out.entries), metadata)


def build_documents(
    parts: Iterable[str], *, taxonomy: Taxonomy | None = None, catalog: Catalog | None = None
) -> dict[str, PartDocuments]:
    """Documents of the requested parts; taxonomy parts need ``taxonomy``, credentials ``catalog``."""
    builders = {
        SKILLS: lambda: skill_documents(_need(taxonomy, "taxonomy", SKILLS)),
        OCCUPATIONS: lambda: occupation_documents(_need(taxonomy, "taxonomy", OCCUPATIONS)),
        CREDENTIALS: lambda: credential_documents(_need(catalog, "catalog", CREDENTIALS), taxonomy),
    }
    return {part: builders[part]() for part in parts}


def _need(value: Any, what: str, part: str) -> Any:
    if value is None:
        raise ValueError(f"the {part} part needs the {what}")
    return value


def iter_texts(documents: PartDocuments) -> Iterator[str]:
    """Distinct texts in first-seen order."""
    return iter(dict.fromkeys(entry.text for entry in documents.entries))
