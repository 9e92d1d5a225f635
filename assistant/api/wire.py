"""Request and response shapes of the account, learner, chat and brief routes (kept apart from domain models).

Each answer shape says how it is made from what a use case returns (``ProfileOut.of(learner)``), so the
routes only call a use case and pass its result through one of these.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from assistant.core.advice import ExploreTarget, OccupationTarget
from assistant.core.advice.view import AdviceView, CredentialCard, RouteView, SkillRow, TargetView
from assistant.core.dialogue import ComparisonRow, Reply
from assistant.core.models import Constraints, Evidence, HeldSkill, HeldTechnology
from assistant.core.search import SkillMatch
from assistant.core.store import DeletionReport, MessageRecord, SessionRecord, User
from assistant.usecases.accounts import Advisee
from assistant.usecases.advising import EXPLORE_LIMIT, Goal, PostingText
from assistant.usecases.advising import Suggestion as SuggestionResult
from assistant.usecases.briefs import Brief
from assistant.usecases.learners import Learner


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UserOut(BaseModel):
    id: str
    role: str
    display_name: str

    @classmethod
    def of(cls, user: User) -> UserOut:
        return cls(id=user.id, role=user.role.value, display_name=user.display_name)


class NewUser(_In):
    role: Literal["learner", "advisor", "admin"]
    display_name: str = Field(min_length=1, max_length=120)


class GuestIn(_In):
    display_name: str = Field(default="Guest", min_length=1, max_length=120)


class Issued(BaseModel):
    user: UserOut
    api_key: str = Field(description="shown once; only its hash is stored")

    @classmethod
    def of(cls, issued: tuple[User, str]) -> Issued:
        return cls(user=UserOut.of(issued[0]), api_key=issued[1])


class AdviseeOut(BaseModel):
    id: str
    display_name: str
    has_resume: bool
    skills: int
    goal: str | None
    updated_at: datetime | None

    @classmethod
    def of(cls, advisee: Advisee) -> AdviseeOut:
        return cls(
            id=advisee.user.id,
            display_name=advisee.user.display_name,
            has_resume=advisee.has_resume,
            skills=advisee.skills,
            goal=advisee.goal,
            updated_at=advisee.updated_at,
        )


class EvidenceOut(BaseModel):
    source: str
    text: str
    line_no: int | None = None
    section: str | None = None
    reference: str | None = None
    start: int | None = Field(default=None, description="where in `text` the evidence starts (characters)")
    end: int | None = Field(default=None, description="and where it ends")

    @classmethod
    def of(cls, evidence: Evidence) -> EvidenceOut:
        span = evidence.span
        return cls(
            source=evidence.source.value,
            text=evidence.text,
            line_no=evidence.line_no,
            section=evidence.section,
            reference=evidence.reference,
            start=span.start if span else None,
            end=span.end if span else None,
        )


class SkillOut(BaseModel):
    skill_uri: str
    label: str
    confidence: float = Field(description="probability that the link is right (1 for skills the learner gave)")
    confirmed: bool = False
    evidence: list[EvidenceOut]

    @classmethod
    def of(cls, skill: HeldSkill) -> SkillOut:
        return cls(
            skill_uri=skill.skill_uri,
            label=skill.label,
            confidence=skill.confidence,
            confirmed=skill.confirmed,
            evidence=[EvidenceOut.of(e) for e in skill.evidence],
        )


class TechnologyOut(BaseModel):
    """A product the learner uses, as O*NET's Technology Skills name it."""

    key: str = Field(description="what `PATCH /v1/learners/{id}/skills` takes to remove or confirm it")
    name: str = Field(description="as O*NET names it")
    label: str = Field(description="as shown, e.g. 'SQL (Structured query language)'")
    commodity: str = Field(description="O*NET's kind of product, e.g. 'Spreadsheet software'")
    hot_technology: bool
    in_demand: bool
    skill_uri: str | None = Field(description="the ESCO skill it maps to, where one does")
    confirmed: bool = False
    evidence: list[EvidenceOut]

    @classmethod
    def of(cls, technology: HeldTechnology) -> TechnologyOut:
        return cls(
            key=technology.key,
            name=technology.name,
            label=technology.label,
            commodity=technology.commodity,
            hot_technology=technology.hot_technology,
            in_demand=technology.in_demand,
            skill_uri=technology.skill_uri,
            confirmed=technology.confirmed,
            evidence=[EvidenceOut.of(e) for e in technology.evidence],
        )


