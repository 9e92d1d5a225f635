"""Carry the ESCO–O*NET crosswalk's O*NET-SOC 2010 codes over to the 2019 codes of O*NET 29.2.

The Nesta crosswalk gives each ESCO occupation one O*NET-SOC **2010** occupation; O*NET 29.2 (and the
BLS wage and projection tables keyed by SOC code) use the 2019 taxonomy, in which many 2010 codes were
split, merged or renumbered. Each crosswalk row is resolved by the first rule that gives a code:

1. ``hand_checked`` — the row's ESCO occupation is in the hand-checked file
   (``index/data/mappings/esco_soc_checks.csv``): the checked 2019 code wins. The file may also give a
   code to an ESCO occupation the crosswalk does not list (not a crosswalk row, so not counted here; the
   manifest's ``esco_soc_checks`` says how many).
2. ``same_code`` — the 2010 code is still an O*NET 29.2 occupation: it is kept.
3. ``label_title`` / ``label_alternate_title`` / ``label_reported_title`` — the 2010 code is gone: the
   ESCO occupation's preferred and alternative labels are matched (casefolded, exactly; an O*NET title
   also in the singular) against the 29.2 titles, alternate titles and reported titles. When several
   occupations match, the 29.2 successors of the same 2010 code come first, then the same SOC broad,
   minor and major group; then a match on the title before an alternate title before a reported title,
   the preferred label before an alternative one, and the occupation more of the labels name. A match
   that is not a successor is taken only when rule 4 finds nothing, or when the *preferred* label names
   an occupation in the 2010 code's SOC minor group (``software analyst``, crosswalked to 2010 Software
   Developers, Applications → Computer Systems Analysts, an alternate title): an alternative label, or
   an occupation further off, is weaker evidence than a successor's title.
4. ``same_title``, ``title_head``, ``base_code`` — the 29.2 occupation with the 2010 title, with the
   title before its first comma, or the same SOC code's ``.00`` occupation.
5. ``unmapped`` — none of these gave a code; the ESCO occupation gets no O*NET code.

In O*NET 29.2 every reported title is also an alternate title of its occupation, so
``label_reported_title`` stays at 0; it is counted so that a release where they differ shows it.

A 2010 code's *successors* are read from the 29.2 titles alone (no official 2010→2019 table ships
here): the 29.2 occupations titled like it (whole or before its first comma), its base ``.00``
occupation, and, in the same SOC major group, those listing its singular title as an alternate or
reported title (2010 "transportation managers", ``11-3071.01`` → 29.2 ``11-3071.00``).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.core.errors import DataSourceError
from assistant.core.models import OnetOccupation
from index.importers.crosswalk import CrosswalkRow

CHECKS_FILE = Path(__file__).resolve().parent / "data" / "mappings" / "esco_soc_checks.csv"
CHECK_COLUMNS = (
    "esco_uri",
    "esco_label",
    "crosswalk_2010_code",
    "previous_2019_code",
    "checked_2019_code",
    "changed",
    "reason",
)
#: every rule, in the order they are tried; the manifest counts crosswalk rows under each
METHODS = (
    "hand_checked",
    "same_code",
    "label_title",
    "label_alternate_title",
    "label_reported_title",
    "same_title",
    "title_head",
    "base_code",
    "unmapped",
)
_SOURCES = ("title", "alternate_title", "reported_title")
_CODE = re.compile(r"^\d{2}-\d{4}\.\d{2}$")


@dataclass(frozen=True)
class SocCheck:
    """One hand check: the 2019 code a careers advisor would give the ESCO occupation, and why."""

    esco_uri: str
    esco_label: str
    crosswalk_2010_code: str
    previous_2019_code: str
    checked_2019_code: str
    changed: bool
    reason: str


@dataclass(frozen=True)
class SocDecision:
    """How one ESCO occupation got its 2019 code (``code`` is None when no rule gave one)."""

    esco_uri: str
    code_2010: str
    code: str | None
    method: str
    evidence: str = ""


def normalise(text: str) -> str:
    """The key titles and labels are matched on: casefolded, dashes unified, spaces collapsed."""
    return " ".join(text.replace("–", "-").replace("—", "-").casefold().split())


def _head(title: str) -> str:
    return title.split(",")[0].strip()


def _singular(title: str) -> str:
    """``nursing assistants`` → ``nursing assistant`` (only the last word; good enough for O*NET titles)."""
    if title.endswith("ies"):
        return title[:-3] + "y"
    if title.endswith("s") and not title.endswith("ss"):
        return title[:-1]
    return title


class OnetTitles:
    """The O*NET 29.2 occupations indexed by title, alternate title and reported title."""

    def __init__(self, occupations: Iterable[OnetOccupation]) -> None:
        self.titles: dict[str, str] = {}
        #: normalised title → [(code, source)], each code once per source
        self._index: dict[str, list[tuple[str, str]]] = {}
        for occ in sorted(occupations, key=lambda o: o.code):
            self.titles[occ.code] = occ.title
            title = normalise(occ.title)
            own_titles = (title, _singular(title), _singular(_head(title)))
            for source, names in zip(_SOURCES, (own_titles, occ.alt_titles, occ.reported_titles), strict=True):
                for name in names:
                    entries = self._index.setdefault(normalise(name), [])
                    if (occ.code, source) not in entries:
                        entries.append((occ.code, source))
        self._by_title: dict[str, str] = {}
        for code, title in sorted(self.titles.items()):
            self._by_title.setdefault(normalise(title), code)

    @classmethod
    def from_titles(cls, titles: Mapping[str, str]) -> OnetTitles:
        """From code → title alone (no alternate or reported titles)."""
        return cls(OnetOccupation(code=code, title=title) for code, title in titles.items())

    def __contains__(self, code: object) -> bool:
        return code in self.titles

    def matches(self, label: str) -> list[tuple[str, str]]:
        """(code, source) of every 29.2 occupation whose title, alternate or reported title is ``label``."""
        return self._index.get(normalise(label), [])

    def by_title(self, title: str) -> str | None:
        return self._by_title.get(normalise(title))

    def successors(self, code_2010: str, title_2010: str) -> set[str]:
        """The 29.2 occupations that continue a 2010 occupation, as far as the titles tell."""
        title = normalise(title_2010)
        found = {c for c in (self.by_title(title), self.by_title(_head(title))) if c is not None}
        base = code_2010.split(".")[0] + ".00"
        if base in self.titles:
            found.add(base)
        found.update(
            code for code, source in self.matches(_singular(title)) if source != "title" and code[:2] == code_2010[:2]
        )
        return found


def _tier(code: str, code_2010: str, successors: set[str]) -> int:
    """How close a 29.2 code is to the 2010 one: successor, same broad, minor, major group, other."""
    if code in successors:
        return 0
    for tier, width in ((1, 6), (2, 4), (3, 2)):
        if code[:width] == code_2010[:width]:
            return tier
    return 4


@dataclass(frozen=True)
class LabelMatch:
    """A 29.2 occupation one of the ESCO labels names, with what ranks it."""

    code: str
    source: str  # title, alternate_title or reported_title
    label: str  # the ESCO label that named it (its best match)
    tier: int  # 0 successor of the 2010 code, 1 same broad, 2 minor, 3 major group, 4 other
    by_preferred: bool  # the ESCO preferred label names it
    labels_naming: int  # how many of the ESCO labels name it


def label_matches(labels: Sequence[str], row: CrosswalkRow, onet: OnetTitles, successors: set[str]) -> list[LabelMatch]:
    """Every 29.2 occupation an ESCO label names (casefolded, exactly), best first.

    ``labels`` is the preferred label, then the alternative ones. Order: closeness to the 2010 code
    (``_tier``), a title before an alternate before a reported title, the preferred label before an
    alternative one, more labels naming it, earlier label, code.
    """
    best: dict[str, tuple[int, int]] = {}  # code → (source rank, label rank) of its best match
    naming: dict[str, set[int]] = {}
    for label_rank, label in enumerate(labels):
        for code, source in onet.matches(label):
            naming.setdefault(code, set()).add(label_rank)
            rank = (_SOURCES.index(source), label_rank)
            if code not in best or rank < best[code]:
                best[code] = rank
    found = [
        LabelMatch(
            code=code,
            source=_SOURCES[source_rank],
            label=labels[label_rank],
            tier=_tier(code, row.onet_code, successors),
            by_preferred=0 in naming[code],
            labels_naming=len(naming[code]),
        )
        for code, (source_rank, label_rank) in best.items()
    ]
    return sorted(
        found,
        key=lambda m: (
            m.tier,
            _SOURCES.index(m.source),
            not m.by_preferred,
            -m.labels_naming,
            labels.index(m.label),
            m.code,
        ),
    )


def _fallback(row: CrosswalkRow, onet: OnetTitles) -> tuple[str, str] | None:
    """The rules used before labels were matched: same title, title before the comma, base code."""
    base = row.onet_code.split(".")[0] + ".00"
    candidates: tuple[tuple[str, str | None], ...] = (
        ("same_title", onet.by_title(row.onet_title)),
        ("title_head", onet.by_title(_head(row.onet_title))),
        ("base_code", base if base in onet else None),
    )
    return next(((method, code) for method, code in candidates if code is not None), None)


def resolve(row: CrosswalkRow, labels: Sequence[str], onet: OnetTitles) -> SocDecision:
    """The 2019 code for one crosswalk row by the automatic rules (no hand check).

    For a gone 2010 code, a label match wins when it names a successor of that code. When the code
    has a successor the old rules find (its title, the title's head, its base code) and no label names
    one, only the *preferred* label naming an occupation in the same SOC minor group overrides it: an
    alternative label, or an occupation elsewhere, is weaker evidence than the successor's title.
    When the old rules find nothing, the closest occupation any label names is taken.
    """
    if row.onet_code in onet:
        return SocDecision(row.esco_uri, row.onet_code, row.onet_code, "same_code")
    successors = onet.successors(row.onet_code, row.onet_title)
    matches = label_matches(labels, row, onet, successors)
    fallback = _fallback(row, onet)
    chosen = next((m for m in matches if m.tier == 0), None)
    if chosen is None and fallback is not None:
        chosen = next((m for m in matches if m.tier <= 2 and m.by_preferred), None)
    elif chosen is None and matches:
        chosen = matches[0]
    if chosen is not None:
        evidence = f"{chosen.label!r} is a {chosen.source.replace('_', ' ')} of {onet.titles[chosen.code]}"
        return SocDecision(row.esco_uri, row.onet_code, chosen.code, f"label_{chosen.source}", evidence)
    if fallback is not None:
        method, code = fallback
        return SocDecision(row.esco_uri, row.onet_code, code, method, onet.titles[code])
    return SocDecision(row.esco_uri, row.onet_code, None, "unmapped")


def map_rows(
    rows: Sequence[CrosswalkRow],
    onet: OnetTitles,
    labels: Mapping[str, Sequence[str]] | None = None,
    checks: Mapping[str, SocCheck] | None = None,
) -> list[SocDecision]:
    """One decision per crosswalk row, then one per hand check of an ESCO occupation the crosswalk lacks."""
    labels = labels or {}
    checks = checks or {}
    for known in checks.values():
        if known.checked_2019_code not in onet:
            raise DataSourceError(
                f"hand check of {known.esco_label!r} names {known.checked_2019_code}, not an O*NET 29.2 occupation"
            )
    decisions: list[SocDecision] = []
    for row in rows:
        check = checks.get(row.esco_uri)
        if check is not None:
            decisions.append(
                SocDecision(row.esco_uri, row.onet_code, check.checked_2019_code, "hand_checked", check.reason)
            )
        else:
            decisions.append(resolve(row, labels.get(row.esco_uri, ()), onet))
    in_crosswalk = {row.esco_uri for row in rows}
    decisions.extend(
        SocDecision(uri, "", check.checked_2019_code, "hand_checked", check.reason)
        for uri, check in sorted(checks.items())
        if uri not in in_crosswalk
    )
    return decisions


def count_methods(decisions: Iterable[SocDecision], crosswalk_uris: set[str]) -> dict[str, int]:
    """Crosswalk rows resolved by each rule (all of ``METHODS``, zeros included)."""
    counts = dict.fromkeys(METHODS, 0)
    for decision in decisions:
        if decision.esco_uri in crosswalk_uris:
            counts[decision.method] += 1
    return counts


# -- the hand-checked file -------------------------------------------------------------------------
def read_checks(path: Path = CHECKS_FILE) -> dict[str, SocCheck]:
    """ESCO URI → hand check; an absent file is no checks. Comment lines start with ``#``."""
    if not path.is_file():
        return {}
    checks: dict[str, SocCheck] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        reader = csv.DictReader(lines)
        if tuple(reader.fieldnames or ()) != CHECK_COLUMNS:
            raise DataSourceError(f"{path.name}: expected the columns {', '.join(CHECK_COLUMNS)}")
        for number, row in enumerate(reader, start=2):
            code = row["checked_2019_code"].strip()
            if not _CODE.match(code) or row["changed"] not in ("yes", "no"):
                raise DataSourceError(f"{path.name}, row {number}: bad checked code or changed flag")
            if row["esco_uri"] in checks:
                raise DataSourceError(f"{path.name}, row {number}: {row['esco_label']!r} is checked twice")
            checks[row["esco_uri"]] = SocCheck(
                esco_uri=row["esco_uri"].strip(),
                esco_label=row["esco_label"].strip(),
                crosswalk_2010_code=row["crosswalk_2010_code"].strip(),
                previous_2019_code=row["previous_2019_code"].strip(),
                checked_2019_code=code,
                changed=row["changed"] == "yes",
                reason=row["reason"].strip(),
            )
    return checks
