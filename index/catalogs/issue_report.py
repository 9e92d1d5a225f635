"""Every validation issue of a catalog in a file a person can work through, with a summary by field and kind.

The terminal shows the first 50 issues; a real export can have thousands (one per row and field), so the
whole list goes to a CSV (``file,row,record_id,field,kind,message``) or JSON file, written to a temporary
name and moved into place, so a half-written report never exists. The *kind* of an issue is its message
with the values taken out ("'None' is not a valid EQF level" and "'Advanced' is not a valid EQF level"
are one kind), so the summary says what to fix, not only where.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.core.errors import DataIssue

_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|“[^”]*”")
_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)*\b")
_LIST_POSITION = re.compile(r"\[\d+\]|\.\d+(?=\.|$)")


def kind_of(issue: DataIssue) -> str:
    """The message with its values taken out: what kind of problem this is."""
    text = _QUOTED.sub("…", issue.message)
    return _NUMBER.sub("N", text).strip()


def field_of(issue: DataIssue) -> str:
    """The field without list positions ("skills[3].uri" and "skills[0].uri" are one field)."""
    return _LIST_POSITION.sub("", issue.field or "(record)")


@dataclass(frozen=True)
class IssueSummary:
    issues: int
    records: int
    by_field: tuple[tuple[str, int], ...]
    by_kind: tuple[tuple[str, int], ...]
    path: Path

    def lines(self, top: int = 10) -> list[str]:
        out = [f"{self.issues} issue(s) in {self.records} record(s); all of them are in {self.path}"]
        out.append("by field: " + "; ".join(f"{name} {n}" for name, n in self.by_field[:top]))
        out += [f"  {n} × {kind}" for kind, n in self.by_kind[:top]]
        return out


def summarise(issues: Sequence[DataIssue], path: Path) -> IssueSummary:
    records = {(i.file, i.row, i.record_id) for i in issues}
    return IssueSummary(
        issues=len(issues),
        records=len(records),
        by_field=tuple(Counter(field_of(i) for i in issues).most_common()),
        by_kind=tuple(Counter(kind_of(i) for i in issues).most_common()),
        path=path,
    )


def write_issue_report(issues: Sequence[DataIssue], path: Path) -> IssueSummary:
    """All issues to ``path`` (``.json`` for JSON, anything else CSV), replaced in one move."""
    if path.suffix.lower() == ".json":
        text = json.dumps(
            [{**issue.model_dump(), "kind": kind_of(issue)} for issue in issues], indent=2, ensure_ascii=False
        )
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["file", "row", "record_id", "field", "kind", "message"])
        for issue in issues:
            writer.writerow([issue.file, issue.row, issue.record_id, issue.field, kind_of(issue), issue.message])
        text = buffer.getvalue()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return summarise(issues, path)


__all__ = ["IssueSummary", "field_of", "kind_of", "summarise", "write_issue_report"]
