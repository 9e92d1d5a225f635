"""Readers for the published evaluation formats (any file in them, not only the bundled ones)."""

from __future__ import annotations

import csv
import json
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from eval.metrics import Span, bio_spans

NO_LABEL = frozenset({"LABEL NOT PRESENT", "UNDERSPECIFIED"})


@dataclass(frozen=True)
class LinkingItem:
    """A sentence and the ESCO preferred labels annotated on its spans (Decorte et al. format)."""

    sentence: str
    gold_labels: frozenset[str]


def load_decorte(path: Path) -> tuple[list[LinkingItem], int]:
    """Group the span rows by sentence; drop sentences whose spans have no ESCO label.

    Returns the items and the number of sentences dropped, so a report can say what n is over.
    """
    gold: OrderedDict[str, set[str]] = OrderedDict()
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"sentence", "label"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: not the Decorte format, missing column(s) {sorted(missing)}")
        for row in reader:
            labels = gold.setdefault(row["sentence"], set())
            if row["label"] not in NO_LABEL:
                labels.add(row["label"])
    items = [LinkingItem(sentence, frozenset(labels)) for sentence, labels in gold.items() if labels]
    return items, len(gold) - len(items)


@dataclass(frozen=True)
class TitleItem:
    title: str
    occupation_uri: str


def load_titles(path: Path) -> list[TitleItem]:
    """JobBERT evaluation format: ``vacancyTitle`` and ``conceptUri`` columns."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"vacancyTitle", "conceptUri"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: not the JobBERT title format, missing column(s) {sorted(missing)}")
        return [TitleItem(row["vacancyTitle"].strip(), row["conceptUri"].strip()) for row in reader]


@dataclass(frozen=True)
class SpanSentence:
    tokens: tuple[str, ...]
    gold: tuple[Span, ...]


def load_skillspan(path: Path) -> list[SpanSentence]:
    """SkillSpan JSON lines; gold spans are the skill and the knowledge spans together."""
    sentences: list[SpanSentence] = []
    with path.open(encoding="utf-8") as handle:
        for index, line in enumerate(handle):
            if not line.strip():
                continue
            record = json.loads(line)
            spans = bio_spans(record["tags_skill"], index) + bio_spans(record["tags_knowledge"], index)
            sentences.append(SpanSentence(tuple(record["tokens"]), tuple(sorted(set(spans)))))
    return sentences


def load_conll(path: Path, entity: str = "Skill") -> list[SpanSentence]:
    """CoNLL BIO (one ``token tag`` per line, blank line between sentences); keeps ``entity`` spans only."""
    sentences: list[SpanSentence] = []
    tokens: list[str] = []
    tags: list[str] = []

    def flush() -> None:
        if tokens:
            kept = [tag if tag.endswith("-" + entity) else "O" for tag in tags]
            sentences.append(SpanSentence(tuple(tokens), tuple(bio_spans(kept, len(sentences)))))
            tokens.clear()
            tags.clear()

    with path.open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if not parts:
                flush()
                continue
            tokens.append(parts[0])
            tags.append(parts[-1] if len(parts) > 1 else "O")
    flush()
    return sentences
