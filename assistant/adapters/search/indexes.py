"""The built vector indexes on disk: their format, how each part is checked, and loading them to search.

On disk (``settings.index_path``, by default ``.stackwise/index``)::

    manifest.json                  which folder holds each part (replaced atomically)
    skills-<build id>/             one folder per part, never modified once written
        manifest.json              format, model (id, backend, dimension), counts, index type,
                                   input content hash, file sizes and SHA-256, built_at, timings
        index.faiss                the FAISS index (flat or HNSW, inner product on unit vectors)
        entries.json               texts (row order), keys, sources, entry links, key metadata
    occupations-<build id>/ …
    credentials-<build id>/ …

``index.build`` (offline tooling, ``stackwise index build``) writes them; this adapter reads them at run
time. Loading re-checks the model, the inputs and the files and raises :class:`IndexStaleError` /
:class:`IndexCorruptError` naming the part, the reason and the command that fixes it.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from assistant.adapters.search.documents import DOCUMENTS_VERSION, PartDocuments, build_documents
from assistant.adapters.search.errors import (
    IndexCorruptError,
    IndexNotBuiltError,
    IndexStaleError,
    PartProblem,
    VectorIndexError,
)
from assistant.adapters.search.faiss_store import ENTRIES_FILE, INDEX_FILE, FaissStore, file_digest
from assistant.core.catalog import Catalog
from assistant.core.ports import CREDENTIALS, OCCUPATIONS, PARTS, SKILLS, Embedder, Hit, MetadataFilter, Vectors
from assistant.core.taxonomy import Taxonomy

INDEX_FORMAT = "stackwise-index/1"
MANIFEST = "manifest.json"
_INPUT_NAMES = {SKILLS: "the taxonomy (ESCO skills)", OCCUPATIONS: "the taxonomy (occupations, O*NET titles)"}
_INPUT_NAMES[CREDENTIALS] = "the catalog"

State = Literal["fresh", "stale", "missing", "corrupt"]


# -- status ------------------------------------------------------------------------------------------
@dataclass
class PartStatus:
    """What is on disk for one part and whether it can be used as is."""

    part: str
    state: State
    reason: str = ""
    directory: Path | None = None
    manifest: dict[str, Any] = field(default_factory=dict)

    @property
    def usable(self) -> bool:
        return self.state == "fresh"

    def problem(self) -> PartProblem:
        return PartProblem(self.part, self.reason, corrupt=self.state == "corrupt")

    def disk_bytes(self) -> int:
        if self.directory is None or not self.directory.is_dir():
            return 0
        return sum(p.stat().st_size for p in self.directory.iterdir() if p.is_file())


def _read_json(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    return data


def read_top_manifest(index_dir: Path) -> dict[str, Any] | None:
    """The top manifest, ``None`` when there is none; raises IndexCorruptError when unreadable."""
    path = index_dir / MANIFEST
    if not path.is_file():
        return None
    try:
        data = _read_json(path)
    except (OSError, ValueError) as exc:
        raise IndexCorruptError(
            [PartProblem("manifest", f"{path} is unreadable ({exc})", corrupt=True)], index_dir
        ) from exc
    return data


def check_part(
    index_dir: Path,
    part: str,
    *,
    top: Mapping[str, Any] | None,
    model_id: str | None,
    dimension: int | None,
    documents: PartDocuments | None,
    verify_files: bool = True,
) -> PartStatus:
    """Compare one part's manifest with the embedder and the inputs, and its files with the manifest.

    ``model_id`` / ``dimension`` / ``documents`` left ``None`` are not checked.
    """
    entry = (top or {}).get("parts", {}).get(part)
    if not entry:
        return PartStatus(part, "missing", "not built yet")
    directory = index_dir / str(entry.get("dir", ""))
    manifest_path = directory / MANIFEST
    if not entry.get("dir") or not manifest_path.is_file():
        return PartStatus(part, "corrupt", f"its folder {directory} or its manifest is missing", directory)
    try:
        manifest = _read_json(manifest_path)
    except (OSError, ValueError) as exc:
        return PartStatus(part, "corrupt", f"{manifest_path} is unreadable ({exc})", directory)
    status = PartStatus(part, "fresh", "", directory, manifest)
    if manifest.get("format") != INDEX_FORMAT or manifest.get("part") != part:
        status.state, status.reason = (
            "stale",
            (
                f"written in format {manifest.get('format')!r} for part {manifest.get('part')!r}; "
                f"this version reads {INDEX_FORMAT!r}"
            ),
        )
        return status
    if verify_files:
        for name in (INDEX_FILE, ENTRIES_FILE):
            expected = manifest.get("files", {}).get(name, {})
            path = directory / name
            try:
                size, digest = file_digest(path)
            except OSError as exc:
                status.state, status.reason = "corrupt", f"cannot read {path} ({exc.strerror or exc})"
                return status
            if size != expected.get("bytes") or digest != expected.get("sha256"):
                status.state, status.reason = "corrupt", f"{path} does not match the size and checksum in its manifest"
                return status
    model = manifest.get("model", {})
    if model_id is not None and model.get("id") != model_id:
        status.state, status.reason = (
            "stale",
            (f"built with model {model.get('id')!r}, but the configured embedder is {model_id!r}"),
        )
        return status
    if dimension is not None and model.get("dimension") != dimension:
        status.state, status.reason = (
            "stale",
            (f"built with {model.get('dimension')}-dimensional vectors, the embedder gives {dimension}"),
        )
        return status
    if documents is not None:
        inputs = manifest.get("inputs", {})
        if inputs.get("documents_version") != DOCUMENTS_VERSION:
            status.state, status.reason = (
                "stale",
                (
                    f"built with document format {inputs.get('documents_version')}, "
                    f"this version uses {DOCUMENTS_VERSION}"
                ),
            )
        elif inputs.get("sha256") != documents.content_hash:
            status.state, status.reason = (
                "stale",
                (
                    f"{_INPUT_NAMES.get(part, 'its inputs')} changed since it was built "
                    f"(content hash {str(inputs.get('sha256'))[:12]}… ≠ {documents.content_hash[:12]}…)"
                ),
            )
    return status


def check_indexes(
    index_dir: Path,
    *,
    model_id: str | None = None,
    dimension: int | None = None,
    documents: Mapping[str, PartDocuments] | None = None,
    parts: Iterable[str] = PARTS,
    verify_files: bool = True,
) -> dict[str, PartStatus]:
    """The status of each part; never raises for a bad part (a broken top manifest reads as corrupt)."""
    try:
        top = read_top_manifest(index_dir)
    except IndexCorruptError as exc:
        return {part: PartStatus(part, "corrupt", exc.problems[0].reason) for part in parts}
    return {
        part: check_part(
            index_dir,
            part,
            top=top,
            model_id=model_id,
            dimension=dimension,
            documents=(documents or {}).get(part),
            verify_files=verify_files,
        )
        for part in parts
    }


def raise_for_status(index_dir: Path, statuses: Mapping[str, PartStatus]) -> None:
    """Raise the error that fits the worst problem, listing every unusable part."""
    bad = [status for status in statuses.values() if not status.usable]
    if not bad:
        return
    problems = [status.problem() for status in bad]
    if any(status.state == "corrupt" for status in bad):
        raise IndexCorruptError(problems, index_dir)
    if all(status.state == "missing" for status in bad):
        raise IndexNotBuiltError(problems, index_dir)
    raise IndexStaleError(problems, index_dir)


# -- loading -----------------------------------------------------------------------------------------
class BoundIndex:
    """One part with the embedder it was built with: texts in, hits out (the ``SemanticIndex`` port)."""

    def __init__(self, store: FaissStore, embedder: Embedder, manifest: Mapping[str, Any] | None = None) -> None:
        self.store = store
        self.embedder = embedder
        self.manifest = dict(manifest or {})

    @property
    def part(self) -> str:
        return self.store.part

    def __len__(self) -> int:
        return len(self.store)

    def __repr__(self) -> str:
        return f"BoundIndex({self.store!r}, model={self.embedder.model_id!r})"

    def search(
        self,
        texts: Sequence[str],
        k: int = 10,
        *,
        filter: MetadataFilter | None = None,
        kinds: Collection[str] | None = None,
    ) -> list[list[Hit]]:
        if isinstance(texts, str):
            raise TypeError("search() takes a sequence of texts; use search_one() for a single text")
        if not texts:
            return []
        return self.store.search(self.embedder.embed(texts), k, filter=filter, kinds=kinds)

    def search_one(
        self,
        text: str,
        k: int = 10,
        *,
        filter: MetadataFilter | None = None,
        kinds: Collection[str] | None = None,
    ) -> list[Hit]:
        return self.search([text], k, filter=filter, kinds=kinds)[0]

    def search_vectors(
        self,
        vectors: Vectors,
        k: int = 10,
        *,
        filter: MetadataFilter | None = None,
        kinds: Collection[str] | None = None,
    ) -> list[list[Hit]]:
        return self.store.search(vectors, k, filter=filter, kinds=kinds)

    def metadata(self, key: str) -> Mapping[str, Any]:
        return self.store.metadata(key)


@dataclass
class Indexes:
    """The loaded, checked parts."""

    index_dir: Path
    embedder: Embedder
    parts: dict[str, BoundIndex]

    def part(self, name: str) -> BoundIndex:
        try:
            return self.parts[name]
        except KeyError:
            raise KeyError(f"index part {name!r} was not loaded (loaded: {', '.join(self.parts)})") from None

    @property
    def skills(self) -> BoundIndex:
        return self.part(SKILLS)

    @property
    def occupations(self) -> BoundIndex:
        return self.part(OCCUPATIONS)

    @property
    def credentials(self) -> BoundIndex:
        return self.part(CREDENTIALS)


def load_indexes(
    index_dir: Path,
    *,
    embedder: Embedder,
    taxonomy: Taxonomy | None = None,
    catalog: Catalog | None = None,
    documents: Mapping[str, PartDocuments] | None = None,
    parts: Iterable[str] = PARTS,
    verify_inputs: bool = True,
) -> Indexes:
    """Load the parts after checking model, inputs (unless ``verify_inputs=False``) and files.

    Raises IndexNotBuiltError, IndexStaleError or IndexCorruptError (all VectorIndexError) with
    every unusable part named, why, and the command that fixes it.
    """
    wanted = list(dict.fromkeys(parts))
    docs: dict[str, PartDocuments] = {}
    if verify_inputs:
        docs = dict(documents or {})
        missing = [part for part in wanted if part not in docs]
        docs.update(build_documents(missing, taxonomy=taxonomy, catalog=catalog))
    statuses = check_indexes(
        index_dir,
        model_id=embedder.model_id,
        dimension=embedder.dimension,
        documents=docs or None,
        parts=wanted,
        verify_files=False,  # the loader checks sizes and checksums as it reads
    )
    raise_for_status(index_dir, statuses)
    loaded: dict[str, BoundIndex] = {}
    for part in wanted:
        status = statuses[part]
        assert status.directory is not None
        manifest = status.manifest
        store = FaissStore.load(
            status.directory, part, files=manifest.get("files"), dimension=manifest.get("model", {}).get("dimension")
        )
        counts = manifest.get("counts", {})
        if counts.get("texts") != store.ntotal or counts.get("keys") != len(store):
            raise IndexCorruptError(
                [
                    PartProblem(
                        part,
                        f"holds {store.ntotal} vectors / {len(store)} keys, the manifest says "
                        f"{counts.get('texts')} / {counts.get('keys')}",
                        corrupt=True,
                    )
                ],
                index_dir,
            )
        loaded[part] = BoundIndex(store, embedder, manifest)
    return Indexes(index_dir, embedder, loaded)


def index_stats(
    index_dir: Path,
    *,
    model_id: str | None = None,
    dimension: int | None = None,
    documents: Mapping[str, PartDocuments] | None = None,
) -> dict[str, Any]:
    """What ``stackwise index stats`` prints: per part counts, type, model, size on disk and state."""
    statuses = check_indexes(index_dir, model_id=model_id, dimension=dimension, documents=documents)
    parts: dict[str, Any] = {}
    for name, status in statuses.items():
        manifest = status.manifest
        parts[name] = {
            "state": status.state,
            "reason": status.reason or None,
            "dir": str(status.directory) if status.directory else None,
            "index_type": manifest.get("index", {}).get("type"),
            "counts": manifest.get("counts", {}),
            "model": manifest.get("model", {}).get("id"),
            "backend": manifest.get("model", {}).get("backend"),
            "dimension": manifest.get("model", {}).get("dimension"),
            "bytes_on_disk": status.disk_bytes(),
            "built_at": manifest.get("built_at"),
            "build_seconds": manifest.get("seconds"),
        }
    unusable = [name for name, status in statuses.items() if not status.usable]
    result: dict[str, Any] = {
        "index_dir": str(index_dir),
        "model": {"id": model_id, "dimension": dimension},
        "inputs_checked": documents is not None,
        "parts": parts,
        "total_bytes_on_disk": sum(part["bytes_on_disk"] for part in parts.values()),
        "ok": not unusable,
    }
    if unusable:
        try:
            raise_for_status(index_dir, statuses)
        except VectorIndexError as exc:
            result["hint"] = str(exc).splitlines()[-1]
    return result
