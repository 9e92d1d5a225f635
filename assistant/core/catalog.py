"""The catalog aggregate: one institution's credentials, looked up by id and checked as a whole.

Single records are validated by their pydantic models; what only shows across records (duplicate
ids, dangling references, prerequisite loops, stacks that cannot add up, skills outside the
taxonomy) is checked here, so every loader and every in-memory builder gets the same rules. The
class does no I/O: loaders in ``index.catalogs`` read files and hand over finished records.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable, Iterator

from assistant.core.errors import CatalogValidationError, DataIssue, NotFoundError
from assistant.core.models import Credential, Institution

_CREDIT_TOLERANCE = 1e-9


class Catalog:
    """An institution's credentials in catalog order, with the lookups routing and advice need.

    Construction never fails on cross-record problems so that a loader can report them all at
    once; call :meth:`validate`, or build through :meth:`build`, which refuses a bad catalog.
    When ids repeat, lookups return the first record and :meth:`validate` reports the others.
    """

    __slots__ = ("_by_id", "_credentials", "institution", "source")

    def __init__(
        self, institution: Institution, credentials: Iterable[Credential], *, source: str = "<catalog>"
    ) -> None:
        self.institution = institution
        self.source = source
        self._credentials: tuple[Credential, ...] = tuple(credentials)
        self._by_id: dict[str, Credential] = {}
        for credential in self._credentials:
            self._by_id.setdefault(credential.id, credential)

    @classmethod
    def build(
        cls,
        institution: Institution,
        credentials: Iterable[Credential],
        *,
        source: str = "<catalog>",
        known_skill_uris: Collection[str] | None = None,
    ) -> Catalog:
        """Build a catalog that passed :meth:`validate`, or raise with every issue found."""
        catalog = cls(institution, credentials, source=source)
        issues = catalog.validate(known_skill_uris)
        if issues:
            raise CatalogValidationError(issues, f"catalog {source} rejected")
        return catalog

    # -- lookups --------------------------------------------------------------------------------

    @property
    def credentials(self) -> tuple[Credential, ...]:
        return self._credentials

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self._by_id)

    def get(self, credential_id: str) -> Credential:
        """The credential with this id; the error names near matches, since ids are typed by hand."""
        try:
            return self._by_id[credential_id]
        except KeyError:
            raise NotFoundError(self._not_found_message(credential_id)) from None

    def __contains__(self, item: object) -> bool:
        if isinstance(item, Credential):
            return self._by_id.get(item.id) == item
        return isinstance(item, str) and item in self._by_id

    def __iter__(self) -> Iterator[Credential]:
        return iter(self._credentials)

    def __len__(self) -> int:
        return len(self._credentials)

    def __repr__(self) -> str:
        return f"Catalog({self.institution.name!r}, {len(self)} credentials, source={self.source!r})"

    def by_field(self) -> dict[str | None, tuple[Credential, ...]]:
        """Credentials grouped by ``field`` in order of first appearance; ``None`` holds the unfiled."""
        groups: dict[str | None, list[Credential]] = {}
        for credential in self._credentials:
            groups.setdefault(credential.field, []).append(credential)
        return {name: tuple(members) for name, members in groups.items()}

    def micro_credentials(self) -> tuple[Credential, ...]:
        """The small units a learner stacks (micro-credentials, badges, courses)."""
        return tuple(c for c in self._credentials if c.kind.is_micro)

    def stack_destinations(self) -> tuple[Credential, ...]:
        """Credentials something stacks into, or that say how they are completed from parts."""
        targets = {rule.target_id for c in self._credentials for rule in c.stacks_into}
        return self._unique(c for c in self._credentials if c.id in targets or c.stack_requirement)

    def parts_of(self, target_id: str) -> tuple[Credential, ...]:
        """Credentials that count toward ``target_id``, in catalog order."""
        self.get(target_id)
        return self._unique(c for c in self._credentials if any(rule.target_id == target_id for rule in c.stacks_into))

    # -- validation -----------------------------------------------------------------------------

    def validate(
        self, known_skill_uris: Collection[str] | None = None, *, defined_elsewhere: Collection[str] = ()
    ) -> list[DataIssue]:
        """Every cross-record problem, each located by row (1-based position here), id and field.

        ``known_skill_uris``: when given, aligned skills outside it are reported (catalogs are
        written against one ESCO release). ``defined_elsewhere``: ids that exist outside this
        catalog (another catalog, or records a loader rejected): references to them are accepted,
        and credit sums are not checked, since missing parts may be among them.
        """
        issues = self._duplicate_issues()
        issues += self._reference_issues(frozenset(defined_elsewhere))
        issues += self._cycle_issues()
        if not defined_elsewhere:
            issues += self._credit_issues()
        if known_skill_uris is not None:
            issues += self._skill_issues(known_skill_uris)
        return sorted(issues, key=lambda issue: issue.row or 0)

    def _issue(self, position: int, field: str | None, message: str) -> DataIssue:
        return DataIssue(
            file=self.source,
            row=position + 1,
            record_id=self._credentials[position].id,
            field=field,
            message=message,
        )

    def _duplicate_issues(self) -> list[DataIssue]:
        first_at: dict[str, int] = {}
        issues = []
        for position, credential in enumerate(self._credentials):
            if credential.id in first_at:
                message = f"duplicate id {credential.id!r}: row {first_at[credential.id] + 1} already uses it"
                issues.append(self._issue(position, "id", message))
            else:
                first_at[credential.id] = position
        return issues

    def _reference_issues(self, elsewhere: frozenset[str]) -> list[DataIssue]:
        issues = []

        def check(position: int, field: str, ref: str, role: str) -> None:
            if ref not in self._by_id and ref not in elsewhere:
                hint = self._hint(ref, exclude=self._credentials[position].id)
                issues.append(self._issue(position, field, f"{role} {ref!r} is not in the catalog{hint}"))

        for position, credential in enumerate(self._credentials):
            for g, group in enumerate(credential.prerequisites):
                for k, ref in enumerate(group.credential_ids):
                    check(position, f"prerequisites[{g}].credential_ids[{k}]", ref, "prerequisite")
            for s, rule in enumerate(credential.stacks_into):
                check(position, f"stacks_into[{s}].target_id", rule.target_id, "stacking target")
            if credential.stack_requirement:
                for k, ref in enumerate(credential.stack_requirement.required_ids):
                    check(position, f"stack_requirement.required_ids[{k}]", ref, "required part")
        return issues

    def _cycle_issues(self) -> list[DataIssue]:
        """One issue per distinct loop, on its first member in catalog order: routes need a DAG."""
        edges = {cid: [ref for ref in c.prerequisite_ids if ref in self._by_id] for cid, c in self._by_id.items()}
        for refs in edges.values():
            refs.sort()
        position_of = {c.id: p for p, c in reversed(list(enumerate(self._credentials)))}
        issues: list[DataIssue] = []
        seen: set[frozenset[str]] = set()
        for cycle in _find_cycles(edges):
            if frozenset(cycle) in seen:
                continue
            seen.add(frozenset(cycle))
            start = min(range(len(cycle)), key=lambda i: position_of[cycle[i]])
            loop = cycle[start:] + cycle[:start]
            head = self._by_id[loop[0]]
            group = next(g for g, grp in enumerate(head.prerequisites) if loop[1 % len(loop)] in grp.credential_ids)
            path = " → ".join([*loop, loop[0]])
            message = f"prerequisite cycle {path} (each requires the next), so none of them can ever be started"
            issues.append(self._issue(position_of[loop[0]], f"prerequisites[{group}]", message))
        return issues

    def _credit_issues(self) -> list[DataIssue]:
        issues = []
        position_of = {id(c): p for p, c in enumerate(self._credentials)}
        for position, target in enumerate(self._credentials):
            requirement = target.stack_requirement
            if requirement is None or self._by_id[target.id] is not target:
                continue
            unit = requirement.credit_unit
            total = 0.0
            counted = []
            for part in self.parts_of(target.id):
                for s, rule in enumerate(part.stacks_into):
                    if rule.target_id != target.id:
                        continue
                    if rule.credit_unit != unit:
                        message = (
                            f"gives {rule.credit:g} {rule.credit_unit} toward {target.id!r}, "
                            f"which counts {unit}; use the same credit unit"
                        )
                        issues.append(self._issue(position_of[id(part)], f"stacks_into[{s}].credit_unit", message))
                        continue
                    total += rule.credit
                    counted.append(f"{part.id} {rule.credit:g}")
            if total + _CREDIT_TOLERANCE < requirement.credits_required:
                carried = f" ({', '.join(counted)})" if counted else ""
                message = (
                    f"needs {requirement.credits_required:g} {unit} from stacked parts, but the parts that "
                    f"stack into it carry only {total:g} {unit}{carried}"
                )
                issues.append(self._issue(position, "stack_requirement.credits_required", message))
        return issues

    def _skill_issues(self, known: Collection[str]) -> list[DataIssue]:
        known_set = known if isinstance(known, (set, frozenset)) else frozenset(known)
        issues = []
        for position, credential in enumerate(self._credentials):
            for s, skill in enumerate(credential.skills):
                if skill.uri not in known_set:
                    label = f" ({skill.label!r})" if skill.label else ""
                    message = f"skill {skill.uri}{label} is not in the loaded ESCO taxonomy"
                    issues.append(self._issue(position, f"skills[{s}].uri", message))
        return issues

    # -- helpers --------------------------------------------------------------------------------

    def _hint(self, unknown: str, exclude: str = "") -> str:
        """Near matches only (one or two typed characters off): ids of one family all look alike."""
        candidates = [cid for cid in self._by_id if cid != exclude]
        close = difflib.get_close_matches(unknown, candidates, n=2, cutoff=0.85)
        return f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""

    def _not_found_message(self, credential_id: str) -> str:
        return (
            f"no credential {credential_id!r} in the catalog of {self.institution.name} "
            f"({len(self._by_id)} credentials){self._hint(credential_id)}"
        )

    @staticmethod
    def _unique(credentials: Iterable[Credential]) -> tuple[Credential, ...]:
        seen: set[str] = set()
        result = []
        for credential in credentials:
            if credential.id not in seen:
                seen.add(credential.id)
                result.append(credential)
        return tuple(result)


def _find_cycles(edges: dict[str, list[str]]) -> Iterator[list[str]]:
    """Yield a cycle for every back edge of an iterative depth-first search (no recursion limit)."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    for root in sorted(edges):
        if root in state:
            continue
        path: list[str] = [root]
        index_on_path = {root: 0}
        stack: list[Iterator[str]] = [iter(edges[root])]
        state[root] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                done = path.pop()
                del index_on_path[done]
                state[done] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                yield path[index_on_path[nxt] :]
            elif nxt not in state:
                state[nxt] = 1
                index_on_path[nxt] = len(path)
                path.append(nxt)
                stack.append(iter(edges[nxt]))
