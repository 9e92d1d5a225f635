"""An advisor's session brief: who the advisee is, what the goal needs, the options, and what to ask.

Written from the same advice view the learner sees, so the advisor and the learner talk about the same
numbers; the questions point at what the data cannot settle (limits not given, weak evidence, a goal
that may be read two ways).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assistant.core.advice.matching import SkillMatcher
from assistant.core.advice.targets import OccupationOption, held_credit
from assistant.core.advice.view import AdviceView, CredentialCard
from assistant.core.catalog import Catalog
from assistant.core.formatting import count, level, markdown_text, mode, shorten, workload
from assistant.core.models import HeldSkill, LearnerProfile, RelationType
from assistant.core.taxonomy import Taxonomy

#: how long a quoted résumé line may be in the brief (longer ones are cut at a word, with "…")
QUOTE_LIMIT = 60
#: how many directions a brief without a goal suggests
DIRECTIONS = 3


def _money(amount: object, currency: str | None) -> str:
    return "price not stated" if amount is None else f"{amount} {currency}"


@dataclass(frozen=True)
class Direction:
    """An occupation the profile alone points to, with why: the learner's skills that point there and what
    the catalog teaches of the essential skills left."""

    occupation_uri: str
    label: str
    pointing: tuple[str, ...]  # the learner's own skills that meet something it asks for
    met_essential: int
    essential: int
    taught: int  # essential skills left that some catalog credential teaches
    offered: tuple[tuple[str, str, int], ...]  # (credential id, title, essential skills left it teaches)
    more_offered: int = 0  # other credentials that teach some of them
    wage_median: float | None = None
    growth_pct: float | None = None

    @property
    def left(self) -> int:
        return self.essential - self.met_essential


def brief_directions(
    options: Iterable[OccupationOption],
    skills: Sequence[HeldSkill],
    taxonomy: Taxonomy,
    catalog: Catalog,
    *,
    held_credentials: Iterable[str] = (),
    limit: int = DIRECTIONS,
    offered: int = 2,
) -> tuple[Direction, ...]:
    """Up to ``limit`` explored occupations as directions: which held skills earn credit toward what each
    asks for (by the ESCO structure, as exploring scores them), and the catalog credentials (not held) that
    teach the most of its essential skills left. In the explorer's order, except that occupations the
    catalog can take the learner further toward come before those it teaches nothing of."""
    matcher = SkillMatcher(taxonomy)
    best = {uri: found for uri, found in held_credit(skills, matcher).items() if matcher.is_met(found[0])}
    held = set(held_credentials)
    out = []
    for option in options:
        pointing: dict[str, None] = {}
        essential, left = 0, set()
        for relation in taxonomy.relations_for(option.occupation_uri):
            source = best.get(relation.skill_uri)
            if source is not None:
                pointing[source[1].label] = None
            if relation.relation is RelationType.ESSENTIAL:
                essential += 1
                if source is None:
                    left.add(relation.skill_uri)
        teaching = [
            (credential.id, credential.title, len(left & set(credential.skill_uris)))
            for credential in catalog
            if credential.id not in held
        ]
        teaching = sorted((t for t in teaching if t[2]), key=lambda t: (-t[2], t[0]))
        taught = {uri for credential in catalog if credential.id not in held for uri in credential.skill_uris} & left
        wage = taxonomy.wage_for(option.occupation_uri)
        projection = taxonomy.projection_for(option.occupation_uri)
        out.append(
            Direction(
                occupation_uri=option.occupation_uri,
                label=option.label,
                pointing=tuple(pointing),
                met_essential=essential - len(left),
                essential=essential,
                taught=len(taught),
                offered=tuple(teaching[:offered]),
                more_offered=max(len(teaching) - offered, 0),
                wage_median=wage.annual_median if wage else None,
                growth_pct=projection.change_pct if projection else None,
            )
        )
    useful = [d for d in out if d.taught or not d.left]
    return tuple((useful + [d for d in out if d not in useful])[:limit])


def _direction_lines(n: int, direction: Direction) -> list[str]:
    head = f"{n}. **{markdown_text(direction.label)}**"
    if direction.wage_median or direction.growth_pct is not None:
        head += " — US data (BLS): " + "; ".join(
            part
            for part in (
                f"median pay ${direction.wage_median:,.0f}" if direction.wage_median else "",
                f"growth {direction.growth_pct:+.1f}% 2020–30" if direction.growth_pct is not None else "",
            )
            if part
        )
    shown = [markdown_text(label) for label in direction.pointing[:4]]
    more = f" and {len(direction.pointing) - 4} more" if len(direction.pointing) > 4 else ""
    why = (
        f"   - Why: {', '.join(shown)}{more} point{'s' if len(shown) == 1 and not more else ''} there"
        if shown
        else "   - Why: the profile's skills are related to what it asks for"
    )
    shows = (
        "the learner shows every essential skill it asks for"
        if direction.essential and not direction.left
        else f"the learner shows {direction.met_essential} of its {count(direction.essential, 'essential skill')}"
    )
    lines = [head, f"{why}; {shows}."]
    if not direction.left:
        lines.append("   - The catalog: nothing left to teach of its essential skills.")
    elif not direction.taught:
        lines.append(f"   - The catalog teaches none of the {count(direction.left, 'essential skill')} left.")
    else:
        offers = [f"{n_skills} in {cid} — {markdown_text(title)}" for cid, title, n_skills in direction.offered]
        if direction.more_offered:
            offers.append(f"some in {count(direction.more_offered, 'other credential')}")
        lines.append(
            f"   - The catalog teaches {direction.taught} of the {count(direction.left, 'essential skill')} left: "
            + ", ".join(offers)
            + "."
        )
    return lines


def _directions_section(profile: LearnerProfile, directions: Sequence[Direction]) -> list[str]:
    out = ["## Directions to explore", ""]
    if not directions:
        why = (
            "there are no skills on file yet"
            if not profile.skills and not profile.earned_credentials
            else "none of the skills on file points to an occupation in the data"
        )
        out += [f"Not enough in the profile to suggest directions: {why}. Ask what the learner is aiming for.", ""]
        return out
    out += [
        "No goal is set, so these occupations come from the profile alone (ranked by the skills it shows, what the "
        "catalog can teach, demand and pay):",
        "",
    ]
    for n, direction in enumerate(directions, 1):
        out += _direction_lines(n, direction)
    out.append("")
    return out


def _card_line(card: CredentialCard) -> str:
    """What an option is for: the gap skills it covers, or (covering none) what it is there for."""
    if card.covers:
        labels = [ref.label for ref in card.covers]
        more = f" and {len(labels) - 3} more" if len(labels) > 3 else ""
        return f"covers {', '.join(labels[:3])}{more}"
    for reason in card.reasons:
        if reason.startswith("prerequisite of "):
            return reason
        if reason.startswith("made for "):
            return reason.split(":", 1)[0]
    return "covers no gap skill itself"


def gap_chart(view: AdviceView) -> tuple[tuple[str, int], ...]:
    """How many of the goal's skills the learner holds, shows in part and misses (the PDF's gap chart)."""
    statuses = (("held", "held"), ("weak", "partly shown (weak)"), ("missing", "missing"))
    return tuple((words, sum(1 for row in view.skills if row.status == status)) for status, words in statuses)


def brief_questions(
    profile: LearnerProfile, view: AdviceView | None, directions: Sequence[Direction] = ()
) -> list[str]:
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
        if directions:
            labels = [d.label for d in directions]
            named = ", ".join(labels[:-1]) + f" or {labels[-1]}" if len(labels) > 1 else labels[0]
            questions.append(f"Which job or field are you aiming for: {named}, or something else?")
        else:
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


def brief_markdown(
    name: str,
    profile: LearnerProfile,
    view: AdviceView | None,
    *,
    notes: str = "",
    directions: Sequence[Direction] | None = None,
) -> str:
    """The brief as Markdown (the advisor edits the notes; the rest is regenerated from the data).

    Without a goal, ``directions`` (from :func:`brief_directions`) are suggested; an empty sequence says
    plainly that the profile is not enough, and ``None`` leaves the section out."""
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
                f"{s.label} (“{markdown_text(shorten(s.evidence[0].text, QUOTE_LIMIT))}”)" if s.evidence else s.label
                for s in top[:5]
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
        if directions is not None:
            out += _directions_section(profile, directions)
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
            "|---|---|---:|---|---|",
        ]
        rows = sorted(view.gap, key=lambda r: (not r.core, -r.weight))[:12]
        for row in rows:
            evidence = markdown_text(shorten(row.evidence.text, QUOTE_LIMIT)) if row.evidence else ""
            out.append(
                f"| {row.label} | {row.status} | {row.weight:.2f} | {'; '.join(row.required_by[:2])} | {evidence} |"
            )
        out.append("")
        out += ["## Options", ""]
        for pick in view.picks[:5]:
            for card in (pick, *view.needed_first(pick.credential_id)):
                out.append(
                    ("  - take first: " if card.prerequisite_of else "- ")
                    + f"**{card.credential_id} — {card.title}**: {_money(card.cost, card.currency)}, "
                    f"{workload(card.workload_hours)}, {level(card.eqf_level)}, {mode(card.delivery_mode)}; "
                    + _card_line(card)
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
                f"{route.weeks} weeks, "
                + (f"covers {route.coverage:.0%} of the core gap" if route.coverage else "covers none of the core gap")
            )
        out.append("")
    out += ["## Questions to ask", ""]
    out += [f"{n}. {q}" for n, q in enumerate(brief_questions(profile, view, directions or ()), 1)]
    out += ["", "## Advisor notes", "", notes or "_(none yet)_", ""]
    return "\n".join(out)
