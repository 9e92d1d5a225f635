"""Errors of the vector-index layer.

StackwiseError
├── EmbedderError             an embedding backend is missing, failed to load, or failed its quality check
└── VectorIndexError          something is wrong with the built indexes; the message says how to fix it
    ├── IndexStaleError       built from other inputs or with another model (or not built yet)
    │   └── IndexNotBuiltError    no index at all in the index folder
    └── IndexCorruptError     a file is missing, truncated or changed since it was written
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from assistant.core.errors import StackwiseError

BUILD_COMMAND = "stackwise index build"
CATALOG_BUILD_COMMAND = "stackwise index build --catalog-only"


@dataclass(frozen=True)
class PartProblem:
    """What is wrong with one part (``skills``, ``occupations``, ``credentials``)."""

    part: str
    reason: str
    corrupt: bool = False

    def __str__(self) -> str:
        return f"{self.part}: {self.reason}"


def rebuild_hint(parts: Iterable[str]) -> str:
    """The command that fixes these parts: the catalog alone rebuilds in seconds."""
    names = set(parts)
    if names and names <= {"credentials"}:
        return f"run `{CATALOG_BUILD_COMMAND}` (re-embeds the catalog only)"
    return f"run `{BUILD_COMMAND}` (rebuilds only what is stale)"


class EmbedderError(StackwiseError):
    """An embedding backend is unavailable, failed to load, or produced vectors that failed a check."""


class VectorIndexError(StackwiseError):
    """Base of the index errors; ``problems`` names each part and what is wrong with it."""

    def __init__(self, problems: Iterable[PartProblem], index_dir: object, summary: str) -> None:
        self.problems = tuple(problems)
        self.index_dir = index_dir
        self.parts = tuple(problem.part for problem in self.problems)
        lines = [f"{summary} in {index_dir}:"]
        lines += [f"  - {problem}" for problem in self.problems]
        lines.append(rebuild_hint(self.parts))
        super().__init__("\n".join(lines))


class IndexStaleError(VectorIndexError):
    """Built from other inputs, with another model, or an older format: rebuild it."""

    def __init__(self, problems: Iterable[PartProblem], index_dir: object, summary: str = "index is stale") -> None:
        super().__init__(problems, index_dir, summary)


class IndexNotBuiltError(IndexStaleError):
    """No index was built in this folder yet."""

    def __init__(self, problems: Iterable[PartProblem], index_dir: object) -> None:
        super().__init__(problems, index_dir, "index not built")


class IndexCorruptError(VectorIndexError):
    """A file is missing, unreadable, or does not match the checksum its manifest recorded."""

    def __init__(self, problems: Iterable[PartProblem], index_dir: object) -> None:
        super().__init__(problems, index_dir, "index is corrupt")
