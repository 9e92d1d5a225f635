"""Recommendations and routes on a second, real catalog: the onboarded edX export. ``python -m eval.edx_relevance``.

The demo catalog's relevance set (``eval/relevance/``) judges every credential for every goal. The edX
catalog has 972 courses, so here the judges see a pool. First they graded what Stackwise offered for
the 20 goals below (a new learner's top ten recommendations and every route step: two judges,
``relevance_edx/judgments.jsonl`` and ``judgments_b.jsonl``); then, since a change to the gate offers
other courses, one judge graded every course covering a core gap skill of those goals
(``eval.relevance_pool``, ``relevance_edx/dev_pool_a.jsonl``: the figures of the default set, with the
agreement against the second judge on the pairs both graded). The goals were chosen before any advice
was looked at, from the fields the export covers, with three it does not (welder, electrician, chef:
the right answer is little or nothing); this set was then read while choosing the relevance gate.

    python -m eval.edx_relevance                  # onboard the export into a temp folder, then report
    python -m eval.edx_relevance --folder DIR     # keep / reuse DIR (catalog, index) between runs
    python -m eval.edx_relevance --pool FILE      # write what the judges see (no figures)
    python -m eval.edx_relevance --set heldout    # the held-out goals instead (figures only)

**Held out** (``--set heldout``): the goals above were read while working on the relevance gate, so a
second set was chosen on 2026-12-07 before any advice toward it was looked at
(``relevance_edx/heldout_goals.txt``), and two judges graded a broader pool, every course covering a
core gap skill of the goal (``eval.relevance_pool``), in ``relevance_edx/heldout_a.jsonl`` (the figures)
and ``heldout_b.jsonl`` (agreement). Its padding steps are never listed.

The report, as ``eval.route_relevance``: route steps that are padding (not relevant and unlocking
nothing relevant), the share of the top five recommendations judged relevant, and how many offered
courses have no judgment yet (a change that offers new courses needs them judged before its figures count).
The index is the one in ``STACKWISE_INDEX_DIR`` (skills and occupations), copied into the folder, with
the edX courses embedded there.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
JUDGMENTS = HERE / "relevance_edx" / "judgments.jsonl"
#: a second judge's grades of the same pool, for agreement only (the figures use the first judge's)
SECOND = HERE / "relevance_edx" / "judgments_b.jsonl"
GOALS = (
    "data scientist",
    "data analyst",
    "software developer",
    "web developer",
    "ICT security administrator",
    "project manager",
    "accountant",
    "financial analyst",
    "marketing manager",
    "business analyst",
    "human resources officer",
    "supply chain manager",
    "nurse responsible for general care",
    "primary school teacher",
    "instructional designer",
    "graphic designer",
    "environmental scientist",
    "welder",
    "electrician",
    "chef",
)
POOL_TOP = 10
HELDOUT_GOALS = HERE / "relevance_edx" / "heldout_goals.txt"
#: the same 20 goals graded over the broader pool (``eval.relevance_pool``: every course covering a core gap
#: skill), so a change to the gate that offers other courses is still scored; read while choosing the gate
DEV_POOL = HERE / "relevance_edx" / "dev_pool_a.jsonl"
SETS = {
    "check": (DEV_POOL, SECOND),
    "heldout": (HERE / "relevance_edx" / "heldout_a.jsonl", HERE / "relevance_edx" / "heldout_b.jsonl"),
}


def prepare(folder: Path) -> tuple[Path, Path]:
    """The onboarded catalog and an index with its courses, made in ``folder`` unless already there."""
    catalog, index = folder / "edx_catalog.yaml", folder / "index"
    stackwise = str(Path(sys.executable).with_name("stackwise"))
    if not catalog.exists():
        review = folder / "review"
        shutil.rmtree(review, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "eval.onboarding_edx", "--out", str(review)], check=True)
        subprocess.run(
            [stackwise, "catalog", "apply-review", str(review), "--out", str(catalog), "--institution", "edX"],
            check=True,
        )
    if not (index / "manifest.json").exists():
        source = Path(os.environ.get("STACKWISE_INDEX_DIR", HERE.parent / ".stackwise" / "index"))
        shutil.rmtree(index, ignore_errors=True)
        shutil.copytree(source, index)
    env = {**os.environ, "STACKWISE_CATALOG_PATH": str(catalog), "STACKWISE_INDEX_DIR": str(index)}
    subprocess.run([stackwise, "index", "build"], check=True, env=env, stdout=subprocess.DEVNULL)  # only what is stale
    return catalog, index


@dataclass(frozen=True)
class Advised:
    """The wiring root over the edX catalog, and (goal, resolved occupation, advice) for a new learner per goal."""

    root: Any
    goals: list[tuple[str, Any, Any]]


def advise_all(catalog: Path, index: Path, goals: Sequence[str] = GOALS) -> Advised:
    """Advise a new learner toward every goal, on the edX catalog."""
    os.environ["STACKWISE_CATALOG_PATH"] = str(catalog)
    os.environ["STACKWISE_INDEX_DIR"] = str(index)
    from assistant.bootstrap import Stackwise
    from assistant.core.advice import OccupationTarget
    from assistant.core.models import LearnerProfile

    root = Stackwise()
    out = []
    for goal in goals:
        result = root.advice.advise(LearnerProfile(), OccupationTarget(title=goal))
        assert result.target.occupation_uri is not None, goal  # every goal here is an ESCO title
        out.append((goal, root.taxonomy.occupations[result.target.occupation_uri], result))
    return Advised(root, out)


def write_pool(path: Path, advised: Advised) -> int:
    from eval.relevance_pool import judging_record

    rows = 0
    with path.open("w", encoding="utf-8") as out:
        for goal, occupation, result in advised.goals:
            ids = [r.credential_id for r in result.recommendations[:POOL_TOP]]
            ids += [s.credential_id for report in result.routes for s in report.route.steps]
            record = judging_record(advised.root, goal, occupation, ids, essential=15, outcomes=False)
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            rows += len(record["courses"])
    return rows


def report(advised: Advised, judgments_path: Path, second: Path | None = SECOND, list_padding: bool = True) -> str:
    from assistant.core.advice.recommend import ranked
    from eval.route_relevance import Judgment, Tally, agreement, read_graded, score

    root = advised.root
    judged = read_graded(judgments_path)
    tally, unjudged, empty, lines = Tally(), 0, [], []
    for goal, occupation, result in advised.goals:
        j = judged.get(goal)
        if j is None:
            unjudged += 1
            continue
        judgment = Judgment(occupation.uri, goal, "check", frozenset(j["made_for"]), frozenset(j["relevant"]))
        seen = set(j.get("not_relevant", [])) | judgment.made_for | judgment.relevant
        offered = [r.credential_id for r in ranked(result.recommendations)[:5]]
        offered += [r.credential_id for r in result.recommendations if r.prerequisite_of in offered]
        offered += [s.credential_id for rep in result.routes for s in rep.route.steps]
        unjudged += len({cid for cid in offered if cid not in seen})
        score(result, judgment, tally, goal, root)
        if not result.recommendations:
            empty.append(goal)
    d = tally.as_dict()
    top5 = f"{100 * d['top5_relevant']:.1f}%" if d["top5_relevant"] is not None else "n/a"
    lines.append(
        f"edX catalog ({len(root.catalog)} courses), new learners, {d['pairs']} goals: route steps {d['route_steps']}, "
        f"padding {d['padding_steps']} ({100 * d['padding_rate']:.1f}%); top-5 relevant {tally.top_good}/{d['top5']} "
        f"({top5}); offered but not judged: {unjudged}"
    )
    lines.append(f"goals with no recommendation: {', '.join(empty) if empty else 'none'}")
    if second is not None and second.exists():
        lines.append(agreement(judged, read_graded(second)))
    if list_padding:
        lines.extend(f"  padding: {p}" for p in tally.padded)
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--folder", type=Path, help="where the onboarded catalog and its index are kept")
    parser.add_argument("--pool", type=Path, help="write what the judges see to this JSON-lines file")
    parser.add_argument("--set", choices=sorted(SETS), default="check", help="which goals and judgments")
    parser.add_argument("--judgments", type=Path, help="grades to score against (default: the set's judge A)")
    args = parser.parse_args(argv)
    judgments: Path = SETS[args.set][0]
    second: Path | None = SETS[args.set][1]
    if args.judgments is not None:
        judgments, second = args.judgments, None
    if args.set == "heldout":
        from eval.relevance_pool import read_goals

        goals: Sequence[str] = read_goals(HELDOUT_GOALS)
    else:
        goals = GOALS
    with tempfile.TemporaryDirectory(prefix="stackwise-edx-") as temp:
        folder = args.folder or Path(temp)
        folder.mkdir(parents=True, exist_ok=True)
        catalog, index = prepare(folder)
        advised = advise_all(catalog, index, goals)
        if args.pool:
            print(f"wrote {write_pool(args.pool, advised)} (goal, course) pairs to {args.pool}")
            return 0
        print(report(advised, judgments, second, list_padding=args.set != "heldout"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
