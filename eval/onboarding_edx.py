"""Onboard the real edX export and measure it: wall time, rows, duplicates, and the hand-judged precision of
the skills the current rule accepts unattended.

    python -m eval.onboarding_edx                 # onboard into a temporary folder (the timed benchmark)
    python -m eval.onboarding_edx --out DIR       # the same, keeping the folder (for apply-review)
    python -m eval.onboarding_edx --folder DIR    # measure an onboarding folder already written

Precision is read from ``eval/onboarding/judgments.jsonl`` (rule in ``eval/onboarding/RULE.md``): of the judged
(course, skill) pairs the current onboarding accepts unattended, the share judged correct, by split. The
``heldout2`` part was judged after the rule was fixed and was never used to choose it. The wall time is the
whole ``stackwise catalog onboard`` use case (model and index load included) on this machine's cores; it is
printed beside the number of CPU cores, since it is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

JUDGMENTS = Path(__file__).parent / "onboarding" / "judgments.jsonl"
EXPORT = Path(__file__).resolve().parents[2] / "shared" / "data" / "catalogs" / "edx" / "edx_courses.csv"


def _onboard(out: Path) -> float:
    from assistant.bootstrap import Stackwise
    from assistant.settings import Settings
    from index.catalogs.onboard.pipeline import onboard
    from index.catalogs.onboard.technologies import technology_finder

    started = time.perf_counter()
    base = Settings()
    settings = base.model_copy(update={"embedding": base.embedding.model_copy(update={"backend": "auto"})})
    service = Stackwise(settings)
    skills = service.taxonomy.skills
    onboard(
        EXPORT,
        out,
        service.skill_linker,
        is_language_skill=lambda uri: uri in skills and "language" in skills[uri].collections,
        technologies=technology_finder(service.taxonomy),
    )
    return time.perf_counter() - started


def measure(folder: Path) -> dict[str, Any]:
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    accepted: set[tuple[str, str]] = set()
    suggested: set[tuple[str, str]] = set()
    rows_with_unattended = 0
    with (folder / "proposals.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            proposal = json.loads(line)
            rows_with_unattended += any(skill["auto"] for skill in proposal["skills"])
            for skill in proposal["skills"]:
                suggested.add((proposal["url"], skill["uri"]))
                if skill["auto"]:
                    accepted.add((proposal["url"], skill["uri"]))
    judged = [json.loads(line) for line in JUDGMENTS.open(encoding="utf-8") if line.strip()]
    by_split: dict[str, Counter[str]] = {}
    for item in judged:
        pair = (item["course_url"], item["skill_uri"])
        if pair in accepted:
            by_split.setdefault(item["split"], Counter())[item["verdict"]] += 1
    precision = {
        split: {"correct": c["correct"], "judged": c["correct"] + c["wrong"]} for split, c in sorted(by_split.items())
    }
    return {
        "summary": summary,
        "precision_of_unattended": precision,
        "suggested_pairs": len(suggested),
        "rows_with_unattended": rows_with_unattended,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, help="An onboarding folder already written (skips the timed run).")
    parser.add_argument("--out", type=Path, help="Keep the timed run's folder here (for apply-review).")
    args = parser.parse_args()
    if args.folder is not None:
        result = measure(args.folder)
    elif args.out is not None:
        seconds = _onboard(args.out)
        result = {**measure(args.out), "wall_seconds": round(seconds, 1), "cpu_cores": os.cpu_count()}
    else:
        with tempfile.TemporaryDirectory() as tmp:
            seconds = _onboard(Path(tmp) / "edx")
            result = measure(Path(tmp) / "edx")
            result["wall_seconds"] = round(seconds, 1)
            result["cpu_cores"] = os.cpu_count()
    s = result["summary"]
    print(
        f"edX export: {s['rows']} CSV records -> {s['courses']} courses; {s['rows_with_suggested_skills']} with "
        f"suggested skills, {s['auto_accepted_skills']} suggestions accepted unattended; prices stated "
        f"{s['prices_stated']}; duplicate groups {s['duplicate_groups']} ({s['duplicate_rows']} rows); "
        f"misaligned rows {s['misaligned_rows']}; issues {s['issues']}"
    )
    print(f"courses with at least one skill accepted unattended: {result['rows_with_unattended']}")
    for split, p in result["precision_of_unattended"].items():
        share = p["correct"] / p["judged"] if p["judged"] else 0.0
        print(f"precision of unattended skills, {split}: {p['correct']}/{p['judged']} ({share:.1%})")
    if "wall_seconds" in result:
        print(f"wall time: {result['wall_seconds']} s on {result['cpu_cores']} CPU cores")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
