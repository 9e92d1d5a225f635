"""Request and response shapes of the account, learner, chat and brief routes (kept apart from domain models)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from assistant.core.advice.view import AdviceView, CredentialCard, RouteView, SkillRow, TargetView
from assistant.core.dialogue import ComparisonRow, Reply


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UserOut(BaseModel):
    id: str
    role: str
    display_name: str


class NewUser(_In):
    role: Literal["learner", "advisor", "admin"]
    display_name: str = Field(min_length=1, max_length=120)


class GuestIn(_In):
    display_name: str = Field(default="Guest", min_length=1, max_length=120)


class Issued(BaseModel):
    user: UserOut
    api_key: str = Field(description="shown once; only its hash is stored")


class AdviseeOut(BaseModel):
    id: str
    display_name: str
    has_resume: bool
    skills: int
    goal: str | None
    updated_at: datetime | None


class EvidenceOut(BaseModel):
    source: str
    text: str
    line_no: int | None = None
    section: str | None = None
    reference: str | None = None


class SkillOut(BaseModel):
    skill_uri: str
    label: str
    confidence: float
    evidence: list[EvidenceOut]


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


class ProfileOut(BaseModel):
    learner_id: str
    skills: list[SkillOut]
    earned_credentials: list[str]
    constraints: ConstraintsIO
    resume: ResumeOut | None


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


class GapOut(BaseModel):
    target: TargetView
    readiness: float
    skills: tuple[SkillRow, ...]


class RecommendationsOut(BaseModel):
    target: TargetView
    recommendations: tuple[CredentialCard, ...]


class RoutesOut(BaseModel):
    target: TargetView
    routes: tuple[RouteView, ...]


class CompareIn(_In):
    goals: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(min_length=2, max_length=3)


class CompareOut(BaseModel):
    rows: tuple[ComparisonRow, ...]


class Suggestion(BaseModel):
    label: str
    occupation_uri: str | None
    score: float
    wage_median: float | None
    growth_pct: float | None
    reasons: list[str]


class SuggestionsOut(BaseModel):
    options: list[Suggestion]


class DeletionOut(BaseModel):
    learner_id: str
    resumes: int
    profiles: int
    sessions: int
    messages: int
    briefs: int
    assignments: int


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


class MessageIn(_In):
    text: str = Field(min_length=1, max_length=20_000)


class MessageOut(BaseModel):
    id: int
    role: str
    text: str
    created_at: datetime
    reply: Reply | None = None


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
    title: str
    content_md: str
    notes: str
    created_at: datetime
    updated_at: datetime
    view: AdviceView | None = None
    questions: list[str] = []
