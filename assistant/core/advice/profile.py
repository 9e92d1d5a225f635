"""Building the learner's side: held credentials and their skills, and a model-free skill reader.

Held credentials come as catalog ids or as Open Badges already read into :class:`EarnedCredential`;
each adds its skills as held skills whose evidence is the credential, so an alum's badge counts in
the gap and is never recommended again. :func:`extract_skills` and :func:`skills_from_terms` find
ESCO skills named verbatim, with the linker's exact-label matcher: the model-free reader behind
``--skills "Python, SQL"`` and the fallback when no index is available.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from assistant.core.catalog import Catalog
from assistant.core.linking import SkillLexicon, looks_like_a_list
from assistant.core.linking.technology import TechnologyLexicon, kind_links, label_vocabulary
from assistant.core.models import (
    EarnedCredential,
    Evidence,
    EvidenceSource,
    HeldSkill,
    HeldTechnology,
    LearnerProfile,
    TextSpan,
)
from assistant.core.taxonomy import Taxonomy


@dataclass(frozen=True)
class Holdings:
    """Catalog credentials the learner holds, the skills they evidence, and what could not be matched."""

    credential_ids: frozenset[str]
    skills: tuple[HeldSkill, ...]
    notes: tuple[str, ...]


def holdings(
    profile: LearnerProfile, earned: Iterable[EarnedCredential], catalog: Catalog, taxonomy: Taxonomy
) -> Holdings:
    """Held catalog ids (profile and badges) and the skills they add, each citing the credential."""
    ids: dict[str, None] = {}
    notes: list[str] = []
    skills: list[HeldSkill] = []
    for cid in profile.earned_credentials:
        if cid in catalog:
            ids[cid] = None
        else:
            notes.append(f"Held credential {cid!r} is not in the catalog of {catalog.institution.name}.")
    for badge in earned:
        if badge.catalog_id and badge.catalog_id in catalog:
            ids[badge.catalog_id] = None
        elif not badge.skill_uris:
            notes.append(f"Badge '{badge.name}' matches no catalog credential and names no ESCO skill.")
        for uri in badge.skill_uris:
            if uri in taxonomy.skills:
                evidence = Evidence(source=EvidenceSource.CREDENTIAL, text=badge.name, reference=badge.achievement_id)
                skills.append(
                    HeldSkill(skill_uri=uri, label=taxonomy.label_of(uri), confidence=1.0, evidence=(evidence,))
                )
    for cid in ids:
        credential = catalog.get(cid)
        evidence = Evidence(source=EvidenceSource.CREDENTIAL, text=credential.title, reference=cid)
        for uri in credential.skill_uris:
            skills.append(HeldSkill(skill_uri=uri, label=taxonomy.label_of(uri), confidence=1.0, evidence=(evidence,)))
    return Holdings(frozenset(ids), tuple(skills), tuple(notes))


@lru_cache(maxsize=4)
def lexicon_for(taxonomy: Taxonomy) -> SkillLexicon:
    """The exact-label matcher of the linker, built once per taxonomy."""
    return SkillLexicon(taxonomy.skills.values())


@dataclass(frozen=True)
class TypedTerms:
    """What the learner typed ("SQL, Tableau and budgeting"): the ESCO skills, the products, and the terms
    that named neither."""

    skills: list[HeldSkill]
    technologies: list[HeldTechnology]
    unresolved: list[str]


def read_terms(taxonomy: Taxonomy, terms: Sequence[str]) -> TypedTerms:
    """Typed terms read without the linker: exact ESCO labels and product names."""
    skills, unresolved = skills_from_terms(taxonomy, terms)
    technologies, products_only = technologies_from_terms(taxonomy, terms)
    return TypedTerms(skills, technologies, [t for t in unresolved if t not in products_only])


@lru_cache(maxsize=4)
def technology_lexicon_for(taxonomy: Taxonomy) -> TechnologyLexicon:
    """Product names of O*NET's Technology Skills, built once per taxonomy; the taxonomy's own labels say
    which words are everyday words."""
    labels = [label for skill in taxonomy.skills.values() for label in skill.labels]
    labels += [label for o in taxonomy.occupations.values() for label in (o.preferred_label, *o.alt_labels)]
    kinds = kind_links(taxonomy.onet_technologies, taxonomy.technology_skills, taxonomy.label_of)
    links = {**kinds, **taxonomy.technology_skills}  # kind_links leaves out products linked on their own
    return TechnologyLexicon(taxonomy.onet_technologies, links, label_vocabulary(labels))


def technologies_from_terms(taxonomy: Taxonomy, terms: Sequence[str]) -> tuple[list[HeldTechnology], set[str]]:
    """Products in typed terms ("Tableau", "MS Excel"), each term read as a list item; and the terms that are
    nothing but a product's name (not "unresolved" when no ESCO skill has that label)."""
    lexicon = technology_lexicon_for(taxonomy)
    found: dict[str, HeldTechnology] = {}
    products_only: set[str] = set()
    for term in (t.strip() for t in terms):
        if not term:
            continue
        matches = lexicon.find(term, list_context=True, typed=True)
        for match in matches:
            evidence = Evidence(source=EvidenceSource.SELF_REPORTED, text=term)
            found.setdefault(match.technology.name, match.technology.held([evidence]))
        leftover = term
        for match in sorted(matches, key=lambda m: -m.start):
            leftover = leftover[: match.start] + " " + leftover[match.end :]
        if matches and not any(c.isalpha() for c in leftover):
            products_only.add(term)
    return list(found.values()), products_only


