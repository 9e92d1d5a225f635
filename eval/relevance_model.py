"""Would a fitted model gate credentials better than the hand-set relevance score? ``python -m eval.relevance_model``.

The hand-set relevance gate (``assistant.core.advice.relevance``) added four hand-weighted terms with a threshold
chosen on the development goals, and left about a fifth of the route steps padding on fresh held-out goals.
This asks whether the same terms, or a few more, fitted by logistic regression, do better on goals the model
never saw. It reads only development judgments: the demo catalog's ``dev`` goals (``relevance/judgments.jsonl``,
every credential covering a core gap skill, ungraded ones not relevant) and ``dev3`` goals
(``relevance/dev3_a.jsonl``, graded pairs only), and the edX development pool
(``relevance_edx/dev_pool_a.jsonl``, graded pairs only). Credentials made for the goal are left out (always
admitted). Held-out goals are never read here.

Per (goal, credential) pair, features as the product computes them (``fit``, ``topic``, ``share``,
``in_field``) and candidates:

* ``title_label``: the credential title's cosine to the job's label;
* ``specific``: −log of the share of ESCO occupations that require the most specific gap skill it covers;
* ``kin``: the share of the credential's ten closest ESCO occupations in the goal's ISCO minor group (three
  digits): a welding course's closest jobs are welders and metal workers, a CRM course's are spread wide;
* ``goal_rank``: how far the goal is from the top among all ESCO occupations for the credential's text
  (cosine to the goal minus the tenth best cosine, occupation label and description embedded): a course
  about many jobs (project management) points at none of them.

For each feature set, leave-one-goal-out: the model is fitted without the goal it scores. The report compares,
at the number of pairs the hand-set gate admits, how many admitted pairs are judged relevant, and the
ranking quality (AUC). ``--catalog edx`` needs the onboarded edX folder (``eval.edx_relevance --folder``).

``--fit`` fits the product's gate (``relevance.FITTED``, ``FITTED_BIAS``, ``ADMIT``) on the development
pairs of both catalogs together, with the goal rank written as the product computes it (fit minus the
crowd, the cosine to the tenth closest occupation) and the kin: the weights, and the lowest chance at
which the pairs the fitted gate admits, scored leave-one-goal-out, are 90% relevant.

    python -m eval.relevance_model --catalog demo
    python -m eval.relevance_model --catalog edx --folder DIR   # DIR from eval.edx_relevance --folder
    python -m eval.relevance_model --fit --folder DIR           # the product's constants
"""

from __future__ import annotations

import argparse
import json
import math
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
SOURCES = {
    "demo": (HERE / "relevance" / "judgments.jsonl", HERE / "relevance" / "dev3_a.jsonl"),
    "edx": (HERE / "relevance_edx" / "dev_pool_a.jsonl",),
}
#: the fitted gate admits from the lowest chance whose left-one-goal-out admitted pairs are this often relevant
PRECISION = 0.9
MIN_ADMITTED = 60
FEATURE_SETS = {
    "product terms": ("fit", "topic", "share", "in_field"),
    "+ goal rank": ("fit", "topic", "share", "in_field", "goal_rank"),
    "+ goal rank + kin": ("fit", "topic", "share", "in_field", "goal_rank", "kin"),
    "+ all candidates": ("fit", "topic", "share", "in_field", "goal_rank", "title_label", "specific"),
}


