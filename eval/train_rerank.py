"""Fit the skill re-ranker on the Decorte HOUSE validation sentences: ``python -m eval.train_rerank``.

For each sentence the linker's first pass gives its best ``--depth`` (30) candidates; each candidate gets
the features of :func:`assistant.core.linking.rerank.rerank_features` and the label 1 when it is one of the
sentence's gold ESCO skills. A logistic regression (scikit-learn, class-balanced) is fitted; the
regularisation ``C`` is chosen by RP@5 over 5 folds of the training sentences, never on a test set. The
model is written to ``index/data/models/skill_rerank.json``; ``stackwise eval skills`` then measures it on
HOUSE test and TECH validation, which are never read here. HOUSE validation is the training set: its own
figure is no longer a held-out one.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from assistant.bootstrap import Stackwise
from assistant.core.linking.rerank import FEATURES, Candidate, SkillReranker, rerank_features
from eval.datasets import load_decorte
from eval.metrics import ranking_scores

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "index" / "data" / "models" / "skill_rerank.json"
TRAIN = "eval/decorte/house_validation_annotations.csv"


def training_set(
    root: Stackwise, dataset: Path, depth: int
) -> tuple[list[list[Candidate]], list[np.ndarray], list[set[str]]]:
    items, _ = load_decorte(dataset)
    by_label: dict[str, str] = {}
    for skill in root.taxonomy.skills.values():
        by_label.setdefault(skill.preferred_label, skill.uri)
    gold = [{by_label.get(label.strip(), f"label:{label}") for label in item.gold_labels} for item in items]
    sentences = [item.sentence for item in items]
    linker = root.skill_linker
    candidates = [row[:depth] for row in linker.candidates(sentences)]
    features = [
        rerank_features(text, row, linker.skills, linker.occupations, depth)
        for text, row in zip(sentences, candidates, strict=True)
    ]
    return candidates, features, gold


def _rp5(
    model: SkillReranker, candidates: list[list[Candidate]], features: list[np.ndarray], gold: list[set[str]]
) -> float:
    ranked = []
    for row, x in zip(candidates, features, strict=True):
        scores = model.scores(x) if len(row) else np.zeros(0)
        ranked.append([row[i].uri for i in sorted(range(len(row)), key=lambda i: (-scores[i], i))][:10])
    return float(ranking_scores(zip(ranked, gold, strict=True)).as_dict()["RP@5"])


def _fit(
    features: list[np.ndarray], candidates: list[list[Candidate]], gold: list[set[str]], c: float, depth: int
) -> SkillReranker:
    from sklearn.linear_model import LogisticRegression

    x = np.vstack(features)
    y = np.concatenate(
        [np.array([cand.uri in g for cand in row], dtype=int) for row, g in zip(candidates, gold, strict=True)]
    )
    fitted = LogisticRegression(C=c, max_iter=5000, class_weight="balanced").fit(x, y)
    weights = {name: round(float(w), 6) for name, w in zip(FEATURES, fitted.coef_[0], strict=True)}
    return SkillReranker(weights=weights, bias=round(float(fitted.intercept_[0]), 6), depth=depth)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.train_rerank", description=__doc__.split("\n\n")[0])
    parser.add_argument("--depth", type=int, default=30, help="candidates re-ranked per sentence (default 30)")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--dry-run", action="store_true", help="print the figures, write nothing")
    args = parser.parse_args(argv)
    root = Stackwise()  # candidates() is the first pass alone, whatever model is installed
    dataset = root.settings.source_data_dir / TRAIN
    candidates, features, gold = training_set(root, dataset, args.depth)
    folds = np.arange(len(candidates)) % 5
    cv: dict[float, float] = {}
    for c in (0.01, 0.1, 1.0, 10.0):
        scores = []
        for fold in range(5):
            train = [i for i in range(len(candidates)) if folds[i] != fold]
            test = [i for i in range(len(candidates)) if folds[i] == fold]
            model = _fit(
                [features[i] for i in train], [candidates[i] for i in train], [gold[i] for i in train], c, args.depth
            )
            scores.append(
                _rp5(model, [candidates[i] for i in test], [features[i] for i in test], [gold[i] for i in test])
            )
        cv[c] = round(float(np.mean(scores)), 2)
    first_pass = SkillReranker(weights={"score": 1.0}, depth=args.depth)
    best = max(cv, key=lambda c: (cv[c], -c))
    model = _fit(features, candidates, gold, best, args.depth)
    figures = {
        "training_sentences": len(candidates),
        "cv_rp5_by_c": cv,
        "c": best,
        "first_pass_rp5_on_training": round(_rp5(first_pass, candidates, features, gold), 2),
    }
    model = SkillReranker(model.weights, model.bias, model.depth, info={**figures, "trained_on": TRAIN})
    print(json.dumps(figures, indent=2))
    if not args.dry_run:
        model.save(args.out)
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
