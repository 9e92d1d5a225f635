"""Replies written from computed results: the embedded mode's voice, and the LLM mode's fallback.

Every sentence here is filled from the advice view, the catalog or the taxonomy; nothing is invented, so
these replies pass the grounding guard by construction (the tests check that they do).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from assistant.core.advice.view import AdviceView, CredentialCard, RouteView, SkillRow
from assistant.core.dialogue.guard import ID_LIKE, Allowed
from assistant.core.dialogue.state import ComparisonRow, ConversationState
from assistant.core.errors import GoalUnclearError
from assistant.core.formatting import (
    count,
    credits,
    hours,
    length,
    level,
    mode,
    money,
    price,
    readiness,
    shorten,
    weeks,
    workload,
)
from assistant.core.models import (
    Constraints,
    Credential,
    HeldSkill,
    HeldTechnology,
    LearnerProfile,
    RouteObjective,
    Wage,
)

if TYPE_CHECKING:
    from assistant.core.dialogue.advisor import OccupationFacts

# what is not repeated back from the learner's words: amounts, credential-like ids, links and markup
# (the guard would rightly flag a price or an id in a reply that no result backs, even one the learner typed)
_NOT_ECHOED = (
    re.compile(
        r"[$€£]\s?\d(?:[\d,.]*\d)?(?:\s?[km]\b)?|\b\d(?:[\d,.]*\d)?\s?(?:k\s?)?(?:dollars?|usd|euros?|eur|pounds?|gbp|bucks)\b"
        r"|\b(?:usd|eur|gbp)\s?\d(?:[\d,.]*\d)?|https?:(?://[^\s)\]]+)?|www\.[^\s)\]]+|<[^>]*>|[<>\[\]]",
        re.I,
    ),
    ID_LIKE,
)


def constraints_text(constraints: Constraints) -> str:
    parts = []
    if constraints.budget is not None:
        parts.append(f"a budget of {money(constraints.budget, constraints.currency)}")
    if constraints.hours_per_week is not None:
        parts.append(f"{constraints.hours_per_week:g} hours a week")
    if constraints.deadline is not None:
        parts.append(f"finishing by {constraints.deadline.isoformat()}")
    if constraints.delivery_modes:
        parts.append(" or ".join(sorted(m.value for m in constraints.delivery_modes)) + " study")
    return ", ".join(parts) if parts else "no limits yet"


def welcome(state: ConversationState, institution: str) -> str:
    lines = [f"Hello! I help you find the skills a job asks for and the {institution} credentials that build them."]
    lines.append(_next_step(state))
    return "\n\n".join(lines)


def help_text(state: ConversationState) -> str:
    return "\n".join(
        [
            "Here is what I can do:",
            "- read your résumé (upload it, or paste it here) and find the skills it shows;",
            "- compare them with a goal: “I want to move into data analysis”, or paste a job posting;",
            "- recommend credentials and plan a route within your limits: “I have 6 hours a week and a budget of 800”;",
            "- explain any choice (“why that one?”), find “something cheaper” or “faster”;",
            "- update your skills (“I already know SQL”) and compare goals (“what about nursing instead?”).",
            "",
            _next_step(state),
        ]
    )


def _next_step(state: ConversationState) -> str:
    if not state.profile.skills and not state.profile.earned_credentials:
        if state.target is None:
            return "To start, share your résumé (or list a few skills) and tell me the job you are aiming for."
        return "Share your résumé or tell me a few skills you have, so I can see what you already bring."
    if state.target is None:
        return (
            f"I have {len(state.profile.skills)} skills on your profile. Which job are you aiming for? "
            'If you are not sure, ask "which jobs fit me?".'
        )
    return "Ask for your gap, recommendations or a route, or tell me your budget and hours a week."


def profile_text(state: ConversationState, limit: int = 12) -> str:
    skills, offered = state.profile.skills, state.profile.unconfirmed
    if not skills and not offered and not state.profile.earned_credentials:
        return "Your profile is empty so far. " + _next_step(state)
    lines = [f"Your profile has {len(skills)} skills"]
    if state.profile.earned_credentials:
        lines[0] += f" and {len(state.profile.earned_credentials)} credentials you hold"
    lines[0] += f"; limits: {constraints_text(state.profile.constraints)}."
    for skill in sorted(skills, key=lambda s: -s.confidence)[:limit]:
        lines.append(f"- **{skill.label}**{_evidence_suffix(skill)}")
    if len(skills) > limit:
        lines.append(f"- … and {len(skills) - limit} more.")
    after = [unconfirmed_text(offered, limit=6)] if offered else []
    tools = state.profile.technologies
    if tools:
        after.append(
            f"Tools and technologies: {', '.join(t.label for t in tools[:limit])}{' …' if len(tools) > limit else ''}."
        )
    return "\n\n".join(["\n".join(lines), *after])  # a blank line ends the list


def unconfirmed_text(offered: Sequence[HeldSkill], limit: int = 6) -> str:
    """The possible skills, for the learner to confirm or remove (they count for nothing until then)."""
    names = ", ".join(s.label for s in offered[:limit]) + (
        f" and {len(offered) - limit} more" if len(offered) > limit else ""
    )
    example = offered[0].label
    return (
        f"I am not sure about {len(offered)} more: {names}. They do not count until you confirm them: "
        f"say “I also know {example}” or “{example} is wrong”."
    )


def resume_read_text(profile: LearnerProfile) -> str:
    """What reading a résumé found, in plain words, including when it found nothing it is sure of."""
    held, offered, tools = len(profile.skills), len(profile.unconfirmed), len(profile.technologies)
    if not held and not offered and not tools:
        return (
            "I could not read any skill from that text with confidence. Tell me a few skills you have, "
            "for example “I know Excel, customer service and stock control”."
        )
    text = f"I read your résumé: {held} skills I am confident about"
    text += f", {tools} tool{'s' if tools != 1 else ''} and technolog{'ies' if tools != 1 else 'y'}" if tools else ""
    return text + (f", and {offered} more skills for you to confirm." if offered else ".")


def resume_added_text(before: LearnerProfile, after: LearnerProfile) -> str:
    """What adding a pasted résumé to the profile brought, counted from the two profiles (not the whole
    profile again, which would read as if the earlier résumé had been replaced)."""
    held = len(after.skill_uris - before.skill_uris)
    tools = len({t.key for t in after.technologies} - {t.key for t in before.technologies})
    offered = len({s.skill_uri for s in after.unconfirmed} - {s.skill_uri for s in before.unconfirmed})
    if held <= 0 and tools <= 0 and offered <= 0:
        return "I added the pasted résumé to your profile, but it shows nothing your profile does not already hold."
    parts = [count(held, "skill") + " I am confident about"] if held > 0 else []
    if tools > 0:
        parts.append(count(tools, "tool"))
    if offered > 0:
        parts.append(count(offered, "more skill") + " for you to confirm")
    listed = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    return f"From the pasted résumé I added {listed}. Your earlier résumé's skills stay."


def _evidence_suffix(skill: HeldSkill) -> str:
    if not skill.evidence:
        return ""
    evidence = skill.evidence[0]
    where = (
        f"line {evidence.line_no}" if evidence.line_no and evidence.source.value == "resume" else evidence.source.value
    )
    return f" — {where}: “{_quoted(evidence.text, 90)}”"


def overview(view: AdviceView) -> str:
    """The first answer after a goal is set: target, readiness, top gap, best first step, route."""
    target = view.target
    reason = target.reasons[0].rstrip(".") if target.reasons else ""
    lines = [f"Your goal: **{target.label}**" + (f" ({reason})" if reason else "") + "."]
    if target.alternatives:
        lines[0] += " If you meant something else: " + ", ".join(f"“{a}”" for a in target.alternatives[:3]) + "."
    market = _market(view)
    if market:
        lines.append(market)
    gap = [row for row in view.gap if row.core] or list(view.gap)
    lines.append(
        f"You are {readiness(view.readiness)}. "
        + (
            f"The main gaps: {', '.join(f'**{row.label}**' for row in gap[:4])}."
            if gap
            else "Nothing weighty is missing."
        )
    )
    if view.picks:
        lines.append(first_recommendation(view))
    elif view.nothing_planned:  # why there is no first step: nothing taught, limits, or other work
        lines.append(view.nothing_planned)
    route = best_route(view, RouteObjective.MOST_COVERAGE)
    if route is not None and route.steps:
        lines.append(route_summary(route))
    if view.picks:
        lines.append(
            'Ask "why that one?", "show my gap", "something cheaper?", or tell me your budget and hours a week.'
        )
    else:  # nothing recommended: nothing to ask "why" about, nothing cheaper
        lines.append('Ask "show my gap", name another job, or tell me your budget and hours a week.')
    return "\n\n".join(lines)


def _market(view: AdviceView) -> str:
    parts = []
    if view.target.wage_median:
        parts.append(f"US median pay ${view.target.wage_median:,.0f} a year")
    if view.target.growth_pct is not None:
        parts.append(f"projected growth {view.target.growth_pct:+.1f}% (2020–30)")
    return ("US figures (BLS): " + "; ".join(parts) + ".") if parts else ""


def gap_text(view: AdviceView, limit: int = 8) -> str:
    gap = list(view.gap)
    if not gap:
        return f"For **{view.target.label}** nothing weighty is missing: you meet {view.readiness:.0%} of it."
    core = [row for row in gap if row.core]
    lines = [
        f"For **{view.target.label}** you are {readiness(view.readiness)}. "
        f"{len(core)} core skills are missing or weak, {len(gap) - len(core)} more are worth having:"
    ]
    for row in (core or gap)[:limit]:
        lines.append("- " + gap_line(row))
    held = [row for row in view.skills if row.status == "held"]
    if held:
        met = f"Already met: {', '.join(row.label for row in held[:6])}" + (" …" if len(held) > 6 else "") + "."
        lines.append("\n" + met)  # a blank line ends the list
    return "\n".join(lines)


def gap_line(row: SkillRow) -> str:
    source = row.required_by[0] if row.required_by else "required"
    status = {"missing": "missing", "weak": "partly there"}.get(row.status, row.status)
    text = f"**{row.label}** ({status}; {source})"
    if row.evidence is not None and row.status == "weak":
        text += f" — closest in your profile: “{_quoted(row.evidence.text)}”"
    return text


def _quoted(text: str, size: int = 80) -> str:
    """A line of the learner's own (a résumé line, a search) to quote: shortened, with any amount, id, link
    or markup in it elided, since a reply states only the prices and credentials the results back."""
    for pattern in _NOT_ECHOED:
        text = pattern.sub("…", text)
    return shorten(text, size)


def guarded_fallback() -> str:
    """What is said instead of a reply the guard rejected: nothing from the rejected text, and a way on."""
    return (
        "I could not put that answer in words I can check against the catalog and your profile, so I will not "
        "guess. You can ask what your gap is, which credentials fit it, or for a route within your budget and hours."
    )


def price_of(credential: Credential) -> str:
    """ "$450", or "price not stated" for a catalog record that gives none."""
    cost = credential.cost
    return price(cost.amount if cost else None, cost.currency if cost else None)


def card_line(card: CredentialCard) -> str:
    credit = f", {card.ects:g} ECTS" if card.ects else ""
    return (
        f"**{card.credential_id} — {card.title}** ({price(card.cost, card.currency)}, "
        f"{workload(card.workload_hours)}{credit}, {level(card.eqf_level)}, {mode(card.delivery_mode)})"
    )


def first_recommendation(view: AdviceView) -> str:
    """The top pick, then what must be taken before it only to unlock it (never the other way round)."""
    card = view.picks[0]
    first = view.needed_first(card.credential_id)
    after = f", after its prerequisite{'s' if len(first) > 1 else ''} " + ", ".join(card_line(p) for p in first)
    return f"My first recommendation: {card_line(card)}" + (after if first else "")


def recommendations_text(view: AdviceView, limit: int = 5) -> str:
    if not view.recommendations:
        return view.nothing_planned or f"Nothing to recommend for **{view.target.label}**: your profile meets its core."
    lead = "Credentials that close" if len(view.picks) > 1 else "The credential that closes"
    lines = [f"{lead} the most of your gap for **{view.target.label}**:"]
    for n, card in enumerate(view.picks[:limit], 1):
        covers = ", ".join(ref.label for ref in card.covers[:4])
        made_for = next((r.split(":", 1)[0] for r in card.reasons if r.startswith("made for ")), "")
        if covers:
            lines.append(f"{n}. {card_line(card)} — covers {covers}")
        elif made_for:  # its title names the job, though none of its listed skills is a core one of it
            lines.append(f"{n}. {card_line(card)} — {made_for}, though none of its listed skills is in your gap")
        else:
            lines.append(f"{n}. {card_line(card)}")
        for first in view.needed_first(card.credential_id):
            lines.append(f"    - take first, its prerequisite: {card_line(first)}")
    return "\n".join(lines)


def best_route(view: AdviceView, objective: RouteObjective) -> RouteView | None:
    return next((r for r in view.routes if r.objective == objective.value), view.routes[0] if view.routes else None)


def route_summary(route: RouteView) -> str:
    steps = " → ".join(step.credential_id for step in route.steps)
    text = (
        f"{ROUTE_WORDS.get(route.objective, f'The {route.objective} route')}: {steps}; "
        f"{money(route.total_cost, route.currency)}, {weeks(route.weeks)}, "
        f"{route.coverage:.0%} of the core gap covered"
    )
    stacked = [s for s in route.stacks_toward if s.credit_earned > 0]
    if stacked:
        stack = stacked[0]
        earned = credits(stack.credit_earned, stack.credit_required, stack.credit_unit)
        the = "" if stack.title.casefold().startswith("the ") else "the "
        text += f", {earned} toward {the}{stack.title} ({stack.target_id})"
    return text + "."


ROUTE_WORDS = {
    RouteObjective.FASTEST.value: "The fastest route",
    RouteObjective.CHEAPEST.value: "The cheapest route",
    RouteObjective.MOST_COVERAGE.value: "The route that covers the most of your gap",
}


def route_text(view: AdviceView, objective: RouteObjective) -> str:
    route = best_route(view, objective)
    if route is None or not route.steps:
        if view.nothing_planned:
            return f"I could not plan a route for **{view.target.label}**. {view.nothing_planned}"
        return (
            f"I could not plan a route for **{view.target.label}** within your limits "
            f"({'; '.join(n.rstrip('.') for n in view.notes[-2:]) if view.notes else 'nothing in the catalog fits'})."
        )
    lead = ROUTE_WORDS.get(route.objective, f"The {route.objective} route")
    lines = [  # in a learner's words: "proven optimal" read as jargon in the page
        f"{lead} toward **{view.target.label}** "
        f"({'no route within your limits does better' if route.optimal else 'the best found in the time allowed'}):"
    ]
    for step in route.steps:
        covers = ", ".join(ref.label for ref in step.covers[:3])
        lines.append(
            f"- weeks {step.start_week}–{step.end_week}: **{step.credential_id} — {step.title}** "
            f"({money(step.cost, route.currency)})" + (f", covers {covers}" if covers else "")
        )
    lines.append(
        f"\nTotal {money(route.total_cost, route.currency)}, {hours(route.total_hours)} over {weeks(route.weeks)}; "
        f"covers {route.coverage:.0%} of the core gap."
    )
    # the qualifications made for the goal (else the one furthest along); credit toward others is counted, not
    # spelled out: a nurse assistant's law course also counts toward the phlebotomy and pharmacy certificates
    named = [s for s in route.stacks_toward if s.made_for_goal] or list(route.stacks_toward[:1])
    for stack in named:
        done = "completes" if stack.complete else "earns"
        lines.append(
            f"It {done} {credits(stack.credit_earned, stack.credit_required, stack.credit_unit)} toward "
            f"**{stack.target_id} — {stack.title}**."
        )
    others = [s for s in route.stacks_toward if s not in named]
    if others:
        lines.append(f"It also earns credit toward {count(len(others), 'other qualification')} (shown with the route).")
    unnamed = [f"({s.target_id})" for s in others]
    notes = [note for note in route.notes if not any(ref in note for ref in unnamed)]
    lines.extend(f"\nNote: {note}" for note in notes[:2])  # a paragraph each, not one run-on block
    return "\n".join(lines)


def explain_text(credential: Credential, view: AdviceView | None, titles: Mapping[str, str]) -> str:
    """What a credential is, why it is (or is not) recommended, and what it needs and leads to; ``titles``
    names its prerequisites and stack destinations (catalog id → title), so none is shown by code alone."""

    def named(cid: str) -> str:
        return f"{titles[cid]} ({cid})" if cid in titles else cid

    card = next((c for c in view.recommendations if c.credential_id == credential.id), None) if view else None
    # one duration per reply: a recommended credential's reasons give its weeks at the learner's hours, so the
    # catalog's own pace is named only when there are none
    pace = (
        ""
        if card is not None
        else f", {length(None)}"
        if credential.duration_weeks is None
        else f", about {weeks(credential.duration_weeks)} at the catalog's pace"
    )
    head = (
        f"**{credential.id} — {credential.title}**: {price_of(credential)}, "
        f"{workload(credential.workload_hours)}"
        + (f", {credential.ects:g} ECTS" if credential.ects else "")
        + f", {level(credential.eqf_level)}, {mode(credential.delivery_mode)}{pace}."
    )
    lines = [head]
    if card is not None and view is not None:
        rows = {row.skill_uri: row for row in view.skills}
        lines.append(f"Why it is recommended for **{view.target.label}**:")
        for ref in card.covers[:5]:
            row = rows.get(ref.uri)
            source = f" ({row.required_by[0]})" if row and row.required_by else ""
            lines.append(f"- it teaches **{ref.label}**, a gap skill{source}")
        # the skills were just listed one by one, with where each requirement comes from
        others = [reason for reason in card.reasons if not reason.startswith(("covers ", "also covers "))]
        lines.extend(f"- {reason}" for reason in others[:3])
    elif view is not None:
        lines.append(f"It is not among the recommendations for **{view.target.label}** under your current limits.")
    after = []
    outcomes = "; ".join(o.strip().rstrip(".;") for o in credential.learning_outcomes[:2])
    after.append(f"You will learn: {outcomes}." if outcomes else "Its learning outcomes are not stated in the catalog.")
    if credential.prerequisite_ids:
        after.append(f"Prerequisites: {', '.join(named(cid) for cid in sorted(credential.prerequisite_ids))}.")
    after.extend(
        f"It stacks into {named(rule.target_id)} ({count(rule.credit, rule.credit_unit.value)})."
        for rule in credential.stacks_into
    )
    if credential.url:
        after.append(f"Details: {credential.url}")
    # a blank line ends the list: Markdown would run the next line into the last bullet
    return "\n".join(lines) + "\n\n" + "\n\n".join(after)


def comparison_text(rows: Sequence[ComparisonRow]) -> str:
    lines = ["Side by side, with your current profile and limits:"]
    lines.append("| goal | ready | gap items | best route covers | cheapest route | fastest | US median pay |")
    lines.append("|---|---|---|---|---|---|---|")
    for row in rows:
        cost = money(row.cheapest_cost) if row.cheapest_cost is not None else "—"
        weeks = f"{row.fastest_weeks} weeks" if row.fastest_weeks is not None else "—"
        pay = f"${row.wage_median:,.0f}" if row.wage_median else "—"
        cells = (row.target, f"{row.readiness:.0%}", str(row.gap_items), f"{row.best_coverage:.0%}", cost, weeks, pay)
        lines.append("| " + " | ".join(cells) + " |")
    best = max(rows, key=lambda r: (r.readiness, r.target))
    lines.append(f"\nYou are closest to **{best.target}** ({best.readiness:.0%} ready).")
    return "\n".join(lines)


def search_text(query: str, credentials: Sequence[Credential]) -> str:
    if not credentials:
        return f"I found no credential about “{_quoted(query, 60)}” in the catalog."
    lines = [f"Credentials about “{_quoted(query, 60)}”:"]
    for credential in credentials:
        lines.append(
            f"- **{credential.id} — {credential.title}** ({price_of(credential)}, "
            f"{workload(credential.workload_hours)}, {mode(credential.delivery_mode)})"
        )
    return "\n".join(lines)


def skills_added_text(
    found: Sequence[HeldSkill],
    unresolved: Sequence[str],
    already: Sequence[str] = (),
    products: Sequence[HeldTechnology] = (),
) -> str:
    parts = []
    new = [s for s in found if s.skill_uri not in set(already)]
    if new:
        parts.append("Added to your profile: " + ", ".join(f"**{s.label}**" for s in new) + ".")
    old = [s for s in found if s.skill_uri in set(already)]
    if old:
        parts.append("Already on your profile: " + ", ".join(f"**{s.label}**" for s in old) + ".")
    if products:
        parts.append("Added to your tools: " + ", ".join(f"**{p.label}**" for p in products) + ".")
    if unresolved:
        echoed = [u for u in unresolved if not any(p.search(u) for p in _NOT_ECHOED)]
        named = [f"“{shorten(u, 40)}”" for u in echoed]
        others = len(unresolved) - len(echoed)
        if others:
            named.append(f"{others} {'other ' if echoed else ''}phrase{'s' if others > 1 else ''}")
        listed = f"{', '.join(named[:-1])} and {named[-1]}" if len(named) > 1 else named[0]
        parts.append(f"I could not match {listed} to an ESCO skill; try another wording.")
    return " ".join(parts) or "I did not find a skill in that message; name it as it would appear on a résumé."


def removed_text(skills: Sequence[str], tools: Sequence[str]) -> str:
    parts = []
    if skills:
        parts.append(f"Removed: {', '.join(skills)}.")
    if tools:
        parts.append(f"Removed from your tools: {', '.join(tools)}.")
    return " ".join(parts) or "I could not find those on your profile, so nothing was removed."


def change_text(before: AdviceView | None, after: AdviceView) -> str:
    """What a change (new skills, new limits) did to the gap and the plan."""
    if before is None or before.target.label != after.target.label:
        return overview(after)
    closed = [row.label for row in before.gap if row.skill_uri not in {r.skill_uri for r in after.gap}]
    lines = []
    if closed:
        lines.append(f"That closes {', '.join(f'**{c}**' for c in closed[:5])} in your gap.")
    lines.append(f"Readiness for **{after.target.label}**: {before.readiness:.0%} → {after.readiness:.0%}.")
    route = best_route(after, RouteObjective.MOST_COVERAGE)
    if route is not None and route.steps:
        lines.append("Updated plan: " + route_summary(route))
    elif not after.recommendations:
        lines.append(recommendations_text(after))
    earlier = best_route(before, RouteObjective.MOST_COVERAGE)
    kept = {step.credential_id for step in route.steps} if route is not None else set()
    dropped = [f"**{s.title}**" for s in (earlier.steps if earlier is not None else ()) if s.credential_id not in kept]
    if dropped:  # say why the plan shrank, not only that it did (the reasons were in the collapsed notes)
        why = next((n.removeprefix("Not planned: ") for n in after.notes if n.startswith("Not planned: ")), "")
        lines.append(
            f"No longer planned: {', '.join(dropped[:4])}{' and more' if len(dropped) > 4 else ''}"
            + (f". Across the catalog, not planned now: {why}." if why else ".")
        )
    return " ".join(lines)


# --- goals, earnings, entry requirements -----------------------------------------------------------------


def about_option(job: str, description: str) -> str:
    """What an offered job is, when the learner asks about it rather than picking it."""
    what = f"**{job}**: {description}" if description else f"**{job}** is one of the jobs I offered."
    return f"{what}\n\nYour goal has not changed: tap **{job}** or say its name to pick it, or name another job."


def goal_question(unclear: GoalUnclearError) -> str:
    """The question a goal that names several jobs (or a field) becomes, with its options."""
    lines = [unclear.note]
    for _, label, facts in unclear.options:
        lines.append(f"- **{label}**" + (f" ({facts})" if facts else ""))
    lines.append("\nPick one (or name another job); nothing changes until you do.")
    return "\n".join(lines)


def amounts_in(texts: Sequence[str]) -> frozenset[Decimal]:
    """The dollar amounts written in sentences the core composed (goal options' wages, undone limits), which a
    reply quoting them may state."""
    return frozenset(Decimal(m.replace(",", "")) for t in texts for m in re.findall(r"\$(\d[\d,]*(?:\.\d+)?)", t))


def goal_question_allowed(unclear: GoalUnclearError) -> Allowed:
    labels = frozenset(label for _, label, _ in unclear.options)
    return Allowed(verbatim=labels, amounts=amounts_in([facts for _, _, facts in unclear.options]))


def wage_amounts(wage: Wage | None) -> list[float]:
    if wage is None:
        return []
    return [v for v in (wage.annual_median, wage.annual_p10, wage.annual_p90) if v]


_JOB_ZONES = {
    1: "little or no preparation (some jobs ask for a high-school diploma)",
    2: "some preparation: usually a high-school diploma and on-the-job training",
    3: "medium preparation: usually vocational training, an associate's degree or an apprenticeship",
    4: "considerable preparation: most jobs ask for a bachelor's degree",
    5: "extensive preparation: most jobs ask for a graduate degree",
}


def earnings_text(facts: OccupationFacts) -> str:
    """What the job pays in the US and whether it is growing, naming the SOC occupation and the year."""
    wage, projection = facts.wage, facts.projection
    if wage is None and projection is None:
        return f"I have no US wage or projection figures for **{facts.label}**, so I cannot say what it pays."
    lines = []
    if wage is not None and wage.annual_median:
        spread = ""
        if wage.annual_p10 and wage.annual_p90:
            spread = f"; most earn between {money(wage.annual_p10)} and {money(wage.annual_p90)}"
        lines.append(
            f"**{facts.label}**: the US median pay is {money(wage.annual_median)} a year{spread} "
            f"({wage.release or 'BLS OEWS'}, SOC {wage.soc_code} “{wage.title}”)."
        )
    if projection is not None and projection.change_pct is not None:
        trend = "growing" if projection.change_pct > 0 else "shrinking" if projection.change_pct < 0 else "flat"
        openings = (
            f", about {projection.annual_openings * 1000:,.0f} openings a year"
            if projection.annual_openings is not None
            else ""
        )
        lines.append(
            f"Jobs are {trend}: {projection.change_pct:+.1f}% from 2020 to 2030{openings} "
            f"(BLS Employment Projections, SOC {projection.soc_code} “{projection.title}”)."
        )
    lines.append("These are US national figures; pay where you live may differ.")
    return " ".join(lines)


def licence_text(facts: OccupationFacts, first_step: Credential | None) -> str:
    """What entry to the job takes, from BLS typical entry education and the O*NET job zone."""
    lines = []
    if facts.regulated:
        lines.append(
            f"**{facts.label}** is a regulated profession (ESCO): practising it needs a recognised qualification "
            "and registration, not only skills."
        )
    education = facts.projection.entry_education if facts.projection else None
    if education:
        lines.append(f"For **{facts.label}**, the typical US entry education is {education.lower()} (BLS).")
    if facts.job_zone in _JOB_ZONES:
        lines.append(f"O*NET job zone {facts.job_zone}: {_JOB_ZONES[facts.job_zone]}.")
    if not lines:
        lines.append(f"I have no entry-education figures for **{facts.label}**.")
    lines.append(
        "Whether you need a licence depends on where you work: check with the licensing board of your state or "
        "country before you plan around it. Credentials here build skills; they are not a licence on their own."
    )
    if first_step is not None:
        lines.append(
            f"A first step in this catalog: **{first_step.id} — {first_step.title}** ({price_of(first_step)})."
        )
    return " ".join(lines)


SOMEONE_ELSE = (
    "That sounds like someone else's goal, so I have not changed yours. If it is your goal too, say "
    "“I want to become …” and I will plan for you; they are welcome to start their own chat here."
)


def resume_choice(count: int) -> str:
    return (
        f"This looks like a résumé. Your profile already holds {count} skills and tools. Shall I **replace** your "
        "résumé with this one, or **add** what it shows to your profile? Nothing changes until you say."
    )