def pairs(catalog: str) -> list[dict[str, Any]]:
    """Features and the judges' label for every judged development pair of one catalog."""
    from assistant.bootstrap import Stackwise
    from assistant.core.advice import OccupationTarget
    from assistant.core.advice.problem import LEFT_OUT, covered_by
    from assistant.core.advice.relevance import Crowd, credential_text, occupation_profile
    from assistant.core.models import LearnerProfile
    from eval.route_relevance import DEVELOPMENT

    root = Stackwise()
    taxonomy, similarity = root.taxonomy, root.advice.similarity
    assert similarity is not None, "the study needs the embedder"
    n = len(taxonomy.occupations)
    requiring = Counter(r.skill_uri for r in taxonomy.relations)
    occupations = sorted(taxonomy.occupations.values(), key=lambda o: o.uri)
    position = {o.uri: i for i, o in enumerate(occupations)}
    texts = [occupation_profile(o) for o in occupations]
    groups = [o.isco_group or "" for o in occupations]
    rows = []
    lines = [line for path in SOURCES[catalog] if path.exists() for line in path.read_text("utf-8").splitlines()]
    for line in lines:
        judged = json.loads(line)
        if judged.get("split", "dev") not in DEVELOPMENT:
            continue
        good = set(judged["made_for"]) | set(judged["relevant"])
        graded = good | set(judged["not_relevant"]) if "not_relevant" in judged else None
        uri = judged["goal_uri"]
        occupation = taxonomy.occupations[uri]
        prepared = root.advice.prepare(LearnerProfile(), OccupationTarget(title=judged["goal_label"], uri=uri))
        problem = prepared.problem
        fit = root.advice.fit(uri)
        hand_set = replace(fit, crowd={})  # the gate without the crowd: what the fitted one is compared with
        pool = set(problem.candidates) | {c for c, why in problem.excluded.items() if why.kind in LEFT_OUT}
        ids = sorted(c for c in pool if c not in fit.made_for and (graded is None or c in graded))
        if not ids:
            continue
        items = [(i.skill_uri, i.label) for i in prepared.gap.core_items]
        covers = covered_by([root.catalog.get(c) for c in ids], items, prepared.matcher)
        course_texts = [credential_text(root.catalog.get(c)) for c in ids]
        titles = [root.catalog.get(c).title for c in ids]
        to_jobs = similarity.similarity(course_texts, texts)
        to_label = similarity.similarity([occupation.preferred_label], titles)[0]
        for k, cid in enumerate(ids):
            row = to_jobs[k]
            specific = [-math.log((requiring.get(u, 0) + 1) / n) for u in covers[cid]]
            rows.append(
                {
                    "goal": judged["goal_label"],
                    "credential": cid,
                    "label": int(cid in good),
                    "admitted": int(hand_set.relevant(cid)),
                    "fit": fit.fit.get(cid, 0.0),
                    "topic": fit.topic.get(cid, 0.0),
                    "share": fit.share.get(cid, 0.0),
                    "in_field": float(fit.goal_field is not None and fit.fields.get(cid) == fit.goal_field),
                    "goal_rank": float(row[position[uri]] - np.sort(row)[-10]),
                    "kin": Crowd(0.0, tuple(groups[i] for i in np.argsort(-row)[:10])).kin(occupation.isco_group),
                    "title_label": float(to_label[k]),
                    "specific": max(specific, default=0.0),
                }
            )
    return rows


