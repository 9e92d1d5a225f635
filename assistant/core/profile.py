"""From a structured résumé to a learner profile: linked skills with evidence, years and recency.

Only the lines that say what the person did, knows or uses are linked (:mod:`assistant.core.resume.content`:
no headings, names, contact or personal fields, role and study header lines, or special-category data); a
line in a skills section, or one that reads as a list, is linked as a list. A skill keeps every line that
evidences it; its years of use add up the months of the distinct dated roles whose lines mention it, and it
was last used when the latest of those roles ended (``today`` for a current one). A skill seen only in a skills list has
no years: the résumé does not say.

Product names are read first, by name (:mod:`assistant.core.linking.technology`): they become the profile's
technologies, with their O*NET facts, and the ESCO skill a product maps to is linked as an exact label. A
paraphrase the linker finds in a phrase that is only a product name ("SolidWorks 2016" → *Solidity*) is
dropped: the name said what it is.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from assistant.core.linking import SkillLinker, SkillMention
from assistant.core.linking.calibration import LinkCalibration, LinkContext, link_features
from assistant.core.linking.phrases import looks_like_a_list, split_phrases
from assistant.core.linking.technology import TechnologyLexicon, TechnologyMatch
from assistant.core.models import Constraints, Evidence, HeldSkill, HeldTechnology, LearnerProfile, TextSpan
from assistant.core.resume import ResumeDocument, SectionKind
from assistant.core.resume.content import content_lines, organisation_like, title_like
from assistant.core.resume.models import ExperienceEntry


def find_technologies(document: ResumeDocument, lexicon: TechnologyLexicon) -> list[tuple[int, TechnologyMatch]]:
    """(line number, match) for every product named in the résumé's content lines; a skills-section line, or
    one that reads as a list, is read as a list."""
    lines = list(content_lines(document))
    texts = [(line.text, line.section is SectionKind.SKILLS or looks_like_a_list(line.text)) for line in lines]
    out: list[tuple[int, TechnologyMatch]] = []
    for line, matches in zip(lines, lexicon.find_in(texts), strict=True):
        phrases = split_phrases(line.text)
        for match in matches:
            around = next((p.text for p in phrases if p.start <= match.start and match.end <= p.end), match.text)
            if title_like(around) or organisation_like(around):
                continue  # "Oracle India Pvt Ltd" is an employer, "ASP.NET Developer" a job title
            out.append((line.line_no, match))
    return out


#: lines linked per batch, so progress can be told; the same batches whether or not anyone listens, since
#: the int8 model's numbers depend slightly on what is embedded together (dynamic quantization)
PROGRESS_BATCH = 32
#: told (lines linked, lines in all) as a résumé's lines are linked
Progress = Callable[[int, int], None]


def link_resume(
    document: ResumeDocument,
    linker: SkillLinker,
    technologies: Sequence[tuple[int, TechnologyMatch]] = (),
    on_progress: Progress | None = None,
) -> list[tuple[int, SkillMention]]:
    """(line number, mention) for every skill mention in the résumé's content lines
    (:func:`~assistant.core.resume.content.content_lines`); a phrase that is a job title or an organisation's
    name names no skill, nor does a paraphrase of a phrase that is only a product's name. A product of
    ``technologies`` that maps to an ESCO skill names that skill. ``on_progress`` is told how many lines are
    linked after each batch of ``PROGRESS_BATCH`` (a long résumé takes seconds)."""
    lines = list(content_lines(document))
    products: dict[int, list[TechnologyMatch]] = defaultdict(list)
    for line_no, match in technologies:
        products[line_no].append(match)
    out: list[tuple[int, SkillMention]] = []
    done = 0
    for list_context in (True, False):
        chosen = [line for line in lines if (line.section is SectionKind.SKILLS) == list_context]
        found: list[list[SkillMention]] = []
        for start in range(0, len(chosen), PROGRESS_BATCH):  # the same batches with or without progress
            batch = [line.text for line in chosen[start : start + PROGRESS_BATCH]]
            found.extend(linker.mentions_many(batch, list_context=True if list_context else None))
            done += len(batch)
            if on_progress is not None:
                on_progress(done, len(lines))
        for line, mentions in zip(chosen, found, strict=True):
            named = products.get(line.line_no, [])
            out.extend(
                (line.line_no, mention)
                for mention in mentions
                if mention.method != "semantic"
                or not (title_like(mention.text) or organisation_like(mention.text) or _only_a_product(mention, named))
            )
            have = {mention.uri for mention in mentions}
            for match in named:
                uri = match.technology.skill_uri
                if uri is not None and uri in linker.skills and uri not in have:
                    have.add(uri)
                    label = linker.skills[uri].preferred_label
                    out.append(
                        (line.line_no, SkillMention(uri, label, 0.9, match.start, match.end, match.text, "exact-label"))
                    )
    out.sort(key=lambda item: (item[0], item[1].start))
    return out


def _only_a_product(mention: SkillMention, products: Sequence[TechnologyMatch]) -> bool:
    """Whether the mention's phrase holds a product's name and nothing else but numbers and punctuation."""
    overlapping = [p for p in products if p.start < mention.end and mention.start < p.end]
    if not overlapping:
        return False
    rest = mention.text
    for product in sorted(overlapping, key=lambda p: -p.start):
        start, end = max(0, product.start - mention.start), max(0, product.end - mention.start)
        rest = rest[:start] + " " + rest[end:]
    return not re.search(r"[A-Za-z]{2,}", rest)


def _roles(document: ResumeDocument, line_numbers: Iterable[int]) -> list[ExperienceEntry]:
    roles: dict[int, ExperienceEntry] = {}
    for line_no in line_numbers:
        entry = document.experience_for_line(line_no)
        if entry is not None:
            roles[id(entry)] = entry
    return list(roles.values())


@dataclass(frozen=True)
class ScoredLink:
    """One skill mention on one line, with the probability that it is right."""

    line_no: int
    mention: SkillMention
    probability: float
    features: Mapping[str, float]


def score_links(
    document: ResumeDocument,
    linker: SkillLinker,
    calibration: LinkCalibration | None = None,
    occupations_requiring: Callable[[str], Sequence[str]] | None = None,
    technologies: Sequence[tuple[int, TechnologyMatch]] = (),
    on_progress: Progress | None = None,
) -> list[ScoredLink]:
    """Every mention of :func:`link_resume` with its calibrated probability (the linker's confidence when no
    calibration is given), each judged with the rest of the résumé as context (:class:`LinkContext`)."""
    calibration = calibration or LinkCalibration()
    links = link_resume(document, linker, technologies, on_progress)
    contexts = _contexts(document, links, linker, occupations_requiring)
    out = []
    for line_no, mention in links:
        line = document.line(line_no)
        skill = linker.skills[mention.uri]
        features = link_features(mention, skill, line.text, line.section.value, contexts.get(mention.uri))
        out.append(ScoredLink(line_no, mention, round(calibration.probability(features), 4), features))
    return out


def _contexts(
    document: ResumeDocument,
    links: Sequence[tuple[int, SkillMention]],
    linker: SkillLinker,
    occupations_requiring: Callable[[str], Sequence[str]] | None,
) -> dict[str, LinkContext]:
    uris = list(dict.fromkeys(mention.uri for _, mention in links))
    if not uris:
        return {}
    repeats = {uri: len({n for n, m in links if m.uri == uri}) for uri in uris}
    jobs = {uri: frozenset(occupations_requiring(uri)) if occupations_requiring else frozenset() for uri in uris}
    lines = [document.line(n).text for n in sorted({n for n, _ in links})]
    line_vectors = linker.embedder.embed(lines)
    centre = line_vectors.mean(axis=0)
    centre = centre / (float(np.linalg.norm(centre)) or 1.0)
    label_vectors = linker.embedder.embed([linker.skills[uri].preferred_label for uri in uris])
    topics = label_vectors @ centre
    out = {}
    for index, uri in enumerate(uris):
        others = [other for other in uris if other != uri]
        shared = sum(1 for other in others if jobs[uri] & jobs[other])
        out[uri] = LinkContext(
            support=shared / len(others) if others else 0.0,
            topic=float(topics[index]),
            repeats=repeats[uri],
            occupations=len(jobs[uri]),
        )
    return out


def profile_from_resume(
    document: ResumeDocument,
    linker: SkillLinker,
    *,
    today: date,
    calibration: LinkCalibration | None = None,
    occupations_requiring: Callable[[str], Sequence[str]] | None = None,
    technologies: TechnologyLexicon | None = None,
    learner_id: str | None = None,
    constraints: Constraints | None = None,
    earned_credentials: Iterable[str] = (),
    on_progress: Progress | None = None,
) -> LearnerProfile:
    """The skills the résumé shows: those likely enough to be right (``calibration.keep``) count, those
    above ``calibration.offer`` are offered for the learner to confirm; each cites its lines. The products
    it names (``technologies``) are listed apart."""
    calibration = calibration or LinkCalibration()
    products = find_technologies(document, technologies) if technologies is not None else []
    by_skill: dict[str, list[ScoredLink]] = {}
    for link in score_links(document, linker, calibration, occupations_requiring, products, on_progress):
        by_skill.setdefault(link.mention.uri, []).append(link)
    kept: list[HeldSkill] = []
    offered: list[HeldSkill] = []
    for uri, found in by_skill.items():
        probability = max(link.probability for link in found)
        if probability < calibration.offer:
            continue
        evidence: list[Evidence] = [
            document.evidence(link.line_no, TextSpan(start=link.mention.start, end=link.mention.end)) for link in found
        ]
        roles = _roles(document, (link.line_no for link in found))
        months = [entry.duration_months(today) for entry in roles]
        ends = [entry.end_or(today) for entry in roles]
        known_months = [m for m in months if m is not None]
        known_ends = [e for e in ends if e is not None]
        held = HeldSkill(
            skill_uri=uri,
            label=found[0].mention.label,
            confidence=probability,
            evidence=tuple(evidence),
            years=round(sum(known_months) / 12, 1) if known_months else None,
            last_used=max(known_ends) if known_ends else None,
        )
        (kept if probability >= calibration.keep else offered).append(held)
    kept.sort(key=lambda s: (-s.confidence, s.label))
    offered.sort(key=lambda s: (-s.confidence, s.label))
    return LearnerProfile(
        learner_id=learner_id,
        skills=tuple(kept),
        unconfirmed=tuple(offered),
        technologies=held_technologies(document, products),
        earned_credentials=tuple(earned_credentials),
        constraints=constraints or Constraints(),
    )


def held_technologies(
    document: ResumeDocument, products: Sequence[tuple[int, TechnologyMatch]]
) -> tuple[HeldTechnology, ...]:
    """One entry per product, in the order the résumé first names it, citing every line that names it."""
    evidence: dict[str, list[Evidence]] = {}
    found: dict[str, TechnologyMatch] = {}
    for line_no, match in products:
        name = match.technology.name
        found.setdefault(name, match)
        evidence.setdefault(name, []).append(document.evidence(line_no, TextSpan(start=match.start, end=match.end)))
    return tuple(match.technology.held(evidence[name]) for name, match in found.items())
