"""Lexical look-up of occupations by title: the exact and word-overlap layer.

Embedding retrieval (the index) ranks meaning; this layer guarantees that a title typed exactly as
an ESCO label, or sharing most of its words, is found, and it needs no model.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from assistant.core.models import TECHNOLOGY_KEY, Occupation
from assistant.core.taxonomy import Taxonomy

ALT_LABEL_DISCOUNT = 0.98
_WORD = re.compile(r"[a-z0-9+#]+")


def words(text: str) -> frozenset[str]:
    """Lower-cased word set with a light plural strip ("analysts" ~ "analyst")."""
    out = set()
    for token in _WORD.findall(text.casefold()):
        if len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
            token = token[:-1]
        out.add(token)
    return frozenset(out)


@dataclass(frozen=True)
class OccupationMatch:
    occupation: Occupation
    matched_label: str
    score: float


@lru_cache(maxsize=4)
def _label_index(taxonomy: Taxonomy) -> dict[str, list[tuple[str, str, frozenset[str]]]]:
    """word → [(occupation URI, label, label words)], built once per taxonomy."""
    index: dict[str, list[tuple[str, str, frozenset[str]]]] = {}
    for occupation in taxonomy.occupations.values():
        for label in occupation.labels:
            label_words = words(label)
            for word in label_words:
                index.setdefault(word, []).append((occupation.uri, label, label_words))
    return index


def search_occupations(taxonomy: Taxonomy, query: str, *, limit: int = 10) -> list[OccupationMatch]:
    """Rank occupations by the best word overlap (Jaccard) between the query and any of their labels.

    An exact match of the preferred label scores 1.0; alternative labels score slightly less, so a
    title that is one occupation's name and another's synonym ("welder") finds the first.
    """
    query_words = words(query)
    if not query_words:
        return []
    folded = query.strip().casefold()
    best: dict[str, tuple[float, str]] = {}
    for word in query_words:
        for uri, label, label_words in _label_index(taxonomy).get(word, ()):
            score = (
                1.0 if label.casefold() == folded else len(query_words & label_words) / len(query_words | label_words)
            )
            if label != taxonomy.occupations[uri].preferred_label:
                score *= ALT_LABEL_DISCOUNT
            if score > best.get(uri, (-1.0, ""))[0]:
                best[uri] = (score, label)
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], taxonomy.occupations[item[0]].preferred_label))
    return [OccupationMatch(taxonomy.occupations[uri], label, score) for uri, (score, label) in ranked[:limit]]


@dataclass(frozen=True)
class SkillMatch:
    """A skill found by its label as typed: the ESCO skill (or the O*NET product, keyed
    ``onet-technology:NAME``), the label matched and how (ESCO or O*NET)."""

    skill_uri: str
    label: str
    matched_label: str
    source: str  # "esco" or "onet-technology"
    score: float


@lru_cache(maxsize=4)
def _skill_index(taxonomy: Taxonomy) -> dict[str, list[tuple[str, str, str, frozenset[str]]]]:
    """word prefix (first 3 letters) → [(skill URI, label, source, label words)], built once per taxonomy."""
    index: dict[str, list[tuple[str, str, str, frozenset[str]]]] = {}

    def add(uri: str, label: str, source: str) -> None:
        label_words = words(label)
        for word in label_words:
            index.setdefault(word[:3], []).append((uri, label, source, label_words))

    for skill in taxonomy.skills.values():
        for label in (skill.preferred_label, *skill.alt_labels):
            add(skill.uri, label, "esco")
    for example, uri in taxonomy.technology_skills.items():
        if uri in taxonomy.skills:
            add(uri, example, "onet-technology")
    for example in dict.fromkeys(t.example for t in taxonomy.onet_technologies):
        rest = example.split()[1:]
        if rest and all(word.islower() for word in rest):
            continue  # "Data analysis software": a kind of software, not a product
        add(TECHNOLOGY_KEY + example, example, "onet-technology")
    return index


@lru_cache(maxsize=4)
def _popularity(taxonomy: Taxonomy) -> dict[str, float]:
    """Product key → a small bonus for how many O*NET occupations list it (Microsoft Excel before ExcelTrans)."""
    counts = Counter(t.example for t in taxonomy.onet_technologies)
    return {TECHNOLOGY_KEY + example: min(0.3, math.log10(1 + n) / 10) for example, n in counts.items()}


def search_skills(taxonomy: Taxonomy, query: str, *, limit: int = 10) -> list[SkillMatch]:
    """Skills and products whose label (ESCO preferred or alternative, or an O*NET technology) holds every
    word typed, the last one possibly unfinished ("power b" finds *Microsoft Power BI*): for autocomplete."""
    typed = [w for w in _WORD.findall(query.casefold()) if w]
    if not typed:
        return []
    complete, partial = {w.rstrip("s") if len(w) > 3 else w for w in typed[:-1]}, typed[-1]
    folded = query.strip().casefold()
    best: dict[str, tuple[float, str, str]] = {}
    popular = _popularity(taxonomy)
    # "power b": a short unfinished word is looked up through the longest finished one
    bucket = partial if len(partial) >= 3 or not complete else max(complete, key=len)
    for uri, label, source, label_words in _skill_index(taxonomy).get(bucket[:3], ()):
        if not all(any(lw == w or lw.startswith(w) for lw in label_words) for w in complete):
            continue
        if not any(lw.startswith(partial) for lw in label_words):
            continue
        exact = label.casefold() == folded
        product = uri.startswith(TECHNOLOGY_KEY)
        preferred = not product and taxonomy.skills[uri].preferred_label == label
        whole = 0.3 if partial in label_words else 0.0
        named = 0.5 if preferred else 0.2 if product else 0.0
        phrase = 0.4 if re.search(r"(^|\W)" + re.escape(folded), label.casefold()) else 0.0  # the words as typed
        score = (2.0 if exact else 1.0) + named + whole + phrase + popular.get(uri, 0.0)
        score -= 0.01 * len(label_words)
        if score > best.get(uri, (-1.0, "", ""))[0]:
            best[uri] = (score, label, source)
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[1][1].casefold()))
    return [
        SkillMatch(uri, _label(taxonomy, uri), label, source, round(score, 3))
        for uri, (score, label, source) in ranked[:limit]
    ]


def _label(taxonomy: Taxonomy, key: str) -> str:
    return key.removeprefix(TECHNOLOGY_KEY) if key.startswith(TECHNOLOGY_KEY) else taxonomy.skills[key].preferred_label
