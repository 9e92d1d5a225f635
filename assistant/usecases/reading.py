"""Reading text into skills: a résumé into a profile, a job posting into a target, typed terms into skills.

Every entry point reads through here with the same linker, so a résumé pasted in the chat, uploaded on the
page or given to ``stackwise advise --resume`` yields the same skills with the same evidence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from assistant.adapters.documents import DocumentLimits, parse_pasted_text, parse_resume_file
from assistant.core.advice import (
    PostingSkill,
    PostingTarget,
    TypedTerms,
    is_optional_line,
    skills_from_terms,
    technologies_from_terms,
    technology_lexicon_for,
)
from assistant.core.dialogue.slots import split_terms
from assistant.core.errors import DocumentError
from assistant.core.linking import SkillLinker
from assistant.core.linking.calibration import LinkCalibration
from assistant.core.models import Evidence, EvidenceSource, HeldSkill, LearnerProfile, TextSpan
from assistant.core.profile import Progress, find_technologies, link_resume, profile_from_resume
from assistant.core.resume import ResumeDocument
from assistant.core.resume.one_person import not_one_person
from assistant.core.taxonomy import Taxonomy


def one_person(document: ResumeDocument) -> ResumeDocument:
    """The document, if it reads as one person's résumé; else a ``DocumentError`` saying why (several
    résumés joined, or far too long), so nobody is read as one learner with hundreds of skills."""
    problem = not_one_person(document)
    if problem is not None:
        raise DocumentError("not-one-person", problem)
    return document


@dataclass(frozen=True)
class Reader:
    """The linker and the document parsers, bound once. The linker is fetched when first needed
    (``linker_of``): everything built over a reader (accounts, conversations, briefs) works while a first
    start is still building the index the linker searches."""

    taxonomy: Taxonomy
    linker_of: Callable[[], SkillLinker]
    today: Callable[[], date] = date.today
    calibration: LinkCalibration = field(default_factory=LinkCalibration)

    @property
    def linker(self) -> SkillLinker:
        return self.linker_of()

    def document_from_file(
        self, data: bytes, filename: str | None = None, content_type: str | None = None, *, max_bytes: int
    ) -> ResumeDocument:
        """An uploaded file read in a sandboxed worker; only its text is kept."""
        return one_person(parse_resume_file(data, filename, content_type, DocumentLimits(max_bytes=max_bytes)))

    def document_from_text(self, text: str) -> ResumeDocument:
        return one_person(parse_pasted_text(text))

    def profile(self, document: ResumeDocument, on_progress: Progress | None = None) -> LearnerProfile:
        """The document's lines linked to ESCO skills, each citing its line: the likely ones held, the less
        likely ones offered for the learner to confirm. ``on_progress`` hears (lines linked, lines)."""
        return profile_from_resume(
            document,
            self.linker,
            today=self.today(),
            calibration=self.calibration,
            occupations_requiring=self.taxonomy.occupations_requiring,
            technologies=technology_lexicon_for(self.taxonomy),
            on_progress=on_progress,
        )

    def profile_from_text(self, text: str) -> LearnerProfile:
        """Pasted résumé text → profile, with the same linker and evidence as a file."""
        return self.profile(self.document_from_text(text))

    def profile_from_file(self, path: Path) -> LearnerProfile:
        """A résumé file on disk (the CLI), parsed in the same sandboxed worker as an upload."""
        return self.profile(one_person(parse_resume_file(path.read_bytes(), path.name)))

    def posting(self, text: str) -> PostingTarget:
        """A pasted job posting as a target: the skills its lines name or describe, each with its line."""
        document = parse_pasted_text(text)
        skills: dict[str, PostingSkill] = {}
        products = find_technologies(document, technology_lexicon_for(self.taxonomy))
        for line_no, mention in link_resume(document, self.linker, products):
            line = document.line(line_no)
            optional = is_optional_line(line.text)
            evidence = document.evidence(line_no, TextSpan(start=mention.start, end=mention.end))
            current = skills.get(mention.uri)
            if current is None or (current.required is False and not optional):
                skills[mention.uri] = PostingSkill(
                    skill_uri=mention.uri, label=mention.label, required=not optional, evidence=evidence
                )
        if not skills:
            raise DocumentError("empty", "No skill from the ESCO taxonomy was recognised in this job posting.")
        title = next((line.text for line in document.lines if not line.heading), None)
        return PostingTarget(title=title, skills=tuple(skills.values()))

    def terms(self, text: str) -> TypedTerms:
        """Skills and products typed in a sentence ("SQL and Tableau"): product names and exact ESCO labels
        first, the linker for the rest of the terms."""
        terms = split_terms(text)
        technologies, products_only = technologies_from_terms(self.taxonomy, terms)
        found, unresolved = skills_from_terms(self.taxonomy, terms)
        unresolved = [term for term in unresolved if term not in products_only]
        still: list[str] = []
        if unresolved:
            for term, mentions in zip(unresolved, self.linker.mentions_many(unresolved), strict=True):
                if not mentions:
                    still.append(term)
                    continue
                best = max(mentions, key=lambda m: m.confidence)
                evidence = Evidence(source=EvidenceSource.SELF_REPORTED, text=term)
                found.append(
                    HeldSkill(
                        skill_uri=best.uri, label=best.label, confidence=round(best.confidence, 3), evidence=(evidence,)
                    )
                )
        return TypedTerms(found, technologies, still)
