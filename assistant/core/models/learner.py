"""The learner: what they hold (with the evidence for it) and the limits they plan within."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import Field, model_validator

from assistant.core.models._base import Record
from assistant.core.models.credentials import DeliveryMode


class EvidenceSource(StrEnum):
    RESUME = "resume"
    JOB_POSTING = "job-posting"
    CREDENTIAL = "credential"
    SELF_REPORTED = "self-reported"


class TextSpan(Record):
    start: int = Field(ge=0)
    end: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> TextSpan:
        if self.end < self.start:
            raise ValueError("span end precedes its start")
        return self


class Evidence(Record):
    """Where a claim comes from: the line (and span in it) of a résumé, posting or credential."""

    source: EvidenceSource
    text: str
    line_no: int | None = Field(default=None, ge=1)
    span: TextSpan | None = None
    section: str | None = None
    reference: str | None = Field(default=None, description="e.g. the credential id that evidences it")


class HeldSkill(Record):
    """An ESCO skill the learner shows, with its evidence.

    ``confidence`` is the probability that the link is right: calibrated on judged résumé links for skills
    read from a résumé (see ``LinkCalibration``), 1 for a credential's skills. ``confirmed`` is set when the
    learner said it is right, whatever the confidence was.
    """

    skill_uri: str
    label: str
    confidence: float = Field(ge=0, le=1)
    evidence: tuple[Evidence, ...] = ()
    years: float | None = Field(default=None, ge=0)
    last_used: date | None = None
    confirmed: bool = False


TECHNOLOGY_KEY = "onet-technology:"


class HeldTechnology(Record):
    """A product the learner uses, as O*NET's Technology Skills name it ("Microsoft Excel", "Tableau"), with its
    evidence and the O*NET facts shown beside it. ``skill_uri`` is the ESCO skill it maps to, where one does.

    Products are matched by name, not by meaning, so there is no confidence tier: the learner removes a wrong
    one ("Tableau is wrong") and adds a missing one, as with skills."""

    name: str
    label: str = ""
    commodity: str = ""
    hot_technology: bool = False
    in_demand: bool = False
    skill_uri: str | None = None
    evidence: tuple[Evidence, ...] = ()
    confirmed: bool = False

    @model_validator(mode="before")
    @classmethod
    def _labelled(cls, data: object) -> object:
        """A stored entry without a label shows its name."""
        if isinstance(data, dict) and not data.get("label"):
            return {**data, "label": data.get("name", "")}
        return data

    @property
    def key(self) -> str:
        """How the learner's edits name it, beside ESCO URIs: ``onet-technology:Tableau``."""
        return TECHNOLOGY_KEY + self.name


class Constraints(Record):
    """The limits a plan must respect; ``None`` means no limit was given."""

    budget: Decimal | None = Field(default=None, ge=0)
    currency: str = "USD"
    hours_per_week: float | None = Field(default=None, gt=0)
    deadline: date | None = None
    delivery_modes: frozenset[DeliveryMode] = frozenset()
    min_eqf_level: int | None = Field(default=None, ge=1, le=8)
    max_eqf_level: int | None = Field(default=None, ge=1, le=8)
    languages: frozenset[str] = frozenset()

    @model_validator(mode="after")
    def _levels_ordered(self) -> Constraints:
        if self.min_eqf_level and self.max_eqf_level and self.min_eqf_level > self.max_eqf_level:
            raise ValueError("min_eqf_level is above max_eqf_level")
        return self


class EarnedCredential(Record):
    """A badge or achievement a learner holds, as far as the upload says."""

    achievement_id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    issuer: str | None = None
    issued_on: date | None = None
    skill_uris: tuple[str, ...] = ()
    credits: float | None = Field(default=None, ge=0)
    catalog_id: str | None = Field(default=None, description="the catalog credential this achievement is")
    credential_id: str | None = Field(default=None, description="the verifiable credential's own id")
    achievement_type: str | None = None
    aligned_names: tuple[str, ...] = Field(
        default=(), description="names of the badge's alignments that are not ESCO skill URIs (\"Python\", \"SQL\")"
    )
    proof: Literal["verified", "issuer unconfirmed", "not checked", "not verified"] | None = Field(
        default=None, description="what checking the badge's signature found; None when it carries no proof"
    )
    proof_note: str = ""