def _pick(entries: Sequence[tuple[str, str, bool]]) -> str | None:
    """One skill for a label: its preferred-label owner, else the only skill using it (ambiguous: none)."""
    preferred = [uri for uri, _, is_preferred in entries if is_preferred]
    if preferred:
        return preferred[0]
    uris = {uri for uri, _, _ in entries}
    return next(iter(uris)) if len(uris) == 1 else None


def extract_skills(
    taxonomy: Taxonomy,
    lines: Sequence[tuple[int, str, str | None]],
    source: EvidenceSource = EvidenceSource.RESUME,
) -> list[HeldSkill]:
    """ESCO skills named verbatim in ``(line_no, text, section)`` lines, each with its line and span.

    The model-free reader: :class:`~assistant.core.linking.SkillLexicon` finds the labels (one-word
    labels only when written as names, or as whole items of a skills list); a label shared by several
    skills counts only when it is one skill's preferred label.
    """
    lexicon = lexicon_for(taxonomy)
    found: dict[str, HeldSkill] = {}
    for line_no, text, section in lines:
        list_context = section == "skills" or looks_like_a_list(text)
        matches = lexicon.find(text, list_context=list_context)
        by_span: dict[tuple[int, int], list[tuple[str, str, bool]]] = {}
        for match in matches:
            by_span.setdefault((match.start, match.end), []).append((match.skill_uri, match.label, match.preferred))
        for (start, end), entries in by_span.items():
            uri = _pick(entries)
            if uri is None or uri in found:
                continue
            evidence = Evidence(
                source=source, text=text, line_no=line_no, span=TextSpan(start=start, end=end), section=section
            )
            found[uri] = HeldSkill(skill_uri=uri, label=taxonomy.label_of(uri), confidence=0.6, evidence=(evidence,))
    return list(found.values())


def skills_from_terms(taxonomy: Taxonomy, terms: Sequence[str]) -> tuple[list[HeldSkill], list[str]]:
    """Skills for typed terms ('Python, SQL'): a whole-label match first, else labels inside the term."""
    lexicon = lexicon_for(taxonomy)
    skills: dict[str, HeldSkill] = {}
    unresolved: list[str] = []
    for number, term in enumerate(t.strip() for t in terms):
        if not term:
            continue
        evidence = Evidence(source=EvidenceSource.SELF_REPORTED, text=term, line_no=number + 1)
        uri = _pick(lexicon.lookup(term))
        if uri is not None:
            skills.setdefault(
                uri, HeldSkill(skill_uri=uri, label=taxonomy.label_of(uri), confidence=0.9, evidence=(evidence,))
            )
            continue
        inside = extract_skills(taxonomy, [(number + 1, term, "skills")], EvidenceSource.SELF_REPORTED)
        if not inside:
            unresolved.append(term)
        for skill in inside:
            skills.setdefault(skill.skill_uri, skill)
    return list(skills.values()), unresolved
