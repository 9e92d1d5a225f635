"""Advisor briefs: written from an advisee's stored profile and goal, edited with notes, exported.

The advice in a brief comes from :class:`~assistant.usecases.advising.Advising`, the same path the learner's
chat and pages use, so advisor and learner talk about the same numbers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

from assistant.core.access import AccessDenied, Principal, Role, can_write_brief
from assistant.core.advice import OccupationTarget
from assistant.core.advice.brief import (
    DIRECTIONS,
    Direction,
    brief_directions,
    brief_markdown,
    brief_questions,
    gap_chart,
)
from assistant.core.advice.view import AdviceView
from assistant.core.models import EarnedCredential, LearnerProfile
from assistant.core.store import BriefRecord, Store, utcnow
from assistant.usecases.access import Access
from assistant.usecases.advising import Advising
from assistant.usecases.conversations import Conversations

NOTES_HEADING = "## Advisor notes"
ExportFormat = Literal["md", "pdf"]


@dataclass(frozen=True)
class Brief:
    record: BriefRecord
    view: AdviceView | None
    questions: tuple[str, ...]

    @classmethod
    def of(cls, record: BriefRecord) -> Brief:
        payload = json.loads(record.payload_json) if record.payload_json else {}
        view = AdviceView.model_validate(payload["view"]) if payload.get("view") else None
        return cls(record, view, tuple(payload.get("questions", [])))


@dataclass(frozen=True)
class BriefFile:
    filename: str
    content: bytes
    media_type: str


@dataclass(frozen=True)
class Briefs:
    store: Store
    access: Access
    advising: Advising
    conversations: Conversations

    def create(self, caller: Principal, learner_id: str, goal: str | None = None) -> Brief:
        """A brief for an advising session: profile, gap, options and questions to ask, from current data."""
        learner = self.access.learner(caller, learner_id)
        if caller.role not in (Role.ADVISOR, Role.ADMIN) or not can_write_brief(
            caller, learner, self.store.advisees(caller.user_id)
        ):
            raise AccessDenied("Briefs are written by the learner's advisor.")
        profile, earned = self.advising.learners.load(learner)
        goal = goal or self.conversations.current_goal(learner)
        view = self.advising.view_for(profile, earned, OccupationTarget(title=goal)) if goal else None
        directions = None if view else self.directions(profile, earned)
        user = self.store.get_user(learner)
        name = user.display_name if user else learner
        questions = brief_questions(profile, view, directions or ())
        record = self.store.save_brief(
            BriefRecord.new(
                learner_id=learner,
                advisor_id=caller.user_id,
                title=f"{name}: {view.target.label if view else 'no goal yet'}",
                content_md=brief_markdown(name, profile, view, directions=directions),
                payload_json=json.dumps(
                    {"view": view.model_dump(mode="json") if view else None, "questions": questions}
                ),
            )
        )
        return Brief.of(record)

    def directions(self, profile: LearnerProfile, earned: tuple[EarnedCredential, ...]) -> tuple[Direction, ...]:
        """For a learner with no goal: the occupations the profile, held credentials and badges point to, as
        the learner's own suggestions rank them; none when the profile holds no skills."""
        advice = self.advising.advice
        skills, held = self.advising.shown_skills(profile, earned)
        if not skills:
            return ()
        options = advice.explore(skills, DIRECTIONS * 3)  # the first ones the catalog can teach toward are kept
        return brief_directions(options, skills, advice.taxonomy, advice.catalog, held_credentials=held)

    def list(self, caller: Principal, learner_id: str) -> list[Brief]:
        learner = self.access.learner(caller, learner_id)
        return [Brief.of(b) for b in self.store.list_briefs(learner_id=learner)]

    def get(self, caller: Principal, brief_id: str) -> Brief:
        return Brief.of(self.access.brief(caller, brief_id))

    def edit(self, caller: Principal, brief_id: str, *, notes: str | None, content_md: str | None) -> Brief:
        """New notes replace the brief's notes section, unless the whole text is given too."""
        record = self.access.brief(caller, brief_id, write=True)
        update: dict[str, object] = {"updated_at": utcnow()}
        if notes is not None:
            update["notes"] = notes
            if content_md is None and NOTES_HEADING in record.content_md:
                head = record.content_md.split(NOTES_HEADING, 1)[0]
                update["content_md"] = f"{head}{NOTES_HEADING}\n\n{notes or '_(none yet)_'}\n"
        if content_md is not None:
            update["content_md"] = content_md
        return Brief.of(self.store.save_brief(record.model_copy(update=update)))

    def delete(self, caller: Principal, brief_id: str) -> None:
        self.access.brief(caller, brief_id, write=True)
        self.store.delete_brief(brief_id)

    def export(self, caller: Principal, brief_id: str, format: ExportFormat) -> BriefFile:
        """The brief as a Markdown or PDF file named after its title."""
        record = self.access.brief(caller, brief_id)
        stem = "".join(ch if ch.isalnum() else "-" for ch in record.title.lower()).strip("-")[:60] or "brief"
        if format == "pdf":
            from assistant.adapters.pdf_export import markdown_to_pdf

            view = Brief.of(record).view
            chart = gap_chart(view) if view else None
            pdf = markdown_to_pdf(record.content_md, title=record.title, chart=chart)
            return BriefFile(f"{stem}.pdf", pdf, "application/pdf")
        return BriefFile(f"{stem}.md", record.content_md.encode("utf-8"), "text/markdown; charset=utf-8")
