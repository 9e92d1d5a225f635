"""Checks on the catalog itself: near-duplicates, credentials no goal can use, stack destinations that
cannot be completed, and the EU Annex I elements a record leaves out.

Near-duplicates are found without comparing every pair: credentials are grouped by the skills and the
distinctive words they share (an inverted index), and only pairs that share one are scored. A pair is a
near-duplicate when its aligned skills overlap by ``SKILL_OVERLAP`` (Jaccard) with three in common, or two and
outcomes somewhat alike, or when the words of its titles and outcomes overlap by ``TEXT_OVERLAP`` (each with
``MIN_WORDS`` distinct words): onboarded courses carry two or three skills, and two shared ones alone say little. Pairs
the catalog already links on purpose (one is a prerequisite of the other, or one stacks into the other) are
a designed ladder, not duplication.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from itertools import combinations

from assistant.core.catalog import Catalog
from assistant.core.health.findings import Completeness, DestinationIssue, DuplicatePair, Unaligned
from assistant.core.models import Credential

SKILL_OVERLAP = 0.6
TEXT_OVERLAP = 0.6
MERGE_OVERLAP = 0.8
MERGE_TEXT = 0.5
MIN_SHARED_SKILLS = 2  # with outcomes at least SUPPORTING_TEXT alike
STRONG_SHARED_SKILLS = 3  # enough on their own
SUPPORTING_TEXT = 0.3
MIN_WORDS = 8  # distinct words a credential needs before its text can call it a duplicate (titles alone are too short)
COMMON_WORD_SHARE = 0.05  # a word in more than this share of the catalog groups nothing
_WORD = re.compile(r"[a-z][a-z0-9+#]{3,}")
_STOP = frozenset(
    {"this", "that", "with", "from", "your", "will", "into", "their", "they", "them", "have", "been", "about",
     "more", "able", "understand", "learn", "learning", "course", "students", "student", "apply", "using", "work",
     "basic", "basics", "introduction", "skills", "skill", "knowledge"}
)  # fmt: skip
#: EU Council Recommendation on micro-credentials (2022/C 243/02), Annex I: the mandatory elements a catalog
#: record can state (the learner's identity and the date of issue belong to the awarded credential)
ANNEX_I: tuple[tuple[str, Callable[[Credential], bool]], ...] = (
    ("title", lambda c: bool(c.title.strip())),
    ("awarding body", lambda c: bool(c.awarding_body.strip())),
    ("country of the awarding body", lambda c: bool(c.country)),
    ("learning outcomes", lambda c: bool(c.learning_outcomes)),
    ("notional workload", lambda c: c.workload_hours is not None or c.ects is not None),
    ("level (EQF)", lambda c: c.eqf_level is not None),
    ("type of assessment", lambda c: c.assessment is not None),
    ("form of participation", lambda c: c.delivery_mode is not None),
    ("type of quality assurance", lambda c: bool(c.quality_assurance)),
)


def _words(credential: Credential) -> frozenset[str]:
    text = " ".join([credential.title, *credential.learning_outcomes]).casefold()
    return frozenset(w for w in _WORD.findall(text) if w not in _STOP)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _linked(a: Credential, b: Credential) -> bool:
    return (
        a.id in b.prerequisite_ids
        or b.id in a.prerequisite_ids
        or any(rule.target_id == b.id for rule in a.stacks_into)
        or any(rule.target_id == a.id for rule in b.stacks_into)
    )


def near_duplicates(catalog: Catalog, label_of: Callable[[str], str]) -> list[DuplicatePair]:
    """Pairs of credentials that overlap heavily (module docstring), most overlapping first."""
    credentials = [c for c in catalog if not c.stack_requirement]
    words = {c.id: _words(c) for c in credentials}
    skills = {c.id: frozenset(c.skill_uris) for c in credentials}
    index: dict[str, list[int]] = defaultdict(list)
    for i, credential in enumerate(credentials):
        for key in skills[credential.id]:
            index["s:" + key].append(i)
        for word in words[credential.id]:
            index["w:" + word].append(i)
    common = max(2, int(COMMON_WORD_SHARE * len(credentials)))
    pairs: set[tuple[int, int]] = set()
    for key, members in index.items():
        if len(members) < 2 or (key.startswith("w:") and len(members) > common):
            continue
        pairs.update(combinations(members, 2))
    found: list[DuplicatePair] = []
    for i, j in sorted(pairs):
        a, b = credentials[i], credentials[j]
        shared = skills[a.id] & skills[b.id]
        skill_j = _jaccard(skills[a.id], skills[b.id])
        enough = min(len(words[a.id]), len(words[b.id])) >= MIN_WORDS
        text_j = _jaccard(words[a.id], words[b.id]) if enough else 0.0
        alike = skill_j >= SKILL_OVERLAP and (
            len(shared) >= STRONG_SHARED_SKILLS or (len(shared) >= MIN_SHARED_SKILLS and text_j >= SUPPORTING_TEXT)
        )
        if not (alike or text_j >= TEXT_OVERLAP) or _linked(a, b):
            continue
        suggestion, why = _suggest(a, b, skill_j, text_j)
        found.append(
            DuplicatePair(
                ids=(a.id, b.id),
                titles=(a.title, b.title),
                shared_skills=tuple(sorted(label_of(u) for u in shared)),
                skill_overlap=round(skill_j, 3),
                text_overlap=round(text_j, 3),
                suggestion=suggestion,
                why=why,
            )
        )
    found.sort(key=lambda p: (-max(p.skill_overlap, p.text_overlap), p.ids))
    return found


def _suggest(a: Credential, b: Credential, skill_j: float, text_j: float) -> tuple[str, str]:
    """Stack a lower-level one into a higher; merge what is alike in skills and words at one level; otherwise
    differentiate (the outcomes should say what each adds)."""
    levels = (a.eqf_level, b.eqf_level)
    if None not in levels and levels[0] != levels[1]:
        low, high = (a, b) if (a.eqf_level or 0) < (b.eqf_level or 0) else (b, a)
        return "stack", f"{low.id} (EQF {low.eqf_level}) could be a step into {high.id} (EQF {high.eqf_level})"
    if text_j >= MERGE_TEXT and (skill_j >= MERGE_OVERLAP or not (a.skills or b.skills)):
        return "merge", f"skills {skill_j:.0%} and outcomes {text_j:.0%} alike: one credential would serve both"
    return (
        "differentiate",
        f"skills {skill_j:.0%} and outcomes {text_j:.0%} alike: say what each teaches that the other does not",
    )


def unaligned(catalog: Catalog, needed_by: Callable[[str], int]) -> list[Unaligned]:
    """Credentials with no aligned skills, or whose skills no occupation requires."""
    out = []
    for credential in catalog:
        if not credential.skills:
            out.append(Unaligned(id=credential.id, title=credential.title, problem="no aligned skills"))
        elif not any(needed_by(uri) for uri in credential.skill_uris):
            out.append(
                Unaligned(
                    id=credential.id,
                    title=credential.title,
                    problem="skills no occupation needs",
                    skills=tuple(a.label or a.uri for a in credential.skills),
                )
            )
    return out


def destination_issues(catalog: Catalog) -> list[DestinationIssue]:
    """Stack destinations nothing stacks into, credit rules the catalog's own parts cannot meet, and
    prerequisite cycles (which make every credential in them impossible to start)."""
    out: list[DestinationIssue] = []
    for target in catalog.stack_destinations():
        parts = catalog.parts_of(target.id)
        rule = target.stack_requirement
        if not parts:
            out.append(DestinationIssue(id=target.id, title=target.title, problem="unreachable",
                                        detail="no credential in the catalog stacks into it"))  # fmt: skip
            continue
        if rule is None:
            continue
        rules = [r for p in parts for r in p.stacks_into if r.target_id == target.id]
        credit = sum(r.credit for r in rules if r.credit_unit == rule.credit_unit)
        missing = [rid for rid in rule.required_ids if rid not in {p.id for p in parts}]
        if credit < rule.credits_required or missing:
            detail = f"its parts give {credit:g} of the {rule.credits_required:g} {rule.credit_unit.value} it requires"
            if missing:
                detail += f"; required parts that do not stack into it: {', '.join(missing)}"
            out.append(DestinationIssue(id=target.id, title=target.title, problem="credit rule cannot be met",
                                        detail=detail, involved=tuple(p.id for p in parts)))  # fmt: skip
    for cycle in prerequisite_cycles(catalog):
        first = catalog.get(cycle[0])
        out.append(DestinationIssue(id=first.id, title=first.title, problem="prerequisite cycle",
                                    detail=" → ".join((*cycle, cycle[0])), involved=tuple(cycle)))  # fmt: skip
    return out


def prerequisite_cycles(catalog: Catalog) -> list[tuple[str, ...]]:
    """Each cycle of the prerequisite graph once, as the ids around it (depth-first search)."""
    graph = {c.id: sorted(p for p in c.prerequisite_ids if p in catalog) for c in catalog}
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles: set[tuple[str, ...]] = set()

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in graph.get(node, ()):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt) :]
                turn = cycle.index(min(cycle))
                cycles.add(tuple(cycle[turn:] + cycle[:turn]))
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return sorted(cycles)


def completeness(credentials: Iterable[Credential]) -> tuple[list[Completeness], dict[str, int]]:
    """Per credential, the Annex I elements it does not state; and per element, how many lack it."""
    rows = []
    counts = {name: 0 for name, _ in ANNEX_I}
    for credential in credentials:
        missing = tuple(name for name, present in ANNEX_I if not present(credential))
        for name in missing:
            counts[name] += 1
        if missing:
            rows.append(Completeness(id=credential.id, title=credential.title, missing=missing))
    return rows, counts


__all__ = [
    "ANNEX_I",
    "completeness",
    "destination_issues",
    "near_duplicates",
    "prerequisite_cycles",
    "unaligned",
]
