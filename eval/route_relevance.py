"""Are recommendations and routes what a careers adviser would sign? ``python -m eval.route_relevance``.

Scored against ``eval/relevance/judgments.jsonl``: for 45 goal occupations, the demo-catalog credentials
an adviser judged *made for* the job or *relevant* to it (rule in ``eval/relevance/RULE.md``). Each
advice is run on the real taxonomy, embedder and demo catalog, for two kinds of learner:

* **new to the field**: an empty profile, one advice per judged goal;
* **real résumés**: the 20 résumés of ``resume_entities/testdata.json`` (never tuned on) and the 8 non-IT
  résumés of ``eval/resumes/dev``, each with the judged goal closest in meaning to what the résumé says
  the person does (its annotated designation, or the file's name), read as the product reads a paste.

Later sets are advised the same way apart: new learners toward each goal, and every résumé again toward
the closest of the set's goals, so each résumé gives one pair per set. A second held-out set
(``relevance/heldout2_a.jsonl``, 10 goals chosen and judged on 2026-12-07 after the first set's padding lists
had been read); a third development set (``relevance/dev3_a.jsonl``, 18 goals, judged to refit the gate) and a
third held-out set (``relevance/heldout3_a.jsonl``, 12 goals), both chosen together and split at random
(``dev3_goals.txt``, ``heldout3_goals.txt``), every credential covering a core gap skill graded; a fourth pair
the same way (``dev4``: 12 goals, plus the 9 jobs the catalog's qualifications prepare for that no set had;
``heldout4``: 12 goals, two judges).

Figures, per split of the judged goals (``dev``, ``dev3`` and ``dev4`` goals were used to choose the relevance
rules and thresholds, the ``heldout`` splits never were):

* **padding**: route steps (all three objectives) that are neither judged relevant nor made for the goal
  and unlock no step that is; the issue's goal is 0;
* **top-5 relevance**: the share of the first five recommendations judged relevant or made for the goal (the
  ranked picks: a pick's prerequisites are listed under it, marked ``prerequisite_of``, and counted apart as
  good when judged good or needed first for a pick judged good, the padding rule);
* **made-for recall**: of the credentials judged made for a goal that the learner could take (not held,
  within the constraints), the share recommended, on a route, or (certificates, diplomas, degrees) stacked
  toward by a route;
* **never judged**: padding steps and top-5 recommendations whose credential the pooled set never graded
  (counted as not relevant, and shown when there are any: a route can reach past the pool);
* per pooled split, the **gate** alone: the graded pairs it admits and how many of them are judged good.

``--logo FOLDER`` advises each development goal with the gate fitted without that goal's judged pairs
(``eval.relevance_model``; FOLDER is the onboarded edX folder, whose pairs the gate is fitted on too), so
the development figures are out of sample for the gate's weights as the held-out ones are.

Résumé text is personal data: nothing here prints it; only ids, counts and labels are shown.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

for _name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
    os.environ.setdefault(_name, "1")

from assistant.bootstrap import Stackwise  # noqa: E402
from assistant.core.advice import AdviceResult, OccupationTarget, relevance  # noqa: E402
from assistant.core.advice.problem import Exclusion  # noqa: E402
from assistant.core.advice.recommend import ranked  # noqa: E402
from assistant.core.models import LearnerProfile  # noqa: E402

HERE = Path(__file__).resolve().parent
JUDGMENTS = HERE / "relevance" / "judgments.jsonl"
#: a second held-out set (new goals, judged 2026-12-07 by two judges over every credential covering a core
#: gap skill, ``eval.relevance_pool``); the figures use judge A's grades, judge B's give the agreement
HELDOUT2 = HERE / "relevance" / "heldout2_a.jsonl"
HELDOUT2_SECOND = HERE / "relevance" / "heldout2_b.jsonl"
#: later sets, each advised apart: (judge A's grades, a second judge's or None)
LATER = (
    (HERE / "relevance" / "dev3_a.jsonl", None),
    (HELDOUT2, HELDOUT2_SECOND),
    (HERE / "relevance" / "heldout3_a.jsonl", HERE / "relevance" / "heldout3_b.jsonl"),
    (HERE / "relevance" / "dev4_a.jsonl", None),
    (HERE / "relevance" / "heldout4_a.jsonl", HERE / "relevance" / "heldout4_b.jsonl"),
)
#: splits whose judgments were used to choose the gate
DEVELOPMENT = frozenset({"dev", "dev3", "dev4"})
SHARED = HERE.parent.parent / "shared" / "data"
ENTITIES = SHARED / "eval" / "resume_entities" / "testdata.json"
OWN = HERE / "resumes" / "dev"


@dataclass(frozen=True)
class Judgment:
    goal_uri: str
    goal_label: str
    split: str
    made_for: frozenset[str]
    relevant: frozenset[str]
    #: graded not relevant; empty for the first set, which listed only the good ones
    not_relevant: frozenset[str] = frozenset()

    def good(self, cid: str) -> bool:
        return cid in self.made_for or cid in self.relevant

    def unjudged(self, cid: str) -> bool:
        """Never graded for this goal (only a pooled set, which lists what it found not relevant, can tell)."""
        return bool(self.not_relevant) and not self.good(cid) and cid not in self.not_relevant


def load_judgments(path: Path = JUDGMENTS) -> list[Judgment]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out.append(
                Judgment(
                    row["goal_uri"],
                    row["goal_label"],
                    row["split"],
                    frozenset(row["made_for"]),
                    frozenset(row["relevant"]),
                    frozenset(row.get("not_relevant", ())),
                )
            )
    return out


@dataclass
class Tally:
    pairs: int = 0
    steps: int = 0
    padding: int = 0
    #: padding steps and top-5 recommendations whose course was never graded for the goal (counted as not relevant)
    padding_unjudged: int = 0
    top: int = 0
    top_good: int = 0
    top_unjudged: int = 0
    #: prerequisites listed under the top-5 picks, and those judged good or needed first for a pick judged good
    top_prerequisites: int = 0
    top_prerequisites_good: int = 0
    made: int = 0
    made_found: int = 0
    padded: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "pairs": self.pairs,
            "route_steps": self.steps,
            "padding_steps": self.padding,
            "padding_rate": round(self.padding / self.steps, 4) if self.steps else 0.0,
            "padding_unjudged": self.padding_unjudged,
            "top5": self.top,
            "top5_unjudged": self.top_unjudged,
            "top5_relevant": round(self.top_good / self.top, 4) if self.top else None,
            "top5_prerequisites": self.top_prerequisites,
            "top5_prerequisites_good_or_unlocking": self.top_prerequisites_good,
            "made_for": self.made,
            "made_for_recall": round(self.made_found / self.made, 4) if self.made else None,
        }


def score(result: AdviceResult, judgment: Judgment, tally: Tally, name: str, root: Stackwise) -> None:
    """Add one advice's padding, top-5 relevance and made-for recall to ``tally``."""
    tally.pairs += 1
    catalog = root.catalog
    for report in result.routes:
        ids = [s.credential_id for s in report.route.steps]
        for cid in ids:
            tally.steps += 1
            unlocks = any(
                judgment.good(other)
                and cid in {ref for g in catalog.get(other).prerequisites for ref in g.credential_ids}
                for other in ids
            )
            if not judgment.good(cid) and not unlocks:
                tally.padding += 1
                tally.padding_unjudged += judgment.unjudged(cid)
                tally.padded.append(f"{name}: {report.route.objective.value} {cid} {catalog.get(cid).title}")
    top = [r.credential_id for r in ranked(result.recommendations)[:5]]
    tally.top += len(top)
    tally.top_good += sum(judgment.good(cid) for cid in top)
    tally.top_unjudged += sum(judgment.unjudged(cid) for cid in top)
    under = [r for r in result.recommendations if r.prerequisite_of in top]
    tally.top_prerequisites += len(under)
    tally.top_prerequisites_good += sum(
        judgment.good(r.credential_id) or judgment.good(r.prerequisite_of or "") for r in under
    )
    offered = {r.credential_id for r in result.recommendations}
    offered |= {s.credential_id for r in result.routes for s in r.route.steps}
    offered |= {p.target_id for r in result.routes for p in r.route.stacks_toward}
    held = set(result.profile.earned_credentials)
    for cid in judgment.made_for:
        if cid in held:
            continue
        if cid not in offered and cid in result.excluded and result.excluded[cid].kind is not Exclusion.FAR_FROM_GOAL:
            continue  # out of the learner's limits (a qualification: through a part it requires) and not offered
        tally.made += 1
        tally.made_found += cid in offered


