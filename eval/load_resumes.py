"""The résumés the load run's learners upload: real ones, a different one for each learner (pure, no locust).

They come from ``../shared/data/eval/resume_entities`` (``testdata.json`` and ``traindata.json``, JSON lines
with a ``content`` field), are deduplicated by text, shuffled with a fixed seed and dealt in that order: the
k-th sign-up of the run gets the k-th résumé, so no two learners share one until the deck runs out (220
résumés; a two-minute run of 20 learners signs up about 30 times). A draw after the deck ran out deals the
same order again and is marked as a résumé the server has already seen.

The résumés are personal data: nothing here prints, logs or stores their text; only counts and indexes.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

FILES = ("testdata.json", "traindata.json")
SEED = 18
FIRST = "/v1/learners/me/resume (first upload)"  # a résumé the server has never seen: its lines are embedded
AGAIN = "/v1/learners/me/resume (re-upload)"  # a résumé the server has seen: its lines are cached
UPLOADS = frozenset({("PUT", FIRST), ("PUT", AGAIN)})


class MissingResumes(SystemExit):
    """The real résumés are not there; a one-line message that says where they were looked for."""


@dataclass(frozen=True)
class Resume:
    """One résumé, as the learner uploads it (a UTF-8 ``text/plain`` file); ``repr`` leaves the text out."""

    index: int
    text: str = field(repr=False)

    @property
    def file_name(self) -> str:
        return f"resume-{self.index:03d}.txt"

    def upload(self) -> tuple[str, bytes, str]:
        """The ``files`` entry of the upload request."""
        return self.file_name, self.text.encode("utf-8"), "text/plain"


def read_resumes(folder: Path) -> list[Resume]:
    """Every distinct non-empty résumé text in ``folder``'s files, in file order, indexed from 0."""
    present = [folder / name for name in FILES if (folder / name).is_file()]
    if not present:
        raise MissingResumes(
            f"no résumés for the load run: {folder} has none of {', '.join(FILES)} "
            "(point --resumes at resume_entities, or pass --sample-resumes to use the 3 fixtures, which flatter)"
        )
    texts: dict[str, None] = {}
    for path in present:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                content = json.loads(line).get("content")
            except (ValueError, AttributeError) as error:
                raise MissingResumes(
                    f"{path.name} line {number} is not a JSON object: {type(error).__name__}"
                ) from None
            if isinstance(content, str) and content.strip():
                texts.setdefault(content.strip(), None)
    if not texts:
        raise MissingResumes(f"no résumé text in {', '.join(p.name for p in present)} under {folder}")
    return [Resume(index, text) for index, text in enumerate(texts)]


def sample_resumes(folder: Path) -> list[Resume]:
    """The fixtures' sample résumés (the fallback): few, so learners share them and uploads mostly hit the cache."""
    return [Resume(index, path.read_text(encoding="utf-8")) for index, path in enumerate(sorted(folder.glob("*.txt")))]


@dataclass
class Deck:
    """Deals résumés to learners in a seeded order: distinct ones until all are dealt, then the same order again.

    ``seen`` holds the indexes of résumés the server read before the deal (the warm-up's): never a first upload."""

    resumes: Sequence[Resume]
    seed: int = SEED
    seen: frozenset[int] = frozenset()
    dealt: int = 0
    order: list[int] = field(init=False)

    def __post_init__(self) -> None:
        if not self.resumes:
            raise ValueError("no résumés to deal")
        self.order = list(range(len(self.resumes)))
        random.Random(self.seed).shuffle(self.order)

    def draw(self) -> tuple[Resume, bool]:
        """The next learner's résumé, and whether the server has never seen it (its first upload in the run)."""
        position = self.dealt
        self.dealt += 1
        index = self.order[position % len(self.order)]
        return self.resumes[index], position < len(self.order) and index not in self.seen

    @property
    def distinct_dealt(self) -> int:
        return min(self.dealt, len(self.order))


def upload_name(first: bool) -> str:
    """The name the upload is recorded under: first uploads and re-uploads are reported apart."""
    return FIRST if first else AGAIN
