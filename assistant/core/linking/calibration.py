"""How likely a skill link read from a résumé is right: features of the link, a logistic model over them,
and the two thresholds that decide what the profile keeps and what it only offers.

The linker's confidence ranks candidates well but says little about whether a link should exist at all
(on real résumés, links under 0.7 were right a third of the time). The model here turns what is known
about a link — its route (an exact label or a paraphrase), its score and the margin to the next
candidate, the phrase (one capitalised word, an acronym, a number), the section and kind of line, how
much of the skill's label the phrase holds — into a probability, trained by ``python -m
eval.calibrate_links`` on judged links (``eval/linking_judgments/``) and stored as a small JSON file.

``keep`` is the lowest probability whose links were at least 90 % right on the development judgments;
``offer`` the floor below which a link is not even offered for confirmation.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from assistant.core.linking.linker import SkillMention
from assistant.core.linking.phrases import looks_like_a_list
from assistant.core.models import Skill

_WORD = re.compile(r"[a-z0-9+#]+")
_STOP = frozenset(["a", "an", "and", "of", "the", "to", "in", "for", "with", "on", "use", "using", "at", "by", "or"])
SECTIONS = ("skills", "experience", "summary", "education", "projects", "certifications", "other")

#: used when no calibration file is configured: the linker's own score, as before
UNCALIBRATED_KEEP = 0.0
UNCALIBRATED_OFFER = 0.0


def _content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.casefold()) if w not in _STOP}


@dataclass(frozen=True)
class LinkContext:
    """What the rest of the résumé says about a link: whether its skill belongs with the others.

    A word read in the wrong sense ("logging" → *tree felling* in a software résumé) links a skill from
    another trade; the other links of the same résumé do not share an occupation with it, and its label is
    far from what the résumé is about.
    """

    support: float = 0.0  # share of the résumé's other linked skills that share an ESCO occupation with it
    topic: float = 0.0  # cosine between the skill's label and the résumé's content lines, on average
    repeats: int = 1  # lines of the résumé that link it
    occupations: int = 0  # ESCO occupations that require it (transversal skills: many)


def link_features(
    mention: SkillMention, skill: Skill, line_text: str, section: str | None, context: LinkContext | None = None
) -> dict[str, float]:
    """The numbers the model reads (all in about [0, 1])."""
    context = context or LinkContext()
    phrase = mention.text.strip()
    words = phrase.split()
    label_words = _content_words(skill.preferred_label)
    labels = [skill.preferred_label, *skill.alt_labels]
    best_overlap = max(
        (len(_content_words(label) & _content_words(phrase)) / max(1, len(_content_words(label))) for label in labels),
        default=0.0,
    )
    section_name = section if section in SECTIONS else "other"
    letters = [c for c in phrase if c.isalpha()]
    acronym = bool(letters) and len(letters) <= 5 and all(c.isupper() for c in letters)
    features = {
        "confidence": mention.confidence,
        "exact": float(mention.method == "exact-label"),
        "margin": min(1.0, max(0.0, mention.margin)),
        "one_word": float(len(words) == 1),
        "acronym": float(acronym),
        "digits": float(any(c.isdigit() for c in phrase)),
        "phrase_words": min(len(words), 12) / 12,
        "label_words": min(len(label_words), 6) / 6,
        "label_overlap": best_overlap,
        "whole_line": float(len(phrase) >= 0.8 * len(line_text.strip())),
        "list_line": float(looks_like_a_list(line_text)),
        "capitalised": sum(w[:1].isupper() for w in words) / max(1, len(words)),
        "knowledge": float(str(skill.skill_type or "") == "knowledge"),
        "language": float("language" in " ".join(str(c) for c in skill.collections)),
    }
    features.update(
        {
            "support": context.support,
            "topic": max(0.0, context.topic),
            "repeated": float(context.repeats > 1),
            "occupations": min(1.0, math.log1p(context.occupations) / math.log(1000)),
        }
    )
    features.update({f"section_{name}": float(name == section_name) for name in SECTIONS})
    return features


@dataclass(frozen=True)
class LinkCalibration:
    """A logistic model over :func:`link_features`, and where to keep or offer a link."""

    weights: Mapping[str, float] = field(default_factory=dict)
    bias: float = 0.0
    keep: float = UNCALIBRATED_KEEP
    offer: float = UNCALIBRATED_OFFER
    info: Mapping[str, object] = field(default_factory=dict)

    @property
    def fitted(self) -> bool:
        return bool(self.weights)

    def probability(self, features: Mapping[str, float]) -> float:
        """P(the link is right); without a fitted model, the linker's own confidence."""
        if not self.fitted:
            return float(features["confidence"])
        z = self.bias + sum(weight * features.get(name, 0.0) for name, weight in self.weights.items())
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))

    def save(self, path: Path) -> None:
        data = {"weights": dict(self.weights), "bias": self.bias, "keep": self.keep, "offer": self.offer}
        path.write_text(json.dumps({**data, "info": dict(self.info)}, indent=2, sort_keys=True) + "\n")

    @classmethod
    def load(cls, path: Path) -> LinkCalibration:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            weights={str(k): float(v) for k, v in data["weights"].items()},
            bias=float(data["bias"]),
            keep=float(data["keep"]),
            offer=float(data["offer"]),
            info=dict(data.get("info", {})),
        )
