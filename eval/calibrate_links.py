"""Fit the link calibration on the judged development links: ``python -m eval.calibrate_links``.

Reads the judgments in ``eval/linking_judgments/dev-*.jsonl`` (see ``RULE.md``), reads the judged résumés
again to compute each link's features as the product does, and fits a logistic regression (scikit-learn)
with right = 1, borderline or wrong = 0. Out-of-fold probabilities (5 folds, grouped by résumé, so no
résumé is scored by a model that saw it) choose the thresholds:

* ``keep``: the lowest threshold at which the links kept were at least ``--precision`` (0.9) right;
* ``offer``: links below it are not offered for confirmation (``--offer``, default 0.2).

It prints the out-of-fold figures (precision and share of right links kept, Brier score, calibration by
decile) and writes the model fitted on every judged link to ``index/data/models/link_calibration.json``.
The held-out résumés (``eval/resumes/heldout``, ``resume_entities/testdata.json``) are never read here.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from assistant.bootstrap import Stackwise
from assistant.core.linking.calibration import LinkCalibration
from assistant.settings import Settings
from eval.link_dump import documents, dump

ROOT = Path(__file__).resolve().parents[1]
JUDGMENTS = ROOT / "eval" / "linking_judgments"
OUT = ROOT / "index" / "data" / "models" / "link_calibration.json"
DEV_SOURCES = (
    "eval/resumes/dev",
    "eval/resumes/dev_everyday",
    "../shared/data/eval/resume_entities/traindata.json:0-13",
)


def load_judgments(folder: Path, prefix: str = "dev-") -> dict[tuple[str, int, str], str]:
    verdicts: dict[tuple[str, int, str], str] = {}
    for path in sorted(folder.glob(f"{prefix}*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                verdicts[(row["doc"], int(row["line_no"]), row["skill_uri"])] = row["verdict"]
    return verdicts


def labelled_rows(
    root: Stackwise, sources: Sequence[str], verdicts: dict[tuple[str, int, str], str]
) -> list[dict[str, Any]]:
    rows = []
    for name, text in documents([str(ROOT / s) if not Path(s).is_absolute() else s for s in sources]):
        for row in dump(root, name, text):
            verdict = verdicts.get((row["doc"], row["line_no"], row["skill_uri"]))
            if verdict is not None:
                rows.append({**row, "verdict": verdict, "y": int(verdict == "right")})
    return rows


def choose_keep(probabilities: np.ndarray, labels: np.ndarray, precision: float, min_kept: int = 30) -> float:
    """The lowest threshold whose kept links (p ≥ threshold) are at least ``precision`` right."""
    for threshold in np.round(np.arange(0.3, 0.99, 0.01), 2):
        kept = probabilities >= threshold
        if kept.sum() >= min_kept and labels[kept].mean() >= precision:
            return float(threshold)
    return 0.99


def main(argv: Sequence[str] | None = None) -> int:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    parser = argparse.ArgumentParser(prog="python -m eval.calibrate_links", description=__doc__.split("\n\n")[0])
    parser.add_argument("--precision", type=float, default=0.9)
    parser.add_argument("--offer", type=float, default=0.2)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--dry-run", action="store_true", help="print the figures, write nothing")
    args = parser.parse_args(argv)

    root = Stackwise(Settings(link_calibration_path=None))  # candidates as the uncalibrated linker finds them
    verdicts = load_judgments(JUDGMENTS)
    rows = labelled_rows(root, DEV_SOURCES, verdicts)
    if not rows:
        print("no judged links found", file=sys.stderr)
        return 1
    names = sorted(rows[0]["features"])
    x = np.array([[row["features"][n] for n in names] for row in rows])
    y = np.array([row["y"] for row in rows])
    groups = np.array([row["doc"] for row in rows])
    folds = GroupKFold(n_splits=5)
    out_of_fold = np.zeros(len(rows))
    for train, test in folds.split(x, y, groups):
        model = LogisticRegression(C=1.0, max_iter=2000).fit(x[train], y[train])
        out_of_fold[test] = model.predict_proba(x[test])[:, 1]
    keep = choose_keep(out_of_fold, y, args.precision)
    kept = out_of_fold >= keep
    raw = np.array([row["confidence"] for row in rows])
    figures = {
        "links": len(rows),
        "right": int(y.sum()),
        "documents": len(set(groups)),
        "keep": keep,
        "offer": args.offer,
        "oof_precision_kept": round(float(y[kept].mean()), 4) if kept.any() else None,
        "oof_right_kept": round(float(y[kept].sum() / max(1, y.sum())), 4),
        "oof_kept": int(kept.sum()),
        "oof_offered": int(((out_of_fold >= args.offer) & ~kept).sum()),
        "brier": round(float(np.mean((out_of_fold - y) ** 2)), 4),
        "brier_raw_confidence": round(float(np.mean((raw - y) ** 2)), 4),
        "precision_all": round(float(y.mean()), 4),
    }
    deciles = []
    order = np.argsort(out_of_fold)
    for chunk in np.array_split(order, 10):
        deciles.append((round(float(out_of_fold[chunk].mean()), 3), round(float(y[chunk].mean()), 3), len(chunk)))
    print(json.dumps(figures, indent=2))
    print("calibration by decile (mean predicted, share right, links):", deciles)
    final = LogisticRegression(C=1.0, max_iter=2000).fit(x, y)
    calibration = LinkCalibration(
        weights={n: round(float(w), 5) for n, w in zip(names, final.coef_[0], strict=True)},
        bias=round(float(final.intercept_[0]), 5),
        keep=keep,
        offer=args.offer,
        info={**figures, "fitted": date.today().isoformat(), "sources": list(DEV_SOURCES)},
    )
    if not args.dry_run:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        calibration.save(args.out)
        print(f"written {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