def compare(rows: Sequence[dict[str, Any]]) -> list[str]:
    """Leave-one-goal-out figures for each feature set against the hand-set gate."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    y = np.array([r["label"] for r in rows])
    goals = np.array([r["goal"] for r in rows])
    admitted = np.array([r["admitted"] for r in rows], dtype=bool)
    k = int(admitted.sum())
    lines = [
        f"{len(rows)} judged pairs over {len(set(goals))} goals, {int(y.sum())} relevant; "
        f"the hand-set gate admits {k}, {int(y[admitted].sum())} of them relevant"
    ]
    for name, features in FEATURE_SETS.items():
        x = np.array([[r[f] for f in features] for r in rows])
        scores = np.zeros(len(rows))
        for goal in sorted(set(goals)):
            test = goals == goal
            if y[~test].min() == y[~test].max():
                continue
            model = make_pipeline(StandardScaler(), LogisticRegression(C=0.5, max_iter=2000))
            model.fit(x[~test], y[~test])
            scores[test] = model.predict_proba(x[test])[:, 1]
        top = np.argsort(-scores)[:k]
        auc = roc_auc_score(y, scores)
        lines.append(f"{name:>17}: left-one-goal-out AUC {auc:.3f}; its top {k}: {int(y[top].sum())} relevant")
    return lines


def fit_gate(rows: Sequence[dict[str, Any]]) -> list[str]:
    """The product's fitted gate: raw logistic weights of fit, crowd, topic, share, in-field and kin, the bias,
    and the admitting chance: the lowest at which the pairs admitted leave-one-goal-out are ``PRECISION``
    relevant (at least ``MIN_ADMITTED`` of them)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    features = FEATURE_SETS["+ goal rank + kin"]
    x = np.array([[r[f] for f in features] for r in rows])
    y = np.array([r["label"] for r in rows])
    goals = np.array([f"{r['catalog']}/{r['goal']}" for r in rows])
    admitted = np.array([r["admitted"] for r in rows], dtype=bool)

    def model() -> Any:
        return make_pipeline(StandardScaler(), LogisticRegression(C=0.5, max_iter=5000))

    logits = np.zeros(len(rows))
    for goal in sorted(set(goals)):
        test = goals == goal
        logits[test] = model().fit(x[~test], y[~test]).decision_function(x[test])
    chances = 1 / (1 + np.exp(-logits))
    admit = next(
        (
            float(p)
            for p in np.round(np.arange(0.30, 0.96, 0.01), 2)
            if (chances >= p).sum() >= MIN_ADMITTED and y[chances >= p].mean() >= PRECISION
        ),
        0.95,
    )
    cut = math.log(admit / (1 - admit))
    fitted = model().fit(x, y)
    scaler, regression = fitted[0], fitted[1]
    raw = regression.coef_[0] / scaler.scale_
    bias = float(regression.intercept_[0] - (regression.coef_[0] * scaler.mean_ / scaler.scale_).sum())
    weights = dict(zip(features, raw.tolist(), strict=True))
    # goal_rank = fit − crowd: written over fit and crowd, as the product adds them
    product = {
        "fit": weights["fit"] + weights["goal_rank"],
        "crowd": -weights["goal_rank"],
        "topic": weights["topic"],
        "share": weights["share"],
        "in_field": weights["in_field"],
        "kin": weights["kin"],
    }
    lines = [f"{len(rows)} judged development pairs over {len(set(goals))} goals, {int(y.sum())} relevant"]
    for catalog in sorted({r["catalog"] for r in rows}):
        mine = np.array([r["catalog"] == catalog for r in rows])
        fitted_in, hand_in = mine & (logits >= cut), mine & admitted
        lines.append(
            f"{catalog}: fitted gate (left-one-goal-out) admits {int(fitted_in.sum())}, {int(y[fitted_in].sum())} "
            f"relevant; hand-set gate admits {int(hand_in.sum())}, {int(y[hand_in].sum())} relevant"
        )
    lines.append("FITTED = {" + ", ".join(f'"{t}": {w:.3f}' for t, w in product.items()) + "}")
    lines.append(f"FITTED_BIAS = {bias:.3f}")
    lines.append(f"ADMIT = {admit:.2f}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--catalog", choices=sorted(SOURCES), default="demo")
    parser.add_argument("--folder", type=Path, help="the onboarded edX folder (eval.edx_relevance --folder)")
    parser.add_argument("--fit", action="store_true", help="fit the product's gate on both catalogs (needs --folder)")
    args = parser.parse_args(argv)
    if args.fit:
        if args.folder is None:
            parser.error("--fit needs --folder (the folder eval.edx_relevance --folder made)")
        rows = [{**row, "catalog": "demo"} for row in pairs("demo")]
        os.environ["STACKWISE_CATALOG_PATH"] = str(args.folder / "edx_catalog.yaml")
        os.environ["STACKWISE_INDEX_DIR"] = str(args.folder / "index")
        rows += [{**row, "catalog": "edx"} for row in pairs("edx")]
        print("\n".join(fit_gate(rows)))
        return 0
    if args.catalog == "edx":
        if args.folder is None:
            parser.error("--catalog edx needs --folder (the folder eval.edx_relevance --folder made)")
        os.environ["STACKWISE_CATALOG_PATH"] = str(args.folder / "edx_catalog.yaml")
        os.environ["STACKWISE_INDEX_DIR"] = str(args.folder / "index")
    print("\n".join(compare(pairs(args.catalog))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
