"""Pure metric functions: per item, then averaged. No I/O, no models.

Ranking metrics follow Decorte et al. (2023), "Extreme Multi-Label Skill Extraction Training using
Large Language Models": for each sentence the system ranks all ESCO skills, and
``RP@K = Σ_{k≤K} rel(k) / min(K, R)`` where ``R`` is the number of gold skills of the sentence;
MRR is the reciprocal rank of the first gold skill (0 if none is ranked); ``R@K`` is the share of
gold skills found in the top K. Span metrics are exact-match precision, recall and F1 over
(sentence, start, end) spans, as in the SkillSpan paper's strict evaluation.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from statistics import fmean


def r_precision_at_k(ranked: Sequence[str], gold: Collection[str], k: int) -> float:
    if not gold:
        raise ValueError("r-precision needs at least one gold item")
    hits = sum(1 for item in ranked[:k] if item in gold)
    return hits / min(k, len(gold))


def reciprocal_rank(ranked: Sequence[str], gold: Collection[str]) -> float:
    for position, item in enumerate(ranked, start=1):
        if item in gold:
            return 1.0 / position
    return 0.0


def recall_at_k(ranked: Sequence[str], gold: Collection[str], k: int) -> float:
    if not gold:
        raise ValueError("recall needs at least one gold item")
    return len(set(ranked[:k]) & set(gold)) / len(set(gold))


def hit_at_k(ranked: Sequence[str], gold: Collection[str], k: int) -> float:
    return 1.0 if any(item in gold for item in ranked[:k]) else 0.0


@dataclass(frozen=True)
class RankingScores:
    """Averages over items, in percent, with the count they are over."""

    n: int
    rp_at_5: float
    mrr: float
    recall_at_10: float
    accuracy_at_1: float
    accuracy_at_5: float

    def as_dict(self) -> dict[str, float | int]:
        return {
            "n": self.n,
            "RP@5": round(self.rp_at_5, 2),
            "MRR": round(self.mrr, 2),
            "R@10": round(self.recall_at_10, 2),
            "acc@1": round(self.accuracy_at_1, 2),
            "acc@5": round(self.accuracy_at_5, 2),
        }


def ranking_scores(rankings: Iterable[tuple[Sequence[str], Collection[str]]]) -> RankingScores:
    """Score (ranked ids, gold ids) pairs; items without gold are the caller's to drop."""
    items = [(ranked, gold) for ranked, gold in rankings]
    if not items:
        raise ValueError("no items to score")
    return RankingScores(
        n=len(items),
        rp_at_5=100 * fmean(r_precision_at_k(r, g, 5) for r, g in items),
        mrr=100 * fmean(reciprocal_rank(r, g) for r, g in items),
        recall_at_10=100 * fmean(recall_at_k(r, g, 10) for r, g in items),
        accuracy_at_1=100 * fmean(hit_at_k(r, g, 1) for r, g in items),
        accuracy_at_5=100 * fmean(hit_at_k(r, g, 5) for r, g in items),
    )


Span = tuple[int, int, int]  # (sentence index, start token, end token exclusive)


@dataclass(frozen=True)
class SpanScores:
    predicted: int
    gold: int
    correct: int

    @property
    def precision(self) -> float:
        return 100 * self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return 100 * self.correct / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "n_gold": self.gold,
            "n_predicted": self.predicted,
            "P": round(self.precision, 2),
            "R": round(self.recall, 2),
            "F1": round(self.f1, 2),
        }


def span_scores(predicted: Collection[Span], gold: Collection[Span]) -> SpanScores:
    """Strict span match: a prediction counts only if start and end equal a gold span's."""
    return SpanScores(predicted=len(set(predicted)), gold=len(set(gold)), correct=len(set(predicted) & set(gold)))


def bio_spans(tags: Sequence[str], sentence: int = 0) -> list[Span]:
    """Spans from BIO tags (``B-X``/``I-X``/``O``); an ``I`` without a ``B`` opens a span, as conlleval does."""
    spans: list[Span] = []
    start: int | None = None
    for position, tag in enumerate([*tags, "O"]):
        inside = tag.startswith("I") and start is not None
        if start is not None and not inside:
            spans.append((sentence, start, position))
            start = None
        if tag.startswith("B") or (tag.startswith("I") and start is None):
            start = position
    return spans