def learners(root: Stackwise, judgments: Sequence[Judgment]) -> Iterator[tuple[str, LearnerProfile, Judgment]]:
    """Empty profiles for every judged goal, then real résumés with the judged goal closest to them."""
    for judgment in judgments:
        yield f"new/{judgment.goal_label}", LearnerProfile(), judgment
    resumes: list[tuple[str, str, str]] = []  # (name, what the person does, text)
    if ENTITIES.exists():
        from eval.resume_entities import load

        for resume in load(ENTITIES):
            roles = [resume.content[a:b] for label, a, b in resume.spans if label == "Designation"]
            resumes.append((f"entities/{resume.index}", roles[0] if roles else resume.content[:200], resume.content))
    for path in sorted(OWN.glob("*.txt")):
        resumes.append((f"own/{path.stem}", path.stem.replace("_", " "), path.read_text(encoding="utf-8")))
    if not resumes:
        return
    similarity = root.advice.similarity
    goals = [j.goal_label for j in judgments]
    for name, role, text in resumes:
        if similarity is not None:
            row = similarity.similarity([role], goals)[0]
            judgment = judgments[int(row.argmax())]
        else:
            judgment = judgments[0]
        profile = root.reader.profile(root.reader.document_from_text(text))
        yield f"{name} → {judgment.goal_label}", profile, judgment


