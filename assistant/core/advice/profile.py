"""Building the learner's side: held credentials and their skills, and a model-free skill reader.

Held credentials come as catalog ids or as Open Badges already read into :class:`EarnedCredential`;
each adds its skills as held skills whose evidence is the credential, so an alum's badge counts in
the gap and is never recommended again. :func:`extract_skills` and :func:`skills_from_terms` find
ESCO skills by their labels (preferred and alternative, longest phrase first); they stand in until
the résumé linker is wired, and let ``--skills "Python, SQL"`` work without a model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from assistant.core.catalog import Catalog
from assistant.core.models import EarnedCredential, Evidence, EvidenceSource, HeldSkill, LearnerProfile, TextSpan
from assistant.core.taxonomy import Taxonomy

MAX_PHRASE_WORDS = 6
# One-word labels that name a field rather than a skill a résumé line claims ("Data Analyst").
GENERIC_WORDS = frozenset(
    {
        "data", "management", "engineering", "design", "research", "sales", "service", "services",
        "operations", "support", "planning", "training", "analysis", "reporting", "development",
        "business", "marketing", "administration", "care", "health", "education",
    }
)  # fmt: skip
_TOKEN = re.compile(r"[a-z0-9][a-z0-9+#]*(?:\.[a-z0-9]+)*")


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


def normalise(text: str) -> str:
    """Lower-case words joined by single spaces ('Python (computer programming)' → 'python computer programming')."""
    return " ".join(_TOKEN.findall(text.casefold()))


@lru_cache(maxsize=4)
def label_index(taxonomy: Taxonomy) -> dict[str, str]:
    """Normalised label → skill URI. Preferred labels win; an alternative label shared by several skills is dropped."""
    preferred: dict[str, str] = {}
    alternative: dict[str, set[str]] = {}
    for skill in taxonomy.skills.values():
        preferred.setdefault(normalise(skill.preferred_label), skill.uri)
        for alt in skill.alt_labels:
            alternative.setdefault(normalise(alt), set()).add(skill.uri)
    out = {label: uris.pop() for label, uris in alternative.items() if len(uris) == 1 and len(label) > 1}
    out.update({label: uri for label, uri in preferred.items() if len(label) > 1})
    return out


def extract_skills(
    taxonomy: Taxonomy,
    lines: Sequence[tuple[int, str, str | None]],
    source: EvidenceSource = EvidenceSource.RESUME,
) -> list[HeldSkill]:
    """ESCO skills named in ``(line_no, text, section)`` lines, longest label first, each with its line.

    A one-word label counts only when written like a name (a capital, digit or symbol, and not the
    line's first word: "Python", "SQL", "C++") and is not a generic field word ("data"): one-word
    ESCO alternative labels are too often ordinary words.
    """
    index = label_index(taxonomy)
    found: dict[str, HeldSkill] = {}
    for line_no, text, section in lines:
        folded = text.casefold()
        tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(folded)]
        i = 0
        while i < len(tokens):
            for n in range(min(MAX_PHRASE_WORDS, len(tokens) - i), 0, -1):
                phrase = " ".join(t[0] for t in tokens[i : i + n])
                uri = index.get(phrase)
                if uri is None or (n == 1 and not _names_a_skill(text, tokens, i)):
                    continue
                if uri not in found:
                    span = TextSpan(start=tokens[i][1], end=tokens[i + n - 1][2])
                    evidence = Evidence(source=source, text=text, line_no=line_no, span=span, section=section)
                    found[uri] = HeldSkill(
                        skill_uri=uri, label=taxonomy.label_of(uri), confidence=0.6, evidence=(evidence,)
                    )
                i += n - 1
                break
            i += 1
    return list(found.values())


def _names_a_skill(text: str, tokens: list[tuple[str, int, int]], i: int) -> bool:
    word, start, end = tokens[i]
    original = text[start:end]
    looks_named = original != original.lower() or any(ch.isdigit() or ch in "+#" for ch in original)
    return i > 0 and looks_named and word not in GENERIC_WORDS


def skills_from_terms(taxonomy: Taxonomy, terms: Sequence[str]) -> tuple[list[HeldSkill], list[str]]:
    """Skills for typed terms ('Python, SQL'): a whole-label match first, else labels inside the term."""
    index = label_index(taxonomy)
    skills: dict[str, HeldSkill] = {}
    unresolved: list[str] = []
    for number, term in enumerate(t.strip() for t in terms):
        if not term:
            continue
        evidence = Evidence(source=EvidenceSource.SELF_REPORTED, text=term, line_no=number + 1)
        uri = index.get(normalise(term))
        if uri is not None:
            skills.setdefault(
                uri, HeldSkill(skill_uri=uri, label=taxonomy.label_of(uri), confidence=0.9, evidence=(evidence,))
            )
            continue
        inside = extract_skills(taxonomy, [(number + 1, term, None)], EvidenceSource.SELF_REPORTED)
        if not inside:
            unresolved.append(term)
        for skill in inside:
            skills.setdefault(skill.skill_uri, skill)
    return list(skills.values()), unresolved
