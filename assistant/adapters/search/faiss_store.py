"""A FAISS index of normalised vectors whose rows map back to keys (skill URIs, occupation URIs,
O*NET codes, credential ids), implementing the core's ``VectorIndex`` port.

Layout: one vector per distinct text (row ``i`` of the FAISS index is ``texts[i]``); an entry
links a text to a key with the field it came from, so a text shared by several keys (an O*NET
reported title mapped to three ESCO occupations) is embedded and stored once. Vectors are
L2-normalised and compared by inner product, so scores are cosine similarities.

Exact or approximate by size: up to ``hnsw_threshold`` vectors (default
:data:`DEFAULT_HNSW_THRESHOLD` = 50,000) an ``IndexFlatIP`` (exact; a single query scans every
vector, about 20 ms at 50k × 384 on two cores); above it an ``IndexHNSWFlat`` (M=32,
efConstruction=80, efSearch≥256: under a millisecond per query where an exact scan of the ~100k
skill labels takes ~40 ms; recall@10 ≈ 0.96–0.99 against exact on the real taxonomy). The choice
is recorded in the manifest. The HNSW graph keeps the raw vectors, so filtered searches can always
fall back to an exact scan of them.

Search returns the best hit per key (the max over a key's texts), over-fetching rows until ``k``
distinct keys are found. ``kinds`` and metadata filters become an ID selector over the rows whose
keys pass, so filtered-out keys never come back and ``k`` hits still do whenever ``k`` keys pass.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from assistant.adapters.search.documents import PartDocuments
from assistant.adapters.search.errors import IndexCorruptError, PartProblem
from assistant.core.ports import Hit, MetadataFilter, Vectors

INDEX_FILE = "index.faiss"
ENTRIES_FILE = "entries.json"
ENTRIES_FORMAT = "stackwise-index-entries/1"
DEFAULT_HNSW_THRESHOLD = 50_000
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 256
_ADD_CHUNK = 8192
_HNSW_MAX_FETCH = 2048  # beyond this many rows per query an exact scan is as fast and exact

IntArray = npt.NDArray[np.int64]


def _faiss() -> Any:
    import faiss

    return faiss


def set_search_threads(threads: int) -> None:
    """Threads FAISS uses for one search, process-wide (OpenMP). A server running many searches at once is
    faster with one each: threads of concurrent searches fight over the cores and spin while they wait."""
    _faiss().omp_set_num_threads(threads)


def choose_index_type(vectors: int, hnsw_threshold: int = DEFAULT_HNSW_THRESHOLD) -> str:
    """``flat`` (exact) up to the threshold, ``hnsw`` (approximate) above it."""
    return "hnsw" if vectors > hnsw_threshold else "flat"


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> tuple[int, str]:
    """Size and SHA-256 of a file, streamed."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 22), b""):
            digest.update(block)
            size += len(block)
    return size, digest.hexdigest()


