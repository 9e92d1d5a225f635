"""Precision of the skills a profile keeps, on hand-judged links: ``stackwise eval judged``.

Reads the held-out résumés again as the product reads them now (``eval/resumes/heldout``,
``eval/resumes/heldout2`` and the 20 résumés of ``resume_entities/testdata.json``, which are never used for
tuning), takes each skill the
profile keeps (its best line), and looks up the verdict in ``eval/linking_judgments/heldout-*.jsonl``
(``RULE.md`` says how links are judged). It prints strict precision (right only), lenient precision (right
or borderline), the number of kept skills, of résumés and fields, and how many kept skills have no verdict
yet: those must be judged before the figure means anything (a change to the linker can keep new ones).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from assistant.bootstrap import Stackwise
from eval.calibrate_links import JUDGMENTS, ROOT, load_judgments
from eval.link_dump import documents, dump, dump_technologies

HELDOUT_SOURCES = (
    "eval/resumes/heldout",
    "eval/resumes/heldout2",
    "../shared/data/eval/resume_entities/testdata.json:0-19",
)


def kept_links(root: Stackwise, sources: Sequence[str]) -> list[dict[str, Any]]:
    """The best line of every skill the profile keeps, per résumé."""
    keep = root.link_calibration.keep
    best: dict[tuple[str, str], dict[str, Any]] = {}
    for name, text in documents([str(ROOT / s) for s in sources]):
        for row in dump(root, name, text):
            key = (row["doc"], row["skill_uri"])
            if row["probability"] >= keep and (key not in best or row["probability"] > best[key]["probability"]):
                best[key] = row
    return list(best.values())


def listed_technologies(root: Stackwise, sources: Sequence[str]) -> list[dict[str, Any]]:
    """Every product the profile lists, per résumé, with the first line that names it."""
    return [
        row for name, text in documents([str(ROOT / s) for s in sources]) for row in dump_technologies(root, name, text)
    ]


def evaluate(root: Stackwise, sources: Sequence[str] = HELDOUT_SOURCES) -> dict[str, Any]:
    """Precision of the kept skills, of the listed products, and of both together."""
    verdicts = load_judgments(JUDGMENTS, prefix="heldout-")
    skills = _precision(root, kept_links(root, sources), verdicts)
    products = _precision(root, listed_technologies(root, sources), verdicts)
    both = _precision(root, [*skills.pop("rows"), *products.pop("rows")], verdicts)
    both.pop("rows")
    return {**skills, "technologies": products, "together": both}


def _precision(
    root: Stackwise, kept: list[dict[str, Any]], verdicts: dict[tuple[str, int, str], str]
) -> dict[str, Any]:
    judged: Counter[str] = Counter()
    unjudged = []
    for row in kept:
        verdict = verdicts.get((row["doc"], row["line_no"], row["skill_uri"]))
        if verdict is None:
            unjudged.append(row["id"])
        else:
            judged[verdict] += 1
    n = sum(judged.values())
    docs = {row["doc"] for row in kept}
    fields = {doc.split("/", 1)[1] if doc.startswith("heldout") else "it (resume_entities)" for doc in docs}
    return {
        "kept": len(kept),
        "judged": n,
        "unjudged": len(unjudged),
        "unjudged_ids": unjudged[:20],
        "right": judged["right"],
        "borderline": judged["borderline"],
        "wrong": judged["wrong"],
        "strict_precision": round(judged["right"] / n, 4) if n else None,
        "lenient_precision": round((judged["right"] + judged["borderline"]) / n, 4) if n else None,
        "resumes_with_kept": len(docs),
        "fields": sorted(fields),
        "keep_threshold": root.link_calibration.keep,
        "rows": kept,
    }


def report(figures: dict[str, Any]) -> str:
    lines = [_lines("kept skills", figures, f"; keep threshold {figures['keep_threshold']}")]
    lines.append(_lines("listed products (O*NET technologies)", figures["technologies"], ""))
    lines.append(_lines("skills and products together", figures["together"], ""))
    return "\n".join(lines)


def _lines(what: str, figures: dict[str, Any], extra: str) -> str:
    strict, lenient = figures["strict_precision"], figures["lenient_precision"]
    lines = [
        f"held-out {what}: {figures['kept']} from {figures['resumes_with_kept']} résumés in "
        f"{len(figures['fields'])} fields ({', '.join(figures['fields'])}){extra}",
        f"  judged {figures['judged']}: right {figures['right']}, borderline {figures['borderline']}, "
        f"wrong {figures['wrong']}",
    ]
    if strict is not None:
        lines.append(f"  strict precision {strict:.3f}; right or borderline {lenient:.3f}")
    if figures["unjudged"]:
        lines.append(f"  NOT JUDGED YET: {figures['unjudged']} (the precision above leaves them out)")
    return "\n".join(lines)
