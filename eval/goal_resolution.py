"""The goal resolver on everyday phrasings (``eval/goals/``): pass rate and silent wrong switches.

The judging rule is ``eval/goals/RULE.md``. An item passes when the resolver does what an adviser would:
resolves to an accepted occupation, asks with at least one accepted option, or says nothing is close.
A *silent wrong switch* is a resolution to an occupation the item does not accept (for any expectation).
``heldout.jsonl`` is never tuned on: its failures are counted, not listed, unless asked for.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.core.goals import GoalAnswer
from assistant.usecases.goals import Goals

SETS = Path(__file__).parent / "goals"


def load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def verdict(item: dict[str, Any], answer: GoalAnswer) -> tuple[bool, bool]:
    """(passed, silent wrong switch) for one item."""
    accept = set(item["accept"])
    if answer.status == "resolved":
        wrong = answer.uri not in accept
        return item["expect"] == "resolved" and not wrong, wrong
    if answer.status == "clarify":
        offered = {o.uri for o in answer.options}
        return item["expect"] == "clarify" and bool(offered & accept), False
    return item["expect"] == "not_found", False


def evaluate(goals: Goals, items: Sequence[dict[str, Any]]) -> dict[str, Any]:
    by_kind: dict[str, Counter[str]] = defaultdict(Counter)
    failures = []
    statuses: Counter[str] = Counter()
    for item in items:
        answer = goals.resolve(item["text"])
        passed, wrong = verdict(item, answer)
        statuses[f"{item['expect']}->{answer.status}"] += 1
        counts = by_kind[item["kind"]]
        counts["items"] += 1
        counts["passed"] += int(passed)
        counts["wrong"] += int(wrong)
        if not passed:
            failures.append(
                {
                    "id": item["id"],
                    "text": item["text"],
                    "expect": item["expect"],
                    "got": answer.status,
                    "occupation": answer.occupation.label if answer.occupation else None,
                    "options": [o.label for o in answer.options],
                    "accept": item["accept_labels"],
                    "wrong_switch": wrong,
                }
            )
    total = len(items)
    passed_total = sum(c["passed"] for c in by_kind.values())
    wrong_total = sum(c["wrong"] for c in by_kind.values())
    return {
        "items": total,
        "passed": passed_total,
        "pass_rate": round(passed_total / total, 4) if total else None,
        "wrong_switches": wrong_total,
        "wrong_switch_rate": round(wrong_total / total, 4) if total else None,
        "by_kind": {kind: dict(c) for kind, c in sorted(by_kind.items())},
        "expect_to_got": dict(sorted(statuses.items())),
        "failures": failures,
    }


def report(name: str, figures: dict[str, Any], show_failures: bool) -> str:
    lines = [
        f"{name}: {figures['items']} phrasings; passed {figures['passed']} ({100 * figures['pass_rate']:.1f}%); "
        f"silent wrong switches {figures['wrong_switches']} ({100 * figures['wrong_switch_rate']:.1f}%)",
        "by kind: " + ", ".join(f"{k} {c.get('passed', 0)}/{c['items']}" for k, c in figures["by_kind"].items()),
        "expected -> got: " + ", ".join(f"{k} {v}" for k, v in figures["expect_to_got"].items()),
    ]
    if show_failures:
        for f in figures["failures"]:
            got = f["occupation"] or "; ".join(f["options"][:5])
            flag = "  WRONG SWITCH" if f["wrong_switch"] else ""
            lines.append(f"  {f['id']} {f['text']!r}: expect {f['expect']}, got {f['got']} {got!r}{flag}")
    return "\n".join(lines)
