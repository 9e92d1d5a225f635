"""O*NET technologies a course names ("Tableau", "Microsoft Excel", "Python"), found by their exact names.

O*NET lists the technologies each occupation uses, with *hot technology* and *in demand* flags, and the
product links many of them to an ESCO skill. A course that names one in its text is proposed with it, the
sentence that names it, and the ESCO skill it links to, for a person to accept in the review sheet
(accepting one adds the linked ESCO skill). Names are matched as whole words, case-sensitive, and only names
a reader would not mistake for an everyday word: three characters or more with a capital or a digit
("Excel" the program, not "excel" the verb; never "R" or "Go"), and a one-word name written like any word at
the start of a sentence ("Analyze the data", "Excel at…") only where it is not the first word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assistant.core.taxonomy import Taxonomy

_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9+#.]*[A-Za-z0-9+#]|[A-Za-z0-9]")
MAX_WORDS = 5


@dataclass(frozen=True)
class Technology:
    name: str
    hot: bool  # hot technology or in demand for some occupation
    skill_uri: str | None  # the ESCO skill it links to, if any


@dataclass(frozen=True)
class TechnologyMention:
    name: str
    hot: bool
    skill_uri: str | None
    sentence: str
    sentences: int


def _like_a_word(token: str) -> bool:
    """ "Analyze", "Excel", "Act": capitalised only as the first word of a sentence would be."""
    return token[:1].isupper() and token[1:].islower() and token.isalpha()


def _usable(name: str) -> bool:
    return len(name) >= 3 and any(c.isupper() or c.isdigit() for c in name)


class TechnologyFinder:
    """Exact-name lookup of O*NET technologies over word n-grams (fast on a whole catalog)."""

    def __init__(self, technologies: Iterable[Technology]) -> None:
        self._by_words: dict[tuple[str, ...], Technology] = {}
        for tech in technologies:
            words = tuple(_TOKEN.findall(tech.name))
            if _usable(tech.name) and 0 < len(words) <= MAX_WORDS:
                known = self._by_words.get(words)
                if known is None or (tech.hot and not known.hot) or (tech.skill_uri and not known.skill_uri):
                    self._by_words[words] = tech

    def __len__(self) -> int:
        return len(self._by_words)

    def find(self, sentences: Sequence[str]) -> list[TechnologyMention]:
        """The technologies these sentences name, longest name first at each place, with how many name each."""
        first: dict[str, tuple[Technology, str]] = {}
        count: dict[str, int] = {}
        for sentence in sentences:
            tokens = _TOKEN.findall(sentence)
            seen: set[str] = set()
            i = 0
            while i < len(tokens):
                for size in range(min(MAX_WORDS, len(tokens) - i), 0, -1):
                    tech = self._by_words.get(tuple(tokens[i : i + size]))
                    if tech is not None and i == 0 and size == 1 and _like_a_word(tokens[0]):
                        tech = None
                    if tech is not None:
                        if tech.name not in seen:
                            seen.add(tech.name)
                            count[tech.name] = count.get(tech.name, 0) + 1
                            first.setdefault(tech.name, (tech, sentence))
                        i += size - 1
                        break
                i += 1
        return [
            TechnologyMention(t.name, t.hot, t.skill_uri, sentence, count[name])
            for name, (t, sentence) in sorted(first.items(), key=lambda kv: (-count[kv[0]], kv[0]))
        ]


def technology_finder(taxonomy: Taxonomy) -> TechnologyFinder:
    """The finder over the taxonomy's O*NET technology examples, each flagged hot when any occupation flags it."""
    hot: dict[str, bool] = {}
    for tech in taxonomy.onet_technologies:
        hot[tech.example] = hot.get(tech.example, False) or tech.hot_technology or tech.in_demand
    return TechnologyFinder(Technology(name, flag, taxonomy.technology_skills.get(name)) for name, flag in hot.items())


__all__ = ["Technology", "TechnologyFinder", "TechnologyMention", "technology_finder"]
