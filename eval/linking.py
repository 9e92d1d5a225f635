"""Runners for the linking evaluations: skills (Decorte et al.), titles (JobBERT), spans
(SkillSpan, Green et al.). Each runs the product, the stock baseline and the peer in one process
and returns per-system scores; ``eval.cli`` prints them as a table or JSON."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from assistant.bootstrap import Stackwise
from eval.datasets import load_conll, load_decorte, load_skillspan, load_titles
from eval.metrics import Span, ranking_scores, span_scores
from eval.systems import CosineRanker, CosineSpans, PeerExtractor

SYSTEMS = ("stackwise", "baseline", "peer")


def _timed(run: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = run()
    return result, time.perf_counter() - started


def _model_path(service: Stackwise) -> Path:
    from assistant.adapters.search.embedding import resolve_model_path

    return resolve_model_path(service.settings.embedding.model_path)


def _cache(service: Stackwise) -> Path:
    return service.settings.state_dir / "eval-cache"


def _rank_systems(
    systems: Sequence[str],
    produce: Callable[[str], list[list[str]]],
    gold: Sequence[set[str]],
    metrics: Sequence[str],
) -> dict[str, Any]:
    """Run each system's ranking (timed) and keep the named ranking metrics, n and seconds."""
    results: dict[str, Any] = {}
    for name in systems:
        ranked, seconds = _timed(partial(produce, name))
        scores = ranking_scores(zip(ranked, gold, strict=True)).as_dict()
        results[name] = {**{m: scores[m] for m in metrics}, "n": scores["n"], "seconds": round(seconds, 1)}
    return results


def _skill_baseline(service: Stackwise) -> CosineRanker:
    """Plain cosine over ESCO preferred labels with the same model (label vectors cached on disk)."""
    uris = list(service.taxonomy.skills)
    labels = [service.taxonomy.skills[u].preferred_label for u in uris]
    return CosineRanker("baseline", service.embedder, uris, labels, _cache(service))


def evaluate_skills(service: Stackwise, dataset: Path, systems: Sequence[str] = SYSTEMS) -> dict[str, Any]:
    """Sentence → ranked ESCO skills; RP@5, MRR and R@10 as defined by Decorte et al. (2023)."""
    items, dropped = load_decorte(dataset)
    taxonomy = service.taxonomy
    by_label: dict[str, str] = {}
    for skill in taxonomy.skills.values():
        by_label.setdefault(skill.preferred_label, skill.uri)
    # gold labels are ESCO preferred labels; one that is not in the loaded release stays unmatched
    gold = [{by_label.get(label.strip(), f"label:{label}") for label in item.gold_labels} for item in items]
    sentences = [item.sentence for item in items]

    def produce(name: str) -> list[list[str]]:
        if name == "stackwise":
            return [[s.uri for s in row] for row in service.skill_linker.rank(sentences, k=10)]
        if name == "baseline":
            return _skill_baseline(service).rank(sentences, k=10)
        if name == "peer":
            return PeerExtractor(_model_path(service), "skills").rank(sentences, k=10)
        raise ValueError(f"unknown system {name!r}; choose from {SYSTEMS}")

    results = _rank_systems(systems, produce, gold, ("RP@5", "MRR", "R@10"))
    return {"dataset": str(dataset), "sentences_without_esco_label": dropped, "systems": results}


def evaluate_titles(
    service: Stackwise, dataset: Path, systems: Sequence[str] = SYSTEMS, limit: int | None = None
) -> dict[str, Any]:
    """Job title → ranked ESCO occupations; accuracy@1, @5 and MRR."""
    items = load_titles(dataset)[:limit] if limit else load_titles(dataset)
    titles = [item.title for item in items]
    gold = [{item.occupation_uri} for item in items]
    taxonomy = service.taxonomy

    def produce(name: str) -> list[list[str]]:
        if name == "stackwise":
            out: list[list[str]] = []
            for start in range(0, len(titles), 512):
                batch = service.title_normalizer.rank(titles[start : start + 512], k=10)
                out.extend([m.uri for m in row] for row in batch)
            return out
        if name == "baseline":
            uris = list(taxonomy.occupations)
            labels = [taxonomy.occupations[u].preferred_label for u in uris]
            return CosineRanker("baseline", service.embedder, uris, labels, _cache(service)).rank(titles, k=10)
        if name == "peer":
            return PeerExtractor(_model_path(service), "occupations").rank(titles, k=10)
        raise ValueError(f"unknown system {name!r}; choose from {SYSTEMS}")

    results = _rank_systems(systems, produce, gold, ("acc@1", "acc@5", "MRR"))
    return {"dataset": str(dataset), "systems": results}


def _token_spans(tokens: Sequence[str], char_spans: list[tuple[int, int]], sentence: int) -> set[Span]:
    """Map character spans over ``" ".join(tokens)`` to token spans (tokens fully inside)."""
    starts, position = [], 0
    for token in tokens:
        starts.append(position)
        position += len(token) + 1
    out = set()
    for start, end in char_spans:
        inside = [i for i, s in enumerate(starts) if s >= start and s + len(tokens[i]) <= end]
        if inside:
            out.add((sentence, inside[0], inside[-1] + 1))
    return out


def evaluate_spans(
    service: Stackwise, dataset: Path, systems: Sequence[str] = SYSTEMS, fmt: str = "auto"
) -> dict[str, Any]:
    """Skill-span extraction, strict and overlap P/R/F1 (SkillSpan JSON lines or CoNLL BIO)."""
    kind = fmt if fmt != "auto" else ("skillspan" if dataset.suffix == ".json" else "conll")
    sentences = load_skillspan(dataset) if kind == "skillspan" else load_conll(dataset)
    texts = [" ".join(s.tokens) for s in sentences]
    gold = {span for s in sentences for span in s.gold}

    def produce(name: str) -> list[list[tuple[int, int]]]:
        if name == "stackwise":
            out: list[list[tuple[int, int]]] = []
            for start in range(0, len(texts), 256):
                batch = service.skill_linker.mentions_many(texts[start : start + 256])
                out.extend([(m.start, m.end) for m in row] for row in batch)
            return out
        if name == "baseline":
            return CosineSpans(_skill_baseline(service)).spans(texts)
        if name == "peer":
            return PeerExtractor(_model_path(service), "skills").spans(texts)
        raise ValueError(f"unknown system {name!r}; choose from {SYSTEMS}")

    results: dict[str, Any] = {}
    for name in systems:
        found, seconds = _timed(partial(produce, name))
        predicted = {
            span
            for i, (s, spans) in enumerate(zip(sentences, found, strict=True))
            for span in _token_spans(s.tokens, spans, i)
        }
        strict = span_scores(predicted, gold)
        overlap_hits = sum(1 for p in predicted if any(g[0] == p[0] and g[1] < p[2] and p[1] < g[2] for g in gold))
        gold_hit = sum(1 for g in gold if any(g[0] == p[0] and g[1] < p[2] and p[1] < g[2] for p in predicted))
        p_loose = 100 * overlap_hits / len(predicted) if predicted else 0.0
        r_loose = 100 * gold_hit / len(gold) if gold else 0.0
        results[name] = {
            **strict.as_dict(),
            "overlap_P": round(p_loose, 2),
            "overlap_R": round(r_loose, 2),
            "overlap_F1": round(2 * p_loose * r_loose / (p_loose + r_loose), 2) if p_loose + r_loose else 0.0,
            "seconds": round(seconds, 1),
        }
    return {"dataset": str(dataset), "sentences": len(sentences), "systems": results}