Gate = tuple[dict[str, float], float]


def evaluate(
    root: Stackwise,
    judgments: Sequence[Judgment],
    later: Sequence[Sequence[Judgment]] = (),
    gates: Mapping[str, Gate] | None = None,
) -> dict[str, dict[str, Tally]]:
    """Figures per kind of learner and split. Each ``later`` set's goals are advised apart: new learners,
    and every résumé again with the closest of that set's goals (so each résumé has one goal per set).
    ``gates``: the fitted gate's weights and bias to advise each goal with (by label), instead of the product's."""
    out: dict[str, dict[str, Tally]] = {}
    more = chain.from_iterable(learners(root, judged) for judged in later if judged)
    kept = relevance.FITTED, relevance.FITTED_BIAS
    try:
        for name, profile, judgment in chain(learners(root, judgments), more):
            kind = name.split("/")[0]
            kind = "new" if kind == "new" else "resumes"
            tally = out.setdefault(kind, {}).setdefault(judgment.split, Tally())
            if gates is not None:
                relevance.FITTED, relevance.FITTED_BIAS = gates.get(judgment.goal_label, kept)
            result = root.advice.advise(profile, OccupationTarget(title=judgment.goal_label, uri=judgment.goal_uri))
            score(result, judgment, tally, name, root)
    finally:
        relevance.FITTED, relevance.FITTED_BIAS = kept
    return out


def left_one_goal_out(folder: Path) -> dict[str, Gate]:
    """For each judged development goal of the demo catalog, the gate fitted on every other development pair of
    both catalogs (``eval.relevance_model``): advised with it, a goal's figures are out of sample, as the held-out
    goals' are. The admitting chance stays the product's (itself chosen leave-one-goal-out)."""
    from eval.relevance_model import both_catalogs, product_weights

    rows = both_catalogs(folder)
    goals = {r["goal"] for r in rows if r["catalog"] == "demo"}
    return {goal: product_weights([r for r in rows if (r["catalog"], r["goal"]) != ("demo", goal)]) for goal in goals}


def gate_precision(root: Stackwise, judgments: Sequence[Judgment]) -> dict[str, str]:
    """Per split of the pooled sets (graded good and not relevant), the pairs the gate admits and how many of them
    are judged good, made-for credentials aside (always admitted): the gate alone, before any route is planned."""
    counts: dict[str, list[int]] = {}
    for judgment in judgments:
        if not judgment.not_relevant:
            continue
        fit = root.advice.fit(judgment.goal_uri)
        graded = (judgment.relevant | judgment.not_relevant) - judgment.made_for - fit.made_for
        tally = counts.setdefault(judgment.split, [0, 0, 0, 0])  # graded, good, admitted, admitted good
        for cid in graded:
            good, admitted = judgment.good(cid), fit.relevant(cid)
            tally[0] += 1
            tally[1] += good
            tally[2] += admitted
            tally[3] += admitted and good
    return {
        split: f"gate admits {a} of {n} graded pairs (not made for), {g_a} judged good "
        f"({g_a / a:.1%} precision); {g_a} of {g} good pairs admitted"
        if a
        else f"gate admits none of {n} graded pairs"
        for split, (n, g, a, g_a) in sorted(counts.items())
    }


