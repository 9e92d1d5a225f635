"""Importer for 1EdTech Open Badges 3.0 and CLR 2.0: earned badges and achievement definitions.

Two uses. An alum uploads badges they hold (an ``OpenBadgeCredential`` / ``AchievementCredential``,
a ``ClrCredential`` bundling several, a verifiable presentation, or a VC-JWT): each becomes an
:class:`EarnedCredential` with its ESCO skills and, when a catalog is given, the catalog entry it
is. An institution publishes its ``Achievement`` definitions: each becomes a catalog
:class:`Credential`, completed from :class:`ImportDefaults` exactly as CTDL records are.

Signatures are not verified: an upload is a claim the learner makes, weighed as such. Open Badges
2.0 (``Assertion``, ``BadgeClass``) and other JSON are rejected with a message saying what they are.
Alignments whose ``targetUrl`` (or ``targetCode``) is an ESCO skill URI become skills; other
alignments are noted and kept out of skills; every alignment name counts as a learning outcome.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from assistant.core.errors import CatalogValidationError, DataIssue, DataSourceError
from assistant.core.models import Credential, CredentialKind, EarnedCredential, SkillAlignment
from assistant.core.models.taxonomy import ESCO_SKILL_PREFIX
from index.importers._jsonld import local_name
from index.importers.completion import CredentialDraft, ImportDefaults, ImportResult, Location, finish
from index.importers.ctdl import CREDENTIAL_KINDS

MAX_BYTES = 5 * 1024 * 1024

BADGE_TYPES = frozenset({"OpenBadgeCredential", "AchievementCredential"})
OB2_TYPES = frozenset({"Assertion", "BadgeClass"})
OB3_KINDS: dict[str, CredentialKind] = {
    **CREDENTIAL_KINDS,
    "Course": CredentialKind.COURSE,
    "LearningProgram": CredentialKind.COURSE,
}
_JWT = re.compile(r"^[A-Za-z0-9_-]+\.([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]*$")
_WORDS = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True)
class EarnedImport:
    """Earned credentials read from an upload, with ``issues`` (errors) and ``notes`` (information)."""

    earned: tuple[EarnedCredential, ...]
    issues: tuple[DataIssue, ...] = ()
    notes: tuple[DataIssue, ...] = ()

    def raise_for_issues(self, summary: str = "badge upload has problems") -> None:
        if self.issues:
            raise CatalogValidationError(self.issues, summary)


# -- public API ------------------------------------------------------------------------------------


def read_earned_credentials(
    source: Path | bytes,
    *,
    catalog: Iterable[Credential | str] = (),
    strict: bool = False,
    max_bytes: int = MAX_BYTES,
    name: str = "upload",
) -> EarnedImport:
    """Earned badges from a file or uploaded bytes; ``catalog`` (credentials or ids) is matched."""
    file, data = load_json(source, max_bytes=max_bytes, name=name)
    return parse_earned_credentials(data, catalog=catalog, strict=strict, file=file)


def parse_earned_credentials(
    data: Any, *, catalog: Iterable[Credential | str] = (), strict: bool = False, file: str = "upload"
) -> EarnedImport:
    """Earned badges from decoded JSON: one credential, a list, a CLR, or a presentation."""
    report = _Report(file)
    matcher = _Catalog(catalog)
    earned = [
        record
        for found in _credentials(data, report, want_definitions=False)
        if (record := _earned(found, report, matcher)) is not None
    ]
    result = EarnedImport(tuple(earned), tuple(report.issues), tuple(report.notes))
    if strict:
        result.raise_for_issues()
    return result


def read_achievements(
    source: Path | bytes,
    defaults: ImportDefaults,
    *,
    strict: bool = False,
    max_bytes: int = MAX_BYTES,
    name: str = "upload",
) -> ImportResult:
    """An institution's Achievement definitions from a file or bytes, as catalog credentials."""
    file, data = load_json(source, max_bytes=max_bytes, name=name)
    return parse_achievements(data, defaults, strict=strict, file=file)


