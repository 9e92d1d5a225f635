"""Typed shapes of the API's JSON (see /v1 in the API contract), so the pages read fields mypy can check.

They mirror the server's models without importing them: the pages stay a pure HTTP client and run
against any Stackwise API of the same version. ``total=False`` marks fields the pages treat as optional.
"""

from __future__ import annotations

from typing import Any, Literal, TypedDict


class User(TypedDict):
    id: str
    role: str
    display_name: str


class KeyedUser(TypedDict):
    """A new account and its key (POST /v1/auth/guest, POST /v1/users); the key is shown only once."""

    user: User
    api_key: str


class Advisee(TypedDict, total=False):
    id: str
    display_name: str
    has_resume: bool
    skills: int
    goal: str | None
    updated_at: str


class Evidence(TypedDict, total=False):
    source: str
    text: str
    line_no: int | None
    section: str | None
    reference: str | None
    start: int | None
    end: int | None


class ProfileSkill(TypedDict, total=False):
    skill_uri: str
    label: str
    confidence: float
    confirmed: bool
    evidence: list[Evidence]


class ProfileTechnology(TypedDict, total=False):
    """A product the learner uses (O*NET Technology Skills)."""

    key: str
    name: str
    label: str
    commodity: str
    hot_technology: bool
    in_demand: bool
    skill_uri: str | None
    confirmed: bool
    evidence: list[Evidence]


class SkillHit(TypedDict, total=False):
    """A skill offered while the learner types (GET /v1/skills)."""

    skill_uri: str
    label: str
    matched_label: str
    source: str


class ResumeInfo(TypedDict, total=False):
    filename: str
    uploaded_at: str
    lines: int


class Profile(TypedDict, total=False):
    learner_id: str
    skills: list[ProfileSkill]
    unconfirmed: list[ProfileSkill]
    technologies: list[ProfileTechnology]
    earned_credentials: list[str]
    constraints: dict[str, Any]
    resume: ResumeInfo | None
    notes: list[str]


class SkillRef(TypedDict):
    uri: str
    label: str


class Target(TypedDict, total=False):
    kind: str
    label: str
    occupation_uri: str | None
    reasons: list[str]
    alternatives: list[str]
    wage_median: float | None
    growth_pct: float | None
    us_data_note: str


class SkillRow(TypedDict, total=False):
    skill_uri: str
    label: str
    weight: float
    status: Literal["held", "weak", "missing"]
    core: bool
    research: bool
    credit: float
    required_by: list[str]
    evidence: Evidence | None
    explanation: str


class CredentialCard(TypedDict, total=False):
    credential_id: str
    title: str
    kind: str
    cost: str | float | None  # None: the catalog does not state it
    currency: str | None
    workload_hours: float | None
    ects: float | None
    eqf_level: int | None
    delivery_mode: str | None
    duration_weeks: float | None
    url: str | None
    not_stated: list[str]
    covers: list[SkillRef]
    reasons: list[str]
    stacks_into: list[SkillRef]
    prerequisite_of: str | None  # the recommendation this one is needed first for (shown under it)


class RouteStep(TypedDict, total=False):
    credential_id: str
    title: str
    start_week: int
    end_week: int
    cost: str | float | None
    covers: list[SkillRef]
    unlocks: list[str]
    why: str
    not_stated: list[str]


class StackProgress(TypedDict, total=False):
    target_id: str
    title: str
    credit_earned: float
    credit_required: float
    credit_unit: str
    complete: bool
    made_for_goal: bool  # the catalog says it prepares for the goal


class Route(TypedDict, total=False):
    objective: str
    steps: list[RouteStep]
    total_cost: str | float
    currency: str
    total_hours: float
    total_ects: float
    weeks: int
    coverage: float
    stacks_toward: list[StackProgress]
    optimal: bool
    status: str
    notes: list[str]


class LeftOut(TypedDict, total=False):
    credential_id: str
    title: str
    reason: str


class AdviceView(TypedDict, total=False):
    target: Target
    readiness: float
    readiness_words: str
    skills: list[SkillRow]
    recommendations: list[CredentialCard]
    routes: list[Route]
    notes: list[str]
    left_out: list[LeftOut]
    nothing_planned: str


class ComparisonRow(TypedDict, total=False):
    target: str
    readiness: float
    gap_items: int
    best_coverage: float
    cheapest_cost: str | None
    fastest_weeks: int | None
    wage_median: float | None
    growth_pct: float | None


class Reply(TypedDict, total=False):
    text: str
    intent: str
    mode: str
    view: AdviceView | None
    comparison: list[ComparisonRow]
    focus: str | None
    suggestions: list[str]
    guard: dict[str, Any]
    tools: list[str]


class ChatSession(TypedDict, total=False):
    id: str
    learner_id: str
    title: str
    created_at: str
    updated_at: str
    mode: str
    welcome: Reply


class Message(TypedDict, total=False):
    id: int
    role: str
    text: str
    created_at: str
    reply: Reply | None


class SessionDetail(TypedDict, total=False):
    session: ChatSession
    messages: list[Message]
    view: AdviceView | None


class Brief(TypedDict, total=False):
    id: str
    learner_id: str
    advisor_id: str
    title: str
    content_md: str
    notes: str
    created_at: str
    updated_at: str
    view: AdviceView | None
    questions: list[str]


class Suggestion(TypedDict, total=False):
    label: str
    occupation_uri: str
    score: float
    readiness: float
    wage_median: float | None
    growth_pct: float | None
    reasons: list[str]


class Erasure(TypedDict, total=False):
    """What DELETE /v1/learners/{id} removed, counted per kind of record."""

    learner_id: str
    resumes: int
    profiles: int
    sessions: int
    messages: int
    briefs: int
    assignments: int
