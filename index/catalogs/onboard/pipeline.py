"""Onboard a registrar's export: read it as it is, propose a catalog record per course, and write what a
person reviews.

The steps, each in its own module: spilled lines joined back (:mod:`records`), the column mapping read or
inferred (:mod:`mapping`), stable ids and duplicate groups (:mod:`identity`), fields read from their text
with the text kept (:mod:`fields`), ESCO skills suggested from the course's own sentences (:mod:`skills`).
Everything is read and computed before anything is written; the folder is then written whole (a temporary
folder renamed into place), so a bad export or an interrupted run leaves nothing half-written, and a folder
that already holds a review someone may have edited is never overwritten.

The folder holds ``mapping.yaml`` (the mapping used), ``proposals.jsonl`` (one proposed record per course,
with every value's source text), ``review.csv`` (one line per course and per suggested skill, with a
``decision`` column), ``issues.csv`` (every problem found, with its line) and ``summary.json``.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from dataclasses import replace as replace_field
from pathlib import Path
from typing import Any

from assistant.core.errors import CatalogValidationError, DataIssue, DataSourceError
from index.catalogs.issue_report import write_issue_report
from index.catalogs.onboard.fields import (
    NOT_STATED,
    Read,
    read_effort,
    read_language,
    read_length,
    read_level,
    read_pacing,
    read_price,
)
from index.catalogs.onboard.identity import duplicate_groups, propose_ids
from index.catalogs.onboard.mapping import OnboardMapping, inferred_mapping, mapping_yaml, read_mapping
from index.catalogs.onboard.records import URL, rejoin
from index.catalogs.onboard.skills import MentionFinder, Suggestion, auto_accepted, sentences_of, suggest_skills
from index.catalogs.onboard.technologies import TechnologyFinder
from index.catalogs.source import DEFAULT_MAX_BYTES, decode, read_limited

REVIEW_COLUMNS = (
    "kind", "id", "title", "decision", "auto", "skill_uri", "skill_label", "confidence", "sentences", "evidence",
    "duplicate_group", "price", "currency", "workload_hours", "duration_weeks", "eqf_level", "level_stated",
    "language", "pacing", "delivery_mode", "url", "not_stated", "export_lines", "note",
)  # fmt: skip
#: a record with this many cells holding text of another kind is a misaligned line, not a course
MISALIGNED_CELLS = 2
ACCEPT, REJECT = "accept", "reject"
MAX_OUTCOMES = 12
_SKIP_ROW_CELLS = 2  # a record filling fewer cells than this is no course


@dataclass(frozen=True)
class OnboardSummary:
    """What ``--json`` prints."""

    export: str
    rows: int  # the export's CSV records (lines a spilled cell broke off included)
    courses: int  # records once spilled lines are joined back
    proposed: int
    rows_with_skills_cell: int
    rows_with_suggested_skills: int
    rows_with_technologies: int  # rows naming an O*NET technology
    suggested_skills: int
    auto_accepted_skills: int
    prices_stated: int
    workload_stated: int
    duplicate_groups: int
    duplicate_rows: int
    misaligned_rows: int  # rejected unattended: cells holding text of another kind
    issues: int
    mapping: str
    review: str
    proposals: str
    issues_file: str
    mapping_inferred: bool
    seconds: float = 0.0
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class Proposal:
    """One course as the export states it; ``None`` where it states nothing (``not_stated`` says which)."""

    id: str
    title: str
    institution: str
    lines: list[int]
    url: str | None
    subject: str | None
    description: str | None
    outcomes: list[str]
    price: float | None
    currency: str | None
    free_to_audit: bool
    effort_hours_per_week: list[float] | None
    duration_weeks: float | None
    workload_hours: float | None
    level_stated: str | None
    language: str | None
    pacing: str | None
    delivery_mode: str | None
    skills: list[dict[str, Any]]
    sources: dict[str, str]  # field → the export text it was read from
    not_stated: list[str]
    constants: dict[str, str] = field(default_factory=dict)  # the mapping's facts for every course
    technologies: list[dict[str, Any]] = field(default_factory=list)  # O*NET technologies it names
    duplicate_group: str = ""
    duplicate_reason: str = ""
    unreadable: list[str] = field(default_factory=list)  # fields whose cell holds text of another kind

    @property
    def misaligned(self) -> bool:
        return len(self.unreadable) >= MISALIGNED_CELLS


def read_export(path: Path, *, encoding: str = "utf-8-sig", max_bytes: int = DEFAULT_MAX_BYTES) -> list[list[str]]:
    """The export's CSV records, header first; a clear error for a missing, oversized, undecodable or empty file."""
    file = str(path)
    text = decode(read_limited(path, max_bytes), encoding, file)
    if "\x00" in text:
        raise DataSourceError(f"{file}: holds binary data (a NUL byte), not CSV text; export the catalog as CSV")
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise CatalogValidationError([DataIssue(file=file, message=f"not readable as CSV: {exc}")], file) from None
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if len(rows) < 2:
        raise DataSourceError(f"{file}: no header and course rows found; is this a CSV export of the catalog?")
    return rows


