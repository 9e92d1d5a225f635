"""Small pieces of wording the pages share: counts with the right plural, prerequisites as the catalog states
them ("one of …", "both … and …"), and an occupation's requirements in plain words.

Only words here: the numbers and the catalog's facts come from the API as they are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

#: the API's requirement sources in words
SOURCES = {
    "esco-essential": "ESCO",
    "esco-optional": "ESCO",
    "onet-skill": "O*NET skills",
    "onet-technology": "O*NET technology",
    "job-posting": "job posting",
}

#: O*NET's importance scale (1–5), anchor by anchor
ONET_IMPORTANCE = {
    1: "Not important",
    2: "Somewhat important",
    3: "Important",
    4: "Very important",
    5: "Extremely important",
}

_NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five"}


def count(n: int | float, noun: str, plural: str | None = None) -> str:
    """``n`` and the noun, singular for exactly one: "1 credential", "0 credentials", "1,234 credentials".
    ``plural`` for a noun that does not just take an s ("1 course of study", "2 courses of study")."""
    word = noun if n == 1 else (plural or noun + "s")
    number = f"{n:,}" if isinstance(n, int) else f"{n:,g}"
    return f"{number} {word}"


def listed(items: Sequence[str], last: str = "and") -> str:
    """ "A", "A and B", "A, B and C" (``last`` = "or" for a choice)."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def _group(required: int, titles: list[str]) -> str:
    if required >= len(titles):
        return titles[0] if len(titles) == 1 else ("both " if len(titles) == 2 else "all of ") + listed(titles)
    if required == 1:
        return "one of " + listed(titles, "or")
    return f"any {_NUMBER_WORDS.get(required, str(required))} of " + listed(titles)


def prerequisites(groups: Sequence[Mapping[str, Any]]) -> str:
    """What must be held first, by title, as the catalog's groups say: every group must be met; a group needs
    ``required`` of its credentials ("Requires one of Spreadsheet Analysis Essentials or Programming Foundations
    with Python"). Groups that each name one credential read as one list ("Requires both A and B"). Empty when
    nothing is required."""
    singles: list[str] = []
    parts: list[str] = []
    for group in groups:
        titles = [ref.get("title") or ref.get("id", "") for ref in group.get("credentials", [])]
        if not titles:
            continue
        required = int(group.get("required") or len(titles))
        if len(titles) == 1 or required >= len(titles):
            singles += titles
        else:
            parts.append(_group(required, titles))
    if singles:
        parts.insert(0, _group(len(singles), singles))
    if not parts:
        return ""
    return "Requires " + (", and ".join(parts) if len(parts) > 1 else parts[0])


def importance(requirement: Mapping[str, Any]) -> str:
    """How much an occupation relies on a requirement, in words: "Essential" or "Optional" (ESCO), O*NET's rating
    as its scale's words ("Very important, 4.1 of 5"), or O*NET's flags for a technology; blank when the source
    says nothing."""
    source = requirement.get("source")
    if source == "esco-essential":
        return "Essential"
    if source == "esco-optional":
        return "Optional"
    rating = requirement.get("importance")
    if rating is not None:
        anchor = min(5, max(1, int(float(rating) + 0.5)))
        return f"{ONET_IMPORTANCE[anchor]}, {float(rating):.1f} of 5"
    flags = [
        word for key, word in (("hot_technology", "Hot technology"), ("in_demand", "In demand")) if requirement.get(key)
    ]
    return ", ".join(flags[:1] + [w.lower() for w in flags[1:]])


def source(requirement: Mapping[str, Any]) -> str:
    """Where a requirement comes from, in words ("ESCO", "O*NET skills"); the API's code when it is a new one."""
    code = str(requirement.get("source") or "")
    return SOURCES.get(code, code.replace("-", " "))
