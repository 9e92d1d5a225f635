"""What judges grade for a new set of goals: every credential a route could take. ``python -m eval.relevance_pool``.

``eval.edx_relevance --pool`` writes only what Stackwise offers today, so a change to the relevance gate
that offers something new needs new judgments before its figures count. A held-out set must outlive
such changes, so its judges grade a broader pool, written here before anyone looks at the advice: for
each goal and a new learner, every credential that covers at least one core gap skill (whether the
relevance gate lets it in or not), every credential made for the goal, and whatever is recommended or
routed today; the ``--top`` highest by today's relevance score when there are more (offered and made-for
ones are always kept).

    python -m eval.relevance_pool --goals "statistician,journalist" --out pool.jsonl
    STACKWISE_CATALOG_PATH=/tmp/edx/edx_catalog.yaml STACKWISE_INDEX_DIR=/tmp/edx/index \\
        python -m eval.relevance_pool --goals-file eval/relevance_edx/heldout_goals.txt --out pool.jsonl

Each line is one goal with its ESCO description and essential skills and the courses to grade (title,
description, outcomes, skills), in the format the judges' rule (``eval/relevance/RULE.md``) reads.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

for _name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
    os.environ.setdefault(_name, "1")

if TYPE_CHECKING:
    from assistant.bootstrap import Stackwise
    from assistant.core.models import Occupation

TOP = 40


def read_goals(path: Path) -> list[str]:
    """One ESCO occupation label per line; ``#`` starts a comment."""
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line]


def judging_record(
    root: Stackwise,
    goal: str,
    occupation: Occupation,
    ids: Iterable[str],
    *,
    essential: int = 20,
    outcomes: bool = True,
) -> dict[str, Any]:
    """What a judge reads for one goal: the occupation's ESCO text and essential skills (the first
    ``essential``), and each course's title, description, skills and (``outcomes``) learning outcomes."""
    from assistant.core.models.taxonomy import RelationType

    courses = []
    for cid in dict.fromkeys(ids):
        c = root.catalog.get(cid)
        course: dict[str, Any] = {"id": cid, "title": c.title, "description": (c.description or "")[:600]}
        if outcomes:
            course["outcomes"] = list(c.learning_outcomes)[:6]
        course["skills"] = [root.taxonomy.label_of(u) for u in c.skill_uris]
        courses.append(course)
    requirements = root.taxonomy.requirements_for(occupation.uri)
    return {
        "goal_label": goal,
        "goal_uri": occupation.uri,
        "occupation": occupation.preferred_label,
        "description": (occupation.description or "")[:700],
        "essential_skills": [r.label for r in requirements if r.relation is RelationType.ESSENTIAL][:essential],
        "courses": courses,
    }


def pool(goals: Sequence[str], top: int = TOP) -> list[dict[str, Any]]:
    """One record per goal: the goal's ESCO text and the credentials to grade (module docstring)."""
    from assistant.bootstrap import Stackwise
    from assistant.core.advice import OccupationTarget
    from assistant.core.advice.problem import LEFT_OUT
    from assistant.core.models import LearnerProfile

    root = Stackwise()
    out = []
    for goal in goals:
        target = OccupationTarget(title=goal)
        prepared = root.advice.prepare(LearnerProfile(), target)
        uri = prepared.target.occupation_uri
        if uri is None:
            raise SystemExit(f"{goal!r} names no ESCO occupation")
        occupation = root.taxonomy.occupations[uri]
        fit = root.advice.fit(uri)
        problem = prepared.problem
        covering = set(problem.candidates)
        covering |= {cid for cid, why in problem.excluded.items() if why.kind in LEFT_OUT}
        result = root.advice.advise(LearnerProfile(), OccupationTarget(title=goal, uri=uri))
        offered = {r.credential_id for r in result.recommendations[:10]}
        offered |= {s.credential_id for report in result.routes for s in report.route.steps}
        keep = offered | (set(fit.made_for) & {c.id for c in root.catalog})
        ranked = sorted(covering - keep, key=lambda cid: -fit.score(cid))
        ids = sorted(keep) + ranked[: max(0, top - len(keep))]
        out.append(judging_record(root, goal, occupation, ids))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--goals", help="comma-separated ESCO occupation labels")
    group.add_argument("--goals-file", type=Path, help="one ESCO occupation label per line")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--top", type=int, default=TOP, help="at most this many courses per goal (offered kept)")
    args = parser.parse_args(argv)
    goals = read_goals(args.goals_file) if args.goals_file else [g.strip() for g in args.goals.split(",") if g.strip()]
    records = pool(goals, args.top)
    with args.out.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    pairs = sum(len(r["courses"]) for r in records)
    print(f"wrote {pairs} (goal, course) pairs for {len(records)} goals to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
