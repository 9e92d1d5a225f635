"""The embedding adapters on the real packaged model (a handful of phrases) and backend selection."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.adapters.search.config import EmbeddingConfig
from assistant.adapters.search.embedding import (
    CHECK_PHRASES,
    ONNX_PINS,
    LocalEmbedder,
    OnnxEmbedder,
    SentenceTransformerEmbedder,
    default_model_path,
    make_embedder,
    model_dimension,
    model_id_for,
    onnx_available,
)
from assistant.adapters.search.errors import EmbedderError
from assistant.core.ports import Embedder
from assistant.settings import Settings

pytestmark = pytest.mark.real_model  # every test here runs the packaged model (torch or its ONNX export)


@pytest.fixture(scope="module")
def torch_embedder() -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder()


def test_real_model_gives_normalized_384_dimensional_vectors(torch_embedder: SentenceTransformerEmbedder) -> None:
    assert isinstance(torch_embedder, Embedder)
    vectors = torch_embedder.embed(["SQL", "structured query language", "welding"])
    assert vectors.shape == (3, 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    sql, query_language, welding = vectors
    assert float(sql @ query_language) > float(sql @ welding) + 0.1


def test_model_id_names_the_model_and_its_weights(torch_embedder: SentenceTransformerEmbedder) -> None:
    name, fingerprint = torch_embedder.model_id.split("@")
    assert name == "sentence-transformers/all-MiniLM-L6-v2"
    assert len(fingerprint) == 16
    assert model_id_for(default_model_path()) == torch_embedder.model_id
    assert torch_embedder.dimension == model_dimension(default_model_path()) == 384


def test_each_distinct_text_is_encoded_once_and_queries_are_cached(
    torch_embedder: SentenceTransformerEmbedder,
) -> None:
    torch_embedder.clear_cache()
    before = torch_embedder.texts_encoded
    vectors = torch_embedder.embed(["python", "java", "python", "python"])
    assert torch_embedder.texts_encoded - before == 2
    np.testing.assert_array_equal(vectors[0], vectors[2])
    again = torch_embedder.embed(["java", "python"])
    assert torch_embedder.texts_encoded - before == 2, "served from the query cache"
    np.testing.assert_allclose(again[0], vectors[1], atol=1e-6)
    assert torch_embedder.embed([]).shape == (0, 384)
    with pytest.raises(TypeError):
        torch_embedder.embed("not a list")  # type: ignore[arg-type]


class _Counting(LocalEmbedder):
    """The shared cache logic over a cheap encoder: each text becomes a fixed vector."""

    def _encode(self, texts: list[str]) -> np.ndarray:
        return np.stack([np.eye(self.dimension, dtype=np.float32)[len(t) % self.dimension] for t in texts])


def test_a_resume_sized_call_is_cached_but_an_index_build_chunk_is_not() -> None:
    embedder = _Counting(None)
    resume = [f"line {n}" for n in range(300)]  # a two-page résumé's lines and phrases
    embedder.embed(resume)
    embedder.embed(resume[:40])
    assert embedder.texts_encoded == 300, "a résumé's lines are re-used when its links are judged"
    build = [f"skill {n}" for n in range(1024)]  # index/build.py's chunk
    embedder.embed(build)
    embedder.embed(build[:10])
    assert embedder.texts_encoded == 300 + 1024 + 10, "an index build does not flood the query cache"


def test_deterministic_across_instances(torch_embedder: SentenceTransformerEmbedder) -> None:
    texts = ["registered nurse", "forklift operator"]
    torch_embedder.clear_cache()
    first = torch_embedder.embed(texts)
    torch_embedder.clear_cache()
    np.testing.assert_allclose(torch_embedder.embed(texts), first, atol=1e-6)


def test_make_embedder_defaults_to_int8_onnx_where_it_checks_out(tmp_path: Path) -> None:
    """The default is ``auto``: the int8 export when onnxruntime is there and its check passes, else torch."""
    embedder = make_embedder(EmbeddingConfig(), cache_dir=tmp_path)
    assert embedder.backend == ("onnx-int8" if onnx_available() else "torch")
    assert make_embedder(EmbeddingConfig(backend="torch"), cache_dir=tmp_path).backend == "torch"


def test_a_model_folder_that_is_not_one_is_refused(tmp_path: Path) -> None:
    with pytest.raises(EmbedderError, match="no sentence-transformers model"):
        SentenceTransformerEmbedder(tmp_path)


@pytest.mark.skipif(onnx_available(), reason="onnxruntime is installed")
def test_onnx_backend_without_onnxruntime_says_what_to_install(tmp_path: Path) -> None:
    with pytest.raises(EmbedderError, match="onnxruntime"):
        make_embedder(EmbeddingConfig(backend="onnx"), cache_dir=tmp_path)
    assert ONNX_PINS.startswith("onnxruntime==")
    auto = make_embedder(EmbeddingConfig(backend="auto"), cache_dir=tmp_path)
    assert auto.backend == "torch"


needs_onnx = pytest.mark.skipif(not onnx_available(), reason=f"the onnx extra ({ONNX_PINS}) is not installed")


@pytest.fixture(scope="module")
def onnx_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One export (about ten seconds) shared by the ONNX tests, where settings put it (``models_dir``)."""
    settings = Settings(models_dir=tmp_path_factory.mktemp("models"))
    OnnxEmbedder(cache_dir=settings.models_path).prepare()
    return settings.models_path


@needs_onnx
def test_onnx_int8_matches_fp32_and_is_reused(onnx_dir: Path, torch_embedder: SentenceTransformerEmbedder) -> None:
    embedder = OnnxEmbedder(cache_dir=onnx_dir)
    check = embedder.prepare()
    assert check["min_cosine"] >= 0.99
    assert check["phrases"] == len(CHECK_PHRASES)
    assert embedder.model_id == torch_embedder.model_id
    texts = ["SQL", "structured query language", "welding", "Led a team of engineers building data pipelines"]
    int8 = embedder.embed(texts)
    fp32 = torch_embedder.embed(texts)
    np.testing.assert_allclose(np.linalg.norm(int8, axis=1), 1.0, atol=1e-5)
    assert np.min(np.sum(int8 * fp32, axis=1)) >= 0.99
    assert float(int8[0] @ int8[1]) > float(int8[0] @ int8[2])
    exports = list(onnx_dir.iterdir())
    auto = make_embedder(EmbeddingConfig(backend="auto"), cache_dir=onnx_dir)
    assert auto.backend == "onnx-int8"
    assert list(onnx_dir.iterdir()) == exports, "the export is reused, not redone"


@needs_onnx
def test_onnx_backend_refuses_a_missing_model(tmp_path: Path) -> None:
    with pytest.raises(EmbedderError, match="no sentence-transformers model"):
        OnnxEmbedder(tmp_path / "nowhere", cache_dir=tmp_path)


@needs_onnx
@pytest.mark.slow
def test_onnx_export_below_the_quality_bar_is_refused(tmp_path: Path) -> None:
    with pytest.raises(EmbedderError, match="refusing to use it"):
        OnnxEmbedder(cache_dir=tmp_path, min_cosine=0.99999).prepare()
    assert not any(tmp_path.glob("*/model.int8.onnx")), "nothing is left for a later run to pick up"