def agreement(first: dict[str, dict[str, Any]], second: dict[str, dict[str, Any]]) -> str:
    """How often two judges agree on good (made for or relevant) against not relevant, and Cohen's kappa."""
    pairs = []
    for goal, a in first.items():
        b = second.get(goal)
        if b is None:
            continue
        good_a, good_b = set(a["made_for"]) | set(a["relevant"]), set(b["made_for"]) | set(b["relevant"])
        graded_b = good_b | set(b["not_relevant"]) if "not_relevant" in b else None
        for cid in good_a | set(a.get("not_relevant", [])):
            if graded_b is None or cid in graded_b:  # a pooled judge grades only its pool
                pairs.append((cid in good_a, cid in good_b))
    if not pairs:
        return "second judge: no shared pairs"
    n = len(pairs)
    agree = sum(x == y for x, y in pairs) / n
    pa, pb = sum(x for x, _ in pairs) / n, sum(y for _, y in pairs) / n
    chance = pa * pb + (1 - pa) * (1 - pb)
    kappa = (agree - chance) / (1 - chance) if chance < 1 else 1.0
    return f"second judge: agrees on {agree:.1%} of {n} (course, goal) pairs (good vs not relevant), kappa {kappa:.2f}"


def read_graded(path: Path) -> dict[str, dict[str, Any]]:
    """A judge's file by goal label (rows with ``made_for``, ``relevant`` and, pooled, ``not_relevant``)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {row["goal_label"]: row for row in rows}


def report(figures: dict[str, dict[str, Tally]]) -> str:
    lines = []
    for kind, splits in figures.items():
        for split, tally in sorted(splits.items()):
            d = tally.as_dict()
            top5 = f"{100 * d['top5_relevant']:.1f}%" if d["top5_relevant"] is not None else "n/a"
            recall = f"{100 * d['made_for_recall']:.1f}%" if d["made_for_recall"] is not None else "n/a"
            unjudged = (
                f"; never judged: {tally.padding_unjudged} padding steps, {tally.top_unjudged} top-5"
                if tally.padding_unjudged or tally.top_unjudged
                else ""
            )
            lines.append(
                f"{kind:8} {split:8} pairs {d['pairs']:3}; route steps {d['route_steps']:4}, padding "
                f"{d['padding_steps']} ({100 * d['padding_rate']:.1f}%); top-5 relevant {tally.top_good}/"
                f"{d['top5']} ({top5}), prerequisites under them {tally.top_prerequisites_good}/"
                f"{tally.top_prerequisites} good or unlocking; made-for recall {tally.made_found}/{d['made_for']} "
                f"({recall}){unjudged}"
            )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--padding", action="store_true", help="list every padding step of the dev goals")
    parser.add_argument(
        "--dev", action="store_true", help="advise the dev goals only (while choosing; résumés pair with dev goals)"
    )
    parser.add_argument(
        "--logo",
        type=Path,
        metavar="FOLDER",
        help="advise each dev goal with the gate fitted without it (needs the edX folder of eval.edx_relevance "
        "--folder; implies --dev): development figures out of sample",
    )
    args = parser.parse_args(argv)
    gates = left_one_goal_out(args.logo) if args.logo else None
    args.dev = args.dev or gates is not None
    root = Stackwise()
    judgments = load_judgments()
    later = [(first, load_judgments(first), second) for first, second in LATER if first.exists()]
    if args.dev:
        judgments = [j for j in judgments if j.split in DEVELOPMENT]
        later = [
            (path, judged, second) for path, judged, second in later if all(j.split in DEVELOPMENT for j in judged)
        ]
    figures = evaluate(root, judgments, [judged for _, judged, _ in later], gates)
    if args.json:
        print(json.dumps({k: {s: t.as_dict() for s, t in v.items()} for k, v in figures.items()}, indent=2))
    else:
        print(report(figures))
        for split, line in gate_precision(root, [j for _, judged, _ in later for j in judged]).items():
            print(f"{split} {line}")
        for first, judged, second in later:
            if second is not None and second.exists() and not args.dev:
                print(f"{judged[0].split} {agreement(read_graded(first), read_graded(second))}")
    if args.padding:  # held-out padding is never listed: it would be read, and then tuned on
        for splits in figures.values():
            for split in sorted(DEVELOPMENT & set(splits)):
                print("\n".join(f"  padding: {line}" for line in splits[split].padded), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
