"""Link text to ESCO skills: exact labels, embedding retrieval, and a re-ranking that uses context.

For each sentence or résumé line the linker embeds the whole text and each phrase in it
(:mod:`phrases`), maps the vectors through the optional learned :class:`QueryAdapter`, and
retrieves candidate skills from the skills index (preferred and alternative labels; a match on an
alternative label counts ``alt_label_weight`` of a preferred one). A skill's score combines

    score = S_text + phrase_weight · max(S_text, max over phrases S_phrase) + exact_label_bonus · [label in text]

so a skill named by one phrase of a long sentence rises, the sentence as a whole still votes, and
a label written verbatim is never outranked by a loose paraphrase. The weights were chosen on the
HOUSE validation split of Decorte et al. only (see ``eval/bench_linking.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from assistant.core.linking.adapter import QueryAdapter
from assistant.core.linking.lexicon import LabelMatch, SkillLexicon
from assistant.core.linking.phrases import Phrase, looks_like_a_list, split_phrases
from assistant.core.linking.rerank import Candidate, SkillReranker
from assistant.core.models import Skill
from assistant.core.ports import SKILL, Embedder, Hit, VectorIndex

PREFERRED = "preferred-label"
SINGLE_NAME_MARGIN = 0.15


@dataclass(frozen=True)
class LinkerConfig:
    alt_label_weight: float = 0.95
    phrase_weight: float = 0.5
    exact_label_bonus: float = 0.2
    candidates: int = 50
    #: confidence (phrase and line scores blended, in [0, 1]) a phrase needs to become a mention
    mention_threshold: float = 0.5


@dataclass(frozen=True, slots=True)
class ScoredSkill:
    uri: str
    label: str
    score: float


@dataclass(frozen=True, slots=True)
class SkillMention:
    """A skill found in a text: where (character span), how sure, and by which route."""

    uri: str
    label: str
    confidence: float
    start: int
    end: int
    text: str
    method: str  # "exact-label" or "semantic"
    margin: float = 1.0  # how far ahead of the next candidate for the same phrase (1: none competed)


class SkillLinker:
    def __init__(
        self,
        skills: Mapping[str, Skill],
        embedder: Embedder,
        index: VectorIndex,
        *,
        lexicon: SkillLexicon | None = None,
        adapter: QueryAdapter | None = None,
        config: LinkerConfig | None = None,
        reranker: SkillReranker | None = None,
        occupations: Callable[[str], int] | None = None,
    ) -> None:
        if adapter is not None and adapter.model_id != embedder.model_id:
            raise ValueError(
                f"the skill adapter was trained for model {adapter.model_id!r}, not {embedder.model_id!r}; "
                "retrain it with `python -m index.train_skill_adapter` or unset it"
            )
        self.skills = skills
        self.embedder = embedder
        self.index = index
        self.lexicon = lexicon or SkillLexicon(skills.values())
        self.adapter = adapter
        self.config = config or LinkerConfig()
        self.reranker = reranker
        self.occupations = occupations  # how many occupations require a skill: a feature of the re-ranker

    # -- retrieval -------------------------------------------------------------------------------
    def _retrieve(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """For each text, candidate skill URI → weighted cosine. Each distinct text is embedded and searched
        once (a catalog's syllabi repeat the same phrases across courses)."""
        if not texts:
            return []
        distinct = list(dict.fromkeys(texts))
        vectors = self.embedder.embed(distinct)
        if self.adapter is not None:
            vectors = self.adapter.apply(vectors)
        results = self.index.search(vectors, self.config.candidates, kinds=(SKILL,))
        by_text = {
            text: {hit.key: self._weighted(hit) for hit in hits} for text, hits in zip(distinct, results, strict=True)
        }
        return [by_text[text] for text in texts]

    def _weighted(self, hit: Hit) -> float:
        return hit.score if hit.source == PREFERRED else hit.score * self.config.alt_label_weight

    # -- ranking ---------------------------------------------------------------------------------
    def rank(self, texts: Sequence[str], k: int = 10) -> list[list[ScoredSkill]]:
        """Rank skills for each text (a sentence of a posting or résumé): best ``k`` first; the re-ranker,
        when one is given, re-orders the first pass's best candidates."""
        ranked: list[list[ScoredSkill]] = []
        for text, candidates in zip(texts, self.candidates(texts), strict=True):
            if self.reranker is not None:
                candidates = self.reranker.order(text, candidates, self.skills, self.occupations)
            ranked.append([ScoredSkill(c.uri, self.skills[c.uri].preferred_label, c.score) for c in candidates[:k]])
        return ranked

    def candidates(self, texts: Sequence[str]) -> list[list[Candidate]]:
        """Every candidate skill of each text with the parts of its first-pass score, best first."""
        phrases = [split_phrases(text) for text in texts]
        flat = [p.text for group in phrases for p in group]
        scores = self._retrieve([*texts, *flat])
        text_scores, phrase_scores = scores[: len(texts)], scores[len(texts) :]
        out: list[list[Candidate]] = []
        offset = 0
        for text, group, whole in zip(texts, phrases, text_scores, strict=True):
            parts = phrase_scores[offset : offset + len(group)]
            offset += len(group)
            exact = {match.skill_uri for match in self.lexicon.find(text, list_context=looks_like_a_list(text))}
            out.append(self._combine(whole, parts, exact))
        return out

    def _combine(self, whole: dict[str, float], parts: list[dict[str, float]], exact: set[str]) -> list[Candidate]:
        floor = min(whole.values(), default=0.0)
        candidates = set(whole).union(*parts, exact)
        config = self.config
        out = []
        for uri in candidates:
            text_score = whole.get(uri, floor)
            phrase_best = max([text_score, *(p[uri] for p in parts if uri in p)])
            score = text_score + config.phrase_weight * phrase_best + config.exact_label_bonus * (uri in exact)
            out.append(Candidate(uri, score, text_score, phrase_best, uri in exact))
        out.sort(key=lambda c: (-c.score, self.skills[c.uri].preferred_label))
        return out

    # -- mentions --------------------------------------------------------------------------------
    def mentions(self, text: str, *, list_context: bool | None = None) -> list[SkillMention]:
        """Skills named or described in one line, each with the span of text that evidences it."""
        return self.mentions_many([text], list_context=list_context)[0]

    def mentions_many(self, texts: Sequence[str], *, list_context: bool | None = None) -> list[list[SkillMention]]:
        """Mentions per text. A phrase names a skill when its confidence — the phrase's score plus
        ``phrase_weight`` × the whole line's score for the same skill, scaled to [0, 1] — reaches
        ``mention_threshold``; the line as a whole can name one more skill the same way."""
        phrases = [split_phrases(text) for text in texts]
        flat = [p for group in phrases for p in group]
        scores = self._retrieve([*texts, *(p.text for p in flat)])
        line_scores, phrase_scores = scores[: len(texts)], scores[len(texts) :]
        out: list[list[SkillMention]] = []
        offset = 0
        for text, group, whole in zip(texts, phrases, line_scores, strict=True):
            is_list = looks_like_a_list(text) if list_context is None else list_context
            found = self._exact_mentions(text, self.lexicon.find(text, list_context=is_list), whole)
            covered = [(m.start, m.end) for m in found]
            pieces = [(p, s) for p, s in zip(group, phrase_scores[offset : offset + len(group)], strict=True)]
            offset += len(group)
            if len(group) != 1 and not is_list:
                pieces.append((Phrase(text.strip(), len(text) - len(text.lstrip()), len(text.rstrip())), whole))
            for phrase, candidates in pieces:
                if any(start <= phrase.start and phrase.end <= end for start, end in covered):
                    continue
                mention = self._semantic_mention(phrase, candidates, whole, {m.uri for m in found}, is_list)
                if mention is not None:
                    found.append(mention)
            out.append(sorted(found, key=lambda m: (m.start, -m.confidence)))
        return out

    def _exact_mentions(self, text: str, matches: list[LabelMatch], line: dict[str, float]) -> list[SkillMention]:
        """One skill per matched span: when skills share the label ("ML": machine learning, the ML
        language), the one the whole line is closest to in meaning wins."""
        floor = min(line.values(), default=0.0)
        by_span: dict[tuple[int, int], list[LabelMatch]] = {}
        for match in matches:
            by_span.setdefault((match.start, match.end), []).append(match)
        best: dict[str, SkillMention] = {}
        for (start, end), options in by_span.items():
            ranked = sorted(options, key=lambda m: (line.get(m.skill_uri, floor), m.preferred), reverse=True)
            match = ranked[0]
            others = [line.get(m.skill_uri, floor) for m in ranked[1:] if m.skill_uri != match.skill_uri]
            margin = line.get(match.skill_uri, floor) - max(others) if others else 1.0
            confidence = 0.95 if match.preferred else 0.9
            current = best.get(match.skill_uri)
            if current is None or confidence > current.confidence:
                best[match.skill_uri] = SkillMention(
                    match.skill_uri,
                    self.skills[match.skill_uri].preferred_label,
                    confidence,
                    start,
                    end,
                    text[start:end],
                    "exact-label",
                    round(margin, 4),
                )
        return list(best.values())

    def _semantic_mention(
        self,
        phrase: Phrase,
        candidates: dict[str, float],
        line: dict[str, float],
        seen: set[str],
        is_list: bool = False,
    ) -> SkillMention | None:
        words = [word for word in phrase.text.split() if sum(c.isalpha() for c in word) >= 2]
        # one lower-case word or a date range says too little in a sentence; a single name ("Excel"), or one
        # word that is a whole item of a list ("recruitment", "welding"), may name a skill if it scores higher
        single_name = len(words) == 1 and (is_list or any(c.isupper() for c in words[0]))
        if not candidates or (len(words) < 2 and not single_name):
            return None
        weight = self.config.phrase_weight
        floor = min(line.values(), default=0.0)
        confidence = {uri: (score + weight * line.get(uri, floor)) / (1 + weight) for uri, score in candidates.items()}
        ranked = sorted(confidence.items(), key=lambda item: item[1], reverse=True)
        uri, best = ranked[0]
        margin = best - ranked[1][1] if len(ranked) > 1 else 1.0
        threshold = self.config.mention_threshold + (SINGLE_NAME_MARGIN if single_name else 0.0)
        if best < threshold or uri in seen:
            return None
        return SkillMention(
            uri,
            self.skills[uri].preferred_label,
            round(min(1.0, best), 4),
            phrase.start,
            phrase.end,
            phrase.text,
            "semantic",
            round(margin, 4),
        )
