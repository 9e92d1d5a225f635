"""Text clean-up before structuring: one Unicode form, no invisible characters, one bullet style.

Extraction from PDF and DOCX leaves ligatures, non-breaking spaces, zero-width and private-use glyphs
(icon fonts) and a dozen bullet symbols; matching skills and headings needs none of them.
"""

from __future__ import annotations

import re
import unicodedata

BULLET = "- "
_NEWLINES = re.compile(r"\r\n|[\r\u2028\u2029\x0b\x0c\x85]")
_BULLET_GLYPHS = "•▪◦●○■□►▶▸➢➤✓✔·‣⁃∙◆◇❖➔→"
_BULLET = re.compile(rf"^(?:[{_BULLET_GLYPHS}]|[-–—*+](?=\s))\s*")
_LONE_BULLET = re.compile(rf"^(?:[{_BULLET_GLYPHS}]|[-–—*+])$")
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn"})
_GAP = re.compile(r"[ \t]{2,}")


def _keep(char: str) -> bool:
    return char in "\n\t" or unicodedata.category(char) not in _DROPPED_CATEGORIES


def _gap(match: re.Match[str]) -> str:
    return "\t" if "\t" in match.group() else "  "


def normalize_text(text: str) -> str:
    """NFKC, newlines unified, control/format/private-use characters removed, bullets as '- ',
    lines stripped, column gaps shortened (a tab, or two spaces), runs of blank lines collapsed to one,
    no blank lines at either end. Short gaps also keep every later pattern linear in the line length."""
    text = _NEWLINES.sub("\n", unicodedata.normalize("NFKC", text))
    text = "".join(char for char in text if _keep(char))
    lines: list[str] = []
    pending_bullet = False
    for raw in text.split("\n"):
        line = _GAP.sub(_gap, raw.strip())
        if _LONE_BULLET.match(line):  # PDF extraction often puts the bullet glyph on a line of its own
            pending_bullet = True
            continue
        if not line:
            if lines and lines[-1]:
                lines.append("")
            continue
        bullet = _BULLET.match(line)
        if bullet:
            line = line[bullet.end() :]
        if bullet or pending_bullet:
            line = BULLET + line if line else ""
        pending_bullet = False
        if line:
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)
