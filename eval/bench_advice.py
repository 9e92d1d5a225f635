"""Evaluate gap analysis, recommendations and routes; time the planners. ``python -m eval.bench_advice``.

On the hand-checked cases in ``eval/advice_cases.yaml`` (real taxonomy, bundled demo catalog):

* **gap precision / recall** — the core gap Stackwise reports (``AdviceResult.core_gap``) against the
  case's ``expected_gap``; micro (pooled) and macro (mean of cases);
* **route coverage** — per objective, the share of the core gap's weighted need the route covers
  (``Route.coverage``), and the share of the hand-checked gap skills its credentials teach, next to
  two ceilings: the share of those skills the whole catalog teaches at all, and the share of the
  weighted core gap the credentials that pass the case's constraints could cover together;
* **padding** — route steps that cover no core gap skill of the case and are no catalog prerequisite of
  another step (goal 0; ``eval.route_relevance`` judges relevance beyond this);
* **constraint violations** — every rule in ``eval.advice_metrics`` checked on every route and on the
  recommendations (must be 0), including ids outside the catalog and held credentials offered again;
* **planning time** — the exact planner (CP-SAT) and the greedy heuristic on each case's problem, on
  the demo catalog and on a generated catalog (``eval.catalog_gen``, default 2,000 credentials, seed 7),
  with the exact/heuristic time ratio, how many exact routes were proven optimal, and how much
  coverage the heuristic gives up.

Skills are matched with the packaged sentence embedder when it loads (``--similarity embedder``, the
default), else by ESCO structure only; the report names which. ``--json`` prints the figures as JSON
(the table goes to stderr then).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

for _name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
    os.environ.setdefault(_name, "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from assistant.core.advice import (  # noqa: E402
    AdviceOptions,
    AdviceService,
    AutoPlanner,
    GreedyPlanner,
    OccupationTarget,
    PlanningProblem,
    SkillSimilarity,
    build_problem,
    build_route,
)
from assistant.core.catalog import Catalog  # noqa: E402
from assistant.core.models import (  # noqa: E402
    Constraints,
    EarnedCredential,
    Evidence,
    EvidenceSource,
    HeldSkill,
    LearnerProfile,
    Route,
    RouteObjective,
)
from assistant.core.taxonomy import Taxonomy  # noqa: E402
from eval.advice_metrics import (  # noqa: E402
    GapScore,
    Violation,
    covered_by,
    gap_score,
    recommendation_violations,
    route_violations,
    summarise_gaps,
)

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "eval" / "advice_cases.yaml"
DEMO = ROOT / "index" / "data" / "catalogs" / "demo" / "catalog.yaml"
OBJECTIVES = (RouteObjective.MOST_COVERAGE, RouteObjective.CHEAPEST, RouteObjective.FASTEST)


def padding_steps(route: Route, catalog: Catalog, core: set[str]) -> list[str]:
    """Steps that cover none of ``core`` (the advice's core gap) and are not a catalog prerequisite of
    another step of the route: read from the catalog, not from the step's own ``unlocks``."""
    ids = [step.credential_id for step in route.steps]
    needed = {ref for cid in ids for group in catalog.get(cid).prerequisites for ref in group.credential_ids}
    return [
        step.credential_id for step in route.steps if not set(step.covers) & core and step.credential_id not in needed
    ]


def load_cases(path: Path) -> tuple[date, list[dict[str, Any]]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return date.fromisoformat(str(data["start"])), list(data["cases"])


def case_profile(case: dict[str, Any]) -> tuple[LearnerProfile, list[EarnedCredential]]:
    """The case's résumé as held skills (each citing its line), its constraints and held credentials."""
    skills = []
    for number, line in enumerate(case["resume"], 1):
        evidence = Evidence(source=EvidenceSource.RESUME, text=line["line"], line_no=number)
        for skill in line["skills"]:
            skills.append(HeldSkill(skill_uri=skill["uri"], label=skill["label"], confidence=0.9, evidence=(evidence,)))
    limits = dict(case.get("constraints", {}))
    if "budget" in limits:
        limits["budget"] = Decimal(str(limits["budget"]))
    constraints = Constraints.model_validate(limits)
    badges = [
        EarnedCredential(achievement_id=f"urn:eval:{case['id']}:{n}", name=b["name"], catalog_id=b.get("catalog_id"))
        for n, b in enumerate(case.get("badges", []))
    ]
    profile = LearnerProfile(
        learner_id=case["id"],
        skills=tuple(skills),
        earned_credentials=tuple(case.get("held_credentials", [])),
        constraints=constraints,
    )
    return profile, badges


def make_similarity(kind: str, say: Callable[..., None]) -> tuple[SkillSimilarity | None, str]:
    if kind == "none":
        return None, "ESCO structure only"
    if kind == "lexical":
        from assistant.core.advice import LexicalSimilarity

        return LexicalSimilarity(), "ESCO structure + word overlap"
    try:
        from assistant.adapters.search.embedding import make_embedder
        from assistant.core.advice import EmbedderSimilarity

        embedder = make_embedder()
        similarity = EmbedderSimilarity(embedder)
        similarity.similarity(["check"], ["check"])
        return similarity, f"ESCO structure + label cosine ({embedder.model_id})"
    except Exception as exc:  # the benchmark still runs without the model, and says so
        say(f"similarity model unavailable ({exc}); matching by ESCO structure only")
        return None, "ESCO structure only (embedder unavailable)"


def time_planners(problem: PlanningProblem, time_limit: float) -> dict[str, Any]:
    """Exact and heuristic on one problem: seconds, proof status and coverage of each objective."""
    from assistant.core.advice.solver_cpsat import CpSatPlanner

    t0 = time.perf_counter()
    exact = CpSatPlanner(time_limit_s=time_limit, warm_start=GreedyPlanner()).plan(problem, OBJECTIVES)
    exact_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    greedy = GreedyPlanner().plan(problem, OBJECTIVES)
    greedy_s = time.perf_counter() - t0
    total = problem.total_need or 1.0
    return {
        "candidates": len(problem.candidates),
        "exact_s": exact_s,
        "greedy_s": greedy_s,
        "exact_optimal": sum(plan.optimal for plan in exact),
        "exact_plans": exact,
        "greedy_plans": greedy,
        "exact_coverage": problem.coverage_need(exact[0].chosen) / total,
        "greedy_coverage": problem.coverage_need(greedy[0].chosen) / total,
    }


def run(args: argparse.Namespace, say: Callable[..., None]) -> dict[str, Any]:
    from index.bundle import load_taxonomy
    from index.catalogs import load_catalog

    t0 = time.perf_counter()
    taxonomy: Taxonomy = load_taxonomy()
    catalog: Catalog = load_catalog(DEMO, known_skill_uris=taxonomy.skills.keys())
    start, cases = load_cases(Path(args.cases))
    similarity, matching = make_similarity(args.similarity, say)
    say(
        f"loaded taxonomy, demo catalog ({len(catalog)} credentials), {len(cases)} cases "
        f"in {time.perf_counter() - t0:.1f} s"
    )
    say(f"matching: {matching}")
    options = AdviceOptions(start=start)
    advice = AdviceService(taxonomy, catalog, similarity=similarity, planner=AutoPlanner(time_limit_s=args.time_limit))
    rows: list[dict[str, Any]] = []
    scores: list[GapScore] = []
    violations: list[Violation] = []
    fields: set[str] = set()
    demo_timing: list[dict[str, Any]] = []
    for case in cases:
        profile, badges = case_profile(case)
        target = OccupationTarget(title=case["target"])
        result = advice.advise(profile, target, earned=badges, options=options)
        if result.target.occupation_uri != case["occupation_uri"]:
            raise SystemExit(f"{case['id']}: target resolved to {result.target.label}, not the case's occupation")
        expected = {s["uri"] for s in case["expected_gap"]}
        predicted = {item.skill_uri for item in result.core_gap}
        score = gap_score(predicted, expected)
        scores.append(score)
        fields.add(case["field"])
        held = set(result.profile.earned_credentials)
        case_violations = recommendation_violations(result.recommendations, catalog, profile.constraints, held)
        coverage: dict[str, Any] = {}
        core = {item.skill_uri for item in result.core_gap}
        steps = padding = 0
        for report in result.routes:
            route = report.route
            case_violations += route_violations(route, catalog, profile.constraints, held, start)
            steps += len(route.steps)
            padding += len(padding_steps(route, catalog, core))
            taught = covered_by(route, catalog, expected)
            coverage[route.objective.value] = {
                "weighted": route.coverage,
                "expected_gap": len(taught) / len(expected) if expected else 1.0,
                "optimal": route.optimal,
                "cost": float(route.total_cost),
                "weeks": route.weeks,
                "credentials": len(route.steps),
            }
        violations += case_violations
        catalog_skills = {uri for credential in catalog for uri in credential.skill_uris}
        ceiling = len(expected & catalog_skills) / len(expected) if expected else 1.0
        prep = advice.prepare(profile, target, earned=badges, options=options)
        problem = prep.problem
        reachable = (
            problem.coverage_need(frozenset(problem.candidates)) / problem.total_need if problem.total_need else 1.0
        )
        timing = time_planners(problem, args.time_limit)
        demo_timing.append(timing)
        rows.append(
            {
                "id": case["id"],
                "field": case["field"],
                "target": case["target"],
                "precision": score.precision,
                "recall": score.recall,
                "predicted": score.predicted,
                "expected": score.expected,
                "coverage": coverage,
                "ceiling": ceiling,
                "reachable": reachable,
                "violations": len(case_violations),
                "steps": steps,
                "padding": padding,
                "recommended": len(result.recommendations),
                "candidates": timing["candidates"],
                "exact_s": timing["exact_s"],
                "greedy_s": timing["greedy_s"],
            }
        )
        say(
            f"  {case['id']:7} P {score.precision:.2f} R {score.recall:.2f}  "
            f"cover {coverage['most-coverage']['weighted']:.2f}  viol {len(case_violations)}  "
            f"exact {timing['exact_s'] * 1000:.0f} ms / greedy {timing['greedy_s'] * 1000:.0f} ms"
        )
    summary = summarise_gaps(scores)
    generated = _generated(args, advice, cases, start, say)
    violations += generated.pop("violation_list")
    kinds: dict[str, int] = {}
    for v in violations:
        kinds[v.kind] = kinds.get(v.kind, 0) + 1
    return {
        "matching": matching,
        "cases": len(cases),
        "fields": sorted(fields),
        "gap": {
            "micro_precision": summary.micro_precision,
            "micro_recall": summary.micro_recall,
            "micro_f1": summary.micro_f1,
            "macro_precision": summary.macro_precision,
            "macro_recall": summary.macro_recall,
        },
        "coverage": _coverage_summary(rows),
        "padding": {"steps": sum(r["steps"] for r in rows), "padding": sum(r["padding"] for r in rows)},
        "violations": {"total": len(violations), "by_kind": kinds, "examples": [v.detail for v in violations[:10]]},
        "outside_catalog": kinds.get("not-in-catalog", 0),
        "planning": {"demo": _timing_summary(demo_timing, args.time_limit), "generated": generated},
        "rows": rows,
    }


def _generated(
    args: argparse.Namespace,
    advice: AdviceService,
    cases: Sequence[dict[str, Any]],
    start: date,
    say: Callable[..., None],
) -> dict[str, Any]:
    from eval.catalog_gen import generate_catalog

    t0 = time.perf_counter()
    occupations = [c["occupation_uri"] for c in cases]
    generated = generate_catalog(advice.taxonomy, occupations, size=args.gen_size, seed=args.gen_seed)
    say(f"generated catalog: {len(generated)} credentials (seed {args.gen_seed}) in {time.perf_counter() - t0:.1f} s")
    timings = []
    violations: list[Violation] = []
    for case in spread(cases, args.gen_cases or len(cases)):
        profile, badges = case_profile(case)
        target = OccupationTarget(title=case["target"])
        prep = advice.prepare(profile, target, earned=badges, options=AdviceOptions(start=start))
        # the gap comes from the demo run (held ids and badges are demo ids); the plan from the generated catalog
        problem = build_problem(prep.gap, generated, profile.constraints, frozenset(), prep.matcher, start=start)
        timing = time_planners(problem, args.time_limit)
        for plan in [*timing["exact_plans"], *timing["greedy_plans"]]:
            route = build_route(problem, plan, generated).route
            violations += route_violations(route, generated, profile.constraints, set(), start)
        timings.append(timing)
        say(
            f"  gen {case['id']:7} {timing['candidates']:4} candidates  exact {timing['exact_s']:.2f} s "
            f"({timing['exact_optimal']}/3 optimal)  greedy {timing['greedy_s']:.3f} s  "
            f"coverage exact {timing['exact_coverage']:.3f} vs greedy {timing['greedy_coverage']:.3f}"
        )
    out = _timing_summary(timings, args.time_limit)
    out.update(size=len(generated), seed=args.gen_seed, violation_list=violations)
    return out


def spread(cases: Sequence[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    """Up to ``n`` cases taking each field in turn, so a short run still spans the fields."""
    by_field: dict[str, list[dict[str, Any]]] = {}
    for case in cases:
        by_field.setdefault(case["field"], []).append(case)
    out: list[dict[str, Any]] = []
    while len(out) < min(n, len(cases)):
        for group in by_field.values():
            if group and len(out) < n:
                out.append(group.pop(0))
    return out


def _timing_summary(timings: Sequence[dict[str, Any]], limit: float) -> dict[str, Any]:
    if not timings:
        return {}
    exact = [t["exact_s"] for t in timings]
    greedy = [t["greedy_s"] for t in timings]
    per_plan = [plan.seconds for t in timings for plan in t["exact_plans"]]
    return {
        "exact_plan_median_s": statistics.median(per_plan),
        "exact_plan_p95_s": sorted(per_plan)[max(0, round(0.95 * len(per_plan)) - 1)],
        "exact_plan_max_s": max(per_plan),
        "problems": len(timings),
        "time_limit_s": limit,
        "candidates_median": statistics.median(t["candidates"] for t in timings),
        "candidates_max": max(t["candidates"] for t in timings),
        "exact_total_s": sum(exact),
        "exact_median_s": statistics.median(exact),
        "exact_max_s": max(exact),
        "greedy_total_s": sum(greedy),
        "greedy_median_s": statistics.median(greedy),
        "ratio_exact_over_greedy": sum(exact) / sum(greedy) if sum(greedy) else float("inf"),
        "exact_routes_optimal": sum(t["exact_optimal"] for t in timings),
        "exact_routes": 3 * len(timings),
        "coverage_exact_mean": statistics.fmean(t["exact_coverage"] for t in timings),
        "coverage_greedy_mean": statistics.fmean(t["greedy_coverage"] for t in timings),
    }


def _coverage_summary(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for objective in OBJECTIVES:
        name = objective.value
        out[name] = {
            "weighted_mean": statistics.fmean(r["coverage"][name]["weighted"] for r in rows),
            "expected_gap_mean": statistics.fmean(r["coverage"][name]["expected_gap"] for r in rows),
            "optimal": sum(r["coverage"][name]["optimal"] for r in rows),
        }
    out["ceiling_mean"] = statistics.fmean(r["ceiling"] for r in rows)
    out["reachable_mean"] = statistics.fmean(r["reachable"] for r in rows)
    return out


def report(figures: dict[str, Any]) -> str:
    gap, cov, plan = figures["gap"], figures["coverage"], figures["planning"]
    lines = [
        f"Advice evaluation: {figures['cases']} hand-checked cases over {len(figures['fields'])} fields "
        f"({', '.join(figures['fields'])}); matching: {figures['matching']}",
        "",
        f"{'case':8} {'field':15} {'P':>5} {'R':>5} {'pred':>4} {'exp':>4}  {'cover(most/cheap/fast)':>22} "
        f"{'ceil':>5} {'viol':>4} {'cand':>4} {'exact ms':>8} {'greedy ms':>9}",
    ]
    for r in figures["rows"]:
        c = r["coverage"]
        covers = "/".join(f"{c[o.value]['weighted']:.2f}" for o in OBJECTIVES)
        lines.append(
            f"{r['id']:8} {r['field']:15} {r['precision']:5.2f} {r['recall']:5.2f} "
            f"{r['predicted']:4} {r['expected']:4}  "
            f"{covers:>22} {r['ceiling']:5.2f} {r['violations']:4} {r['candidates']:4} "
            f"{r['exact_s'] * 1000:8.0f} {r['greedy_s'] * 1000:9.1f}"
        )
    lines += [
        "",
        f"Gap (core) precision / recall: micro {gap['micro_precision']:.3f} / {gap['micro_recall']:.3f} "
        f"(F1 {gap['micro_f1']:.3f}); macro {gap['macro_precision']:.3f} / {gap['macro_recall']:.3f}",
    ]
    pad = figures["padding"]
    lines.append(
        f"Padding (route steps that cover no core gap skill of the case and are no prerequisite of another step): "
        f"{pad['padding']} of {pad['steps']}"
    )
    for objective in OBJECTIVES:
        o = cov[objective.value]
        lines.append(
            f"Route coverage, {objective.value:13}: weighted core gap {o['weighted_mean']:.3f}, "
            f"hand-checked gap skills taught {o['expected_gap_mean']:.3f}; "
            f"proven optimal {o['optimal']}/{figures['cases']}"
        )
    lines.append(
        f"Coverage ceilings: the catalog teaches {cov['ceiling_mean']:.3f} of the hand-checked gap skills with no "
        f"constraints; under each case's constraints the credentials left could cover {cov['reachable_mean']:.3f} "
        "of the weighted core gap"
    )
    v = figures["violations"]
    lines.append(
        f"Constraint violations: {v['total']} {v['by_kind'] or ''}; recommended or planned outside the catalog: "
        f"{figures['outside_catalog']}"
    )
    for name, label in (("demo", "demo catalog"), ("generated", "generated catalog")):
        t = plan[name]
        if not t:
            continue
        size = f" ({t['size']} credentials, seed {t['seed']})" if name == "generated" else ""
        lines.append(
            f"Planning, {label}{size}: {t['problems']} problems, candidates median {t['candidates_median']:g} "
            f"max {t['candidates_max']}; exact total {t['exact_total_s']:.2f} s "
            f"(median {t['exact_median_s'] * 1000:.0f} ms, "
            f"max {t['exact_max_s']:.2f} s, {t['exact_routes_optimal']}/{t['exact_routes']} proven optimal, "
            f"limit {t['time_limit_s']:g} s per objective; per plan median "
            f"{t['exact_plan_median_s'] * 1000:.0f} ms, p95 {t['exact_plan_p95_s'] * 1000:.0f} ms, max "
            f"{t['exact_plan_max_s'] * 1000:.0f} ms); greedy total {t['greedy_total_s']:.2f} s; "
            f"ratio exact/heuristic {t['ratio_exact_over_greedy']:.1f}x; most-coverage mean coverage exact "
            f"{t['coverage_exact_mean']:.3f} vs greedy {t['coverage_greedy_mean']:.3f}"
        )
    return "\n".join(lines)


def _jsonable(figures: dict[str, Any]) -> dict[str, Any]:
    def clean(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items() if k not in ("exact_plans", "greedy_plans")}
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, float):
            return round(value, 4)
        return value

    cleaned: dict[str, Any] = clean(figures)
    return cleaned


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.bench_advice", description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON (table to stderr)")
    parser.add_argument("--cases", default=str(CASES), help="cases file (default: eval/advice_cases.yaml)")
    parser.add_argument("--similarity", choices=("embedder", "lexical", "none"), default="embedder")
    parser.add_argument("--time-limit", type=float, default=5.0, help="CP-SAT seconds per objective (default 5)")
    parser.add_argument("--gen-size", type=int, default=2000, help="generated catalog size (default 2000)")
    parser.add_argument("--gen-seed", type=int, default=7)
    parser.add_argument(
        "--gen-cases", type=int, default=0, help="cases planned on the generated catalog (default 0: all)"
    )
    args = parser.parse_args(argv)
    out = sys.stderr if args.json else sys.stdout

    def say(*parts: Any) -> None:
        print(*parts, file=sys.stderr, flush=True)

    figures = run(args, say)
    print(report(figures), file=out)
    if args.json:
        print(json.dumps(_jsonable(figures), indent=2))
    return 0 if figures["violations"]["total"] == 0 and figures["outside_catalog"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
