"""A tiny taxonomy and catalog where every number is known, plus a fake similarity port.

Imported by the tests as ``tests.core.advice.tiny``; ``conftest.py`` turns them into fixtures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np

from assistant.core.advice.matching import FloatMatrix
from assistant.core.catalog import Catalog
from assistant.core.models import (
    AssessmentType,
    Credential,
    CredentialKind,
    CreditUnit,
    DeliveryMode,
    Evidence,
    EvidenceSource,
    HeldSkill,
    Institution,
    Money,
    Occupation,
    OccupationSkillRelation,
    OnetOccupation,
    OnetSkillRating,
    OnetTechnology,
    Pacing,
    PrerequisiteGroup,
    Projection,
    RelationType,
    Skill,
    SkillAlignment,
    StackingRule,
    StackRequirement,
    Wage,
)
from assistant.core.taxonomy import Taxonomy

S = "http://data.europa.eu/esco/skill/"
OCC = "http://data.europa.eu/esco/occupation/"
START = date(2026, 1, 5)

PROG, PY, JAVA = S + "prog", S + "py", S + "java"
QUERY, SQL, DB = S + "query", S + "sql", S + "db"
STATS, STAT_TECH, VIZ, CLEAN = S + "stats", S + "stat-tech", S + "viz", S + "clean"
THINK, EXCEL, WELD = S + "think", S + "excel", S + "weld"
DA, DEV, WELDER = OCC + "da", OCC + "dev", OCC + "welder"


def _skill(uri: str, label: str, *broader: str, alt: tuple[str, ...] = ()) -> Skill:
    return Skill(uri=uri, preferred_label=label, broader=broader, alt_labels=alt)


def make_taxonomy() -> Taxonomy:
    skills = [
        _skill(PROG, "computer programming"),
        _skill(PY, "Python (computer programming)", PROG, alt=("Python",)),
        _skill(JAVA, "Java (computer programming)", PROG, alt=("Java",)),
        _skill(QUERY, "query languages"),
        _skill(SQL, "SQL", QUERY),
        _skill(DB, "use databases"),
        _skill(STATS, "statistics"),
        _skill(STAT_TECH, "apply statistical analysis techniques"),
        _skill(VIZ, "visual presentation techniques"),
        _skill(CLEAN, "perform data cleansing"),
        _skill(THINK, "think critically"),
        _skill(EXCEL, "use spreadsheets software"),
        _skill(WELD, "weld metal parts"),
    ]
    occupations = [
        Occupation(uri=DA, preferred_label="data analyst", isco_group="2511", onet_codes=("15-2051.00",)),
        Occupation(uri=DEV, preferred_label="software developer", isco_group="2512", alt_labels=("programmer",)),
        Occupation(uri=WELDER, preferred_label="welder", isco_group="7212"),
    ]

    def rel(occ: str, skill: str, essential: bool = True) -> OccupationSkillRelation:
        kind = RelationType.ESSENTIAL if essential else RelationType.OPTIONAL
        return OccupationSkillRelation(occupation_uri=occ, skill_uri=skill, relation=kind)

    relations = (
        rel(DA, QUERY),
        rel(DA, DB),
        rel(DA, STAT_TECH),
        rel(DA, VIZ),
        rel(DA, CLEAN),
        rel(DA, PY, essential=False),
        rel(DA, EXCEL, essential=False),
        rel(DEV, PROG),
        rel(DEV, JAVA),
        rel(DEV, DB),
        rel(WELDER, WELD),
    )
    return Taxonomy(
        skills={s.uri: s for s in skills},
        occupations={o.uri: o for o in occupations},
        relations=relations,
        skill_relations=((STATS, STAT_TECH, RelationType.ESSENTIAL),),
        onet_occupations={"15-2051.00": OnetOccupation(code="15-2051.00", title="Data Scientists")},
        onet_skills=(
            OnetSkillRating(
                onet_code="15-2051.00", element_id="2.A.2.a", element_name="Critical Thinking", importance=4, level=4.5
            ),
        ),
        onet_technologies=(
            OnetTechnology(
                onet_code="15-2051.00",
                example="Python",
                commodity_code="1",
                commodity_title="t",
                hot_technology=True,
                in_demand=True,
            ),
            OnetTechnology(
                onet_code="15-2051.00", example="Tableau", commodity_code="2", commodity_title="t", hot_technology=True
            ),
        ),
        wages={"15-2051": Wage(soc_code="15-2051", title="Data Scientists", annual_median=108_000)},
        projections={"15-2051": Projection(soc_code="15-2051", title="Data scientists", change_pct=31.4)},
        technology_skills={"Python": PY},
        onet_skill_links={"2.A.2.a": (THINK,)},
        releases={"esco": "ESCO v1.1.1", "onet": "O*NET 29.2"},
    )


def credential(
    cid: str,
    skills: Sequence[str],
    *,
    cost: int,
    hours: float,
    weeks: float,
    mode: DeliveryMode = DeliveryMode.ONLINE,
    eqf: int = 4,
    pacing: Pacing = Pacing.SELF_PACED,
    prereqs: Sequence[PrerequisiteGroup] = (),
    stacks: Sequence[StackingRule] = (),
    kind: CredentialKind = CredentialKind.MICRO_CREDENTIAL,
    language: str = "en",
    **extra: Any,
) -> Credential:
    return Credential(
        id=cid,
        title=f"Course {cid}",
        kind=kind,
        awarding_body="Tiny College",
        country="US",
        learning_outcomes=("Do the thing.",),
        workload_hours=hours,
        ects=round(hours / 27, 1),
        eqf_level=eqf,
        assessment=AssessmentType.PROJECT,
        delivery_mode=mode,
        pacing=pacing,
        quality_assurance="internal review",
        skills=tuple(SkillAlignment(uri=s) for s in skills),
        prerequisites=tuple(prereqs),
        stacks_into=tuple(stacks),
        cost=Money(amount=Decimal(cost)),
        duration_weeks=weeks,
        language=language,
        **extra,
    )


def _to_cert(credit: float) -> tuple[StackingRule, ...]:
    return (StackingRule(target_id="CERT", credit=credit, credit_unit=CreditUnit.US_CREDIT_HOUR),)


def make_catalog() -> Catalog:
    group = PrerequisiteGroup
    credentials = [
        credential("C-101", [EXCEL, STATS], cost=100, hours=20, weeks=2, stacks=_to_cert(1)),
        credential("C-105", [PY], cost=200, hours=30, weeks=3),
        credential("C-110", [SQL, DB], cost=300, hours=40, weeks=4, eqf=5, prereqs=[group(credential_ids=("C-101",))],
                   stacks=_to_cert(1)),
        credential("C-120", [STAT_TECH], cost=400, hours=60, weeks=6, mode=DeliveryMode.BLENDED, eqf=5,
                   prereqs=[group(credential_ids=("C-101", "C-105"), min_required=1)], stacks=_to_cert(1)),
        credential("C-130", [CLEAN], cost=250, hours=30, weeks=3, mode=DeliveryMode.ONSITE,
                   prereqs=[group(credential_ids=("C-110",))], stacks=_to_cert(1)),
        credential("C-140", [VIZ], cost=350, hours=40, weeks=4, pacing=Pacing.SCHEDULED, stacks=_to_cert(1)),
        credential("C-150", [VIZ], cost=150, hours=60, weeks=10),
        credential("C-160", [WELD], cost=500, hours=80, weeks=8, mode=DeliveryMode.ONSITE, language="es"),
        credential(
            "CERT",
            [QUERY, STAT_TECH],
            cost=1500,
            hours=200,
            weeks=20,
            kind=CredentialKind.CERTIFICATE,
            stack_requirement=StackRequirement(
                credits_required=4, credit_unit=CreditUnit.US_CREDIT_HOUR, required_ids=("C-110",)
            ),
        ),
    ]  # fmt: skip
    institution = Institution(name="Tiny College", country="US", currency="USD")
    return Catalog.build(institution, credentials, source="tiny")


class FakeSimilarity:
    """Cosines from a table keyed by label pairs (either order); 0 elsewhere, 1 on the diagonal."""

    def __init__(self, table: Mapping[tuple[str, str], float] | None = None) -> None:
        self.table = dict(table or {})
        self.calls = 0

    def similarity(self, left: Sequence[str], right: Sequence[str]) -> FloatMatrix:
        self.calls += 1
        out = np.zeros((len(left), len(right)), dtype=np.float32)
        for i, a in enumerate(left):
            for j, b in enumerate(right):
                out[i, j] = 1.0 if a == b else self.table.get((a, b), self.table.get((b, a), 0.0))
        return out


def held(uri: str, label: str, line: int = 1, text: str | None = None) -> HeldSkill:
    evidence = Evidence(source=EvidenceSource.RESUME, text=text or f"I know {label}", line_no=line)
    return HeldSkill(skill_uri=uri, label=label, confidence=0.9, evidence=(evidence,))
