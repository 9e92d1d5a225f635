"""Build, check and load the three vector indexes (skills, occupations, credentials).

On disk (``settings.index_path``, by default ``.stackwise/index``)::

    manifest.json                  which folder holds each part (replaced atomically)
    skills-<build id>/             one folder per part, never modified once written
        manifest.json              format, model (id, backend, dimension), counts, index type,
                                   input content hash, file sizes and SHA-256, built_at, timings
        index.faiss                the FAISS index (flat or HNSW, inner product on unit vectors)
        entries.json               texts (row order), keys, sources, entry links, key metadata
    occupations-<build id>/ …
    credentials-<build id>/ …

A part is written to a temporary folder, renamed into place, and only then does the top manifest
(written to a temporary file and ``os.replace``-d) point at it, so a reader sees the old part or the
new one, never half of either; an interrupted build keeps every part it finished. A part whose
model, inputs and files still match is reused, so after a catalog change only the credentials part
is re-embedded. Loading re-checks all of it and raises :class:`IndexStaleError` /
:class:`IndexCorruptError` naming the part, the reason and the command that fixes it.
"""

from __future__ import annotations

import importlib
import json
import os
import secrets
import shutil
import sys
import time
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import numpy as np

from assistant import __version__
from assistant.core.catalog import Catalog
from assistant.core.ports import (
    CREDENTIALS,
    OCCUPATIONS,
    PARTS,
    SKILLS,
    Embedder,
    Hit,
    MetadataFilter,
    Vectors,
)
from assistant.core.taxonomy import Taxonomy
from index.documents import DOCUMENTS_VERSION, PartDocuments, build_documents, iter_texts
from index.errors import (
    IndexCorruptError,
    IndexNotBuiltError,
    IndexStaleError,
    PartProblem,
    VectorIndexError,
)
from index.vector_store import (
    DEFAULT_HNSW_THRESHOLD,
    ENTRIES_FILE,
    HNSW_EF_CONSTRUCTION,
    HNSW_EF_SEARCH,
    HNSW_M,
    INDEX_FILE,
    FaissStore,
    choose_index_type,
    file_digest,
)

INDEX_FORMAT = "stackwise-index/1"
MANIFEST = "manifest.json"
EMBED_CHUNK = 1024
TAXONOMY_PARTS = (SKILLS, OCCUPATIONS)
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


# -- building ----------------------------------------------------------------------------------------
@dataclass
class PartReport:
    part: str
    status: Literal["built", "reused"]
    counts: dict[str, int]
    index_type: str
    texts_embedded: int = 0
    embed_seconds: float = 0.0
    index_seconds: float = 0.0
    seconds: float = 0.0
    reason: str = ""


@dataclass
class BuildReport:
    index_dir: Path
    parts: dict[str, PartReport]
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "index_dir": str(self.index_dir),
            "seconds": round(self.seconds, 3),
            "parts": {name: {**vars(report)} for name, report in self.parts.items()},
        }


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _bar(total: int, label: str, enabled: bool) -> Any:
    """A tqdm progress bar on stderr (tqdm is imported lazily; it has no type stubs here)."""
    tqdm = importlib.import_module("tqdm").tqdm
    return tqdm(total=total, desc=label, unit="text", file=sys.stderr, disable=not enabled, dynamic_ncols=True)


def embed_texts(
    embedder: Embedder,
    texts: Sequence[str],
    *,
    label: str = "embedding",
    progress: bool = True,
    chunk: int = EMBED_CHUNK,
) -> Vectors:
    """Embed in length-sorted chunks (less padding) with a progress bar on stderr; rows in input order."""
    out = np.empty((len(texts), embedder.dimension), dtype=np.float32)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    with _bar(len(texts), label, progress) as bar:
        for start in range(0, len(order), chunk):
            rows = order[start : start + chunk]
            vectors = embedder.embed([texts[i] for i in rows])
            out[rows] = vectors
            bar.update(len(rows))
    return out


