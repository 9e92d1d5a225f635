"""A deterministic synthetic catalog for planning benchmarks (default: 2,000 credentials, seed 7).

Shaped like a real institution's catalog so the planners meet realistic structure, not noise:

* one *program* per occupation in the pool; its micro-credentials teach 2–6 real ESCO skills drawn
  from that occupation's requirements (essential ones more often), one in ten also a skill of
  another program;
* three tiers per program — intro (no prerequisites), intermediate (all of one intro, or one of two),
  advanced (one or two groups over intermediates, now and then an intro of another program) — so
  prerequisites always point to a lower tier and the catalog is a DAG;
* prices, hours, weeks, pacing, delivery mode, EQF level and language drawn per tier;
* one certificate per about twelve micro-credentials, built from 8–12 of the program's parts that
  carry credit-hours (45 notional hours each, in halves), requiring 70 % of their credit and one
  advanced part.

The same taxonomy, size, seed and occupations always give the same catalog.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from decimal import Decimal
from typing import TypeVar

from assistant.core.catalog import Catalog
from assistant.core.models import (
    AssessmentType,
    Credential,
    CredentialKind,
    CreditUnit,
    DeliveryMode,
    Institution,
    Money,
    Pacing,
    PrerequisiteGroup,
    RelationType,
    SkillAlignment,
    StackingRule,
    StackRequirement,
)
from assistant.core.taxonomy import Taxonomy

INSTITUTION = Institution(name="Synthetic Polytechnic (generated)", country="US", currency="USD")
TIERS = (
    ("I", 0.3, (3, 4), (0, 400), (15, 45)),
    ("M", 0.4, (4, 5), (200, 800), (30, 90)),
    ("A", 0.3, (5, 6), (400, 1500), (45, 150)),
)
MODES = ((DeliveryMode.ONLINE, 0.45), (DeliveryMode.BLENDED, 0.35), (DeliveryMode.ONSITE, 0.2))
MICROS_PER_CERTIFICATE = 12


_T = TypeVar("_T")


def _stated(value: _T | None) -> _T:
    """Generated credentials state every figure; a missing one is a bug in the generator."""
    if value is None:
        raise ValueError("a generated credential lacks a figure")
    return value


def _credit(hours: float) -> float:
    return max(0.5, round(hours / 45 * 2) / 2)


def generate_catalog(taxonomy: Taxonomy, occupations: Sequence[str], *, size: int = 2000, seed: int = 7) -> Catalog:
    """``size`` credentials (micro-credentials and certificates) over one program per occupation URI."""
    rng = random.Random(seed)
    programs = list(dict.fromkeys(occupations))
    pools = []
    for uri in programs:
        essential = [r.skill_uri for r in taxonomy.relations_for(uri) if r.relation is RelationType.ESSENTIAL]
        optional = [r.skill_uri for r in taxonomy.relations_for(uri) if r.relation is RelationType.OPTIONAL]
        pools.append((essential or optional, optional or essential))
    per_program = [size // len(programs) + (1 if p < size % len(programs) else 0) for p in range(len(programs))]
    credentials: list[Credential] = []
    intros: list[list[str]] = []
    for p, count in enumerate(per_program):
        certificates = max(1, count // (MICROS_PER_CERTIFICATE + 1))
        micros = count - certificates
        built = _program(rng, taxonomy, p, micros, pools, intros)
        cert_ids = [f"GEN-{p:02d}-C{c:02d}" for c in range(certificates)]
        parts: dict[str, list[Credential]] = {cid: [] for cid in cert_ids}
        stacked: list[Credential] = []
        for i, credential in enumerate(built):
            targets = [cert_ids[i % len(cert_ids)]]
            if len(cert_ids) > 1 and rng.random() < 0.3:
                targets.append(rng.choice([c for c in cert_ids if c != targets[0]]))
            rules = tuple(
                StackingRule(
                    target_id=t,
                    credit=_credit(_stated(credential.workload_hours)),
                    credit_unit=CreditUnit.US_CREDIT_HOUR,
                )
                for t in targets
            )
            updated = credential.model_copy(update={"stacks_into": rules})
            stacked.append(updated)
            for t in targets:
                parts[t].append(updated)
        credentials.extend(stacked)
        for cid in cert_ids:
            credentials.append(_certificate(rng, cid, p, parts[cid]))
    return Catalog.build(INSTITUTION, credentials, source=f"generated(size={size}, seed={seed})")


def _program(
    rng: random.Random,
    taxonomy: Taxonomy,
    p: int,
    micros: int,
    pools: list[tuple[list[str], list[str]]],
    intros: list[list[str]],
) -> list[Credential]:
    essential, optional = pools[p]
    counts = [max(1, round(micros * share)) for _, share, *_ in TIERS]
    counts[1] = micros - counts[0] - counts[2]
    made: dict[str, list[str]] = {"I": [], "M": [], "A": []}
    out = []
    for (tier, _, levels, costs, hours_range), n in zip(TIERS, counts, strict=True):
        for k in range(n):
            cid = f"GEN-{p:02d}-{tier}{k:03d}"
            skills = {
                rng.choice(essential) if rng.random() < 0.7 else rng.choice(optional) for _ in range(rng.randint(2, 6))
            }
            if rng.random() < 0.1:
                other = pools[rng.randrange(len(pools))][0]
                skills.add(rng.choice(other))
            hours = float(rng.randint(*hours_range))
            prereqs = _prerequisites(rng, tier, made, intros)
            mode = rng.choices([m for m, _ in MODES], weights=[w for _, w in MODES])[0]
            out.append(
                Credential(
                    id=cid,
                    title=f"Program {p} {tier}-level unit {k}",
                    kind=CredentialKind.MICRO_CREDENTIAL,
                    awarding_body=INSTITUTION.name,
                    country="US",
                    learning_outcomes=tuple(f"Apply {taxonomy.label_of(s)} at work." for s in sorted(skills)),
                    workload_hours=hours,
                    ects=round(hours / 27 * 2) / 2,
                    eqf_level=rng.randint(*levels),
                    assessment=rng.choice((AssessmentType.PROJECT, AssessmentType.EXAM, AssessmentType.PRACTICAL)),
                    delivery_mode=mode,
                    pacing=Pacing.SCHEDULED if rng.random() < 0.6 else Pacing.SELF_PACED,
                    quality_assurance="generated for benchmarking",
                    skills=tuple(SkillAlignment(uri=s) for s in sorted(skills)),
                    prerequisites=prereqs,
                    cost=Money(amount=Decimal(rng.randint(costs[0] // 5, costs[1] // 5) * 5)),
                    duration_weeks=float(max(1, round(hours / rng.uniform(6, 15)))),
                    language="es" if rng.random() < 0.05 else "en",
                    field=f"program-{p:02d}",
                )
            )
            made[tier].append(cid)
    intros.append(made["I"])
    return out


def _prerequisites(
    rng: random.Random, tier: str, made: dict[str, list[str]], intros: list[list[str]]
) -> tuple[PrerequisiteGroup, ...]:
    if tier == "I":
        return ()
    lower = made["I"] if tier == "M" else made["M"]
    if not lower:
        return ()
    groups = []
    for _ in range(1 if tier == "M" else rng.choice((1, 1, 2))):
        roll = rng.random()
        if roll < 0.5:
            groups.append(PrerequisiteGroup(credential_ids=(rng.choice(lower),)))
        elif roll < 0.85 and len(lower) >= 2:
            groups.append(PrerequisiteGroup(credential_ids=tuple(rng.sample(lower, 2)), min_required=1))
    if tier == "A" and intros and rng.random() < 0.1:
        other = rng.choice(intros)
        if other:
            groups.append(PrerequisiteGroup(credential_ids=(rng.choice(other),)))
    unique = {g.credential_ids: g for g in groups}
    return tuple(unique.values())


def _certificate(rng: random.Random, cid: str, p: int, parts: list[Credential]) -> Credential:
    if not parts:
        raise ValueError(f"certificate {cid} has no parts; use a larger catalog or fewer programs")
    credit = sum(rule.credit for part in parts for rule in part.stacks_into if rule.target_id == cid)
    advanced = [part.id for part in parts if "-A" in part.id]
    hours = sum(_stated(part.workload_hours) for part in parts)
    return Credential(
        id=cid,
        title=f"Program {p} certificate {cid[-2:]}",
        kind=CredentialKind.CERTIFICATE,
        awarding_body=INSTITUTION.name,
        country="US",
        learning_outcomes=("Complete the program's stacked units.",),
        workload_hours=hours,
        ects=round(hours / 27),
        eqf_level=5,
        assessment=AssessmentType.PORTFOLIO,
        delivery_mode=DeliveryMode.BLENDED,
        pacing=Pacing.SCHEDULED,
        quality_assurance="generated for benchmarking",
        stack_requirement=StackRequirement(
            credits_required=max(0.5, round(0.7 * credit * 2) / 2),
            credit_unit=CreditUnit.US_CREDIT_HOUR,
            required_ids=(rng.choice(advanced),) if advanced else (),
        ),
        cost=Money(amount=Decimal(round(sum(float(_stated(x.cost).amount) for x in parts) * 0.9))),
        duration_weeks=float(max(1, round(sum(_stated(x.duration_weeks) for x in parts) / 2))),
        field=f"program-{p:02d}",
    )
