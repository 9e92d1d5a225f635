"""The health report as Markdown a curriculum committee reads (and the PDF export is made from)."""

from __future__ import annotations

from assistant.core.formatting import money
from assistant.core.health.findings import HealthReport, RouteSummary

LIST_LIMIT = 25


def _route(route: RouteSummary | None, planned: bool) -> str:
    if not planned:
        return "not planned"
    if route is None:
        return "none"
    unstated = f", {len(route.unstated)} with price not stated" if route.unstated else ""
    return (
        f"{len(route.credential_ids)} credentials, {money(route.total_cost)}{unstated}, {route.weeks} weeks, "
        f"{route.coverage:.0%} of the core gap"
    )


def _more(count: int) -> list[str]:
    return [f"- … and {count - LIST_LIMIT} more (all of them are in the JSON report)"] if count > LIST_LIMIT else []


def health_markdown(report: HealthReport) -> str:
    lines = [
        f"# Catalog health: {report.catalog}",
        "",
        f"{report.credentials} credentials, {report.stack_destinations} stack destinations.",
        "",
        f"- Near-duplicate pairs: {len(report.duplicates)}",
        f"- Credentials with no aligned skills, or skills no occupation needs: {len(report.unaligned)}",
        f"- Stack destination and prerequisite problems: {len(report.destinations)}",
        f"- In-demand skills the catalog does not teach (top {len(report.demand_gaps)} listed)",
        f"- Credentials missing an EU Annex I element: {len(report.completeness)}",
        "",
        "## Near-duplicates",
        "",
    ]
    if not report.duplicates:
        lines.append("None found.")
    for pair in report.duplicates[:LIST_LIMIT]:
        shared = ", ".join(pair.shared_skills[:5]) or "no aligned skill"
        lines.append(
            f"- **{pair.ids[0]}** ({pair.titles[0]}) and **{pair.ids[1]}** ({pair.titles[1]}): skills "
            f"{pair.skill_overlap:.0%} alike, outcomes {pair.text_overlap:.0%} alike; shared: {shared}. "
            f"Suggestion: **{pair.suggestion}**: {pair.why}."
        )
    lines += [*_more(len(report.duplicates)), "", "## Alignment", ""]
    if not report.unaligned:
        lines.append("Every credential is aligned to skills some occupation needs.")
    for item in report.unaligned[:LIST_LIMIT]:
        lines.append(f"- **{item.id}** ({item.title}): {item.problem}")
    lines += [*_more(len(report.unaligned)), "", "## Stacking", ""]
    if not report.destinations:
        lines.append("Every stack destination can be completed from the catalog's own credentials; no cycles.")
    for issue in report.destinations:
        lines.append(f"- **{issue.id}** ({issue.title}): {issue.problem}: {issue.detail}")
    lines += [
        "",
        "## Demand gaps",
        "",
        "In-demand skills no credential teaches, heaviest demand first (BLS openings × wage of growing occupations "
        "that need them; O*NET hot technologies):",
        "",
        "| skill | demand | needed by | source |",
        "|---|---:|---|---|",
    ]
    for gap in report.demand_gaps:
        lines.append(f"| {gap.label} | {gap.demand:g} | {', '.join(gap.occupations)} | {'; '.join(gap.sources)} |")
    lines += [
        "",
        "## Coverage by occupation",
        "",
        "| occupation | essential skills taught | cheapest route | fastest route | why listed |",
        "|---|---|---|---|---|",
    ]
    for row in report.coverage:
        cheapest, fastest = (_route(r, row.routes_planned) for r in (row.cheapest, row.fastest))
        lines.append(
            f"| {row.label} | {row.covered} of {row.essential} ({row.share:.0%}) | {cheapest} | {fastest} | "
            f"{row.why_listed} |"
        )
    if report.routes_pending:
        lines += ["", f"Routes are not planned yet for {report.routes_pending} of these occupations."]
    lines += ["", "## Completeness (EU Annex I elements not stated)", ""]
    missing = {name: n for name, n in report.completeness_summary.items() if n}
    lines.append(
        "; ".join(f"{name}: {n}" for name, n in missing.items()) if missing else "Every record states every element."
    )
    for record in report.completeness[:LIST_LIMIT]:
        lines.append(f"- **{record.id}** ({record.title}): {', '.join(record.missing)}")
    lines += _more(len(report.completeness))
    return "\n".join(lines) + "\n"


__all__ = ["health_markdown"]
