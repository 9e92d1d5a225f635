"""Résumé linking on real résumés with annotated entities (``../shared/data/eval/resume_entities``).

Each résumé is read as the product reads a pasted one (structure, then linking); every skill link's
evidence span is located in the original text and compared with the annotated spans:

* **on a non-skill entity** — the evidence overlaps a name, company, designation, college, degree,
  location, e-mail, graduation year or years-of-experience span: a link that must not exist;
* **Skills coverage** — the share of annotated Skills spans that some kept link's evidence overlaps.

Products read by name (the profile's O*NET technologies) are counted apart, the same two ways.

Kept links (the profile) and links offered for confirmation are counted apart. The annotations are
incomplete (many skills written in prose are not marked), so coverage is a floor, and only the
non-skill share says something about precision. The 20 résumés of ``testdata.json`` are never used for
tuning; ``traindata.json`` is the development split.

The résumés are personal data: nothing here prints or stores their text, only counts, offsets and
labels.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.bootstrap import Stackwise
from assistant.core.models import Evidence, HeldSkill, HeldTechnology

NON_SKILL = frozenset(
    {
        "Name",
        "Companies worked at",
        "Designation",
        "College Name",
        "Degree",
        "Location",
        "Email Address",
        "Graduation Year",
        "Years of Experience",
    }
)
SKILLS = "Skills"


@dataclass(frozen=True)
class Annotated:
    """One résumé: its text and the labelled character spans (end exclusive)."""

    index: int
    content: str
    spans: tuple[tuple[str, int, int], ...]


def load(path: Path) -> list[Annotated]:
    out = []
    for index, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if not line.strip():
            continue
        row = json.loads(line)
        spans = []
        for annotation in row.get("annotation") or []:
            labels = annotation["label"] if isinstance(annotation["label"], list) else [annotation["label"]]
            for point in annotation["points"]:
                for label in labels:
                    spans.append((label, int(point["start"]), int(point["end"]) + 1))
        out.append(Annotated(index, row["content"], tuple(spans)))
    return out


def _pattern(text: str) -> re.Pattern[str] | None:
    """A regex for a line of the normalised document in the original text: tokens, any whitespace between."""
    tokens = [t for t in re.split(r"\s+", text.strip(" -•*·\t")) if t]
    if not tokens:
        return None
    return re.compile(r"\s+".join(re.escape(t) for t in tokens))


@dataclass
class Locator:
    """Finds a document line (and a span in it) in the original content, moving forward as lines do."""

    content: str
    cursor: int = 0
    cache: dict[int, tuple[int, int] | None] = field(default_factory=dict)

    def line(self, line_no: int, text: str) -> tuple[int, int] | None:
        if line_no in self.cache:
            return self.cache[line_no]
        pattern = _pattern(text)
        found = None
        if pattern is not None:
            match = pattern.search(self.content, self.cursor) or pattern.search(self.content)
            if match:
                found = (match.start(), match.end())
                self.cursor = max(self.cursor, match.end())
        self.cache[line_no] = found
        return found

    def evidence(self, evidence: Evidence) -> tuple[int, int] | None:
        if evidence.line_no is None:
            return None
        where = self.line(evidence.line_no, evidence.text)
        if where is None:
            return None
        if evidence.span is None:
            return where
        piece = evidence.text[evidence.span.start : evidence.span.end]
        pattern = _pattern(piece)
        region = self.content[where[0] : where[1]]
        match = pattern.search(region) if pattern else None
        return (where[0] + match.start(), where[0] + match.end()) if match else where


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@dataclass
class Tally:
    links: int = 0
    unlocated: int = 0
    on_non_skill: int = 0
    by_entity: Counter[str] = field(default_factory=Counter)
    resumes: int = 0

    def as_dict(self) -> dict[str, Any]:
        located = self.links - self.unlocated
        return {
            "links": self.links,
            "located": located,
            "on_non_skill_entity": self.on_non_skill,
            "on_non_skill_share": round(self.on_non_skill / located, 4) if located else None,
            "by_entity": dict(self.by_entity.most_common()),
        }


def _judge(links: Iterable[HeldSkill | HeldTechnology], resume: Annotated, locator: Locator, tally: Tally) -> set[int]:
    """Count links on non-skill entities; return the indices of the Skills spans the links touch."""
    non_skill = [(label, (s, e)) for label, s, e in resume.spans if label in NON_SKILL]
    skills = [(s, e) for label, s, e in resume.spans if label == SKILLS]
    touched: set[int] = set()
    for held in links:
        tally.links += 1
        spans = [span for span in (locator.evidence(e) for e in held.evidence) if span is not None]
        if not spans:
            tally.unlocated += 1
            continue
        hit = {label for span in spans for label, entity in non_skill if _overlaps(span, entity)}
        if hit:
            tally.on_non_skill += 1
            tally.by_entity.update(hit)
        touched |= {i for i, skill in enumerate(skills) if any(_overlaps(span, skill) for span in spans)}
    return touched


def evaluate(root: Stackwise, resumes: Sequence[Annotated]) -> dict[str, Any]:
    kept, possible, products = Tally(), Tally(), Tally()
    skills_spans = covered = covered_offered = covered_with_products = 0
    for resume in resumes:
        document = root.reader.document_from_text(resume.content)
        profile = root.reader.profile(document)
        locator = Locator(resume.content)
        touched = _judge(profile.skills, resume, locator, kept)
        touched_offered = _judge(profile.unconfirmed, resume, locator, possible)
        touched_products = _judge(profile.technologies, resume, locator, products)
        n_skills = sum(1 for label, _, _ in resume.spans if label == SKILLS)
        skills_spans += n_skills
        covered += len(touched)
        covered_offered += len(touched | touched_offered)
        covered_with_products += len(touched | touched_products)
        kept.resumes += 1
    return {
        "resumes": len(resumes),
        "kept": kept.as_dict(),
        "possible": possible.as_dict(),
        "technologies": products.as_dict(),
        "technologies_per_resume": round(products.links / len(resumes), 1) if resumes else 0.0,
        "skills_coverage_with_technologies": round(covered_with_products / skills_spans, 4) if skills_spans else None,
        "skills_spans": skills_spans,
        "skills_spans_covered": covered,
        "skills_coverage": round(covered / skills_spans, 4) if skills_spans else None,
        "skills_coverage_with_offered": round(covered_offered / skills_spans, 4) if skills_spans else None,
        "links_per_resume": round(kept.links / len(resumes), 1) if resumes else 0.0,
    }


def report(name: str, figures: dict[str, Any]) -> str:
    kept, possible = figures["kept"], figures["possible"]
    share = kept["on_non_skill_share"]
    lines = [
        f"résumé entities, {name}: {figures['resumes']} résumés",
        f"  kept links: {kept['links']} ({figures['links_per_resume']} a résumé), located {kept['located']}; "
        f"on a non-skill entity: {kept['on_non_skill_entity']} ({100 * share:.1f}%)"
        if share is not None
        else f"  kept links: {kept['links']}",
        f"  kept links by entity hit: {kept['by_entity']}",
        f"  annotated Skills spans covered by a kept link: {figures['skills_spans_covered']} of "
        f"{figures['skills_spans']} ({100 * (figures['skills_coverage'] or 0):.1f}%)",
        f"  offered for confirmation: {possible['links']}; on a non-skill entity: {possible['on_non_skill_entity']}; "
        f"Skills spans covered by kept or offered links: {100 * (figures['skills_coverage_with_offered'] or 0):.1f}%",
    ]
    tools = figures["technologies"]
    tools_share = tools["on_non_skill_share"]
    lines += [
        f"  products (O*NET technologies): {tools['links']} ({figures['technologies_per_resume']} a résumé); "
        f"on a non-skill entity: {tools['on_non_skill_entity']}"
        + (f" ({100 * tools_share:.1f}%)" if tools_share is not None else "")
        + f", by entity: {tools['by_entity']}",
        f"  Skills spans covered by a kept skill or a product: "
        f"{100 * (figures['skills_coverage_with_technologies'] or 0):.1f}%",
    ]
    return "\n".join(lines)
