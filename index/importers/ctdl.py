"""Importer for Credential Engine CTDL JSON-LD: credentials, learning opportunities and pathways.

What becomes a catalog :class:`Credential`: every CTDL credential (MicroCredential, Badge,
DigitalBadge, OpenBadge, Certificate, Certification, Diploma, Associate/Bachelor/Master degrees and
their subclasses), every learning opportunity (Course, LearningOpportunityProfile, LearningProgram)
and every pathway CourseComponent / CredentialComponent. A component that proxies a record in the
graph (``proxyFor``, ``sourceData``, ``sourceItem``) merges with it and takes its id, so a pathway and
a course list read together give one entry per course. Grouping components (BasicComponent,
SelectionComponent, …) and assessments do not become entries.

How pathways map onto the catalog model:

* A ComponentCondition says what must be done to complete its component; each becomes a
  :class:`PrerequisiteGroup` of that credential ("N of" → ``min_required=N``). A grouping component
  among the targets of an all-of condition contributes its own conditions (or children); a choice
  among groups, or among nested conditions, cannot be expressed and is reported.
* ``precedes`` / ``precededBy`` / ``prerequisite`` between two entries add the earlier one as a
  prerequisite of the later. Precedence between grouping components (terms, stages) is noted and
  not mapped: it orders whole stages, which no single prerequisite group says.
* The pathway destination and every CredentialComponent with conditions are stack targets: each
  entry their conditions name gets a :class:`StackingRule` with its credit value, and the target a
  :class:`StackRequirement` (credits from the target's own credit value, or the sum its
  conditions imply when every part is known; all-of parts become ``required_ids``). Without any
  credit values the structure stays in the prerequisites only, which is noted.
* Credit units: SemesterHour → credit-hour, QuarterHour → credit-hour × 2/3,
  ContinuingEducationUnit → CEU, ECTS names → ECTS; ClockHour / ContactHour count as workload
  hours. Any other unit (DegreeCredit, CompetencyCredit, SCQF credits, …) does not map: the value
  is not used and an issue names the unit, unless ``ImportDefaults.credit_units`` maps it. Values
  without a unit use ``ImportDefaults.credit_unit``.
* Alignments (``teaches``, ``targetCompetency``, ``assesses``, competencies in ``requires``) give
  learning outcomes (their names); those whose target is an ESCO skill URI also become
  :class:`SkillAlignment` entries, other targets are noted and kept out of ``skills``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.core.errors import DataIssue, DataSourceError
from assistant.core.models import (
    AssessmentType,
    CredentialKind,
    CreditUnit,
    DeliveryMode,
    Money,
    PrerequisiteGroup,
    SkillAlignment,
    StackingRule,
    StackRequirement,
)
from assistant.core.models.credentials import CREDENTIAL_ID_PATTERN
from assistant.core.models.taxonomy import ESCO_SKILL_PREFIX
from index.importers._jsonld import (
    Broken,
    Graph,
    Node,
    Ref,
    Text,
    ctid_of,
    local_name,
    read_documents,
    to_node,
    top_level,
)
from index.importers.completion import CredentialDraft, ImportDefaults, ImportResult, Location, finish, money

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

CREDENTIAL_KINDS: dict[str, CredentialKind] = {
    "MicroCredential": CredentialKind.MICRO_CREDENTIAL,
    **dict.fromkeys(("Badge", "DigitalBadge", "OpenBadge"), CredentialKind.DIGITAL_BADGE),
    **dict.fromkeys(
        (
            "Certificate",
            "CertificateOfCompletion",
            "AcademicCertificate",
            "ProfessionalCertificate",
            "ApprenticeshipCertificate",
            "Certification",
        ),
        CredentialKind.CERTIFICATE,
    ),
    **dict.fromkeys(("Diploma", "SecondarySchoolDiploma"), CredentialKind.DIPLOMA),
    **dict.fromkeys(
        (
            "AssociateDegree",
            "AssociateOfArtsDegree",
            "AssociateOfScienceDegree",
            "AssociateOfAppliedArtsDegree",
            "AssociateOfAppliedScienceDegree",
        ),
        CredentialKind.ASSOCIATE_DEGREE,
    ),
    **dict.fromkeys(
        ("BachelorDegree", "BachelorOfArtsDegree", "BachelorOfScienceDegree"), CredentialKind.BACHELOR_DEGREE
    ),
    **dict.fromkeys(
        ("MasterDegree", "MasterOfArtsDegree", "MasterOfScienceDegree"), CredentialKind.MASTER_DEGREE
    ),
}
LEARNING_TYPES = frozenset(
    {"Course", "LearningOpportunityProfile", "LearningOpportunity", "LearningProgram", "CourseComponent"}
)
# Credential classes with no catalog kind: kept as entries, kind from ImportDefaults.credential_kind.
UNMAPPED_CREDENTIAL_TYPES = frozenset(
    {
        "Credential",
        "Degree",
        "DoctoralDegree",
        "ResearchDoctorate",
        "ProfessionalDoctorate",
        "License",
        "JourneymanCertificate",
        "MasterCertificate",
        "QualityAssuranceCredential",
        "GeneralEducationDevelopment",
    }
)
ITEM_COMPONENTS = frozenset({"CourseComponent", "CredentialComponent"})
GROUPING_COMPONENTS = frozenset(
    {
        "BasicComponent",
        "Basic",
        "SelectionComponent",
        "MultiComponent",
        "CocurricularComponent",
        "ExtracurricularComponent",
        "JobComponent",
        "WorkExperienceComponent",
        "CompetencyComponent",
        "AssessmentComponent",
    }
)
NOT_CREDENTIALS = frozenset(
    {"AssessmentProfile", "Assessment", "TransferValueProfile", "TransferIntermediary"}
)
OTHER_CTDL_TYPES = frozenset(
    {
        "Pathway",
        "PathwaySet",
        "ComponentCondition",
        "ConditionProfile",
        "Constraint",
        "ValueProfile",
        "Competency",
        "CompetencyFramework",
        "CredentialOrganization",
        "QACredentialOrganization",
        "Organization",
        "CredentialAlignmentObject",
        "AlignmentObject",
        "ProgressionModel",
        "ProgressionLevel",
        "ComponentLevel",
        "Occupation",
        "Job",
        "DurationProfile",
        "CostProfile",
        "IdentifierValue",
        "ConceptScheme",
    }
)
KNOWN_TYPES = (
    frozenset(CREDENTIAL_KINDS)
    | LEARNING_TYPES
    | UNMAPPED_CREDENTIAL_TYPES
    | ITEM_COMPONENTS
    | GROUPING_COMPONENTS
    | NOT_CREDENTIALS
    | OTHER_CTDL_TYPES
)
SOURCE_PROPS = ("proxyFor", "sourceData", "sourceItem")
CHILD_PROPS = ("hasChild", "isParentOf")
ALIGNMENT_PROPS = ("teaches", "targetCompetency", "assesses")
ORG_PROPS = ("ownedBy", "offeredBy", "creator")
QA_PROPS = {
    "accreditedBy": "accredited by",
    "approvedBy": "approved by",
    "recognizedBy": "recognized by",
    "regulatedBy": "regulated by",
}

BUILTIN_UNITS: dict[str, tuple[CreditUnit, float]] = {
    **dict.fromkeys(
        ("semesterhour", "semestercredithour", "semestercredit", "credithour"),
        (CreditUnit.US_CREDIT_HOUR, 1.0),
    ),
    **dict.fromkeys(
        ("quarterhour", "quartercredithour", "quartercredit"), (CreditUnit.US_CREDIT_HOUR, 2 / 3)
    ),
    **dict.fromkeys(("continuingeducationunit", "ceu"), (CreditUnit.CEU, 1.0)),
    **dict.fromkeys(
        (
            "ects",
            "ectscredit",
            "europeantransfercredit",
            "europeancredittransfersystem",
            "europeancredittransferandaccumulationsystem",
            "europeantransferandaccumulationsystemcredit",
        ),
        (CreditUnit.ECTS, 1.0),
    ),
}
HOUR_UNITS = frozenset({"clockhour", "contacthour"})
ASSESSMENT_METHODS = {
    "exam": AssessmentType.EXAM,
    "artifact": AssessmentType.PROJECT,
    "performance": AssessmentType.PRACTICAL,
}
DELIVERY_TYPES = {
    "onlineonly": DeliveryMode.ONLINE,
    "online": DeliveryMode.ONLINE,
    "inperson": DeliveryMode.ONSITE,
    "inpersononly": DeliveryMode.ONSITE,
    "blendeddelivery": DeliveryMode.BLENDED,
    "blended": DeliveryMode.BLENDED,
}
_ISO_DURATION = re.compile(
    r"^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?$"
)
_ID_RE = re.compile(CREDENTIAL_ID_PATTERN)

Group = tuple[tuple[str, ...], int | None]  # credential ids, and min_required (None: all of them)
Credit = tuple[float, CreditUnit]
NO_CREDIT = "no credit value"


# -- public API ------------------------------------------------------------------------------------


def read_ctdl(
    paths: str | Path | Iterable[str | Path],
    defaults: ImportDefaults,
    *,
    strict: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ImportResult:
    """Import CTDL files read together, so references resolve across them (a pathway and its courses).

    Raises :class:`DataSourceError` for a file that is missing, too big, or holds no CTDL; with
    ``strict`` raises :class:`CatalogValidationError` when any issue is found.
    """
    files = [Path(paths)] if isinstance(paths, str | Path) else [Path(p) for p in paths]
    sources = [(path.name, _read_text(path, max_bytes)) for path in files]
    return import_ctdl_texts(sources, defaults, strict=strict)


def import_ctdl_texts(
    sources: Sequence[tuple[str, str]], defaults: ImportDefaults, *, strict: bool = False
) -> ImportResult:
    """Import CTDL given as ``(file name, text)`` pairs (uploads, tests)."""
    graph = Graph()
    report = _Report()
    for name, text in sources:
        _load(name, text, graph, report)
    drafts = _Importer(graph, defaults, report).drafts()
    return finish(drafts, defaults, report.issues, report.notes, strict=strict, summary="CTDL import failed")


# -- loading ---------------------------------------------------------------------------------------


@dataclass
class _Report:
    issues: list[DataIssue] = field(default_factory=list)
    notes: list[DataIssue] = field(default_factory=list)

    def issue(self, node: Node | Location, message: str, field_name: str | None = None) -> None:
        _add_once(self.issues, _location(node).issue(message, field_name))

    def note(self, node: Node | Location, message: str, field_name: str | None = None) -> None:
        _add_once(self.notes, _location(node).issue(message, field_name))


def _add_once(found: list[DataIssue], issue: DataIssue) -> None:
    if issue not in found:
        found.append(issue)


def _location(node: Node | Location) -> Location:
    return node if isinstance(node, Location) else Location(node.file, node.row, node.id)


def _read_text(path: Path, max_bytes: int) -> str:
    if not path.is_file():
        raise DataSourceError(f"CTDL file not found at {path}")
    size = path.stat().st_size
    if size > max_bytes:
        raise DataSourceError(
            f"{path.name} is {size / 1e6:.1f} MB; CTDL files over {max_bytes / 1e6:.1f} MB are not read"
        )
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataSourceError(f"{path.name} is not readable UTF-8 text: {exc}") from exc


def _load(name: str, text: str, graph: Graph, report: _Report) -> None:
    """Add every node of one file to ``graph``; broken elements and placeholders are reported."""
    first = len(graph.nodes)
    broken: list[str] = []
    elements = (element for document in read_documents(text) for element in _elements(document))
    for row, element in enumerate(elements):
        if isinstance(element, Broken):
            broken.append(element.message)
            report.issue(Location(name, row), f"record skipped: {element.message}")
        elif isinstance(element, dict):
            to_node(element, graph, name, row)
        else:
            report.note(
                Location(name, row), f"not a record (placeholder or comment {str(element)[:40]!r}): skipped"
            )
    if not any(set(node.types) & KNOWN_TYPES for node in graph.nodes[first:]):
        raise DataSourceError(_not_ctdl(name, text, broken))


def _elements(document: Any) -> Iterable[Any]:
    return [document] if isinstance(document, Broken) else top_level(document)


def _not_ctdl(name: str, text: str, broken: list[str]) -> str:
    if broken and not text.lstrip().startswith(("{", "[")):
        return f"{name} is not JSON ({broken[0]})"
    hints = {
        '"completionBadge"': "it looks like a Badgr pathway export",
        '"CTID"': "it looks like a Credential Engine Assistant API request, not published JSON-LD",
        "OpenBadgeCredential": "it looks like an Open Badges 3.0 credential (see open_badges.py)",
    }
    hint = next(
        (words for marker, words in hints.items() if marker in text),
        f"first problem: {broken[0]}" if broken else "no node has a CTDL type",
    )
    return f"{name} holds no CTDL records: {hint}"


# -- the import ------------------------------------------------------------------------------------


@dataclass(eq=False)
class _Item:
    """One future catalog entry: its main node first, then pathway components standing for it."""

    nodes: list[Node]
    id: str | None = None
    composite: bool = False
    groups: list[Group] = field(default_factory=list)
    unresolved: int = 0
    after: list[str] = field(default_factory=list)
    stacks: list[StackingRule] = field(default_factory=list)
    requirement: StackRequirement | None = None

    @property
    def main(self) -> Node:
        return self.nodes[0]


class _Importer:
    """Finds the catalog entries in a graph, links them, and turns each into a draft."""

    def __init__(self, graph: Graph, defaults: ImportDefaults, report: _Report) -> None:
        self.graph = graph
        self.defaults = defaults
        self.report = report
        self.items: list[_Item] = []
        self.item_of: dict[int, _Item] = {}
        self.pathway_name: dict[int, str] = {}
        self.lang = defaults.language or "en"  # which entry of a language map to prefer
        self._by_id: dict[str, _Item] = {}

    def drafts(self) -> list[CredentialDraft]:
        self._collect_items()
        destinations = self._destinations()
        for item in self.items:
            self._conditions(item, destinations)
        self._precedence()
        for item in self.items:
            if item.composite:
                self._stacking(item)
        return [self._draft(item) for item in self.items]

    # -- entries --------------------------------------------------------------------------------

    def _collect_items(self) -> None:
        for node in self.graph.nodes:
            if _is_entry_type(node) and not node.is_a(*ITEM_COMPONENTS):
                self._new_item(node)
            elif node.is_a(*NOT_CREDENTIALS):
                self.report.note(node, f"{node.types[0]} is not a credential: not imported")
        for node in self.graph.nodes:
            if node.is_a(*ITEM_COMPONENTS):
                self._add_component(node)
        self._merge_same_course()
        for item in self.items:
            item.id = self._catalog_id(item)
        self._by_id = {item.id: item for item in self.items if item.id}

    def _new_item(self, node: Node) -> _Item:
        item = _Item([node])
        self.items.append(item)
        self.item_of[id(node)] = item
        return item

    def _add_component(self, node: Node) -> None:
        sources = [value for prop in SOURCE_PROPS for value in node.values(prop)]
        if len(sources) > 1:
            self.report.note(
                node, f"the component stands for {len(sources)} resources; only the first is used", "proxyFor"
            )
        source = self.graph.resolve(sources[0]) if sources else None
        item = self.item_of.get(id(source)) if source is not None else None
        if item is None:
            self._new_item(node)
            return
        item.nodes.append(node)
        self.item_of[id(node)] = item

    def _merge_same_course(self) -> None:
        """Components repeating a course (same code and name, no source) are one entry."""
        seen: dict[tuple[str, str], _Item] = {}
        for item in list(self.items):
            if len(item.nodes) > 1 or not item.main.is_a("CourseComponent"):
                continue
            key = (_text(item.main, "codedNotation") or "", _text(item.main, "name") or "")
            if not all(key):
                continue
            first = seen.setdefault(key, item)
            if first is not item:
                first.nodes.append(item.main)
                self.item_of[id(item.main)] = first
                self.items.remove(item)
                self.report.note(item.main, f"the same course as {first.main.id} ({key[0]}): merged into it")

    def _catalog_id(self, item: _Item) -> str | None:
        """CTID first (registry-wide), then a usable ``@id``, then ``id_prefix`` + course code."""
        for node in item.nodes:
            external = [ctid_of(_ref_key(v)) for prop in SOURCE_PROPS for v in node.values(prop)]
            usable = node.id if node.id and not node.id.startswith("_:") and _ID_RE.match(node.id) else None
            for candidate in (node.ctid, *external, usable):
                if candidate and len(candidate) <= 200:
                    return candidate
        code = _text(item.main, "codedNotation") or _identifier_code(item.main)
        if code and self.defaults.id_prefix:
            return f"{self.defaults.id_prefix}{re.sub(r'[^A-Za-z0-9._:/-]+', '-', code)}"
        return None

    def _destinations(self) -> set[int]:
        found: set[int] = set()
        for node in self.graph.nodes:
            if node.is_a("Pathway"):
                for value in node.values("hasDestinationComponent"):
                    target = self.graph.resolve(value)
                    if target is not None:
                        found.add(id(target))
                        self.pathway_name.setdefault(id(target), _text(node, "name") or "")
            if node.has("isDestinationComponentFor"):
                found.add(id(node))
        return found

    # -- conditions -----------------------------------------------------------------------------

    def _conditions(self, item: _Item, destinations: set[int]) -> None:
        for node in item.nodes:
            conditions = [self.graph.resolve(v) for v in node.values("hasCondition")]
            for condition in conditions:
                if condition is not None:
                    item.groups.extend(self._condition_groups(condition, item, set()))
            has_conditions = any(c is not None for c in conditions)
            if id(node) in destinations or (node.is_a("CredentialComponent") and has_conditions):
                item.composite = item.composite or has_conditions
            self._required_records(node, item)

    def _required_records(self, node: Node, item: _Item) -> None:
        """Credentials and learning opportunities a ``requires`` ConditionProfile names come first."""
        for profile in map(self.graph.resolve, node.values("requires")):
            if profile is None:
                continue
            for target in [*profile.values("targetCredential"), *profile.values("targetLearningOpportunity")]:
                target_id, _ = self._resolve_target(target, item, prop="requires")
                if target_id and target_id != item.id:
                    item.after.append(target_id)

    def _condition_groups(self, condition: Node, item: _Item, seen: set[int]) -> list[Group]:
        if condition.has("hasConstraint"):
            self.report.note(
                item.main,
                f"constraints of condition {_label(condition)} (grades, credits, "
                "attempts) are not represented",
                "hasCondition",
            )
        required = _number(condition, "requiredNumber")
        number = int(required) if required is not None else None
        targets = condition.values("targetComponent")
        if targets:
            return self._target_groups(targets, number, item, seen)
        subs = [
            node for node in map(self.graph.resolve, condition.values("hasCondition")) if node is not None
        ]
        if subs and (number is None or number >= len(subs)):
            return [group for sub in subs for group in self._condition_groups(sub, item, seen)]
        if subs:
            self.report.issue(
                item.main,
                f"condition {_label(condition)} asks for {number} of {len(subs)} "
                "nested conditions; a choice between conditions cannot be expressed",
                "hasCondition",
            )
        return []

    def _target_groups(
        self, targets: list[Any], number: int | None, item: _Item, seen: set[int]
    ) -> list[Group]:
        ids: list[str] = []
        groupings: list[Node] = []
        for target in targets:
            target_id, node = self._resolve_target(target, item)
            if target_id:
                ids.append(target_id)
            elif node is not None:
                groupings.append(node)
        ids = [i for i in dict.fromkeys(ids) if i != item.id]
        if number is None or number >= len(targets):
            groups: list[Group] = [(tuple(ids), None)] if ids else []
            for grouping in groupings:
                groups.extend(self._grouping_groups(grouping, item, seen))
            return groups
        if groupings:
            self.report.issue(
                item.main,
                f"a choice of {number} among groups of components "
                f"({', '.join(_label(g) for g in groupings)}) cannot be expressed",
                "hasCondition",
            )
            return []
        if number > len(ids):
            self.report.issue(
                item.main,
                f"a condition needs {number} of its targets but only {len(ids)} are known",
                "hasCondition",
            )
            return []
        return [(tuple(ids), number if number < len(ids) else None)]

    def _resolve_target(
        self, target: Any, item: _Item, *, prop: str = "hasCondition"
    ) -> tuple[str | None, Node | None]:
        """A target's catalog id, or the grouping component it is; unknown references are reported."""
        node = self.graph.resolve(target)
        if node is not None:
            owner = self.item_of.get(id(node))
            if owner is not None:
                return (owner.id or self._catalog_id(owner)), None
            if node.is_a(*GROUPING_COMPONENTS):
                return None, node
            self.report.note(
                item.main, f"target {_label(node)} is not a credential or course: left out", prop
            )
            return None, None
        outside = ctid_of(_ref_key(target))
        if outside:
            self.report.note(item.main, f"target {outside} is not in the files read; kept by its CTID", prop)
            return outside, None
        item.unresolved += prop == "hasCondition"  # only condition gaps block a derived total
        self.report.issue(item.main, f"target {_ref_key(target)!r} is not in the files read: left out", prop)
        return None, None

    def _grouping_groups(self, grouping: Node, item: _Item, seen: set[int]) -> list[Group]:
        if id(grouping) in seen:
            return []
        seen = seen | {id(grouping)}
        conditions = [
            node for node in map(self.graph.resolve, grouping.values("hasCondition")) if node is not None
        ]
        if conditions:
            return [group for c in conditions for group in self._condition_groups(c, item, seen)]
        children = [value for prop in CHILD_PROPS for value in grouping.values(prop)]
        if children:
            return self._target_groups(children, None, item, seen)
        self.report.note(
            item.main,
            f"component {_label(grouping)} names no conditions or children: nothing to require from it",
            "hasCondition",
        )
        return []

    # -- precedence -----------------------------------------------------------------------------

    def _precedence(self) -> None:
        for node in self.graph.nodes:
            for value in node.values("precedes"):
                self._edge(node, value, node)
            for prop in ("precededBy", "prerequisite"):
                for value in node.values(prop):
                    self._edge(value, node, node)

    def _edge(self, before: Any, after: Any, where: Node) -> None:
        first = self.graph.resolve(before)
        then = self.graph.resolve(after)
        first_item = self.item_of.get(id(first)) if first is not None else None
        then_item = self.item_of.get(id(then)) if then is not None else None
        if first_item is not None and then_item is not None and first_item is not then_item and first_item.id:
            then_item.after.append(first_item.id)
        elif first is None or then is None:
            self.report.issue(
                where,
                f"precedence refers to {_ref_key(before if first is None else after)!r}, "
                "which is not in the files read",
                "precedes",
            )
        elif first_item is None or then_item is None:
            self.report.note(
                first,
                f"{_label(first)} precedes {_label(then)}: ordering of grouping components "
                "is not mapped to prerequisites",
                "precedes",
            )

    # -- stacking -------------------------------------------------------------------------------

    def _stacking(self, target: _Item) -> None:
        """Parts named by a stack target's conditions carry their credit into it."""
        parts = [self._by_id.get(i) for group in target.groups for i in group[0]]
        known = [part for part in dict.fromkeys(parts) if part is not None]
        if not known:
            return
        credits = {id(part): self._credit(part) for part in known}
        any_credit = any(c != NO_CREDIT for c in credits.values())
        if any_credit:
            self._stack_parts(target, known, credits)
        else:
            self.report.note(
                target.main,
                "no part states a credit value: the structure is kept as prerequisites only",
                "stacks_into",
            )
        stated = self._stated_total(target)
        if isinstance(stated, str):
            self.report.issue(
                target.main, f"{stated}: credits required are not recorded", "stack_requirement"
            )
            return
        total = stated or (self._derived_total(target, credits) if any_credit else None)
        if total is not None and total[0] > 0:
            required = tuple(dict.fromkeys(i for ids, least in target.groups if least is None for i in ids))
            target.requirement = StackRequirement(
                credits_required=total[0], credit_unit=total[1], required_ids=required
            )

    def _stack_parts(self, target: _Item, parts: list[_Item], credits: dict[int, Credit | str]) -> None:
        unusable: dict[str, list[str]] = {}
        for part in parts:
            credit = credits[id(part)]
            if isinstance(credit, tuple) and target.id:
                part.stacks.append(StackingRule(target_id=target.id, credit=credit[0], credit_unit=credit[1]))
            elif isinstance(credit, str):
                unusable.setdefault(credit, []).append(_label(part.main))
        for reason, names in unusable.items():
            more = ", …" if len(names) > 3 else ""
            self.report.issue(
                target.main,
                f"{len(names)} part(s) get no stacking link ({', '.join(names[:3])}{more}): {reason}",
                "stacks_into",
            )

    def _stated_total(self, target: _Item) -> Credit | str | None:
        profiles = [v for node in target.nodes for v in node.values("creditValue")]
        for node in target.nodes:
            for condition in map(self.graph.resolve, node.values("requires")):
                if condition is not None and condition.has("targetPathway"):
                    profiles.extend(condition.values("creditValue"))
        for profile in map(self.graph.resolve, profiles):
            if profile is not None and _number(profile, "value") is not None and not _is_hours(profile):
                return self._unit_value(profile)
        return None

    def _derived_total(self, target: _Item, credits: dict[int, Credit | str]) -> Credit | None:
        def value(i: str) -> Credit | None:
            part = self._by_id.get(i)
            credit = credits.get(id(part)) if part is not None else None
            return credit if isinstance(credit, tuple) else None

        values = [[value(i) for i in ids] for ids, _ in target.groups]
        flat = [v for row in values for v in row]
        units = {v[1] for v in flat if v is not None}
        if target.unresolved or None in flat or len(units) != 1:
            why = (
                "conditions name components not in the files read"
                if target.unresolved
                else "not every part has a usable credit value"
                if None in flat
                else "parts use different units"
            )
            self.report.issue(
                target.main,
                f"credits required are not stated and cannot be derived: {why}",
                "stack_requirement",
            )
            return None
        total = 0.0
        for (_ids, least), row in zip(target.groups, values, strict=True):
            amounts = sorted(v[0] for v in row if v is not None)
            total += sum(amounts[: least or len(amounts)])
        self.report.note(
            target.main, f"credits required derived from the conditions: {total:g}", "stack_requirement"
        )
        return total, units.pop()

    # -- credits --------------------------------------------------------------------------------

    def _credit(self, item: _Item) -> Credit | str:
        """The entry's credit value in a catalog unit, or why there is none."""
        reason = NO_CREDIT
        for node in item.nodes:
            for profile in map(self.graph.resolve, node.values("creditValue")):
                if profile is None or _number(profile, "value") is None or _is_hours(profile):
                    continue
                credit = self._unit_value(profile)
                if isinstance(credit, tuple):
                    return credit
                reason = credit
        return reason

    def _unit_value(self, profile: Node) -> Credit | str:
        amount = _number(profile, "value") or 0.0
        unit = _unit_key(profile)
        if unit is None:
            if self.defaults.credit_unit is None:
                return f"credit value {amount:g} names no unit and ImportDefaults.credit_unit is not set"
            return amount, self.defaults.credit_unit
        mapped = self.defaults.credit_units.get(unit) or self.defaults.credit_units.get(local_name(unit))
        mapped = mapped or BUILTIN_UNITS.get(local_name(unit).lower())
        if mapped is None:
            return (
                f"credit unit {unit!r} does not map to a catalog unit (add it to ImportDefaults.credit_units)"
            )
        return round(amount * mapped[1], 4), mapped[0]

    def _hours(self, item: _Item) -> float | None:
        for node in item.nodes:
            for profile in map(self.graph.resolve, node.values("creditValue")):
                if profile is not None and _is_hours(profile):
                    return _number(profile, "value")
        return None

    # -- drafts ---------------------------------------------------------------------------------

    def _draft(self, item: _Item) -> CredentialDraft:
        main = item.main
        draft = CredentialDraft(location=Location(main.file, main.row, main.id or item.id), id=item.id)
        draft.title = self._first(item, "name") or next(
            (self.pathway_name[id(n)] for n in item.nodes if self.pathway_name.get(id(n))), None
        )
        draft.description = self._first(item, "description")
        draft.kind = _kind(item)
        draft.awarding_body = self._organization(item)
        draft.learning_outcomes, draft.skills = self._alignments(item)
        credit = self._credit(item)
        if isinstance(credit, tuple):
            draft.credits, draft.credit_unit = credit
        elif item.requirement is not None:  # an award is worth the credits it is earned with
            draft.credits, draft.credit_unit = item.requirement.credits_required, item.requirement.credit_unit
        draft.workload_hours = self._hours(item)
        draft.assessment = _assessment(self._vocab(item, "assessmentMethodType"))
        draft.delivery_mode = _delivery(self._vocab(item, "deliveryType"))
        draft.quality_assurance = self._quality_assurance(item)
        draft.cost = self._cost(item)
        draft.duration_weeks = self._duration(item)
        draft.language = _language(self._first(item, "inLanguage"))
        draft.url = self._url(item)
        draft.prerequisites = _prerequisites([*item.groups, (tuple(item.after), None)], item.id)
        draft.stacks_into = list({rule.target_id: rule for rule in item.stacks}.values())
        draft.stack_requirement = item.requirement
        return draft

    def _first(self, item: _Item, prop: str) -> str | None:
        return next((text for node in item.nodes if (text := _text(node, prop, self.lang))), None)

    def _organization(self, item: _Item) -> str | None:
        for node in item.nodes:
            for prop in ORG_PROPS:
                for value in node.values(prop):
                    org = self.graph.resolve(value)
                    if org is not None and (name := _text(org, "name", self.lang)):
                        return name
        return None

    def _quality_assurance(self, item: _Item) -> str | None:
        for node in item.nodes:
            for prop, words in QA_PROPS.items():
                for value in node.values(prop):
                    org = self.graph.resolve(value)
                    if org is not None and (name := _text(org, "name", self.lang)):
                        return f"{words} {name}"
        return None

    def _alignments(self, item: _Item) -> tuple[tuple[str, ...], tuple[SkillAlignment, ...]]:
        outcomes: dict[str, None] = {}
        skills: dict[str, SkillAlignment] = {}
        for node in item.nodes:
            for value in self._alignment_values(node):
                target, name = self._alignment_target(value)
                if name:
                    outcomes.setdefault(name, None)
                uri = _esco_skill(target) if target else None
                if uri:
                    skills.setdefault(uri, SkillAlignment(uri=uri, label=name))
                elif target:
                    self.report.note(
                        item.main, f"alignment to {target} is not an ESCO skill: kept out of skills", "skills"
                    )
        return tuple(outcomes), tuple(skills.values())

    def _alignment_values(self, node: Node) -> list[Any]:
        values = [v for prop in ALIGNMENT_PROPS for v in node.values(prop)]
        for requirement in map(self.graph.resolve, node.values("requires")):
            if requirement is None:
                continue
            if requirement.is_a("Competency"):
                values.append(requirement)
            values.extend(requirement.values("targetCompetency"))
        return values

    def _alignment_target(self, value: Any) -> tuple[str | None, str | None]:
        """An alignment's target IRI and its readable name (the competency text where known)."""
        node = self.graph.resolve(value)
        if node is None:
            return _ref_key(value) or None, None
        if node.is_a("Competency"):
            name = _text(node, "competencyText") or _text(node, "competencyLabel")
            return node.id, name
        target = next((_ref_key(v) for v in node.values("targetNode")), None)
        name = _text(node, "targetNodeName", self.lang) or _text(node, "targetNodeDescription")
        competency = self.graph.resolve(target) if target else None
        if not name and competency is not None:
            name = _text(competency, "competencyText") or _text(competency, "competencyLabel")
        return target, name

    def _vocab(self, item: _Item, prop: str) -> list[str]:
        terms: list[str] = []
        for node in item.nodes:
            for value in node.values(prop):
                resolved = value if isinstance(value, Node) else None
                key = (
                    next((_ref_key(v) for v in resolved.values("targetNode")), "")
                    if resolved
                    else _ref_key(value)
                )
                if key:
                    terms.append(local_name(key).lower())
        return terms

    def _cost(self, item: _Item) -> Money | None:
        profiles = [p for n in item.nodes for p in map(self.graph.resolve, n.values("estimatedCost")) if p]
        if len(profiles) != 1:
            return None
        price, currency = _number(profiles[0], "price"), _text(profiles[0], "currency")
        return money(price, currency) if price is not None and currency else None

    def _duration(self, item: _Item) -> float | None:
        for node in item.nodes:
            for profile in map(self.graph.resolve, node.values("estimatedDuration")):
                weeks = _weeks(_text(profile, "exactDuration")) if profile is not None else None
                if weeks:
                    return weeks
        return None

    def _url(self, item: _Item) -> str | None:
        pages = [_text(node, "subjectWebpage") for node in item.nodes]
        pages += [_ref_key(v) for node in item.nodes for v in node.values("sourceData")]
        return next((page for page in pages if page and page.startswith(("http://", "https://"))), None)