def _write_json_atomic(path: Path, data: Mapping[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2, ensure_ascii=False)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _embedder_backend(embedder: Embedder) -> str:
    return str(getattr(embedder, "backend", type(embedder).__name__))


def build_part(
    index_dir: Path,
    documents: PartDocuments,
    embedder: Embedder,
    *,
    hnsw_threshold: int = DEFAULT_HNSW_THRESHOLD,
    progress: bool = True,
) -> tuple[str, dict[str, Any], PartReport]:
    """Embed and index one part into a new folder; return (folder name, manifest, report)."""
    started = time.perf_counter()
    texts = list(iter_texts(documents))
    vectors = embed_texts(embedder, texts, label=f"embedding {documents.part}", progress=progress)
    embedded = time.perf_counter()
    kind = choose_index_type(len(texts), hnsw_threshold)
    with _bar(len(texts), f"indexing {documents.part} ({kind})", progress and kind == "hnsw") as bar:
        store = FaissStore.build(documents, texts, vectors, hnsw_threshold=hnsw_threshold, on_added=bar.update)
    indexed = time.perf_counter()
    build_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(3)
    name = f"{documents.part}-{build_id}"
    tmp = index_dir / f".tmp-{name}"
    try:
        files = store.save(tmp)
        index_type = store.index_type
        manifest: dict[str, Any] = {
            "format": INDEX_FORMAT,
            "part": documents.part,
            "model": {"id": embedder.model_id, "backend": _embedder_backend(embedder), "dimension": embedder.dimension},
            "counts": store.counts(),
            "index": {
                "type": index_type,
                "faiss_class": type(store.index).__name__,
                "metric": "inner_product",
                "hnsw_threshold": hnsw_threshold,
                **(
                    {"hnsw_m": HNSW_M, "ef_construction": HNSW_EF_CONSTRUCTION, "ef_search": HNSW_EF_SEARCH}
                    if index_type == "hnsw"
                    else {}
                ),
            },
            "inputs": {"sha256": documents.content_hash, "documents_version": DOCUMENTS_VERSION},
            "files": files,
            "built_at": _now(),
            "built_by": f"stackwise {__version__}",
            "seconds": {
                "embed": round(embedded - started, 3),
                "index": round(indexed - embedded, 3),
            },
        }
        _write_json_atomic(tmp / MANIFEST, manifest)
        os.replace(tmp, index_dir / name)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    report = PartReport(
        part=documents.part,
        status="built",
        counts=store.counts(),
        index_type=store.index_type,
        texts_embedded=len(texts),
        embed_seconds=embedded - started,
        index_seconds=indexed - embedded,
        seconds=time.perf_counter() - started,
    )
    return name, manifest, report


def _publish(index_dir: Path, part: str, folder: str, manifest: Mapping[str, Any]) -> None:
    """Point the top manifest at a part's new folder (atomic), then drop folders nothing points at."""
    try:
        top = read_top_manifest(index_dir) or {}
    except IndexCorruptError:
        top = {}
    parts = dict(top.get("parts", {})) if top.get("format") == INDEX_FORMAT else {}
    parts[part] = {
        "dir": folder,
        "model": manifest["model"]["id"],
        "index_type": manifest["index"]["type"],
        "counts": manifest["counts"],
        "inputs_sha256": manifest["inputs"]["sha256"],
        "built_at": manifest["built_at"],
    }
    _write_json_atomic(index_dir / MANIFEST, {"format": INDEX_FORMAT, "updated_at": _now(), "parts": parts})
    _collect_garbage(index_dir, {entry["dir"] for entry in parts.values()})


def _collect_garbage(index_dir: Path, keep: Collection[str]) -> None:
    for path in index_dir.iterdir():
        if not path.is_dir() or path.name in keep:
            continue
        is_part = any(path.name.startswith(f"{part}-") for part in PARTS)
        is_old_tmp = path.name.startswith(".tmp-") and time.time() - path.stat().st_mtime > 24 * 3600
        if is_part or is_old_tmp:
            shutil.rmtree(path, ignore_errors=True)


def build_indexes(
    index_dir: Path,
    *,
    embedder: Embedder,
    taxonomy: Taxonomy | None = None,
    catalog: Catalog | None = None,
    documents: Mapping[str, PartDocuments] | None = None,
    parts: Iterable[str] = PARTS,
    force: bool = False,
    hnsw_threshold: int = DEFAULT_HNSW_THRESHOLD,
    progress: bool = True,
) -> BuildReport:
    """Build the parts that are missing, stale or corrupt (all of ``parts`` with ``force``).

    ``documents`` replaces what would be derived from ``taxonomy`` / ``catalog`` (tests, samples).
    """
    started = time.perf_counter()
    wanted = list(dict.fromkeys(parts))
    unknown = [part for part in wanted if part not in PARTS]
    if unknown:
        raise ValueError(f"unknown index part(s) {unknown}; known: {', '.join(PARTS)}")
    docs = dict(documents or {})
    missing_docs = [part for part in wanted if part not in docs]
    docs.update(build_documents(missing_docs, taxonomy=taxonomy, catalog=catalog))
    index_dir.mkdir(parents=True, exist_ok=True)
    with _build_lock(index_dir):
        reports = _build_locked(index_dir, docs, wanted, embedder, force, hnsw_threshold, progress)
    return BuildReport(index_dir, reports, time.perf_counter() - started)


@contextmanager
def _build_lock(index_dir: Path) -> Iterator[None]:
    """One build at a time per folder (a second one waits); readers never need the lock."""
    with (index_dir / ".build.lock").open("a") as handle:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX
            yield
            return
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _build_locked(
    index_dir: Path,
    docs: Mapping[str, PartDocuments],
    wanted: Sequence[str],
    embedder: Embedder,
    force: bool,
    hnsw_threshold: int,
    progress: bool,
) -> dict[str, PartReport]:
    statuses = check_indexes(
        index_dir, model_id=embedder.model_id, dimension=embedder.dimension, documents=docs, parts=wanted
    )
    reports: dict[str, PartReport] = {}
    for part in wanted:
        status = statuses[part]
        if status.usable and not force:
            manifest = status.manifest
            reports[part] = PartReport(
                part, "reused", dict(manifest.get("counts", {})), str(manifest.get("index", {}).get("type", "?"))
            )
            continue
        folder, manifest, report = build_part(
            index_dir, docs[part], embedder, hnsw_threshold=hnsw_threshold, progress=progress
        )
        report.reason = "forced" if status.usable else status.reason
        _publish(index_dir, part, folder, manifest)
        reports[part] = report
    return reports


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