def _text(cells: Mapping[str, str], mapping: OnboardMapping, name: str) -> str:
    column = mapping.columns.get(name)
    return cells.get(column, "").strip() if column else ""


def _outcomes(text: str) -> list[str]:
    """Learning outcomes as the export lists them: one per line or bullet, the first dozen."""
    lines = [line.strip(" -•*\t") for line in text.splitlines()]
    return [line for line in lines if len(line) >= 8][:MAX_OUTCOMES]


def propose(
    path: Path,
    finder: MentionFinder,
    *,
    is_language_skill: Callable[[str], bool],
    mapping: OnboardMapping | None = None,
    technologies: TechnologyFinder | None = None,
    encoding: str = "utf-8-sig",
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> tuple[OnboardMapping, list[Proposal], list[DataIssue], int]:
    """Read the export and propose a record per course (no file is written). Returns the mapping used, the
    proposals, the issues found and the number of CSV records."""
    file = str(path)
    rows = read_export(path, encoding=encoding, max_bytes=max_bytes)
    header = [name.strip() for name in rows[0]]
    dicts = [{name: (row[i] if i < len(row) else "") for i, name in enumerate(header)} for row in rows[1:]]
    used = mapping or inferred_mapping(header, dicts)
    used.check_columns(header, file)
    joined = rejoin(header, rows[1:], url_column=used.columns.get("url"))
    issues = [
        DataIssue(file=file, row=line, message="a fragment of text with no course before it; left out")
        for line in joined.orphans
    ]
    records = [r for r in joined.records if sum(bool(v.strip()) for v in r.cells.values()) >= _SKIP_ROW_CELLS]
    constants = used.constants
    titles = [_text(r.cells, used, "title") for r in records]
    institutions = [_text(r.cells, used, "institution") or constants.get("institution", "") for r in records]
    ids = propose_ids(titles, institutions)
    texts = [[_text(r.cells, used, name) for name in ("summary", "description", "learning_outcomes")] for r in records]
    cells = [_text(r.cells, used, "skills") for r in records]
    suggestions = suggest_skills(finder, texts, skill_cells=cells)
    proposals: list[Proposal] = []
    for record, row_id, title, institution, found, course_texts, cell in zip(
        records, ids, titles, institutions, suggestions, texts, cells, strict=True
    ):
        line = record.lines[0]
        if not title:
            issues.append(DataIssue(file=file, row=line, field="title", record_id=row_id, message="no title"))
        proposal = _proposal(record.cells, used, row_id, title, institution, record.lines, found, is_language_skill)
        if technologies is not None:
            named = technologies.find([*sentences_of(course_texts), *filter(None, [cell])])
            proposal.technologies = [
                {
                    "name": t.name,
                    "hot": t.hot,
                    "skill_uri": t.skill_uri,
                    "evidence": t.sentence,
                    "sentences": t.sentences,
                }
                for t in named
            ]
        for name, source in proposal.sources.items():
            if name in proposal.not_stated and source.strip() and source.strip().lower() not in {"none", "n/a"}:
                proposal.unreadable.append(name)
                issues.append(
                    DataIssue(
                        file=file,
                        row=line,
                        field=name,
                        record_id=row_id,
                        message=f"cannot read {source[:60]!r} as {name}; left not stated",
                    )
                )
        if proposal.misaligned:
            issues.append(
                DataIssue(
                    file=file,
                    row=line,
                    record_id=row_id,
                    message=f"looks misaligned ({', '.join(proposal.unreadable)} hold text of another kind); "
                    "left out unless a reviewer accepts it",
                )
            )
        proposals.append(proposal)
    by_id = {p.id: p for p in proposals}
    for n, group in enumerate(
        duplicate_groups((p.id, p.title, p.institution, _course_text(p)) for p in proposals), start=1
    ):
        for k, member in enumerate(group.ids):
            by_id[member].duplicate_group = f"D{n}"
            by_id[member].duplicate_reason = group.reason if k == 0 else f"{group.reason} as {group.ids[0]}"
    return used, proposals, issues, len(rows) - 1


def _proposal(
    cells: Mapping[str, str],
    mapping: OnboardMapping,
    row_id: str,
    title: str,
    institution: str,
    lines: list[int],
    found: Sequence[Suggestion],
    is_language_skill: Callable[[str], bool],
) -> Proposal:
    def get(name: str) -> str:
        return _text(cells, mapping, name)

    price, effort, length = read_price(get("price")), read_effort(get("effort")), read_length(get("length"))
    level = read_level(get("level"))
    language = (
        read_language(get("language")) if get("language") else read_language(mapping.constants.get("language", ""))
    )
    pacing = read_pacing(get("pacing"))
    reads: dict[str, Read[Any]] = {"price": price, "effort": effort, "length": length, "level": level,
                                   "language": language, "pacing": pacing}  # fmt: skip
    sources = {name: read.text for name, read in reads.items()}
    not_stated = [name for name, read in reads.items() if not read.stated]
    url = get("url") if URL.match(get("url")) else None
    if url is None:
        sources["url"] = get("url")
        not_stated.append("url")
    workload = None
    if effort.value is not None and length.value is not None:
        workload = round(effort.value.middle * length.value.middle, 1)
    else:
        not_stated.append("workload")
    delivery = mapping.constants.get("delivery_mode")
    if delivery is None:
        not_stated.append("delivery_mode")
    skills = [
        {
            "uri": s.uri,
            "label": s.label,
            "confidence": s.confidence,
            "sentences": s.sentences,
            "evidence": s.sentence,
            "from_skills_cell": s.from_skills_cell,
            "auto": auto_accepted(s, title=title, subject=get("field"), language_skill=is_language_skill(s.uri)),
        }
        for s in found
    ]
    offer = price.value
    return Proposal(
        id=row_id,
        title=title,
        institution=institution,
        lines=lines,
        url=url,
        subject=get("field") or None,
        description=get("description") or get("summary") or None,
        outcomes=_outcomes(get("learning_outcomes")),
        price=float(offer.amount) if offer is not None else None,
        currency=offer.currency if offer is not None else None,
        free_to_audit=bool(offer and offer.free_to_audit),
        effort_hours_per_week=[effort.value.low, effort.value.high] if effort.value is not None else None,
        duration_weeks=length.value.middle if length.value is not None else None,
        workload_hours=workload,
        level_stated=level.value,
        language=language.value,
        pacing=pacing.value,
        delivery_mode=delivery,
        skills=skills,
        sources=sources,
        not_stated=not_stated,
        constants=dict(mapping.constants),
    )


def _course_text(proposal: Proposal) -> str:
    """What two listings of one course share: the description and the outcomes (a series shares only the
    first)."""
    return "\n".join([proposal.description or "", *proposal.outcomes]) if proposal.outcomes else ""


def review_rows(proposals: Sequence[Proposal]) -> list[dict[str, str]]:
    """The review sheet: a course line (its fields, editable), then a line per suggested skill. Decisions are
    pre-filled where the rules decide unattended: confident skills accepted, later copies of a duplicate
    group rejected; every other decision is the reviewer's."""
    out: list[dict[str, str]] = []
    first_of_group: set[str] = set()
    for p in proposals:
        duplicate_later = bool(p.duplicate_group) and p.duplicate_group in first_of_group
        if p.duplicate_group:
            first_of_group.add(p.duplicate_group)
        out.append(
            {
                "kind": "course",
                "id": p.id,
                "title": p.title,
                "decision": REJECT if duplicate_later or p.misaligned else ACCEPT,
                "auto": "yes",
                "duplicate_group": f"{p.duplicate_group} {p.duplicate_reason}".strip(),
                "price": _num(p.price),
                "currency": p.currency or "",
                "workload_hours": _num(p.workload_hours),
                "duration_weeks": _num(p.duration_weeks),
                "eqf_level": "",
                "level_stated": p.level_stated or "",
                "language": p.language or "",
                "pacing": p.pacing or "",
                "delivery_mode": p.delivery_mode or "",
                "url": p.url or "",
                "not_stated": ", ".join(p.not_stated),
                "export_lines": ",".join(map(str, p.lines)),
                "note": _course_note(p, duplicate_later),
            }
        )
        for s in p.skills:
            out.append(
                {
                    "kind": "skill",
                    "id": p.id,
                    "title": p.title,
                    "decision": ACCEPT if s["auto"] else "",
                    "auto": "yes" if s["auto"] else "",
                    "skill_uri": s["uri"],
                    "skill_label": s["label"],
                    "confidence": f"{s['confidence']:.2f}",
                    "sentences": str(s["sentences"]) + (" + skills column" if s["from_skills_cell"] else ""),
                    "evidence": s["evidence"][:300],
                }
            )
        for t in p.technologies:
            out.append(
                {
                    "kind": "technology",
                    "id": p.id,
                    "title": p.title,
                    "decision": "",
                    "skill_uri": t["skill_uri"] or "",
                    "skill_label": t["name"] + (" (O*NET hot technology)" if t["hot"] else ""),
                    "sentences": str(t["sentences"]),
                    "evidence": t["evidence"][:300],
                    "note": "accept to add the linked ESCO skill" if t["skill_uri"] else "no ESCO skill linked",
                }
            )
    return [{column: row.get(column, "") for column in REVIEW_COLUMNS} for row in out]


def _course_note(proposal: Proposal, duplicate_later: bool) -> str:
    if proposal.misaligned:
        return f"rejected unattended: looks misaligned ({', '.join(proposal.unreadable)} unreadable)"
    if duplicate_later:
        return f"rejected unattended: {proposal.duplicate_reason}; keep one of the group"
    return ""


def _num(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def write_folder(
    out: Path,
    *,
    export: Path,
    mapping: OnboardMapping,
    mapping_was_inferred: bool,
    proposals: Sequence[Proposal],
    issues: Sequence[DataIssue],
    rows: int,
    replace: bool = False,
    started: float | None = None,
) -> OnboardSummary:
    """Write the review folder whole, or nothing (module docstring); ``started`` (a ``perf_counter`` reading)
    gives the summary its wall time."""
    if out.exists() and not out.is_dir():
        raise DataSourceError(f"{out}: exists and is not a folder")
    if out.exists() and any(out.iterdir()) and not replace:
        raise DataSourceError(
            f"{out}: already holds files (perhaps a review someone has edited); choose another --out, "
            "or pass --replace to overwrite it"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        staging.chmod(0o755)
        (staging / "mapping.yaml").write_text(mapping_yaml(mapping), encoding="utf-8")
        with (staging / "proposals.jsonl").open("w", encoding="utf-8") as handle:
            for p in proposals:
                handle.write(json.dumps(asdict(p), ensure_ascii=False) + "\n")
        with (staging / "review.csv").open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=REVIEW_COLUMNS)
            writer.writeheader()
            writer.writerows(review_rows(proposals))
        write_issue_report(issues, staging / "issues.csv")
        (staging / "issues.csv").chmod(0o644)
        summary = _summary(out, export, mapping, mapping_was_inferred, proposals, issues, rows)
        if started is not None:
            summary = replace_field(summary, seconds=round(time.perf_counter() - started, 1))
        (staging / "summary.json").write_text(json.dumps(asdict(summary), indent=2) + "\n", encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)
        staging.replace(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return summary


def _summary(
    out: Path,
    export: Path,
    mapping: OnboardMapping,
    inferred: bool,
    proposals: Sequence[Proposal],
    issues: Sequence[DataIssue],
    rows: int,
) -> OnboardSummary:
    groups = {p.duplicate_group for p in proposals if p.duplicate_group}
    return OnboardSummary(
        export=str(export),
        rows=rows,
        courses=len(proposals),
        proposed=len(proposals),
        rows_with_skills_cell=sum(any(s["from_skills_cell"] for s in p.skills) for p in proposals)
        if "skills" in mapping.columns
        else 0,
        rows_with_suggested_skills=sum(bool(p.skills) for p in proposals),
        rows_with_technologies=sum(bool(p.technologies) for p in proposals),
        suggested_skills=sum(len(p.skills) for p in proposals),
        auto_accepted_skills=sum(bool(s["auto"]) for p in proposals for s in p.skills),
        prices_stated=sum(p.price is not None for p in proposals),
        workload_stated=sum(p.workload_hours is not None for p in proposals),
        duplicate_groups=len(groups),
        duplicate_rows=sum(bool(p.duplicate_group) for p in proposals),
        misaligned_rows=sum(p.misaligned for p in proposals),
        issues=len(issues),
        mapping=str(out / "mapping.yaml"),
        review=str(out / "review.csv"),
        proposals=str(out / "proposals.jsonl"),
        issues_file=str(out / "issues.csv"),
        mapping_inferred=inferred,
        fields=dict(mapping.columns),
    )


def onboard(
    export: Path,
    out: Path,
    finder: MentionFinder,
    *,
    is_language_skill: Callable[[str], bool],
    mapping_path: Path | None = None,
    technologies: TechnologyFinder | None = None,
    encoding: str = "utf-8-sig",
    max_bytes: int = DEFAULT_MAX_BYTES,
    replace: bool = False,
) -> OnboardSummary:
    """Propose a catalog from the export and write the review folder (module docstring)."""
    started = time.perf_counter()
    mapping = read_mapping(mapping_path) if mapping_path is not None else None
    if out.exists() and any(out.iterdir()) and not replace:  # checked first: linking a catalog takes a minute
        raise DataSourceError(
            f"{out}: already holds files (perhaps a review someone has edited); choose another --out, "
            "or pass --replace to overwrite it"
        )
    used, proposals, issues, rows = propose(
        export,
        finder,
        is_language_skill=is_language_skill,
        mapping=mapping,
        technologies=technologies,
        encoding=encoding,
        max_bytes=max_bytes,
    )
    return write_folder(
        out,
        export=export,
        mapping=used,
        mapping_was_inferred=mapping is None,
        proposals=proposals,
        issues=issues,
        rows=rows,
        replace=replace,
        started=started,
    )


__all__ = [
    "ACCEPT",
    "NOT_STATED",
    "REJECT",
    "REVIEW_COLUMNS",
    "OnboardSummary",
    "Proposal",
    "onboard",
    "propose",
    "read_export",
    "review_rows",
    "write_folder",
]