# -- small helpers ---------------------------------------------------------------------------------


def _is_entry_type(node: Node) -> bool:
    return node.is_a(*CREDENTIAL_KINDS, *LEARNING_TYPES, *UNMAPPED_CREDENTIAL_TYPES)


def _kind(item: _Item) -> CredentialKind | None:
    """The most specific kind any node of the entry gives; a course only when nothing says more."""
    found: list[CredentialKind] = []
    for node in item.nodes:
        names = [*node.types, *(local_name(_ref_key(v)) for v in node.values("credentialType"))]
        found.extend(CREDENTIAL_KINDS[name] for name in names if name in CREDENTIAL_KINDS)
        if node.is_a(*LEARNING_TYPES):
            found.append(CredentialKind.COURSE)
    return next((kind for kind in found if kind is not CredentialKind.COURSE), found[0] if found else None)


def _prerequisites(groups: list[Group], own_id: str | None) -> list[PrerequisiteGroup]:
    """All-of groups merge into one; each choice stays its own group."""
    every = tuple(dict.fromkeys(i for ids, least in groups if least is None for i in ids if i != own_id))
    result = [PrerequisiteGroup(credential_ids=every)] if every else []
    for ids, least in dict.fromkeys(groups):
        kept = tuple(i for i in ids if i != own_id)
        if least is not None and least <= len(kept):
            result.append(
                PrerequisiteGroup(credential_ids=kept, min_required=least if least < len(kept) else None)
            )
    return result


