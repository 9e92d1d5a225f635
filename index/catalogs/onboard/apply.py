"""Turn a reviewed onboarding folder into a native catalog.

The review sheet is the person's word: a course line marked ``reject`` is left out, its field cells (price,
workload, EQF level…) replace the proposal's where they were edited, and a course keeps exactly the skills
whose lines say ``accept`` (a reviewer may type another ESCO URI over a suggestion). A blank field stays not
stated: the catalog says so and the product shows "price not stated", never a guessed value. Every problem
(an unknown decision, an ESCO URI not in the taxonomy, a number that is not one) is collected and reported
with its line of the sheet; the catalog is written only when there is none.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from assistant.core.catalog import Catalog
from assistant.core.errors import CatalogValidationError, DataIssue, DataSourceError
from assistant.core.models import Credential, CredentialKind, Institution, Money, SkillAlignment
from index.catalogs.onboard.pipeline import ACCEPT, REJECT
from index.catalogs.source import DEFAULT_MAX_BYTES, decode, read_limited

DECISIONS = frozenset({ACCEPT, REJECT, ""})
NOT_STATED_FIELDS = ("price", "workload", "duration", "eqf_level", "delivery_mode", "assessment", "skills")


@dataclass(frozen=True)
class Applied:
    catalog: Catalog
    institution: Institution
    left_out: int
    not_stated: dict[str, int]  # field → credentials that do not state it

    def lines(self) -> list[str]:
        unknown = ", ".join(f"{name} {count}" for name, count in self.not_stated.items() if count)
        return [
            f"{len(self.catalog)} credentials ({self.left_out} rejected in the review)",
            f"not stated (shown to learners as not stated, never guessed): {unknown or 'none'}",
        ]


def _proposals(folder: Path) -> dict[str, dict[str, Any]]:
    path = folder / "proposals.jsonl"
    if not path.is_file():
        raise DataSourceError(
            f"{folder}: no proposals.jsonl; run `stackwise catalog onboard EXPORT --out {folder}` first"
        )
    out: dict[str, dict[str, Any]] = {}
    for number, line in enumerate(
        decode(read_limited(path, 10 * DEFAULT_MAX_BYTES), "utf-8", str(path)).splitlines(), 1
    ):
        if line.strip():
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataSourceError(f"{path}: line {number} is not JSON ({exc.msg})") from None
            out[record["id"]] = record
    return out


def _review(path: Path) -> list[tuple[int, dict[str, str]]]:
    text = decode(read_limited(path), "utf-8-sig", str(path))
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = {"kind", "id", "decision", "skill_uri"} - set(reader.fieldnames or ())
    if missing:
        raise DataSourceError(f"{path}: not a review sheet (no column {', '.join(sorted(missing))})")
    return [(number, {k: (v or "").strip() for k, v in row.items() if k}) for number, row in enumerate(reader, 2)]


def apply_review(
    folder: Path,
    *,
    institution: Institution,
    known_skill_uris: Collection[str],
    review_path: Path | None = None,
) -> Applied:
    """The reviewed folder as a validated catalog (module docstring); raises with every issue found."""
    proposals = _proposals(folder)
    sheet = review_path or folder / "review.csv"
    file = str(sheet)
    issues: list[DataIssue] = []
    course_rows: dict[str, tuple[int, dict[str, str]]] = {}
    skills: dict[str, list[SkillAlignment]] = defaultdict(list)
    for number, row in _review(sheet):
        decision, row_id = row.get("decision", "").lower(), row.get("id", "")

        def problem(field: str, message: str, number: int = number, row_id: str = row_id) -> None:
            issues.append(DataIssue(file=file, row=number, field=field, record_id=row_id, message=message))

        if decision not in DECISIONS:
            problem("decision", f"decision {decision!r}: write accept, reject or leave it blank")
            continue
        if row_id not in proposals:
            problem("id", "no proposed course has this id (ids come from the onboarding)")
            continue
        if row.get("kind") == "course":
            course_rows[row_id] = (number, row)
        elif row.get("kind") in ("skill", "technology") and decision == ACCEPT:
            uri = row.get("skill_uri", "")
            if row.get("kind") == "technology" and not uri:
                problem("skill_uri", "this technology links to no ESCO skill: type one, or leave the decision blank")
                continue
            if uri not in known_skill_uris:
                problem("skill_uri", f"{uri!r} is not an ESCO skill of this taxonomy")
                continue
            if all(a.uri != uri for a in skills[row_id]):
                skills[row_id].append(SkillAlignment(uri=uri, label=row.get("skill_label") or None))
        elif row.get("kind") not in ("course", "skill", "technology"):
            problem("kind", f"kind {row.get('kind')!r}: course, skill or technology")
    credentials: list[Credential] = []
    left_out = 0
    counts: Counter[str] = Counter()
    for row_id, proposal in proposals.items():
        number, row = course_rows.get(row_id, (0, {}))
        if row.get("decision", "").lower() == REJECT:
            left_out += 1
            continue
        try:
            credential = _credential(proposal, row, skills.get(row_id, []), institution)
        except (ValueError, ValidationError, InvalidOperation) as exc:
            issues.append(DataIssue(file=file, row=number or None, record_id=row_id, message=_reason(exc)))
            continue
        credentials.append(credential)
        counts.update(_unknown(credential))
    if issues:
        raise CatalogValidationError(issues, f"{sheet}: {len(issues)} problem(s); no catalog was written")
    catalog = Catalog.build(institution, credentials, source=str(folder))
    return Applied(catalog, institution, left_out, {name: counts[name] for name in NOT_STATED_FIELDS})


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
    return str(exc)


def _number(row: Mapping[str, str], name: str, proposed: Any) -> Any:
    """The sheet's value where the reviewer left one, else the proposal's; blank in the sheet is not stated."""
    if name not in row:
        return proposed
    text = row[name].replace(",", "")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{name} {row[name]!r} is not a number") from None


def _credential(
    proposal: Mapping[str, Any], row: Mapping[str, str], skills: list[SkillAlignment], owner: Institution
) -> Credential:
    price = _number(row, "price", proposal.get("price"))
    currency = (row.get("currency") if "currency" in row else proposal.get("currency")) or owner.currency
    eqf = _number(row, "eqf_level", None)
    constants = proposal.get("constants") or {}
    delivery = row.get("delivery_mode") if "delivery_mode" in row else proposal.get("delivery_mode")
    return Credential(
        id=proposal["id"],
        title=(row.get("title") or proposal["title"])[:300],
        kind=CredentialKind(constants.get("kind", CredentialKind.COURSE.value)),
        awarding_body=proposal.get("institution") or owner.name,
        country=owner.country,
        learning_outcomes=tuple(proposal.get("outcomes") or ()),
        workload_hours=_positive(_number(row, "workload_hours", proposal.get("workload_hours"))),
        eqf_level=int(eqf) if eqf is not None else None,
        delivery_mode=delivery or None,
        assessment=constants.get("assessment") or None,
        quality_assurance=constants.get("quality_assurance") or None,
        pacing=(row.get("pacing") if "pacing" in row else proposal.get("pacing")) or "self-paced",
        skills=tuple(skills),
        cost=Money(amount=Decimal(str(price)), currency=currency) if price is not None else None,
        duration_weeks=_positive(_number(row, "duration_weeks", proposal.get("duration_weeks"))),
        language=(row.get("language") if "language" in row else proposal.get("language")) or "en",
        url=(row.get("url") if "url" in row else proposal.get("url")) or None,
        field=proposal.get("subject") or None,
        description=proposal.get("description") or None,
    )


def _positive(value: float | None) -> float | None:
    return value if value is None or value > 0 else None


def unstated_counts(credentials: Iterable[Credential]) -> dict[str, int]:
    """Field → how many credentials do not state it (what ``catalog validate`` and ``apply-review`` report)."""
    counts: Counter[str] = Counter()
    for credential in credentials:
        counts.update(_unknown(credential))
    return {name: counts[name] for name in NOT_STATED_FIELDS}


def _unknown(credential: Credential) -> list[str]:
    checks = {
        "price": credential.cost is None,
        "workload": credential.workload_hours is None,
        "duration": credential.duration_weeks is None,
        "eqf_level": credential.eqf_level is None,
        "delivery_mode": credential.delivery_mode is None,
        "assessment": credential.assessment is None,
        "skills": not credential.skills,
    }
    return [name for name, missing in checks.items() if missing]


__all__ = ["Applied", "apply_review", "unstated_counts"]