def parse_achievements(
    data: Any, defaults: ImportDefaults, *, strict: bool = False, file: str = "upload"
) -> ImportResult:
    """Achievement definitions (bare, in a list, inside badge credentials or a CLR) as credentials."""
    report = _Report(file)
    drafts = [_draft(found, report) for found in _credentials(data, report, want_definitions=True)]
    return finish(
        drafts, defaults, report.issues, report.notes, strict=strict, summary="achievements rejected"
    )


def load_json(source: Path | bytes, *, max_bytes: int = MAX_BYTES, name: str = "upload") -> tuple[str, Any]:
    """Decoded JSON (or VC-JWT payload) from a file or bytes, refusing anything over ``max_bytes``."""
    if isinstance(source, str):  # a path given as text
        source = Path(source)
    if isinstance(source, Path):
        if not source.is_file():
            raise DataSourceError(f"badge file not found at {source}")
        name, size = source.name, source.stat().st_size
        _check_size(name, size, max_bytes)
        raw = source.read_bytes()
    else:
        raw = source
    _check_size(name, len(raw), max_bytes)
    try:
        text = raw.decode("utf-8-sig").strip()
    except UnicodeDecodeError as exc:
        raise DataSourceError(
            f"{name} is not UTF-8 text (an image-baked badge must be unpacked first)"
        ) from exc
    jwt = _JWT.match(text)
    if jwt:
        return name, _jwt_payload(jwt.group(1), name)
    try:
        return name, json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataSourceError(
            f"{name} is not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from exc


def _check_size(name: str, size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise DataSourceError(
            f"{name} is {size / 1e6:.1f} MB; badge files over {max_bytes / 1e6:.1f} MB are refused"
        )


def _jwt_payload(segment: str, name: str) -> Any:
    """The credential inside a VC-JWT (``vc`` claim of OB 3.0 JWTs, or the payload itself)."""
    try:
        payload = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (binascii.Error, ValueError) as exc:
        raise DataSourceError(f"{name} looks like a JWT but its payload is not JSON") from exc
    return payload.get("vc", payload) if isinstance(payload, dict) else payload


# -- finding the records ---------------------------------------------------------------------------


@dataclass
class _Report:
    file: str

    def __post_init__(self) -> None:
        self.issues: list[DataIssue] = []
        self.notes: list[DataIssue] = []

    def at(self, row: int, record_id: str | None = None) -> Location:
        return Location(self.file, row, record_id)


@dataclass(frozen=True)
class _Found:
    """One credential (or bare achievement) and where it is: top-level row and JSON path prefix."""

    obj: dict[str, Any]
    row: int
    path: str
    issuer: Any = None


def _credentials(data: Any, report: _Report, *, want_definitions: bool) -> Iterator[_Found]:
    """Every badge credential (or, for definitions, achievement) in an upload, reporting the rest."""
    if isinstance(data, dict):
        problem = _foreign(data)
        if problem:
            raise DataSourceError(f"{report.file}: {problem}")
        yield from _unwrap(data, 0, "", report, want_definitions)
        return
    if not isinstance(data, list):
        raise DataSourceError(f"{report.file}: expected an Open Badges 3.0 credential or achievement object")
    problems = [_foreign(e) if isinstance(e, dict) else "not a JSON object" for e in data]
    if data and all(problems):
        raise DataSourceError(f"{report.file}: no element is Open Badges 3.0; the first is {problems[0]}")
    for row, element in enumerate(data):
        if not isinstance(element, dict):
            report.issues.append(report.at(row).issue("not a JSON object: skipped"))
            continue
        problem = _foreign(element)
        if problem:
            report.issues.append(report.at(row, _str(element.get("id"))).issue(f"{problem}: skipped", "type"))
            continue
        yield from _unwrap(element, row, f"[{row}].", report, want_definitions)


def _unwrap(obj: dict[str, Any], row: int, path: str, report: _Report, definitions: bool) -> Iterator[_Found]:
    kinds = _types(obj)
    if "VerifiablePresentation" in kinds or "ClrCredential" in kinds:
        yield from _bundle(obj, row, path, report, definitions)
    elif kinds & BADGE_TYPES or ("Achievement" in kinds and definitions):
        yield _Found(obj, row, path)
    elif "Achievement" in kinds:
        report.issues.append(
            report.at(row, _str(obj.get("id"))).issue(
                "an Achievement definition, not an earned credential: read it with read_achievements", "type"
            )
        )
    else:
        report.notes.append(
            report.at(row, _str(obj.get("id"))).issue(f"{_type_words(kinds)}: skipped", "type")
        )


def _bundle(obj: dict[str, Any], row: int, path: str, report: _Report, definitions: bool) -> Iterator[_Found]:
    """The credentials inside a CLR or presentation; a CLR's own achievements count as definitions."""
    holder = obj.get("credentialSubject", {}) if "ClrCredential" in _types(obj) else obj
    holder = holder if isinstance(holder, dict) else {}
    base = f"{path}credentialSubject." if holder is not obj else path
    for i, inner in enumerate(_as_list(holder.get("verifiableCredential"))):
        if isinstance(inner, dict) and not _foreign(inner):
            yield from _unwrap(inner, row, f"{base}verifiableCredential[{i}].", report, definitions)
        else:
            why = _foreign(inner) if isinstance(inner, dict) else "not a JSON object (a JWT string?)"
            report.issues.append(report.at(row).issue(f"{why}: skipped", f"{base}verifiableCredential[{i}]"))
    if definitions:
        for i, achievement in enumerate(_as_list(holder.get("achievement"))):
            if isinstance(achievement, dict):
                yield _Found(achievement, row, f"{base}achievement[{i}].", obj.get("issuer"))


def _foreign(obj: dict[str, Any]) -> str | None:
    """Why ``obj`` is not Open Badges 3.0, or ``None`` when it is (or may be) one."""
    kinds = _types(obj)
    context = json.dumps(obj.get("@context", ""))
    if kinds & OB2_TYPES or "openbadges/v2" in context or {"badge", "recipient"} <= obj.keys():
        return (
            "an Open Badges 2.0 assertion or badge class; Stackwise reads Open Badges 3.0 "
            "verifiable credentials (ask the issuer for an OB 3.0 export)"
        )
    if kinds & (
        BADGE_TYPES | {"ClrCredential", "VerifiablePresentation", "Achievement", "EndorsementCredential"}
    ):
        return None
    if "VerifiableCredential" in kinds:
        subject = json.dumps(obj.get("credentialSubject", ""))
        if "ceterms:" in subject or "ceasn:" in subject:
            return "a verifiable credential carrying CTDL, not Open Badges 3.0 (use the CTDL importer)"
        return "a verifiable credential that is not an OpenBadgeCredential, AchievementCredential or CLR"
    return f"not Open Badges 3.0 ({_type_words(kinds)})"


# -- earned credentials ----------------------------------------------------------------------------


def _earned(found: _Found, report: _Report, matcher: _Catalog) -> EarnedCredential | None:
    vc, path = found.obj, found.path
    where = report.at(found.row, _str(vc.get("id")))
    achievement = _achievement(vc, path, where, report)
    if achievement is None:
        return None
    a_path = f"{path}credentialSubject.achievement."
    achievement_id, name = _str(achievement.get("id")), _text(achievement.get("name"))
    missing = [f for f, v in (("id", achievement_id), ("name", name)) if not v]
    for field_name in missing:
        report.issues.append(where.issue("required by Open Badges 3.0 and missing", a_path + field_name))
    if missing or achievement_id is None or name is None:
        return None
    subject = vc.get("credentialSubject")
    credits = _credits(subject.get("creditsEarned") if isinstance(subject, dict) else None, achievement)
    skills, names = _skills(achievement, a_path, where, report)
    esco_names = {s.label for s in skills}
    return EarnedCredential(
        achievement_id=achievement_id,
        name=name,
        issuer=_issuer(vc.get("issuer"), path, where, report),
        issued_on=_issued(vc, path, where, report),
        skill_uris=tuple(s.uri for s in skills),
        aligned_names=tuple(n for n in names if n not in esco_names),
        credits=credits,
        catalog_id=matcher.match(achievement_id, name),
        credential_id=_str(vc.get("id")),
        achievement_type=_str(achievement.get("achievementType")),
    )


def _achievement(vc: dict[str, Any], path: str, where: Location, report: _Report) -> dict[str, Any] | None:
    subject = vc.get("credentialSubject")
    if isinstance(subject, list) and subject:
        subject = subject[0]
    if not isinstance(subject, dict):
        report.issues.append(where.issue("missing or not an object", f"{path}credentialSubject"))
        return None
    achievement = subject.get("achievement")
    if not isinstance(achievement, dict):
        report.issues.append(where.issue("missing or not an object", f"{path}credentialSubject.achievement"))
        return None
    return achievement


def _issuer(issuer: Any, path: str, where: Location, report: _Report) -> str | None:
    name = (_text(issuer.get("name")) or _str(issuer.get("id"))) if isinstance(issuer, dict) else _str(issuer)
    if not name:
        report.issues.append(
            where.issue("required by the verifiable credential and missing", f"{path}issuer")
        )
    return name


def _issued(vc: dict[str, Any], path: str, where: Location, report: _Report) -> date | None:
    for key in ("validFrom", "issuanceDate", "awardedDate"):
        value = vc.get(key)
        if value is None:
            continue
        try:
            return datetime.fromisoformat(str(value).replace("Z", "+00:00")).date()
        except ValueError:
            report.issues.append(where.issue(f"not an ISO 8601 date-time: {value!r}", path + key))
            return None
    report.issues.append(where.issue("no validFrom or issuanceDate", f"{path}validFrom"))
    return None


def _credits(earned: Any, achievement: dict[str, Any]) -> float | None:
    for value in (earned, achievement.get("creditsAvailable")):
        if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
            return float(value)
    return None


# -- achievement definitions -----------------------------------------------------------------------


def _draft(found: _Found, report: _Report) -> CredentialDraft:
    """A catalog draft from an Achievement, bare or inside a badge credential."""
    obj, path, issuer = found.obj, found.path, found.issuer
    if _types(obj) & BADGE_TYPES:
        issuer = obj.get("issuer")
        subject = obj.get("credentialSubject")
        obj = subject.get("achievement", {}) if isinstance(subject, dict) else {}
        path = f"{path}credentialSubject.achievement."
    achievement: dict[str, Any] = obj if isinstance(obj, dict) else {}
    where = report.at(found.row, _str(achievement.get("id")))
    skills, outcomes = _skills(achievement, path, where, report)
    creator = achievement.get("creator")
    criteria = achievement.get("criteria")
    draft = CredentialDraft(
        location=where,
        id=_str(achievement.get("id")),
        title=_text(achievement.get("name")),
        kind=_kind(achievement, where, report),
        awarding_body=_profile_name(creator) or _profile_name(issuer),
        learning_outcomes=outcomes,
        description=_text(achievement.get("description")),
        language=_language(achievement.get("inLanguage")),
        field_of_study=_text(achievement.get("fieldOfStudy")),
        skills=skills,
    )
    draft.url = next(
        (
            u
            for u in (draft.id, _str(criteria.get("id")) if isinstance(criteria, dict) else None)
            if _is_http(u)
        ),
        None,
    )
    _draft_credits(draft, achievement, path, report)
    return draft


def _draft_credits(draft: CredentialDraft, achievement: dict[str, Any], path: str, report: _Report) -> None:
    """``creditsAvailable`` names no unit; it counts only in the unit the caller's defaults name."""
    credits = _credits(None, achievement)
    if credits is None:
        return
    draft.credits = credits
    report.notes.append(
        draft.location.issue(
            "creditsAvailable names no unit: it counts in ImportDefaults.credit_unit when that is set",
            f"{path}creditsAvailable",
        )
    )


def _kind(achievement: dict[str, Any], where: Location, report: _Report) -> CredentialKind | None:
    stated = _str(achievement.get("achievementType"))
    if stated is None:
        return CredentialKind.DIGITAL_BADGE  # an Open Badge that names no type is a badge
    kind = OB3_KINDS.get(stated)
    if kind is None:
        report.notes.append(where.issue(f"achievementType {stated!r} has no catalog kind", "achievementType"))
    return kind


# -- alignments, names, dates ----------------------------------------------------------------------


def _skills(
    achievement: dict[str, Any], path: str, where: Location, report: _Report
) -> tuple[tuple[SkillAlignment, ...], tuple[str, ...]]:
    """ESCO skills and outcome names from ``alignment``; other targets are noted."""
    skills: dict[str, SkillAlignment] = {}
    outcomes: dict[str, None] = {}
    for i, alignment in enumerate(_as_list(achievement.get("alignment"))):
        if not isinstance(alignment, dict):
            continue
        label = _text(alignment.get("targetName"))
        if label:
            outcomes.setdefault(label, None)
        targets = [_str(alignment.get(k)) for k in ("targetUrl", "targetCode")]
        uri = next((u for u in map(_esco_skill, targets) if u), None)
        if uri:
            skills.setdefault(uri, SkillAlignment(uri=uri, label=label))
        else:
            report.notes.append(
                where.issue(
                    f"alignment to {targets[0] or targets[1] or label!r} is not an ESCO skill: not a skill",
                    f"{path}alignment[{i}]",
                )
            )
    return tuple(skills.values()), tuple(outcomes)


def _esco_skill(target: str | None) -> str | None:
    normal = target.strip().replace("https://", "http://", 1) if target else ""
    return normal if normal.startswith(ESCO_SKILL_PREFIX) and len(normal) > len(ESCO_SKILL_PREFIX) else None


class _Catalog:
    """Finds the catalog entry an achievement is: by id, URL, trailing id segment, or unique title."""

    def __init__(self, entries: Iterable[Credential | str]) -> None:
        self.ids: set[str] = set()
        self.by_url: dict[str, str] = {}
        titles: dict[str, set[str]] = {}
        for entry in entries:
            cid = entry if isinstance(entry, str) else entry.id
            self.ids.add(cid)
            titles.setdefault(_normal(cid), set()).add(cid)
            if isinstance(entry, Credential):
                titles.setdefault(_normal(entry.title), set()).add(cid)
                if entry.url:
                    self.by_url[entry.url.rstrip("/")] = cid
        self.by_title = {title: next(iter(ids)) for title, ids in titles.items() if len(ids) == 1}

    def match(self, achievement_id: str, name: str) -> str | None:
        tail = achievement_id.rstrip("/").rsplit("/", 1)[-1]
        for candidate in (achievement_id, tail):
            if candidate in self.ids:
                return candidate
        return self.by_url.get(achievement_id.rstrip("/")) or self.by_title.get(_normal(name))


def _normal(text: str) -> str:
    return _WORDS.sub(" ", text.casefold()).strip()


def _types(obj: Any) -> set[str]:
    raw = obj.get("type", obj.get("@type")) if isinstance(obj, dict) else None
    return {local_name(t) for t in _as_list(raw) if isinstance(t, str)}


def _type_words(kinds: set[str]) -> str:
    return f"type {', '.join(sorted(kinds))}" if kinds else "no type"


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _str(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _text(value: Any) -> str | None:
    """A plain string, or the first entry of a language map (``{"en": "..."}``)."""
    if isinstance(value, dict):
        value = next((v for v in value.values() if isinstance(v, str) and v.strip()), None)
    return _str(value)


def _profile_name(profile: Any) -> str | None:
    return _text(profile.get("name")) if isinstance(profile, dict) else None


def _language(value: Any) -> str | None:
    tag = _str(value)
    primary = tag.split("-")[0].lower() if tag else ""
    return primary if re.fullmatch(r"[a-z]{2}", primary) else None


def _is_http(url: str | None) -> bool:
    return bool(url) and str(url).startswith(("http://", "https://"))


__all__ = [
    "MAX_BYTES",
    "EarnedCredential",
    "EarnedImport",
    "ImportDefaults",
    "ImportResult",
    "load_json",
    "parse_achievements",
    "parse_earned_credentials",
    "read_achievements",
    "read_earned_credentials",
]
