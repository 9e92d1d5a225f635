"""Recommendations: the credentials that close the most gap for the effort, each with its reasons.

Credentials made for the goal (``relevance``) come first; then greedy weighted set cover over the gap
(the most-coverage rule of ``heuristic``): every candidate has already passed the learner's constraints
and is not held; the picks together stay within the budget and, with a deadline, fit the weeks. A pick's
prerequisites are recommended with it: one relevant to the goal on its own is ranked right before it (taken
first); one there only to unlock it (on its own far from the goal, or adding little) is listed right after it,
marked ``prerequisite_of`` it, so a course from another field never heads the list in place of the pick.
Each recommendation lists the gap skills it covers, its score (the gap need it newly covers), and why: what
it covers, what it needs first, what it stacks into, and the best alternative it was chosen over at that
step."""

from __future__ import annotations

from assistant.core.advice.heuristic import Pick, greedy_picks
from assistant.core.advice.problem import PlanningProblem
from assistant.core.catalog import Catalog
from assistant.core.formatting import count, hours, length, level, mode, money, price, weeks, workload
from assistant.core.models import Recommendation, RouteObjective


def recommend(problem: PlanningProblem, catalog: Catalog, *, limit: int = 8) -> tuple[Recommendation, ...]:
    """Up to ``limit`` greedy picks (plus their prerequisites) with reasons."""
    out: list[Recommendation] = []
    seen: set[str] = set()
    picks = greedy_picks(problem, RouteObjective.MOST_COVERAGE, limit=limit, made_for_first=True)
    offered = frozenset(cid for pick in picks for cid in pick.bundle)
    for pick in picks:
        fresh = [cid for cid in pick.bundle[:-1] if cid not in seen]
        seen.update(pick.bundle)
        ranked_first = [cid for cid in fresh if not problem.candidates[cid].unlocks_only]
        out += [_prerequisite(problem, catalog, cid, pick, ranked=True) for cid in ranked_first]
        out.append(_pick(problem, catalog, pick, offered))
        out += [_prerequisite(problem, catalog, cid, pick) for cid in fresh if cid not in ranked_first]
    return tuple(out)


def ranked(recommendations: tuple[Recommendation, ...]) -> tuple[Recommendation, ...]:
    """The picks in rank order, without the prerequisites listed under them."""
    return tuple(r for r in recommendations if r.prerequisite_of is None)


def _facts(problem: PlanningProblem, catalog: Catalog, cid: str) -> str:
    credential = catalog.get(cid)
    candidate = problem.candidates[cid]
    cost = credential.cost
    time = (
        f"{hours(credential.workload_hours)} over {weeks(candidate.weeks)} at {hours(problem.hours_per_week)} a week"
        if credential.workload_hours is not None
        else f"{workload(None)}, {length(credential.duration_weeks)}"
    )
    return (
        f"{mode(credential.delivery_mode)}, {level(credential.eqf_level)}, {credential.language}, "
        f"{price(cost.amount if cost else None, cost.currency if cost else None)}, {time}"
    )


def _stacks(catalog: Catalog, cid: str) -> list[str]:
    return [
        f"counts {rule.credit:g} {rule.credit_unit.value} toward {catalog.get(rule.target_id).title} ({rule.target_id})"
        for rule in catalog.get(cid).stacks_into
    ]


def _labels(problem: PlanningProblem, uris: frozenset[str] | set[str]) -> str:
    ordered = [problem.labels[u] for u in problem.needs if u in uris]
    return ", ".join(ordered[:6]) + (f" and {len(ordered) - 6} more" if len(ordered) > 6 else "")


def _pick(problem: PlanningProblem, catalog: Catalog, pick: Pick, offered: frozenset[str]) -> Recommendation:
    own = problem.candidates[pick.id].covers
    reasons = [
        f"covers {count(len(own), 'gap skill')}: {_labels(problem, set(own))}"
        if own
        else "its title names the job, but none of the skills it lists is one of the job's core skills in the "
        "taxonomy, so it counts toward none of your gap",
        _facts(problem, catalog, pick.id),
    ]
    if problem.candidates[pick.id].made_for:
        reasons.insert(0, f"made for {problem.goal or 'your goal'}: offered before courses that cover parts of the gap")
    if len(pick.bundle) > 1:
        reasons.append(f"needs {', '.join(pick.bundle[:-1])} first (recommended with it)")
    if pick.runner_up is not None:
        alt = pick.runner_up
        with_prereqs = " with its prerequisites" if len(pick.bundle) > 1 else ""
        because = (
            "this one is made for your goal"
            if alt.ratio > pick.ratio
            else f"this one{with_prereqs} covers more of your gap for its cost and time"
        )
        # the runner-up may be recommended too, further down: then it is not "chosen over", only ranked after
        lead = "ranked before" if alt.id in offered else "chosen over"
        also = ", also recommended" if alt.id in offered else ""
        reasons.append(
            f"{lead} {alt.id} ({catalog.get(alt.id).title}, {money(alt.cost, problem.currency)}, "
            f"{hours(alt.hours)}{also}): {because}"
        )
    else:
        reasons.append("no other credential covers what is left of the gap")
    reasons.extend(_stacks(catalog, pick.id))
    return Recommendation(
        credential_id=pick.id,
        covers=tuple(u for u in problem.needs if u in own),
        score=round(sum(problem.needs[u] for u in own & pick.new_covers), 4),
        reasons=tuple(reasons),
    )


def _prerequisite(
    problem: PlanningProblem, catalog: Catalog, cid: str, pick: Pick, *, ranked: bool = False
) -> Recommendation:
    """A prerequisite of ``pick``: ``ranked`` (a recommendation in its own right, before the pick) when it is
    relevant to the goal on its own, else listed under the pick as ``prerequisite_of`` it."""
    own = problem.candidates[cid].covers
    reasons = [f"prerequisite of {pick.id} ({catalog.get(pick.id).title})", _facts(problem, catalog, cid)]
    if own:
        reasons.insert(1, f"also covers {count(len(own), 'gap skill')}: {_labels(problem, set(own))}")
    reasons.extend(_stacks(catalog, cid))
    gain = sum(problem.needs[u] for u in own & pick.new_covers)
    return Recommendation(
        credential_id=cid,
        covers=tuple(u for u in problem.needs if u in own),
        score=round(gain, 4),
        reasons=tuple(reasons),
        prerequisite_of=None if ranked else pick.id,
    )
