"""Is a text one person's résumé? ``python -m eval.one_person``.

Counts, never text: how many real résumés the check refuses (each is one person, so every refusal is
wrong) and how many random joins of 2, 3, 5 and 20 of them it refuses (each is several people). The
résumés: ``../shared/data/eval/resume_entities`` (development and test splits) and ours in
``eval/resumes`` (dev, and the held-out folders). The limits in ``assistant/core/resume/one_person.py``
were set on the development split and ``eval/resumes/dev``; the test split and our held-out résumés were
not looked at.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Sequence
from pathlib import Path

from assistant.core.resume import structure
from assistant.core.resume.one_person import not_one_person

HERE = Path(__file__).resolve().parent
ENTITIES = HERE.parent.parent / "shared" / "data" / "eval" / "resume_entities"


def _texts(split: str) -> list[str]:
    from eval.resume_entities import load

    path = ENTITIES / f"{split}data.json"
    return [r.content for r in load(path)] if path.exists() else []


def refused(texts: Sequence[str]) -> int:
    return sum(not_one_person(structure(t)) is not None for t in texts)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--joins", type=int, default=100, help="random joins per size")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    own = HERE / "resumes"
    dev = _texts("train") + [p.read_text(encoding="utf-8") for p in sorted((own / "dev").glob("*.txt"))]
    test = _texts("test") + [p.read_text(encoding="utf-8") for p in sorted(own.glob("heldout*/*.txt"))]
    print(f"one person, development: refused {refused(dev)} of {len(dev)}")
    print(f"one person, held out:    refused {refused(test)} of {len(test)}")
    rng = random.Random(args.seed)
    pool = dev + test
    for size in (2, 3, 5, 20):
        joins = ["\n\n".join(rng.sample(pool, size)) for _ in range(args.joins if size < 20 else 10)]
        print(f"{size:>2} joined:                refused {refused(joins)} of {len(joins)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
