"""The everyday names people give jobs, hand-checked against ESCO: `common_names.csv`.

ESCO's labels and O*NET's titles name jobs as registers do; learners say "sparky", "HVAC tech", "cop",
"LPN" or "care worker", and some plain words ("chemist" in the UK, "PT", "aide", "writer") are several jobs
at once even where ESCO has an occupation of that exact name. The table says, for each such name, the one
occupation an advisor would proceed with (``resolved``) or the readings to ask about (``clarify``); it is
checked by ``tests/core/goals/test_common_names.py`` against the ESCO release, and read before ESCO's own
labels so a careers adviser's reading wins over a register's.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal, cast

from assistant.core.goals.lexicon import key
from assistant.core.goals.phrase import ACRONYMS, spell_out

Expect = Literal["resolved", "clarify"]


@dataclass(frozen=True)
class CommonName:
    """One everyday name: the occupation it means, or the readings to ask about (most common first)."""

    name: str
    expect: Expect
    uris: tuple[str, ...]
    note: str = ""
    #: said to the learner when the occupation is only the nearest ESCO has ("ESCO has no licensed practical
    #: nurse; …"), so the gap is not taken for the job they named
    caveat: str = ""


@lru_cache(maxsize=1)
def common_names() -> Mapping[str, CommonName]:
    """Folded name (as ``lexicon.key`` folds it) → its entry."""
    text = resources.files("assistant.core.goals").joinpath("common_names.csv").read_text(encoding="utf-8")
    table: dict[str, CommonName] = {}
    for row in csv.DictReader(io.StringIO(text)):
        expect = row["expect"].strip()
        if expect not in ("resolved", "clarify"):
            raise ValueError(f"common_names.csv: {row['name']!r} has expect {expect!r}")
        uris = tuple(u.strip() for u in row["esco_uris"].split("|") if u.strip())
        entry = CommonName(
            row["name"].strip(),
            cast(Expect, expect),
            uris,
            (row.get("note") or "").strip(),
            (row.get("caveat") or "").strip(),
        )
        # "it support" as typed, and as the phrase reads once "IT" is spelt out ("ICT support")
        for form in (
            entry.name,
            spell_out(" ".join(w.upper() if w.upper() in ACRONYMS else w for w in entry.name.split())),
        ):
            table.setdefault(key(form), entry)
    return table


__all__ = ["CommonName", "common_names"]
