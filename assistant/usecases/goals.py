"""Goals in the learner's words: what a phrase means, one at a time or a file of them.

The chat, the API routes, the CLI and the pages all ask this one resolver (the advice asks it too, through
``resolve_occupation``), so "teacher" is the same question everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from assistant.core.goals import GoalAnswer, GoalResolver


@dataclass(frozen=True)
class Goals:
    resolver: GoalResolver

    def resolve(self, text: str) -> GoalAnswer:
        return self.resolver.resolve(text)

    def resolve_all(self, lines: Iterable[str]) -> Iterator[GoalAnswer]:
        """One answer per non-blank line, in order."""
        for line in lines:
            if line.strip():
                yield self.resolver.resolve(line.strip())
