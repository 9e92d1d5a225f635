"""Exact matching of ESCO labels in text: the layer that never misses a skill named verbatim.

A résumé that says "Python" or "data analysis" must be linked to the ESCO skill with that label
whatever the embedding model thinks. Labels are matched as whole token sequences, case-folded.
One-word labels are the risky ones ("current", "press", "conversation" are ESCO labels), so a
one-word label matches in running text only when it looks like a name (has a capital, digit or
symbol: "SQL", "Tableau", "C++") — and anywhere inside a skills list, where every item is meant as
a skill.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from assistant.core.models import Skill

_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9+#.]*[A-Za-z0-9+#]|[A-Za-z0-9]")
MAX_LABEL_TOKENS = 8


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """Tokens with their character offsets; ``C++``, ``C#``, ``Node.js`` and ``ASP.NET`` stay whole."""
    return [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _key(tokens: Iterable[str]) -> tuple[str, ...]:
    return tuple(token.casefold() for token in tokens)


def _looks_like_a_name(label: str) -> bool:
    return any(ch.isupper() or ch.isdigit() or ch in "+#." for ch in label)


@dataclass(frozen=True, slots=True)
class LabelMatch:
    """A label found in the text: which skill, which label, where (character offsets)."""

    skill_uri: str
    label: str
    preferred: bool
    start: int
    end: int


class SkillLexicon:
    """Token-sequence dictionary over every preferred and alternative ESCO label."""

    def __init__(self, skills: Iterable[Skill]) -> None:
        self._entries: dict[tuple[str, ...], list[tuple[str, str, bool]]] = {}
        for skill in skills:
            for label in skill.labels:
                tokens = [token for token, _, _ in tokenize(label)]
                if not tokens or len(tokens) > MAX_LABEL_TOKENS:
                    continue
                entry = (skill.uri, label, label == skill.preferred_label)
                bucket = self._entries.setdefault(_key(tokens), [])
                if all(existing[0] != skill.uri for existing in bucket):
                    bucket.append(entry)

    def __len__(self) -> int:
        return len(self._entries)

    def lookup(self, phrase: str) -> list[tuple[str, str, bool]]:
        """Skills whose label is exactly this phrase (case-insensitive): (URI, label, preferred)."""
        return list(self._entries.get(_key(token for token, _, _ in tokenize(phrase)), ()))

    def find(self, text: str, *, list_context: bool = False) -> list[LabelMatch]:
        """Every label occurrence, longest first at each position, overlaps removed left to right."""
        tokens = tokenize(text)
        matches: list[LabelMatch] = []
        position = 0
        while position < len(tokens):
            found = self._longest_at(text, tokens, position, list_context)
            if found:
                matches.extend(found)
                position += len(tokenize(text[found[0].start : found[0].end]))
            else:
                position += 1
        return matches

    def _longest_at(
        self, text: str, tokens: list[tuple[str, int, int]], position: int, list_context: bool
    ) -> list[LabelMatch]:
        for length in range(min(MAX_LABEL_TOKENS, len(tokens) - position), 0, -1):
            window = tokens[position : position + length]
            entries = self._entries.get(_key(token for token, _, _ in window))
            if not entries:
                continue
            start, end = window[0][1], window[-1][2]
            surface = text[start:end]
            if length == 1:
                entries = [e for e in entries if self._single_word_ok(e[1], surface, text, start, end, list_context)]
                if not entries:
                    continue
            return [LabelMatch(uri, label, preferred, start, end) for uri, label, preferred in entries]
        return []

    @staticmethod
    def _single_word_ok(label: str, surface: str, text: str, start: int, end: int, list_context: bool) -> bool:
        if _looks_like_a_name(label):
            return surface == label or (surface.isupper() and surface.casefold() == label.casefold())
        if not list_context:
            return False
        before = text[:start].rstrip()
        after = text[end:].lstrip()
        return (not before or before[-1] in ",;|•·:(/") and (not after or after[0] in ",;|•·)/.")
