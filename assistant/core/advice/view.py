"""A flat, display-ready view of an :class:`AdviceResult` for the API, the pages and the briefs.

The advice itself keeps requirements, matches and plans in the shapes the algorithms need; a page
wants cards and chart rows with titles, prices and evidence resolved. Building the view here, once,
keeps every consumer showing the same numbers, each still pointing back to its evidence.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from assistant.core.advice.gap import research_skill
from assistant.core.advice.problem import LEFT_OUT, Exclusion, not_stated
from assistant.core.advice.service import AdviceOptions, AdviceResult, AdviceService, Target
from assistant.core.catalog import Catalog
from assistant.core.formatting import count, readiness
from assistant.core.models import (
    Credential,
    EarnedCredential,
    Evidence,
    GapItem,
    LearnerProfile,
    OccupationRequirement,
    RequirementSource,
    StackProgress,
)
from assistant.core.taxonomy import Taxonomy

SOURCE_NAMES = {
    RequirementSource.ESCO_ESSENTIAL: "ESCO essential skill",
    RequirementSource.ESCO_OPTIONAL: "ESCO optional skill",
    RequirementSource.ONET_SKILL: "O*NET skill rating",
    RequirementSource.ONET_TECHNOLOGY: "O*NET technology skill",
    RequirementSource.JOB_POSTING: "job posting line",
}


class _View(BaseModel):
    model_config = ConfigDict(frozen=True)


class SkillRef(_View):
    uri: str
    label: str


class EvidenceView(_View):
    source: str
    text: str
    line_no: int | None = None
    section: str | None = None
    reference: str | None = None


class SkillRow(_View):
    """One required skill, held or not: a bar of the gap chart with the evidence behind it."""

    skill_uri: str
    label: str
    weight: float
    status: str  # "held", "weak" or "missing"
    core: bool = False
    research: bool = False  # in ESCO's research-skills collection (not planned for a practitioner's goal)
    credit: float = 0.0
    required_by: tuple[str, ...] = ()
    evidence: EvidenceView | None = None
    explanation: str = ""


class CredentialCard(_View):
    credential_id: str
    title: str
    kind: str
    cost: Decimal | None  # None: the catalog does not state it (shown as "price not stated")
    currency: str | None
    workload_hours: float | None
    ects: float | None
    eqf_level: int | None
    delivery_mode: str | None
    duration_weeks: float | None
    url: str | None
    not_stated: tuple[str, ...] = ()
    covers: tuple[SkillRef, ...] = ()
    reasons: tuple[str, ...] = ()
    stacks_into: tuple[SkillRef, ...] = ()  # uri = credential id, label = its title and the credit earned toward it
    #: the recommended credential this one is needed first for (listed under it, not ranked on its own)
    prerequisite_of: str | None = None


class RouteStepView(_View):
    credential_id: str
    title: str
    start_week: int
    end_week: int
    cost: Decimal | None
    covers: tuple[SkillRef, ...] = ()
    unlocks: tuple[str, ...] = ()
    why: str = ""
    not_stated: tuple[str, ...] = ()  # "price", "workload", "length": the step's figures leave these out


class StackView(_View):
    target_id: str
    title: str
    credit_earned: float
    credit_required: float
    credit_unit: str
    complete: bool
    #: the catalog says this qualification prepares for the goal (listed first; others are credit on the side)
    made_for_goal: bool = False


class RouteView(_View):
    objective: str
    steps: tuple[RouteStepView, ...]
    total_cost: Decimal
    currency: str
    total_hours: float
    total_ects: float
    weeks: int
    coverage: float
    stacks_toward: tuple[StackView, ...] = ()
    optimal: bool = False
    status: str = ""
    notes: tuple[str, ...] = ()


class LeftOut(_View):
    """A credential that covers part of the core gap but was not planned: far from the goal, or adding
    too little; or a qualification made for the goal that a part it requires puts out of the learner's
    limits. Said so a learner (or advisor) who expected it knows why it is missing."""

    credential_id: str
    title: str
    reason: str


class TargetView(_View):
    kind: str
    label: str
    occupation_uri: str | None = None
    reasons: tuple[str, ...] = ()
    alternatives: tuple[str, ...] = ()
    wage_median: float | None = None
    growth_pct: float | None = None
    #: why the US wage or outlook is missing (empty when both are known): a dash alone left a learner guessing
    us_data_note: str = ""


def us_data_note(taxonomy: Taxonomy, uri: str | None, wage: bool, outlook: bool) -> str:
    """Why US pay or outlook figures are missing for a goal, in words (empty when both are there)."""
    if wage and outlook:
        return ""
    if uri is None or uri not in taxonomy.occupations:
        return "US pay and outlook figures need an ESCO occupation; this goal is not one."
    codes = taxonomy.occupations[uri].onet_codes
    if not codes:
        return "No O*NET occupation maps to this ESCO job, so there are no US pay or outlook figures for it."
    missing = " or ".join(
        word for word, known in (("national median pay", wage), ("2020–30 projection", outlook)) if not known
    )
    return f"BLS publishes no {missing} for O*NET {', '.join(codes[:2])} or its broad group."


class AdviceView(_View):
    target: TargetView
    readiness: float
    readiness_words: str = ""
    skills: tuple[SkillRow, ...]
    recommendations: tuple[CredentialCard, ...]
    routes: tuple[RouteView, ...]
    notes: tuple[str, ...] = ()
    left_out: tuple[LeftOut, ...] = ()
    #: why nothing is recommended though the core gap is open (empty otherwise): the catalog teaches none of
    #: it, the learner's limits rule out what does, or what fits the limits is about other work
    nothing_planned: str = ""

    @property
    def gap(self) -> tuple[SkillRow, ...]:
        return tuple(row for row in self.skills if row.status != "held")

    @property
    def picks(self) -> tuple[CredentialCard, ...]:
        """The recommendations in rank order (what "the second one" counts), without the prerequisites under them."""
        return tuple(card for card in self.recommendations if card.prerequisite_of is None)

    def needed_first(self, credential_id: str) -> tuple[CredentialCard, ...]:
        """The prerequisites listed under a recommendation, in the order they are taken."""
        return tuple(card for card in self.recommendations if card.prerequisite_of == credential_id)

    @property
    def credential_ids(self) -> frozenset[str]:
        """Every credential the view names: what a reply about it may mention."""
        ids = {card.credential_id for card in self.recommendations}
        ids |= {ref.uri for card in self.recommendations for ref in card.stacks_into}
        for route in self.routes:
            ids |= {step.credential_id for step in route.steps}
            ids |= {stack.target_id for stack in route.stacks_toward}
        return frozenset(ids)


def _evidence(evidence: Evidence | None) -> EvidenceView | None:
    if evidence is None:
        return None
    return EvidenceView(
        source=evidence.source.value,
        text=evidence.text,
        line_no=evidence.line_no,
        section=evidence.section,
        reference=evidence.reference,
    )


def requirement_source(requirement: OccupationRequirement, target_label: str) -> str:
    """Where a requirement comes from, in words a learner can check ("ESCO essential skill of nurse")."""
    name = SOURCE_NAMES.get(requirement.source, requirement.source.value)
    if requirement.source is RequirementSource.JOB_POSTING:
        return f"{name}: {requirement.label}"
    return f"{name} of {target_label}"


def _sources(item: GapItem, target_label: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(requirement_source(r, target_label) for r in item.requirements))


def advice_view(result: AdviceResult, catalog: Catalog, taxonomy: Taxonomy) -> AdviceView:
    """Resolve ids to titles and labels, pair each gap item with its evidence and sources."""
    target = result.target
    labels = {item.skill_uri: item.label for item in result.gap}
    matches = {m.skill_uri: m for m in result.matches}
    rows: list[SkillRow] = []
    for item in result.gap:
        match = matches.get(item.skill_uri)
        rows.append(
            SkillRow(
                skill_uri=item.skill_uri,
                label=item.label,
                weight=round(item.weight, 4),
                status=item.status.value,
                core=item.skill_uri in result.core,
                research=item.skill_uri not in result.core and research_skill(taxonomy, item.skill_uri),
                credit=round(item.credit, 4),
                required_by=_sources(item, target.label),
                evidence=_evidence(item.closest),
                explanation=match.explanation if match else "",
            )
        )
    for match in result.met:
        rows.append(
            SkillRow(
                skill_uri=match.skill_uri,
                label=match.label,
                weight=round(match.credit, 4),
                status="held",
                credit=round(match.credit, 4),
                evidence=_evidence(match.evidence),
                explanation=match.explanation,
            )
        )
    cards = []
    for rec in result.recommendations:
        credential = catalog.get(rec.credential_id)
        cards.append(
            CredentialCard(
                credential_id=credential.id,
                title=credential.title,
                kind=credential.kind.value,
                cost=credential.cost.amount if credential.cost else None,
                currency=credential.cost.currency if credential.cost else None,
                workload_hours=credential.workload_hours,
                ects=credential.ects,
                eqf_level=credential.eqf_level,
                delivery_mode=credential.delivery_mode.value if credential.delivery_mode else None,
                not_stated=not_stated(credential),
                duration_weeks=credential.duration_weeks,
                url=credential.url,
                covers=tuple(SkillRef(uri=u, label=labels.get(u) or taxonomy.label_of(u)) for u in rec.covers),
                reasons=rec.reasons,
                stacks_into=tuple(
                    SkillRef(
                        uri=rule.target_id,
                        label=f"{catalog.get(rule.target_id).title} ({count(rule.credit, rule.credit_unit.value)})",
                    )
                    for rule in credential.stacks_into
                    if rule.target_id in catalog
                ),
                prerequisite_of=rec.prerequisite_of,
            )
        )
    routes = []
    for report in result.routes:
        route = report.route
        steps = tuple(
            RouteStepView(
                credential_id=step.credential_id,
                title=catalog.get(step.credential_id).title,
                start_week=step.start_week,
                end_week=step.end_week,
                cost=_amount(catalog.get(step.credential_id)),
                not_stated=not_stated(catalog.get(step.credential_id)),
                covers=tuple(SkillRef(uri=u, label=labels.get(u) or taxonomy.label_of(u)) for u in step.covers),
                unlocks=step.unlocks,
                why=step.why,
            )
            for step in route.steps
        )
        stacks = tuple(
            StackView(
                target_id=p.target_id,
                title=catalog.get(p.target_id).title,
                credit_earned=p.credit_earned,
                credit_required=p.credit_required,
                credit_unit=p.credit_unit.value,
                complete=p.complete,
                made_for_goal=not _stack_rank(p, catalog, target.occupation_uri)[0],
            )
            for p in sorted(route.stacks_toward, key=lambda p: _stack_rank(p, catalog, target.occupation_uri))
        )
        routes.append(
            RouteView(
                objective=route.objective.value,
                steps=steps,
                total_cost=route.total_cost,
                currency=route.currency,
                total_hours=route.total_hours,
                total_ects=route.total_ects,
                weeks=route.weeks,
                coverage=round(route.coverage, 4),
                stacks_toward=stacks,
                optimal=route.optimal,
                status=report.status,
                notes=(*report.notes, *unstated_notes(steps)),
            )
        )
    uri = target.occupation_uri
    wage = taxonomy.wage_for(uri) if uri and uri in taxonomy.occupations else None
    projection = taxonomy.projection_for(uri) if uri and uri in taxonomy.occupations else None
    return AdviceView(
        target=TargetView(
            kind=target.kind,
            label=target.label,
            occupation_uri=uri,
            reasons=target.reasons,
            alternatives=tuple(a.label for a in target.alternatives[:4]),
            wage_median=wage.annual_median if wage else None,
            growth_pct=projection.change_pct if projection else None,
            us_data_note=us_data_note(taxonomy, uri, wage is not None, projection is not None),
        ),
        readiness=round(result.readiness, 4),
        readiness_words=readiness(result.readiness),
        skills=tuple(rows),
        recommendations=tuple(cards),
        routes=tuple(routes),
        notes=result.notes,
        left_out=left_out(result, catalog),
        nothing_planned=nothing_planned(result),
    )


def _stack_rank(progress: StackProgress, catalog: Catalog, goal: str | None) -> tuple[bool, float]:
    """The credential made for the goal first ("toward the Certificate in Nursing Assistance", not the
    Phlebotomy one a nurse-assistant route also earns credit toward), then the furthest along."""
    made = goal is not None and goal in catalog.get(progress.target_id).prepares_for
    share = progress.credit_earned / progress.credit_required if progress.credit_required else 0.0
    return (not made, -share)


def nothing_planned(result: AdviceResult) -> str:
    """Why an open core gap got no recommendation, in words a learner can act on."""
    if result.recommendations or not result.core_gap:
        return ""
    goal = result.target.label
    if not result.taught_anywhere:
        return (
            f"Nothing in this catalog teaches the core skills of {goal}, so a larger budget or more hours would "
            "not change that: it takes another institution's programme, or a related goal."
        )
    if not result.taught_within_limits:
        return (
            f"Some credentials here teach part of what {goal} asks for, but none fits your limits: "
            "a larger budget, more hours a week or another delivery mode would let some in."
        )
    more = (
        "; others would with a larger budget or more hours"
        if result.taught_anywhere - result.taught_within_limits
        else ""
    )
    return (
        f"The credentials within your limits that touch this gap are mainly about other work or add too little "
        f"(listed under how this was worked out){more}."
    )


def left_out(result: AdviceResult, catalog: Catalog) -> tuple[LeftOut, ...]:
    """Credentials that teach part of the core gap but were not planned, and qualifications made for the goal
    out of reach, with the reason in plain words (the relevance figures behind "far from" stay in
    ``stackwise advise --json``'s ``excluded``)."""
    out = []
    for cid, excluded in result.excluded.items():
        if (excluded.kind not in LEFT_OUT and not excluded.made_for_goal) or cid not in catalog:
            continue
        why = excluded.reason
        if excluded.made_for_goal:  # "it requires Residential Wiring I (LPC-EL-110): runs on a fixed …"
            why = f"made for your goal but out of your limits ({why})"
        if excluded.kind is Exclusion.FAR_FROM_GOAL:  # "far from data scientist (relevance 0.91 < 1.00: …)"
            why = why.split(" (", 1)[0] + " (each teaches part of your gap, but most of it is about other work)"
        out.append(LeftOut(credential_id=cid, title=catalog.get(cid).title, reason=why))
    return tuple(out)


def compute_view(
    advice: AdviceService,
    profile: LearnerProfile,
    target: Target,
    *,
    earned: Iterable[EarnedCredential] = (),
    start: date | None = None,
) -> AdviceView:
    """The advice for a profile, its earned badges and a target, as every entry point shows it.

    The chat, the REST routes, the briefs and the CLI all come through here, so the same learner gets
    the same gap, recommendations and routes wherever they ask.
    """
    result = advice.advise(profile, target, earned=earned, options=AdviceOptions(start=start))
    return advice_view(result, advice.catalog, advice.taxonomy)


def _amount(credential: Credential) -> Decimal | None:
    return credential.cost.amount if credential.cost else None


def unstated_notes(steps: Iterable[RouteStepView]) -> tuple[str, ...]:
    """What a route's totals leave out because the catalog does not state it, in words (never a guessed $0)."""
    notes = []
    for fact, totals in (("price", "the total cost counts only stated prices"),
                         ("workload", "the hours and weeks count only stated workloads")):  # fmt: skip
        ids = [step.credential_id for step in steps if fact in step.not_stated]
        if ids:
            which = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
            notes.append(f"{which} {'does' if len(ids) == 1 else 'do'} not state a {fact}: {totals}.")
    return tuple(notes)