class FaissStore:
    """Rows of a FAISS index mapped to keyed entries; see the module docstring."""

    def __init__(
        self,
        part: str,
        index: Any,
        texts: Sequence[str],
        keys: Sequence[tuple[str, str]],
        sources: Sequence[str],
        entry_text: IntArray,
        entry_key: IntArray,
        entry_source: IntArray,
        metadata: Sequence[Mapping[str, Any] | None],
    ) -> None:
        self.part = part
        self.index = index
        self.texts = list(texts)
        self.keys = [(str(kind), str(key)) for kind, key in keys]
        self.sources = list(sources)
        self.entry_text = np.asarray(entry_text, dtype=np.int64)
        self.entry_key = np.asarray(entry_key, dtype=np.int64)
        self.entry_source = np.asarray(entry_source, dtype=np.int64)
        self._metadata = list(metadata)
        self._check_consistent()
        order = np.argsort(self.entry_text, kind="stable")
        self._row_entries = order
        self._row_ptr = np.zeros(len(self.texts) + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.entry_text, minlength=len(self.texts)), out=self._row_ptr[1:])
        self._key_kind = np.array([kind for kind, _ in self.keys], dtype=object)
        self._key_pos = {item: i for i, item in enumerate(self.keys)}
        self._by_key: dict[str, int] = {}
        for i, (_, key) in enumerate(self.keys):
            self._by_key.setdefault(key, i)
        self._mask_cache: dict[Any, tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_], int, int]] = {}
        # per row, its entries as (key position, kind, key, source): a search walks these in plain Python, and
        # slicing the arrays for each hit cost more than the graph walk on large batches
        keys, sources, ptr = self.keys, self.sources, self._row_ptr.tolist()
        entry_key, entry_source, order_list = self.entry_key.tolist(), self.entry_source.tolist(), order.tolist()
        self._row_hits: list[tuple[tuple[int, str, str, str], ...]] = [
            tuple(
                (entry_key[e], *keys[entry_key[e]], sources[entry_source[e]])
                for e in order_list[ptr[row] : ptr[row + 1]]
            )
            for row in range(len(self.texts))
        ]

    # -- construction ------------------------------------------------------------------------------
    @classmethod
    def build(
        cls,
        documents: PartDocuments,
        texts: Sequence[str],
        vectors: Vectors,
        *,
        hnsw_threshold: int = DEFAULT_HNSW_THRESHOLD,
        on_added: Callable[[int], None] | None = None,
    ) -> FaissStore:
        """Index ``vectors`` (row i embeds ``texts[i]``, the distinct texts of ``documents``).

        ``on_added(n)`` is called as vectors go in (in chunks of 8,192), for a progress bar.
        """
        faiss = _faiss()
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[0] != len(texts):
            raise ValueError(f"{len(texts)} texts but vectors of shape {vectors.shape}")
        row_of = {text: i for i, text in enumerate(texts)}
        keys = list(documents.keys)
        key_of = {item: i for i, item in enumerate(keys)}
        sources = sorted({entry.source for entry in documents.entries})
        source_of = {name: i for i, name in enumerate(sources)}
        try:
            entry_text = np.fromiter((row_of[e.text] for e in documents.entries), dtype=np.int64)
        except KeyError as exc:
            raise ValueError(f"text {exc} of the documents has no vector") from None
        entry_key = np.fromiter((key_of[(e.kind, e.key)] for e in documents.entries), dtype=np.int64)
        entry_source = np.fromiter((source_of[e.source] for e in documents.entries), dtype=np.int64)
        dimension = vectors.shape[1]
        if choose_index_type(len(texts), hnsw_threshold) == "hnsw":
            index = faiss.IndexHNSWFlat(dimension, HNSW_M, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
            index.hnsw.efSearch = HNSW_EF_SEARCH
        else:
            index = faiss.IndexFlatIP(dimension)
        for start in range(0, len(vectors), _ADD_CHUNK):
            chunk = vectors[start : start + _ADD_CHUNK]
            index.add(chunk)
            if on_added is not None:
                on_added(len(chunk))
        metadata = [documents.metadata.get(item) for item in keys]
        return cls(documents.part, index, texts, keys, sources, entry_text, entry_key, entry_source, metadata)

    # -- facts -----------------------------------------------------------------------------------
    @property
    def dimension(self) -> int:
        return int(self.index.d)

    @property
    def ntotal(self) -> int:
        return int(self.index.ntotal)

    @property
    def index_type(self) -> str:
        return "hnsw" if "HNSW" in type(self.index).__name__ else "flat"

    def __len__(self) -> int:
        """Number of keys."""
        return len(self.keys)

    def __repr__(self) -> str:
        return f"FaissStore({self.part!r}, {len(self)} keys, {self.ntotal} vectors, {self.index_type})"

    def counts(self) -> dict[str, int]:
        by_kind: dict[str, int] = {}
        for kind, _ in self.keys:
            by_kind[kind] = by_kind.get(kind, 0) + 1
        return {"entries": len(self.entry_text), "texts": len(self.texts), "keys": len(self.keys), **by_kind}

    def metadata(self, key: str, kind: str | None = None) -> Mapping[str, Any]:
        position = self._key_pos.get((kind, key)) if kind is not None else self._by_key.get(key)
        if position is None:
            raise KeyError(f"no key {key!r} in the {self.part} index")
        return self._metadata[position] or {}

    def texts_of(self, key: str, kind: str | None = None) -> list[tuple[str, str]]:
        """``(text, source)`` of every entry of one key, in stored order."""
        position = self._key_pos.get((kind, key)) if kind is not None else self._by_key.get(key)
        if position is None:
            raise KeyError(f"no key {key!r} in the {self.part} index")
        rows = np.flatnonzero(self.entry_key == position)
        return [(self.texts[self.entry_text[i]], self.sources[self.entry_source[i]]) for i in rows]

    def vectors_of(self, kind: str) -> tuple[list[str], Vectors]:
        """The keys of one kind and the vector of each key's first text (rows in key order), read back
        from the index: vectors built for comparing, not searching (``occupation-profile``)."""
        positions = {position: key for position, (k, key) in enumerate(self.keys) if k == kind}
        rows: dict[int, int] = {}
        for entry, position in enumerate(self.entry_key.tolist()):
            if position in positions and position not in rows:
                rows[position] = int(self.entry_text[entry])
        storage = _faiss().downcast_index(self.index.storage) if self.index_type == "hnsw" else self.index
        ordered = sorted(rows)
        if not ordered:
            return [], np.zeros((0, self.dimension), dtype=np.float32)
        matrix = np.stack([storage.reconstruct(rows[p]) for p in ordered]).astype(np.float32)
        return [positions[p] for p in ordered], matrix

    # -- search ------------------------------------------------------------------------------------
    def search(
        self,
        query_vectors: Vectors,
        k: int = 10,
        *,
        filter: MetadataFilter | None = None,
        kinds: Collection[str] | None = None,
        exact: bool = False,
    ) -> list[list[Hit]]:
        """Best hit per key for each query vector; ``exact=True`` scans every vector even under HNSW."""
        queries = np.ascontiguousarray(np.atleast_2d(np.asarray(query_vectors, dtype=np.float32)))
        if queries.shape[1] != self.dimension:
            raise ValueError(f"query vectors have dimension {queries.shape[1]}, the index {self.dimension}")
        results: list[list[Hit]] = [[] for _ in range(len(queries))]
        if k <= 0 or self.ntotal == 0 or len(queries) == 0:
            return results
        allowed_keys, allowed_rows, key_count, row_count = self._masks(filter, kinds)
        if key_count == 0:
            return results
        restricted = row_count < self.ntotal
        want = min(k, key_count)
        fetch = min(row_count, max(2 * k, k + 16))
        pending = list(range(len(queries)))
        exact = exact or self.index_type == "flat"
        allowed_list = allowed_keys.tolist() if restricted else None
        while pending:
            scores, rows = self._raw_search(queries[pending], fetch, allowed_rows if restricted else None, exact)
            still: list[int] = []
            approximate_short = False
            for j, qi in enumerate(pending):
                hits = self._collect(scores[j], rows[j], allowed_list, k)
                if len(hits) >= want or (fetch >= row_count and exact):
                    results[qi] = hits
                else:
                    results[qi] = hits
                    still.append(qi)
                    approximate_short = approximate_short or bool((rows[j] < 0).any())
            if not still:
                break
            if fetch >= row_count and not exact:
                exact = True  # the graph walk could not reach enough allowed rows: scan them exactly
            elif approximate_short or fetch * 4 > _HNSW_MAX_FETCH:
                exact = True
            fetch = min(row_count, fetch * 4)
            pending = still
        return results

    def _raw_search(
        self, queries: Vectors, fetch: int, rows: npt.NDArray[np.bool_] | None, exact: bool
    ) -> tuple[npt.NDArray[np.float32], IntArray]:
        faiss = _faiss()
        selector = None
        if rows is not None:
            bitmap = np.packbits(rows, bitorder="little")
            selector = faiss.IDSelectorBitmap(len(rows), faiss.swig_ptr(bitmap))
        if self.index_type == "hnsw" and not exact:
            params = faiss.SearchParametersHNSW(efSearch=max(HNSW_EF_SEARCH, fetch))
            if selector is not None:
                params.sel = selector
            scores, ids = self.index.search(queries, fetch, params=params)
        else:
            target = faiss.downcast_index(self.index.storage) if self.index_type == "hnsw" else self.index
            params = faiss.SearchParameters()
            if selector is not None:
                params.sel = selector
            scores, ids = target.search(queries, fetch, params=params)
        return scores, ids  # ``bitmap`` stayed referenced until here: the selector points into it

    def _collect(
        self,
        scores: npt.NDArray[np.float32],
        rows: IntArray,
        allowed_keys: list[bool] | None,
        k: int,
    ) -> list[Hit]:
        hits: list[Hit] = []
        seen: set[int] = set()
        texts, row_hits = self.texts, self._row_hits
        for score, row in zip(scores.tolist(), rows.tolist(), strict=True):
            if row < 0:
                break
            for key, kind, name, source in row_hits[row]:
                if key in seen or (allowed_keys is not None and not allowed_keys[key]):
                    continue
                seen.add(key)
                hits.append(Hit(kind=kind, key=name, text=texts[row], score=score, source=source))
                if len(hits) == k:
                    return hits
        return hits

    def _masks(
        self, filter: MetadataFilter | None, kinds: Collection[str] | None
    ) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_], int, int]:
        """(allowed keys, allowed rows, their counts), cached for hashable filters."""
        kind_set = frozenset(kinds) if kinds is not None else None
        cache_key: Any = None
        try:
            cache_key = (filter, kind_set)
            hash(cache_key)
        except TypeError:
            cache_key = None
        if cache_key is not None and cache_key in self._mask_cache:
            return self._mask_cache[cache_key]
        allowed = np.ones(len(self.keys), dtype=bool)
        if kind_set is not None:
            allowed &= np.isin(self._key_kind, list(kind_set))
        if filter is not None:
            for i in np.flatnonzero(allowed).tolist():
                allowed[i] = bool(filter.matches(self._metadata[i] or {}))
        rows = np.zeros(len(self.texts), dtype=bool)
        rows[self.entry_text[allowed[self.entry_key]]] = True
        masks = (allowed, rows, int(allowed.sum()), int(rows.sum()))
        if cache_key is not None:
            if len(self._mask_cache) > 64:
                self._mask_cache.clear()
            self._mask_cache[cache_key] = masks
        return masks

    # -- persistence -------------------------------------------------------------------------------
    def to_files(self) -> dict[str, bytes]:
        """The two files of a part: the serialized FAISS index and the entries as JSON."""
        faiss = _faiss()
        entries = {
            "format": ENTRIES_FORMAT,
            "part": self.part,
            "texts": self.texts,
            "sources": self.sources,
            "keys": [list(item) for item in self.keys],
            "entries": {
                "text": self.entry_text.tolist(),
                "key": self.entry_key.tolist(),
                "source": self.entry_source.tolist(),
            },
            "metadata": self._metadata,
        }
        return {
            INDEX_FILE: faiss.serialize_index(self.index).tobytes(),
            ENTRIES_FILE: json.dumps(entries, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
        }

    def save(self, directory: Path) -> dict[str, dict[str, Any]]:
        """Write the files into ``directory``; return their sizes and SHA-256 for the manifest."""
        directory.mkdir(parents=True, exist_ok=True)
        recorded: dict[str, dict[str, Any]] = {}
        for name, data in self.to_files().items():
            with (directory / name).open("wb") as handle:
                handle.write(data)
                handle.flush()
            recorded[name] = {"bytes": len(data), "sha256": sha256_bytes(data)}
        return recorded

    @classmethod
    def load(
        cls,
        directory: Path,
        part: str,
        *,
        files: Mapping[str, Mapping[str, Any]] | None = None,
        dimension: int | None = None,
    ) -> FaissStore:
        """Read and check a part: checksums (when ``files`` gives them), shapes, cross-references."""

        def corrupt(reason: str) -> IndexCorruptError:
            return IndexCorruptError([PartProblem(part, reason, corrupt=True)], directory.parent)

        for name in (INDEX_FILE, ENTRIES_FILE):
            path = directory / name
            expected = (files or {}).get(name)
            try:
                size, digest = file_digest(path)
            except OSError as exc:
                raise corrupt(f"cannot read {path} ({exc.strerror or exc})") from exc
            if expected is not None:
                if size != expected.get("bytes"):
                    raise corrupt(f"{path} has {size} bytes, the manifest recorded {expected.get('bytes')}")
                if digest != expected.get("sha256"):
                    raise corrupt(f"{path} does not match the checksum in its manifest")
        faiss = _faiss()
        try:
            index = faiss.read_index(str(directory / INDEX_FILE))
        except Exception as exc:  # faiss raises RuntimeError with a C++ message
            first_line = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
            raise corrupt(f"{directory / INDEX_FILE} is not a readable FAISS index ({first_line})") from exc
        try:
            data = json.loads((directory / ENTRIES_FILE).read_bytes())
            if data.get("format") != ENTRIES_FORMAT:
                raise ValueError(f"format {data.get('format')!r}, expected {ENTRIES_FORMAT!r}")
            store = cls(
                part,
                index,
                data["texts"],
                [tuple(item) for item in data["keys"]],
                data["sources"],
                np.asarray(data["entries"]["text"], dtype=np.int64),
                np.asarray(data["entries"]["key"], dtype=np.int64),
                np.asarray(data["entries"]["source"], dtype=np.int64),
                data["metadata"],
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise corrupt(f"{directory / ENTRIES_FILE} is unreadable or inconsistent ({exc})") from exc
        if dimension is not None and store.dimension != dimension:
            raise corrupt(f"the FAISS index has dimension {store.dimension}, the manifest says {dimension}")
        return store

    def _check_consistent(self) -> None:
        n_entries = len(self.entry_text)
        if not (len(self.entry_key) == len(self.entry_source) == n_entries):
            raise ValueError("entry arrays differ in length")
        if int(self.index.ntotal) != len(self.texts):
            raise ValueError(f"the FAISS index holds {self.index.ntotal} vectors for {len(self.texts)} texts")
        if len(self._metadata) != len(self.keys):
            raise ValueError(f"{len(self._metadata)} metadata records for {len(self.keys)} keys")
        for name, array, bound in (
            ("text", self.entry_text, len(self.texts)),
            ("key", self.entry_key, len(self.keys)),
            ("source", self.entry_source, len(self.sources)),
        ):
            if n_entries and (int(array.min()) < 0 or int(array.max()) >= bound):
                raise ValueError(f"an entry points at {name} {int(array.max())}, beyond the {bound} stored")