class ResumeOut(BaseModel):
    filename: str | None
    uploaded_at: datetime
    lines: int


class ConstraintsIO(_In):
    budget: Decimal | None = Field(default=None, ge=0, le=1_000_000)
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    hours_per_week: float | None = Field(default=None, gt=0, le=80)
    deadline: date | None = None
    delivery_modes: list[Literal["online", "onsite", "blended"]] = Field(default_factory=list, max_length=3)
    min_eqf_level: int | None = Field(default=None, ge=1, le=8)
    max_eqf_level: int | None = Field(default=None, ge=1, le=8)

    @field_validator("deadline", mode="before")
    @classmethod
    def _deadline_is_a_date(cls, value: object) -> object:
        """The schema says a date string; pydantic alone would read the number 0 as 1970-01-01."""
        if isinstance(value, int | float):
            raise ValueError("give the deadline as a date, YYYY-MM-DD")
        return value

    @classmethod
    def of(cls, c: Constraints) -> ConstraintsIO:
        return cls(
            budget=c.budget,
            currency=c.currency,
            hours_per_week=c.hours_per_week,
            deadline=c.deadline,
            delivery_modes=sorted(m.value for m in c.delivery_modes),
            min_eqf_level=c.min_eqf_level,
            max_eqf_level=c.max_eqf_level,
        )


class ProfileOut(BaseModel):
    learner_id: str
    skills: list[SkillOut] = Field(description="skills that count in the advice")
    unconfirmed: list[SkillOut] = Field(
        default_factory=list, description="possible skills read with too little confidence: they count once confirmed"
    )
    technologies: list[TechnologyOut] = Field(default_factory=list, description="products named in the résumé or added")
    earned_credentials: list[str]
    constraints: ConstraintsIO
    resume: ResumeOut | None
    notes: list[str] = Field(default_factory=list, description="what could not be done, in plain words")

    @classmethod
    def of(cls, learner: Learner, notes: Sequence[str] = ()) -> ProfileOut:
        profile, resume = learner.profile, learner.resume
        return cls(
            learner_id=learner.learner_id,
            skills=[SkillOut.of(s) for s in profile.skills],
            unconfirmed=[SkillOut.of(s) for s in profile.unconfirmed],
            technologies=[TechnologyOut.of(t) for t in profile.technologies],
            notes=list(notes),
            earned_credentials=list(profile.earned_credentials),
            constraints=ConstraintsIO.of(profile.constraints),
            resume=ResumeOut(
                filename=resume.filename, uploaded_at=resume.uploaded_at, lines=len(resume.text.splitlines())
            )
            if resume
            else None,
        )


class SkillEdits(_In):
    """What the learner says about the skill list: confirm offered ones, remove wrong ones, add missing ones
    (by URI from ``GET /v1/skills``, or typed as text)."""

    confirm: list[Annotated[str, Field(max_length=300)]] = Field(
        default_factory=list, max_length=200, description="ESCO skill URIs, or product keys (`onet-technology:NAME`)"
    )
    remove: list[Annotated[str, Field(max_length=300)]] = Field(default_factory=list, max_length=200)
    add: list[Annotated[str, Field(max_length=300)]] = Field(default_factory=list, max_length=200)
    text: str | None = Field(
        default=None, max_length=2000, description='skills and products typed: "SQL, Excel and Tableau"'
    )


class SkillHit(BaseModel):
    skill_uri: str
    label: str
    matched_label: str
    source: str

    @classmethod
    def of(cls, match: SkillMatch) -> SkillHit:
        return cls(skill_uri=match.skill_uri, label=match.label, matched_label=match.matched_label, source=match.source)


class ResumeText(_In):
    text: str = Field(min_length=1, max_length=200_000)


class HeldIn(_In):
    credential_ids: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(max_length=200)


class OccupationGoal(_In):
    kind: Literal["occupation"]  # required: it is the discriminator, so a body without it is refused
    title: str = Field(min_length=1, max_length=200)


class PostingGoal(_In):
    kind: Literal["posting"]
    text: str = Field(min_length=1, max_length=50_000)


class ExploreGoal(_In):
    kind: Literal["explore"]


