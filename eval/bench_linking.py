"""Time reading and linking a two-page résumé in the warm API. ``python -m eval.bench_linking``.

The app is built as ``stackwise serve`` builds it (the full indexes under ``STACKWISE_INDEX_DIR``, the
packaged embedding model, the embedded mode) over an in-memory database, and driven in process through
its ASGI interface (FastAPI's test client: the whole request path, without the network). One warm-up
upload loads the model and indexes and is not counted. Then each résumé is pasted as a new learner's
résumé (``PUT /v1/learners/{id}/resume/text``), ``--repeats`` times, and every request's wall time is
recorded.

The résumés are the real ones of ``resume_entities/traindata.json`` whose length is closest to two
pages (``--words``, default 900 words, about two pages of a plain résumé); each is pasted once per
repeat into a fresh learner, so nothing is served from a cache of an earlier identical upload. The run
prints the CPU count it ran on, p50 / p95 / max, and whether p95 meets the target (1.5 s). Only counts
and timings are printed, never résumé text.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

for _name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
    os.environ.setdefault(_name, "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from fastapi.testclient import TestClient  # noqa: E402

from assistant.adapters.search.embedding import LocalEmbedder  # noqa: E402
from assistant.api.app import create_app  # noqa: E402
from assistant.bootstrap import Stackwise  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from eval.resume_entities import Annotated, load  # noqa: E402

P95_TARGET_S = 1.5
DEFAULT_DATASET = Settings().source_data_dir / "eval" / "resume_entities" / "traindata.json"


def two_page(resumes: Sequence[Annotated], count: int, words: int) -> list[Annotated]:
    """The ``count`` résumés whose word count is closest to ``words``."""
    return sorted(resumes, key=lambda r: abs(len(r.content.split()) - words))[:count]


def quantile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def run(dataset: Path, count: int, words: int) -> dict[str, object]:
    chosen = two_page(load(dataset), count + 1, words)
    settings = Settings(database_url="sqlite:///:memory:", guest_rate_limit="100000/minute", rate_limit="100000/minute")
    root = Stackwise(settings)
    timings: dict[str, list[float]] = {"warm": [], "cold": []}
    kept: list[int] = []
    with TestClient(create_app(root)) as client:

        def paste(text: str) -> tuple[float, int]:
            issued = client.post("/v1/auth/guest", json={}).json()
            headers = {"X-API-Key": issued["api_key"]}
            start = time.perf_counter()
            answer = client.put("/v1/learners/me/resume/text", json={"text": text}, headers=headers)
            elapsed = time.perf_counter() - start
            answer.raise_for_status()
            return elapsed, len(answer.json()["skills"])

        warm_up, _ = paste(chosen[0].content)
        for cache in ("warm", "cold"):
            for resume in chosen[1:]:
                if cache == "cold" and isinstance(root.embedder, LocalEmbedder):
                    root.embedder.clear_cache()
                elapsed, held = paste(resume.content)
                timings[cache].append(elapsed)
                kept.append(held)
    root.close()
    figures: dict[str, object] = {
        "cpus": os.cpu_count(),
        "resumes": len(chosen) - 1,
        "words_median": statistics.median(len(r.content.split()) for r in chosen[1:]),
        "warm_up_s": round(warm_up, 3),
    }
    for cache, times in timings.items():
        figures |= {
            f"{cache}_p50_s": round(quantile(times, 0.5), 3),
            f"{cache}_p95_s": round(quantile(times, 0.95), 3),
            f"{cache}_max_s": round(max(times), 3),
        }
    figures |= {
        "skills_kept_median": statistics.median(kept),
        "p95_target_s": P95_TARGET_S,
        "meets_target": quantile(timings["cold"], 0.95) <= P95_TARGET_S,
    }
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    parser.add_argument("--count", type=int, default=20, help="résumés timed (default 20)")
    parser.add_argument("--words", type=int, default=900, help="target length in words (default 900)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    figures = run(args.dataset, args.count, args.words)
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key:>20}: {value}")
    return 0 if figures["meets_target"] else 1


if __name__ == "__main__":
    sys.exit(main())
