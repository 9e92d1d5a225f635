"""How far a start's index build has got, for the API and the page: a small JSON file beside the indexes.

``stackwise serve`` opens the page before a first start's embedding is done; the launcher writes this file as
the build goes (at most once a second, atomically) and removes it at the end. The API reads it to answer
"still preparing (skills 45 %)" with a 503 instead of "index not built", and ``/ready`` names it. A file
left by a build that died (its process is gone) is ignored.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

FILE = ".build-progress.json"


@dataclass(frozen=True)
class BuildProgress:
    part: str
    done: int
    total: int
    parts: tuple[str, ...]
    pid: int
    started_at: float

    def describe(self) -> str:
        """``skills 45% (part 1 of 3)``."""
        share = round(100 * self.done / self.total) if self.total else 0
        position = self.parts.index(self.part) + 1 if self.part in self.parts else 1
        return f"{self.part} {share}% (part {position} of {len(self.parts)})"


class ProgressWriter:
    """Called with (part, done, total) as a build embeds; ``finish`` removes the file."""

    def __init__(self, index_dir: Path, parts: Sequence[str], every_s: float = 1.0) -> None:
        self.path = index_dir / FILE
        self.parts = tuple(parts)
        self.every_s = every_s
        self.started_at = time.time()
        self._last: float | None = None  # the first call always writes (monotonic time can start near 0)

    def __call__(self, part: str, done: int, total: int) -> None:
        now = time.monotonic()
        if self._last is not None and now - self._last < self.every_s and done < total:
            return
        self._last = now
        progress = BuildProgress(part, done, total, self.parts, os.getpid(), self.started_at)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{FILE}.{secrets.token_hex(4)}.tmp")
        tmp.write_text(json.dumps(asdict(progress)), encoding="utf-8")
        os.replace(tmp, self.path)

    def finish(self) -> None:
        self.path.unlink(missing_ok=True)


def read_progress(index_dir: Path) -> BuildProgress | None:
    """The build in progress, or None: no file, an unreadable one, or one whose build process is gone."""
    try:
        data = json.loads((index_dir / FILE).read_text(encoding="utf-8"))
        progress = BuildProgress(**{**data, "parts": tuple(data["parts"])})
    except (OSError, ValueError, TypeError, KeyError):
        return None
    try:
        os.kill(progress.pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:  # alive, another user's
        pass
    return progress
