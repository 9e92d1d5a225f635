"""Does the linker stay silent where there is no skill? ``stackwise eval abstain --dataset FILE``.

In the Decorte et al. sets, a span marked ``LABEL NOT PRESENT`` holds no ESCO skill. For each such span the
sentence is linked as the product links a résumé line (mentions, then the calibrated probability; the
sentence has no résumé around it, so the context features are empty), and the span counts as abstained
when no kept link's evidence overlaps it. The share of spans with any candidate mention at all (before
the threshold) is printed beside it.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path
from typing import Any

from assistant.bootstrap import Stackwise
from assistant.core.linking.calibration import link_features

NOT_PRESENT = "LABEL NOT PRESENT"


def labelled_spans(dataset: Path) -> dict[str, list[tuple[str, str]]]:
    """Sentence → its (span, label) rows, for spans written in it verbatim."""
    spans: dict[str, list[tuple[str, str]]] = defaultdict(list)
    with dataset.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            span = (row.get("span") or "").strip()
            if span and span in row["sentence"]:
                spans[row["sentence"]].append((span, row["label"]))
    return spans


def evaluate(root: Stackwise, dataset: Path) -> dict[str, Any]:
    spans = labelled_spans(dataset)
    sentences = list(spans)
    linker, calibration = root.skill_linker, root.link_calibration
    mentions = linker.mentions_many(sentences)
    labels = {skill.preferred_label: uri for uri, skill in root.taxonomy.skills.items()}
    total = abstained = candidate_free = gold = gold_kept = 0
    for sentence, found in zip(sentences, mentions, strict=True):
        kept = [
            m
            for m in found
            if calibration.probability(link_features(m, linker.skills[m.uri], sentence, None)) >= calibration.keep
        ]
        for span, label in spans[sentence]:
            start = sentence.index(span)
            end = start + len(span)
            if label != NOT_PRESENT:
                gold += 1
                gold_kept += any(m.uri == labels.get(label) and m.start < end and start < m.end for m in kept)
                continue
            total += 1
            abstained += not any(m.start < end and start < m.end for m in kept)
            candidate_free += not any(m.start < end and start < m.end for m in found)
    return {
        "dataset": dataset.name,
        "spans": total,
        "abstained": abstained,
        "abstention_rate": round(abstained / total, 4) if total else None,
        "no_candidate_rate": round(candidate_free / total, 4) if total else None,
        "labelled_spans": gold,
        "labelled_kept_right": gold_kept,
    }
