"""An advisor's session brief: who the advisee is, what the goal needs, the options, and what to ask.

Written from the same advice view the learner sees, so the advisor and the learner talk about the same
numbers; the questions point at what the data cannot settle (limits not given, weak evidence, a goal
that may be read two ways).
"""

from __future__ import annotations

from assistant.core.advice.view import AdviceView
from assistant.core.formatting import level, markdown_text, mode, workload
from assistant.core.models import LearnerProfile


def _money(amount: object, currency: str | None) -> str:
    return "price not stated" if amount is None else f"{amount} {currency}"


def brief_questions(profile: LearnerProfile, view: AdviceView | None) -> list[str]:
    """What the advisor should ask, from what is missing or uncertain in the profile and the advice."""
    questions: list[str] = []
    constraints = profile.constraints
    if constraints.budget is None:
        questions.append("What can you spend on study in total, and can an employer or grant help?")
    if constraints.hours_per_week is None:
        questions.append("How many hours a week can you study, around work and family?")
    if not constraints.delivery_modes:
        questions.append("Do you prefer online, on-campus or blended courses?")
    if constraints.deadline is None:
        questions.append("Is there a date you need to be job-ready by?")
    if view is None:
        questions.append("Which job or field are you aiming for?")
        return questions
    weak = [row for row in view.gap if row.status == "weak" and row.evidence is not None][:2]
    for row in weak:
        quoted = markdown_text(row.evidence.text) if row.evidence else ""
        questions.append(f"Tell me more about “{quoted}”: does it show {row.label}?")
    missing = [row for row in view.gap if row.core and row.status == "missing"][:2]
    for row in missing:
        questions.append(f"Have you used {row.label} anywhere not on your résumé (volunteering, courses, hobbies)?")
    if view.target.alternatives:
        questions.append(
            f"Is {view.target.label} the right reading of your goal, or closer to "
            f"{' / '.join(view.target.alternatives[:2])}?"
        )
    if view.routes and view.routes[0].stacks_toward:
        stack = view.routes[0].stacks_toward[0]
        questions.append(f"Would you like to keep going toward {stack.title} ({stack.target_id}) after this route?")
    return questions


def brief_markdown(name: str, profile: LearnerProfile, view: AdviceView | None, *, notes: str = "") -> str:
    """The brief as Markdown (the advisor edits the notes; the rest is regenerated from the data)."""
    out = [f"# Advising brief: {markdown_text(name)}", ""]
    out += ["## Profile", ""]
    out.append(
        f"- {len(profile.skills)} skills on file; held credentials: "
        + (", ".join(profile.earned_credentials) or "none")
    )
    c = profile.constraints
    limits = [
        f"budget {_money(c.budget, c.currency)}" if c.budget is not None else "budget not given",
        f"{c.hours_per_week:g} h/week" if c.hours_per_week else "hours not given",
        ", ".join(sorted(m.value for m in c.delivery_modes)) or "any delivery mode",
    ]
    if c.deadline:
        limits.append(f"deadline {c.deadline.isoformat()}")
    out.append("- Limits: " + "; ".join(limits))
    confirmed = [s.label for s in profile.skills if s.confirmed]
    out.append("- Confirmed by the learner: " + (", ".join(confirmed[:12]) if confirmed else "none yet"))
    top = sorted((s for s in profile.skills if not s.confirmed), key=lambda s: -s.confidence)[:10]
    if top:
        out.append(
            "- Read from the résumé: "
            + "; ".join(
                f"{s.label} (“{markdown_text(s.evidence[0].text[:60])}”)" if s.evidence else s.label for s in top[:5]
            )
        )
    if profile.unconfirmed:
        out.append(
            f"- Not confirmed yet ({len(profile.unconfirmed)}; they do not count): "
            + ", ".join(s.label for s in profile.unconfirmed[:8])
        )
    if profile.technologies:
        tools = [
            f"{t.label}{' (hot)' if t.hot_technology else ''}{' ✓' if t.confirmed else ''}"
            for t in profile.technologies
        ]
        out.append(f"- Tools and technologies ({len(tools)}, O*NET names): " + ", ".join(tools[:15]))
    out.append("")
    if view is None:
        out += ["## Goal", "", "No goal set yet.", ""]
    else:
        t = view.target
        out += ["## Goal", "", f"**{t.label}** — readiness {view.readiness:.0%}."]
        if t.wage_median or t.growth_pct is not None:
            out.append(
                "US data (BLS): "
                + (f"median pay ${t.wage_median:,.0f}" if t.wage_median else "")
                + (f"; growth {t.growth_pct:+.1f}% 2020–30" if t.growth_pct is not None else "")
            )
        out.append("")
        out += [
            "## Gap (core first)",
            "",
            "| skill | status | weight | required by | closest evidence |",
            "|---|---|---|---|---|",
        ]
        rows = sorted(view.gap, key=lambda r: (not r.core, -r.weight))[:12]
        for row in rows:
            evidence = markdown_text(row.evidence.text[:60]) if row.evidence else ""
            out.append(
                f"| {row.label} | {row.status} | {row.weight:.2f} | {'; '.join(row.required_by[:2])} | {evidence} |"
            )
        out.append("")
        out += ["## Options", ""]
        for card in view.recommendations[:5]:
            covers = ", ".join(ref.label for ref in card.covers[:3])
            out.append(
                f"- **{card.credential_id} — {card.title}**: {_money(card.cost, card.currency)}, "
                f"{workload(card.workload_hours)}, {level(card.eqf_level)}, {mode(card.delivery_mode)}; covers {covers}"
            )
        if not view.recommendations:
            out.append("- Nothing in the catalog fits the current limits.")
        out.append("")
        for route in view.routes:
            if not route.steps:
                continue
            steps = " → ".join(step.credential_id for step in route.steps)
            out.append(
                f"- Route ({route.objective}): {steps}; {_money(route.total_cost, route.currency)}, "
                f"{route.weeks} weeks, covers {route.coverage:.0%} of the core gap"
            )
        out.append("")
    out += ["## Questions to ask", ""]
    out += [f"{n}. {q}" for n, q in enumerate(brief_questions(profile, view), 1)]
    out += ["", "## Advisor notes", "", notes or "_(none yet)_", ""]
    return "\n".join(out)