def _text(node: Node, prop: str, lang: str | None = None) -> str | None:
    """The first non-blank text of ``prop``, in ``lang`` where the source offers it."""
    texts = [v for v in node.values(prop) if isinstance(v, Text) and v.value.strip()]
    preferred = [t for t in texts if lang and t.lang and t.lang.lower().startswith(lang)]
    chosen = preferred or texts
    return chosen[0].value.strip() if chosen else None


def _number(node: Node, prop: str) -> float | None:
    for value in node.values(prop):
        raw = value.value if isinstance(value, Text) else value
        if isinstance(raw, bool):
            continue
        try:
            return float(raw)
        except (TypeError, ValueError):
            continue
    return None


def _ref_key(value: Any) -> str:
    if isinstance(value, Ref):
        return value.id
    if isinstance(value, Text):
        return value.value
    if isinstance(value, Node):
        return value.id or ""
    return value if isinstance(value, str) else ""


def _unit_key(profile: Node) -> str | None:
    for value in profile.values("creditUnitType"):
        if isinstance(value, Node):
            key = next((_ref_key(v) for v in value.values("targetNode")), "") or (value.id or "")
        else:
            key = _ref_key(value)
        if key:
            return key
    return None


def _is_hours(profile: Node) -> bool:
    unit = _unit_key(profile)
    return unit is not None and local_name(unit).lower() in HOUR_UNITS