class AdviceIn(_In):
    target: Annotated[OccupationGoal | PostingGoal | ExploreGoal, Field(discriminator="kind")]

    @property
    def goal(self) -> Goal:
        target = self.target
        if isinstance(target, OccupationGoal):
            return OccupationTarget(title=target.title)
        if isinstance(target, PostingGoal):
            return PostingText(target.text)
        return ExploreTarget(limit=EXPLORE_LIMIT)


class GapOut(BaseModel):
    target: TargetView
    readiness: float
    skills: tuple[SkillRow, ...]

    @classmethod
    def of(cls, view: AdviceView) -> GapOut:
        return cls(target=view.target, readiness=view.readiness, skills=view.skills)


class RecommendationsOut(BaseModel):
    target: TargetView
    recommendations: tuple[CredentialCard, ...]

    @classmethod
    def of(cls, view: AdviceView) -> RecommendationsOut:
        return cls(target=view.target, recommendations=view.recommendations)


class RoutesOut(BaseModel):
    target: TargetView
    routes: tuple[RouteView, ...]

    @classmethod
    def of(cls, view: AdviceView) -> RoutesOut:
        return cls(target=view.target, routes=view.routes)


class CompareIn(_In):
    goals: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(min_length=2, max_length=3)


class CompareOut(BaseModel):
    rows: tuple[ComparisonRow, ...]


class Suggestion(BaseModel):
    label: str
    occupation_uri: str | None
    score: float = Field(description="rank among the suggestions (skills, reach, demand, wage); not a share to show")
    readiness: float = Field(description="share of the job's weighted skills the learner shows, as advice gives it")
    wage_median: float | None
    growth_pct: float | None
    reasons: list[str]


class SuggestionsOut(BaseModel):
    options: list[Suggestion]

    @classmethod
    def of(cls, suggestions: list[SuggestionResult]) -> SuggestionsOut:
        return cls(
            options=[
                Suggestion(
                    label=s.option.label,
                    occupation_uri=s.option.occupation_uri,
                    score=round(s.option.score, 4),
                    readiness=s.readiness,
                    wage_median=s.wage_median,
                    growth_pct=s.growth_pct,
                    reasons=list(s.option.reasons),
                )
                for s in suggestions
            ]
        )


class DeletionOut(BaseModel):
    learner_id: str
    resumes: int
    profiles: int
    sessions: int
    messages: int
    briefs: int
    assignments: int

    @classmethod
    def of(cls, report: DeletionReport) -> DeletionOut:
        return cls(**report.model_dump())


class SessionIn(_In):
    learner_id: str | None = Field(default=None, max_length=64)


class SessionOut(BaseModel):
    id: str
    learner_id: str
    title: str
    created_at: datetime
    updated_at: datetime
    mode: str
    welcome: Reply | None = None

    @classmethod
    def of(cls, record: SessionRecord, mode: str, welcome: Reply | None = None) -> SessionOut:
        return cls(
            id=record.id,
            learner_id=record.learner_id,
            title=record.title,
            created_at=record.created_at,
            updated_at=record.updated_at,
            mode=mode,
            welcome=welcome,
        )


class MessageIn(_In):
    text: str = Field(min_length=1, max_length=20_000)


class MessageOut(BaseModel):
    id: int
    role: str
    text: str
    created_at: datetime
    reply: Reply | None = None

    @classmethod
    def of(cls, message: MessageRecord, reply: Reply | None) -> MessageOut:
        return cls(id=message.id, role=message.role, text=message.text, created_at=message.created_at, reply=reply)


class SessionDetail(BaseModel):
    session: SessionOut
    messages: list[MessageOut]
    view: AdviceView | None


class ReplyOut(BaseModel):
    reply: Reply


class BriefIn(_In):
    goal: str | None = Field(default=None, min_length=1, max_length=200)


class BriefPatch(_In):
    notes: str | None = Field(default=None, max_length=20_000)
    content_md: str | None = Field(default=None, max_length=100_000)


class BriefOut(BaseModel):
    id: str
    learner_id: str
    advisor_id: str
    title: str = Field(
        description="Plain text, with the learner's name as typed: escape it before showing it as Markdown or HTML"
    )
    content_md: str = Field(description="Markdown; the learner's own words in it are escaped to read as text")
    notes: str
    created_at: datetime
    updated_at: datetime
    view: AdviceView | None = None
    questions: list[str] = []

    @classmethod
    def of(cls, brief: Brief) -> BriefOut:
        return cls(
            **brief.record.model_dump(exclude={"payload_json"}), view=brief.view, questions=list(brief.questions)
        )
