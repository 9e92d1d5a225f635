"""Build the three vector indexes (skills, occupations, credentials): offline tooling behind
``stackwise index build``.

A part is written to a temporary folder, renamed into place, and only then does the top manifest
(written to a temporary file and ``os.replace``-d) point at it, so a reader sees the old part or the
new one, never half of either; an interrupted build keeps every part it finished. A part whose
model, inputs and files still match is reused, so after a catalog change only the credentials part
is re-embedded. The on-disk format, the checks and the loading are in
:mod:`assistant.adapters.search.indexes`.
"""

from __future__ import annotations

import importlib
import json
import os
import secrets
import shutil
import sys
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Literal

import numpy as np

from assistant.adapters.search.documents import DOCUMENTS_VERSION, PartDocuments, build_documents, iter_texts
from assistant.adapters.search.errors import IndexCorruptError
from assistant.adapters.search.faiss_store import (
    DEFAULT_HNSW_THRESHOLD,
    HNSW_EF_CONSTRUCTION,
    HNSW_EF_SEARCH,
    HNSW_M,
    FaissStore,
    choose_index_type,
)
from assistant.adapters.search.indexes import (
    INDEX_FORMAT,
    MANIFEST,
    check_indexes,
    read_top_manifest,
)
from assistant.core.catalog import Catalog
from assistant.core.ports import OCCUPATIONS, PARTS, SKILLS, Embedder, Vectors
from assistant.core.taxonomy import Taxonomy

EMBED_CHUNK = 1024
TAXONOMY_PARTS = (SKILLS, OCCUPATIONS)


def _stackwise_version() -> str:
    try:
        return version("stackwise")
    except PackageNotFoundError:  # pragma: no cover - run from a checkout that was never installed
        return "unknown"


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
    on_progress: Callable[[int, int], None] | None = None,
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
            if on_progress is not None:
                on_progress(min(start + chunk, len(order)), len(order))
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
    on_progress: Callable[[str, int, int], None] | None = None,
) -> tuple[str, dict[str, Any], PartReport]:
    """Embed and index one part into a new folder; return (folder name, manifest, report).
    ``on_progress(part, texts embedded, texts)`` is called as the embedding goes (the launcher's progress file)."""
    started = time.perf_counter()
    texts = list(iter_texts(documents))
    part = documents.part
    tick = None if on_progress is None else (lambda done, total: on_progress(part, done, total))
    vectors = embed_texts(embedder, texts, label=f"embedding {part}", progress=progress, on_progress=tick)
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
            "built_by": f"stackwise {_stackwise_version()}",
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
    on_progress: Callable[[str, int, int], None] | None = None,
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
        reports = _build_locked(index_dir, docs, wanted, embedder, force, hnsw_threshold, progress, on_progress)
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
    on_progress: Callable[[str, int, int], None] | None = None,
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
            index_dir, docs[part], embedder, hnsw_threshold=hnsw_threshold, progress=progress, on_progress=on_progress
        )
        report.reason = "forced" if status.usable else status.reason
        _publish(index_dir, part, folder, manifest)
        reports[part] = report
    return reports
