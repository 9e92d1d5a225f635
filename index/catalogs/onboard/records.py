"""An export's records as the registrar meant them: lines a multi-line cell spilled into are joined back.

Real exports break: a syllabus with line breaks, written without quotes, becomes one record for its first
line and one short record per further line, each split again at its commas (the edX export's 2,706 CSV
records hold 976 courses). A record is a course's *head* when it fills a good part of the columns; the short
records after it are its *continuation*: their text is appended, commas restored, to the head's last filled
cell, and a web address among them fills the head's empty address column. A record is whole once the
export's last column is filled (a registrar's row ends there): the next line starts a new record, and so
does any line that fills its own last column. A fragment with no record before it is reported, never
dropped silently. A well-formed export is returned as it is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

#: a cell that is a web address and nothing else (shared by the onboarding modules)
URL = re.compile(r"^https?://\S+$")
HEAD_SHARE = 0.4  # a head fills at least this share of the named columns


@dataclass
class Record:
    """One course: its cells by column, the export lines it came from (1-based, header = line 1)."""

    cells: dict[str, str]
    lines: list[int] = field(default_factory=list)

    @property
    def joined(self) -> bool:
        return len(self.lines) > 1

    def complete(self, last_column: str) -> bool:
        """A record is whole once the export's last column is filled: later lines start the next one."""
        return bool(self.cells.get(last_column, "").strip())


@dataclass(frozen=True)
class Rejoined:
    records: list[Record]
    orphans: list[int]  # lines that continue nothing (before any head)


def rejoin(header: Sequence[str], rows: Sequence[Sequence[str]], *, url_column: str | None = None) -> Rejoined:
    """Records with their spilled lines joined back (rules in the module docstring)."""
    named = [name for name in header if name.strip()]
    last_column = named[-1] if named else ""
    threshold = max(3, round(HEAD_SHARE * len(named)))
    records: list[Record] = []
    orphans: list[int] = []
    for number, row in enumerate(rows, start=2):
        cells = {name: (row[i] if i < len(row) else "") for i, name in enumerate(header) if name.strip()}
        filled = [name for name, value in cells.items() if value.strip()]
        if not filled:
            continue
        current = records[-1] if records else None
        whole = len(filled) >= threshold and bool(cells[last_column].strip())
        if current is None or current.complete(last_column) or whole:
            if len(filled) < threshold:
                orphans.append(number)  # a fragment with no record before it to belong to
                continue
            records.append(Record(cells, [number]))
            continue
        current.lines.append(number)
        parts = [cell for cell in row if cell.strip()]
        url = next((p.strip() for p in parts if URL.match(p.strip())), None)
        if url and url_column and not current.cells.get(url_column, "").strip():
            current.cells[url_column] = url
        text = ",".join(p for p in parts if not URL.match(p.strip()))
        if text:
            last = max((n for n in current.cells if current.cells[n].strip() and n != url_column), key=named.index)
            current.cells[last] = current.cells[last] + "\n" + text
    return Rejoined(records, orphans)


__all__ = ["URL", "Record", "Rejoined", "rejoin"]
