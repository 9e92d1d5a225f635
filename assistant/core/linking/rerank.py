"""A second look at the linker's best candidates for a sentence: a small learned re-ranker.

The first pass scores each ESCO skill by the embedding similarity of the sentence and its phrases to the
skill's labels, plus a bonus for a label written verbatim. That ranking leaves signal unused: how many of
the label's words the sentence holds (preferred or alternative labels), whether the skill is a piece of
knowledge or a competence, how widely it is reused and required, how far it trails the best candidate.
:class:`SkillReranker` is a logistic model over those features, fitted on the Decorte HOUSE validation
sentences (``python -m eval.train_rerank``; weights in ``index/data/models/skill_rerank.json``, about 1 KB),
that re-orders the top ``depth`` candidates. It runs on a CPU in microseconds a sentence: no second model.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from assistant.core.models import Skill

REUSE_LEVELS = ("transversal", "cross-sector", "sector-specific", "occupation-specific")
FEATURES = (
    "score",
    "line",
    "phrase",
    "exact",
    "rank",
    "behind_top",
    "label_overlap",
    "alt_overlap",
    "knowledge",
    *(f"reuse_{level}" for level in REUSE_LEVELS),
    "occupations",
    "label_words",
    "alt_labels",
)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One skill for one sentence, with the parts of its first-pass score."""

    uri: str
    score: float  # line + phrase_weight × phrase + bonus
    line: float  # the whole sentence's similarity
    phrase: float  # the best phrase's similarity
    exact: bool  # a label written verbatim


def _stem(word: str) -> str:
    return re.sub(r"(ing|ed|es|e|s)$", "", word.casefold())  # "analysed", "analyse", "analyses": "analys"


def _words(text: str) -> set[str]:
    return {_stem(w) for w in re.findall(r"[A-Za-z][A-Za-z+#]+", text) if len(w) > 2}


def rerank_features(
    text: str,
    candidates: Sequence[Candidate],
    skills: Mapping[str, Skill],
    occupations: Callable[[str], int] | None = None,
    depth: int = 30,
) -> np.ndarray:
    """One row of :data:`FEATURES` per candidate, in the candidates' order."""
    said = _words(text)
    top = candidates[0].score if candidates else 0.0
    rows = []
    for position, candidate in enumerate(candidates):
        skill = skills[candidate.uri]
        label = _words(skill.preferred_label)
        alternatives = [_words(alt) for alt in skill.alt_labels]
        reuse = str(skill.reuse_level.value if skill.reuse_level else "")
        required = occupations(candidate.uri) if occupations else 0
        rows.append(
            [
                candidate.score,
                candidate.line,
                candidate.phrase,
                float(candidate.exact),
                position / depth,
                candidate.score - top,
                len(label & said) / max(1, len(label)),
                max([len(alt & said) / max(1, len(alt)) for alt in alternatives if alt] + [0.0]),
                float(str(skill.skill_type.value if skill.skill_type else "") == "knowledge"),
                *(float(level == reuse) for level in REUSE_LEVELS),
                math.log1p(required) / math.log(1000),
                min(len(label), 6) / 6,
                min(len(skill.alt_labels), 20) / 20,
            ]
        )
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), len(FEATURES))


@dataclass(frozen=True)
class SkillReranker:
    """Logistic weights over :data:`FEATURES`; :meth:`order` re-ranks the top ``depth`` candidates."""

    weights: Mapping[str, float]
    bias: float = 0.0
    depth: int = 30
    info: Mapping[str, object] = field(default_factory=dict)

    def scores(self, features: np.ndarray) -> np.ndarray:
        vector = np.asarray([self.weights.get(name, 0.0) for name in FEATURES], dtype=np.float64)
        return np.asarray(features @ vector + self.bias, dtype=np.float64)

    def order(
        self,
        text: str,
        candidates: Sequence[Candidate],
        skills: Mapping[str, Skill],
        occupations: Callable[[str], int] | None = None,
    ) -> list[Candidate]:
        """The top ``depth`` candidates, best first by the model; the rest after them, as they were."""
        head, tail = list(candidates[: self.depth]), list(candidates[self.depth :])
        if len(head) < 2:
            return [*head, *tail]
        model = self.scores(rerank_features(text, head, skills, occupations, self.depth))
        order = sorted(range(len(head)), key=lambda i: (-model[i], i))
        return [*(head[i] for i in order), *tail]

    def save(self, path: Path) -> None:
        data = {"weights": dict(self.weights), "bias": self.bias, "depth": self.depth, "info": dict(self.info)}
        path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> SkillReranker:
        data = json.loads(path.read_text(encoding="utf-8"))
        unknown = set(data["weights"]) - set(FEATURES)
        if unknown:
            raise ValueError(f"{path}: features this version does not compute: {sorted(unknown)}; retrain it")
        return cls(
            weights={str(k): float(v) for k, v in data["weights"].items()},
            bias=float(data["bias"]),
            depth=int(data.get("depth", 30)),
            info=dict(data.get("info", {})),
        )