class LearnerProfile(Record):
    """Skills (with evidence), credentials already earned (catalog ids) and planning limits.

    ``skills`` count in the advice. ``unconfirmed`` are links read with too little confidence to count in
    full: offered to the learner to confirm ("possible — please confirm"), until then they make a gap item
    partly met, never met. ``technologies`` are the products the learner uses (O*NET technologies); the
    ESCO skill a product maps to counts as held. ``dismissed`` are the skills
    (URIs) and products (:attr:`HeldTechnology.key`) the learner removed, so a résumé read again does not
    bring them back.
    """

    learner_id: str | None = None
    skills: tuple[HeldSkill, ...] = ()
    unconfirmed: tuple[HeldSkill, ...] = ()
    technologies: tuple[HeldTechnology, ...] = ()
    dismissed: tuple[str, ...] = ()
    earned_credentials: tuple[str, ...] = ()
    constraints: Constraints = Constraints()

    @property
    def skill_uris(self) -> frozenset[str]:
        return frozenset(skill.skill_uri for skill in self.skills)

    def skills_without(self, source: EvidenceSource) -> tuple[HeldSkill, ...]:
        """The skills no evidence of ``source`` backs: what stays when, say, the résumé is replaced.

        A skill the learner confirmed stays too: they said so, whatever the new résumé reads."""
        return tuple(s for s in self.skills if s.confirmed or not any(e.source is source for e in s.evidence))

    def with_read(
        self,
        source: EvidenceSource,
        held: tuple[HeldSkill, ...],
        offered: tuple[HeldSkill, ...],
        technologies: tuple[HeldTechnology, ...] = (),
    ) -> LearnerProfile:
        """The profile after reading a document of ``source`` again: what it read replaces what the last one
        read, confirmed and typed skills and products stay, and nothing the learner dismissed comes back."""
        kept = self.skills_without(source)
        known = {s.skill_uri for s in kept} | set(self.dismissed)
        new = tuple(s for s in held if s.skill_uri not in known)
        known |= {s.skill_uri for s in new}
        pending = tuple(s for s in offered if s.skill_uri not in known)
        tools = tuple(t for t in self.technologies if t.confirmed or not any(e.source is source for e in t.evidence))
        seen = {t.key for t in tools} | set(self.dismissed)
        tools += tuple(t for t in technologies if t.key not in seen)
        return self.model_copy(update={"skills": (*kept, *new), "unconfirmed": pending, "technologies": tools})

    # --- what the learner says about the list --------------------------------------------------------------

    def confirm(self, uris: Iterable[str]) -> LearnerProfile:
        """The learner says these are right: an offered skill moves to the held ones, a held one is marked."""
        wanted = set(uris)
        moved = tuple(s.model_copy(update={"confirmed": True}) for s in self.unconfirmed if s.skill_uri in wanted)
        held = tuple(s.model_copy(update={"confirmed": True}) if s.skill_uri in wanted else s for s in self.skills)
        return self.model_copy(
            update={
                "skills": (*held, *moved),
                "unconfirmed": tuple(s for s in self.unconfirmed if s.skill_uri not in wanted),
                "technologies": tuple(
                    t.model_copy(update={"confirmed": True}) if t.key in wanted else t for t in self.technologies
                ),
                "dismissed": tuple(d for d in self.dismissed if d not in wanted),
            }
        )

    def dismiss(self, uris: Iterable[str]) -> LearnerProfile:
        """The learner says these are wrong (skill URIs or product keys): gone from the lists, and not brought
        back by a résumé read again."""
        wanted = set(uris)
        return self.model_copy(
            update={
                "skills": tuple(s for s in self.skills if s.skill_uri not in wanted),
                "unconfirmed": tuple(s for s in self.unconfirmed if s.skill_uri not in wanted),
                "technologies": tuple(t for t in self.technologies if t.key not in wanted),
                "dismissed": tuple(dict.fromkeys((*self.dismissed, *sorted(wanted)))),
            }
        )

    def add(self, skills: Iterable[HeldSkill]) -> LearnerProfile:
        """Skills the learner adds (typed or picked): held and confirmed. One that was offered keeps the résumé
        lines that evidence it, with the learner's words added."""
        profile = self
        for skill in skills:
            offered = next((s for s in profile.unconfirmed if s.skill_uri == skill.skill_uri), None)
            if offered is not None:
                evidence = (*offered.evidence, *(e for e in skill.evidence if e not in offered.evidence))
                profile = profile.model_copy(
                    update={"unconfirmed": tuple(s for s in profile.unconfirmed if s is not offered)}
                )
                skill = offered.model_copy(update={"evidence": evidence})
            if skill.skill_uri in profile.skill_uris:
                profile = profile.confirm([skill.skill_uri])
                continue
            profile = profile.model_copy(
                update={
                    "skills": (*profile.skills, skill.model_copy(update={"confirmed": True})),
                    "dismissed": tuple(d for d in profile.dismissed if d != skill.skill_uri),
                }
            )
        return profile

    def add_technologies(self, technologies: Iterable[HeldTechnology]) -> LearnerProfile:
        """Products the learner adds: held and confirmed; one already read from the résumé is marked confirmed
        and keeps its résumé lines."""
        tools = list(self.technologies)
        dismissed = list(self.dismissed)
        for technology in technologies:
            index = next((i for i, t in enumerate(tools) if t.key == technology.key), None)
            if index is None:
                tools.append(technology.model_copy(update={"confirmed": True}))
            else:
                tools[index] = tools[index].model_copy(update={"confirmed": True})
            dismissed = [d for d in dismissed if d != technology.key]
        return self.model_copy(update={"technologies": tuple(tools), "dismissed": tuple(dismissed)})
