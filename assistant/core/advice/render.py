"""Markdown for people: the same facts as the JSON, in the order a learner reads them."""

from __future__ import annotations

from assistant.core.advice.matching import SkillMatch
from assistant.core.advice.routes import TERM_WEEKS, RouteReport
from assistant.core.advice.service import AdviceResult
from assistant.core.advice.whatif import WhatIf
from assistant.core.formatting import count, readiness
from assistant.core.models import Evidence, GapItem, OccupationRequirement, RequirementSource

_SOURCE = {
    RequirementSource.ESCO_ESSENTIAL: "ESCO essential",
    RequirementSource.ESCO_OPTIONAL: "ESCO optional",
    RequirementSource.ONET_SKILL: "O*NET skill",
    RequirementSource.ONET_TECHNOLOGY: "O*NET technology",
    RequirementSource.JOB_POSTING: "job posting",
}
_OBJECTIVE = {"most-coverage": "Most coverage", "cheapest": "Cheapest", "fastest": "Fastest"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _evidence(evidence: Evidence | None) -> str:
    if evidence is None:
        return ""
    where = f"line {evidence.line_no}: " if evidence.line_no else ""
    if evidence.reference:
        where = f"credential {evidence.reference}: "
    text = evidence.text if len(evidence.text) <= 90 else evidence.text[:87] + "…"
    return f"{where}“{text}”"


def _sources(requirements: tuple[OccupationRequirement, ...]) -> str:
    parts: dict[str, None] = {}
    for r in requirements:
        if r.source is RequirementSource.ONET_SKILL and r.importance is not None and r.level is not None:
            parts[f"O*NET {r.label} (importance {r.importance:.1f}/5, level {r.level:.1f}/7)"] = None
        else:
            parts[_SOURCE[r.source]] = None
        if r.hot_technology:
            parts["hot technology"] = None
        if r.in_demand:
            parts["in demand"] = None
    return "; ".join(parts)


def _closest(item: GapItem, match: SkillMatch | None) -> str:
    if match is None or match.held_uri is None:
        return "nothing in your résumé came close"
    return f"{match.explanation} — {_evidence(item.closest)}" if item.closest else match.explanation


def render_markdown(result: AdviceResult) -> str:
    """The advice as Markdown: target, gap, recommendations, routes, notes."""
    out: list[str] = [f"# Advice: {result.target.label}", ""]
    out += [f"- {reason}" for reason in result.target.reasons]
    if result.target.alternatives:
        alts = ", ".join(a.label for a in result.target.alternatives[:4])
        out.append(f"- other readings of the title: {alts}")
    out.append("")
    if result.explored:
        out += ["## Occupations that fit your profile", "", "| # | occupation | score | why |", "|---|---|---|---|"]
        for n, option in enumerate(result.explored, 1):
            out.append(f"| {n} | {_cell(option.label)} | {option.score:.2f} | {_cell('; '.join(option.reasons))} |")
        out.append("")
    held = result.profile.earned_credentials
    out += [
        "## Your profile",
        "",
        f"{len(result.profile.skills)} skills found"
        + (f", {len(result.profile.unconfirmed)} more to confirm" if result.profile.unconfirmed else "")
        + (f"; tools: {', '.join(t.label for t in result.profile.technologies)}" if result.profile.technologies else "")
        + (f"; credentials held: {', '.join(held)}" if held else "")
        + f". For this target you are {readiness(result.readiness)} (share of the required weight already met).",
        "",
    ]
    matches = {m.skill_uri: m for m in result.matches}
    core = result.core_gap
    lighter = [item for item in result.gap if item.skill_uri not in result.core]
    out += [f"## Gap: {len(core)} core skills, {len(lighter)} more worth having", ""]
    if not result.gap:
        out += ["Nothing weighty is missing for this target.", ""]
    for title, items in (("Core gap (routes are planned to close these)", core), ("Also worth having", lighter)):
        if not items:
            continue
        out += [f"### {title}", "", "| skill | weight | status | required by | closest in your profile |"]
        out.append("|---|---|---|---|---|")
        for item in items:
            out.append(
                f"| {_cell(item.label)} | {item.weight:.2f} | {item.status.value} | "
                f"{_cell(_sources(item.requirements))} | {_cell(_closest(item, matches.get(item.skill_uri)))} |"
            )
        out.append("")
    if result.met:
        out += ["### Already met", ""]
        for match in result.met[:12]:
            out.append(f"- {match.label}: {match.explanation}")
        out.append("")
    out += ["## Recommended credentials", ""]
    if not result.recommendations:
        out.append("No catalog credential within your constraints covers the gap.")
    n = 0
    for rec in result.recommendations:
        title = f"**{rec.credential_id} — {result.titles.get(rec.credential_id, '')}**"
        if rec.prerequisite_of is not None:  # listed under the pick it unlocks, not ranked on its own
            out.append(f"   - take first: {title} ({count(len(rec.covers), 'gap skill')})")
            out += [f"     - {reason}" for reason in rec.reasons]
            continue
        n += 1
        out.append(f"{n}. {title} ({count(len(rec.covers), 'gap skill')})")
        out += [f"   - {reason}" for reason in rec.reasons]
    out.append("")
    out += ["## Routes", ""]
    for report in result.routes:
        out += _route(report, result)
    if result.notes:
        out += ["## Notes", ""] + [f"- {note}" for note in result.notes] + [""]
    return "\n".join(out).rstrip() + "\n"


def _route(report: RouteReport, result: AdviceResult) -> list[str]:
    route = report.route
    proof = {
        "optimal": f"optimal ({route.solver})",
        "feasible": f"feasible, not proven optimal ({route.solver})",
        "heuristic": f"heuristic ({route.solver}), not proven optimal",
    }.get(report.status, report.status)
    terms = f", about {report.terms} term(s) of {TERM_WEEKS} weeks" if route.weeks else ""
    lines = [
        f"### {_OBJECTIVE.get(route.objective.value, route.objective.value)} — {proof}",
        "",
        f"{len(route.steps)} credentials, {route.total_cost} {route.currency}, {route.total_hours:g} h, "
        f"{route.total_ects:g} ECTS, {route.weeks} weeks at {report.hours_per_week:g} h/week{terms}; "
        f"covers {route.coverage:.0%} of the core gap.",
        "",
    ]
    if route.steps:
        lines += ["| weeks | credential | why it is here |", "|---|---|---|"]
        for step in route.steps:
            title = result.titles.get(step.credential_id, "")
            why = step.why or "(prerequisite)"
            lines.append(f"| {step.start_week}–{step.end_week} | {step.credential_id} {_cell(title)} | {_cell(why)} |")
        lines.append("")
    lines += [f"- {note}" for note in report.notes]
    lines.append("")
    return lines


def render_whatif(comparison: WhatIf) -> str:
    """A what-if comparison as a Markdown table and its summary."""
    out = [
        "# What if: comparing targets",
        "",
        "| target | readiness | gap skills | best route covers | cheapest | fastest | US median wage | growth |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in comparison.rows:
        wage = f"${row.wage_median:,.0f}" if row.wage_median is not None else "n/a"
        growth = f"{row.growth_pct:+.1f}%" if row.growth_pct is not None else "n/a"
        cheapest = f"{row.cheapest_cost} ({row.cheapest_coverage:.0%})" if row.cheapest_cost is not None else "n/a"
        fastest = f"{row.fastest_weeks} wk ({row.fastest_coverage:.0%})" if row.fastest_weeks is not None else "n/a"
        out.append(
            f"| {_cell(row.target)} | {row.readiness:.0%} | {row.gap_items} | {row.best_coverage:.0%} | "
            f"{cheapest} | {fastest} | {wage} | {growth} |"
        )
    out += [""] + [f"- {line}" for line in comparison.summary] + [""]
    return "\n".join(out)
