"""Job title → ranked ESCO occupations.

Two signals: the occupations index (ESCO preferred and alternative labels, and the O*NET titles —
official, alternate and reported — of the O*NET occupations the crosswalk maps) and the lexical
word-overlap search, which makes a title typed exactly as an ESCO label win outright. An O*NET-only
hit (an O*NET title whose occupation maps to ESCO) counts for every ESCO occupation mapped to it,
at ``onet_weight`` of its score. The fusion is fixed, not fitted to any evaluation set.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.core.ports import OCCUPATION, ONET_OCCUPATION, Embedder, VectorIndex
from assistant.core.search import search_occupations
from assistant.core.taxonomy import Taxonomy


@dataclass(frozen=True, slots=True)
class TitleMatch:
    uri: str
    label: str
    score: float
    matched: str  # the text that matched best (an ESCO label or an O*NET title)


@dataclass
class TitleNormalizer:
    taxonomy: Taxonomy
    embedder: Embedder
    index: VectorIndex
    lexical_weight: float = 0.25
    onet_weight: float = 0.95
    candidates: int = 50

    def rank(self, titles: Sequence[str], k: int = 10) -> list[list[TitleMatch]]:
        if not titles:
            return []
        vectors = self.embedder.embed(list(titles))
        hits = self.index.search(vectors, self.candidates, kinds=(OCCUPATION, ONET_OCCUPATION))
        out = []
        for title, title_hits in zip(titles, hits, strict=True):
            scores: dict[str, tuple[float, str]] = {}
            for hit in title_hits:
                mapped = (hit.key,) if hit.kind == OCCUPATION else self.taxonomy.occupations_by_onet.get(hit.key, ())
                weight = 1.0 if hit.kind == OCCUPATION else self.onet_weight
                for uri in mapped:
                    if hit.score * weight > scores.get(uri, (-1.0, ""))[0]:
                        scores[uri] = (hit.score * weight, hit.text)
            floor = min((s for s, _ in scores.values()), default=0.0)
            lexical = {m.occupation.uri: m for m in search_occupations(self.taxonomy, title, limit=self.candidates)}
            fused = []
            for uri in set(scores) | set(lexical):
                semantic, matched = scores.get(uri, (floor, ""))
                word = lexical.get(uri)
                total = semantic + self.lexical_weight * (word.score if word else 0.0)
                fused.append(
                    TitleMatch(
                        uri,
                        self.taxonomy.occupations[uri].preferred_label,
                        total,
                        matched or (word.matched_label if word else ""),
                    )
                )
            fused.sort(key=lambda m: (-m.score, m.label))
            out.append(fused[:k])
        return out