def _identifier_code(node: Node) -> str | None:
    for prop in ("identifier", "identifierValue"):
        for value in node.values(prop):
            if isinstance(value, Node) and (code := _text(value, "identifierValueCode")):
                return code
    return None


def _label(node: Node) -> str:
    return _text(node, "name") or _text(node, "description") or node.id or "(unnamed)"


def _esco_skill(target: str) -> str | None:
    normal = target.replace("https://", "http://", 1)
    return normal if normal.startswith(ESCO_SKILL_PREFIX) and len(normal) > len(ESCO_SKILL_PREFIX) else None


def _assessment(terms: list[str]) -> AssessmentType | None:
    kinds = {ASSESSMENT_METHODS[t] for t in terms if t in ASSESSMENT_METHODS}
    return None if not kinds else kinds.pop() if len(kinds) == 1 else AssessmentType.MIXED


def _delivery(terms: list[str]) -> DeliveryMode | None:
    modes = {DELIVERY_TYPES[t] for t in terms if t in DELIVERY_TYPES}
    return None if not modes else modes.pop() if len(modes) == 1 else DeliveryMode.BLENDED


def _language(tag: str | None) -> str | None:
    primary = tag.split("-")[0].lower() if tag else ""
    return primary if re.fullmatch(r"[a-z]{2}", primary) else None


def _weeks(duration: str | None) -> float | None:
    """Calendar weeks of an ISO 8601 duration (years, months, weeks, days); hours are not calendar time."""
    match = _ISO_DURATION.match(duration or "")
    if not match or not any(match.groups()):
        return None
    years, months, weeks, days = (float(g) if g else 0.0 for g in match.groups())
    return round(years * 52 + months * 52 / 12 + weeks + days / 7, 2) or None


__all__ = ["DEFAULT_MAX_BYTES", "ImportDefaults", "ImportResult", "import_ctdl_texts", "read_ctdl"]
