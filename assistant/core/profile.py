"""From a structured résumé to a learner profile: linked skills with evidence, years and recency.

Every line except contact details, headings and the title/employer/date lines of roles is
linked (a line in a skills section, or one that
reads as a list, is linked as a list). A skill keeps every line that evidences it; its years of use
add up the months of the distinct dated roles whose lines mention it, and it was last used when the
latest of those roles ended (``today`` for a current one). A skill seen only in a skills list has
no years: the résumé does not say.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from assistant.core.linking import SkillLinker, SkillMention
from assistant.core.models import Constraints, Evidence, HeldSkill, LearnerProfile, TextSpan
from assistant.core.resume import ResumeDocument, SectionKind
from assistant.core.resume.models import ExperienceEntry

SKIPPED_SECTIONS = frozenset({SectionKind.CONTACT})


def link_resume(document: ResumeDocument, linker: SkillLinker) -> list[tuple[int, SkillMention]]:
    """(line number, mention) for every skill mention in the résumé's content lines."""
    role_headers = {line_no for entry in document.experience for line_no in entry.header_lines}
    lines = [
        line
        for line in document.lines
        if not line.heading and line.section not in SKIPPED_SECTIONS and line.line_no not in role_headers
    ]
    out: list[tuple[int, SkillMention]] = []
    for list_context in (True, False):
        chosen = [line for line in lines if (line.section is SectionKind.SKILLS) == list_context]
        found = linker.mentions_many([line.text for line in chosen], list_context=True if list_context else None)
        pairs = zip(chosen, found, strict=True)
        out.extend((line.line_no, mention) for line, mentions in pairs for mention in mentions)
    out.sort(key=lambda item: (item[0], item[1].start))
    return out


def _roles(document: ResumeDocument, line_numbers: Iterable[int]) -> list[ExperienceEntry]:
    roles: dict[int, ExperienceEntry] = {}
    for line_no in line_numbers:
        entry = document.experience_for_line(line_no)
        if entry is not None:
            roles[id(entry)] = entry
    return list(roles.values())


def profile_from_resume(
    document: ResumeDocument,
    linker: SkillLinker,
    *,
    today: date,
    learner_id: str | None = None,
    constraints: Constraints | None = None,
    earned_credentials: Iterable[str] = (),
) -> LearnerProfile:
    by_skill: dict[str, list[tuple[int, SkillMention]]] = {}
    for line_no, mention in link_resume(document, linker):
        by_skill.setdefault(mention.uri, []).append((line_no, mention))
    skills: list[HeldSkill] = []
    for uri, found in by_skill.items():
        evidence: list[Evidence] = [
            document.evidence(line_no, TextSpan(start=m.start, end=m.end)) for line_no, m in found
        ]
        roles = _roles(document, (line_no for line_no, _ in found))
        months = [entry.duration_months(today) for entry in roles]
        ends = [entry.end_or(today) for entry in roles]
        known_months = [m for m in months if m is not None]
        known_ends = [e for e in ends if e is not None]
        skills.append(
            HeldSkill(
                skill_uri=uri,
                label=found[0][1].label,
                confidence=max(m.confidence for _, m in found),
                evidence=tuple(evidence),
                years=round(sum(known_months) / 12, 1) if known_months else None,
                last_used=max(known_ends) if known_ends else None,
            )
        )
    skills.sort(key=lambda s: (-s.confidence, s.label))
    return LearnerProfile(
        learner_id=learner_id,
        skills=tuple(skills),
        earned_credentials=tuple(earned_credentials),
        constraints=constraints or Constraints(),
    )
