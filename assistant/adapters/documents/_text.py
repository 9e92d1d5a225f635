"""Plain text and Markdown: guess the encoding, then strip Markdown down to its words."""

from __future__ import annotations

import codecs
import re

from assistant.adapters.documents import _messages as say

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_MAX_CONTROL_SHARE = 0.3  # text has a few stray controls at most; binary is full of them


def decode(data: bytes) -> str:
    """UTF-8 / UTF-16 / UTF-32 by BOM, BOM-less UTF-16 by its zero bytes, else UTF-8, else cp1252.

    Bytes that decode only to control characters are binary, not a résumé: refused as unsupported.
    """
    text = _decode(data)
    controls = sum(1 for char in text if ord(char) < 32 and char not in "\n\r\t\f")
    if "\x00" in text or controls > _MAX_CONTROL_SHARE * max(len(text), 1):
        raise say.UNSUPPORTED.error()
    return text


def _decode(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise say.UNREADABLE.error() from None
    utf16 = _bomless_utf16(data)
    if utf16:
        try:
            return data.decode(utf16)
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _bomless_utf16(data: bytes) -> str | None:
    """Mostly-ASCII UTF-16 has a zero in every other byte; which half says the byte order."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


# Quantifiers are bounded and lines are handled one at a time, so crafted input cannot make a pattern quadratic.
_MAX_MARKDOWN_LINE = 2_000
_MARKDOWN_SIGNS = re.compile(
    r"^[ \t]{0,3}#{1,6}[ \t]+\S|\*\*\S|\]\([^)\s]{1,500}\)|^[ \t]{0,3}(?:[-*_][ \t]?){3,}$", re.MULTILINE
)
_MARKDOWN_LINE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$"), r"\1"),  # ATX heading
    (re.compile(r"^[ \t]{0,3}(?:(?:[-*_][ \t]?){3,}|=+)[ \t]*$"), ""),  # rule or setext underline
    (re.compile(r"^[ \t]*\|?(?:[ \t]?:?-{3,}:?[ \t]?\|)+(?:[ \t]?:?-{3,}:?[ \t]?)?$"), ""),  # table rule
    (re.compile(r"^[ \t]*\|(.*?)\|?[ \t]*$"), r"\1"),  # table row: outer pipes
    (re.compile(r"!\[([^\]]{0,300})\]\([^)]{0,500}\)"), r"\1"),  # image → alt text
    (re.compile(r"\[([^\]]{1,300})\]\([^)]{0,500}\)"), r"\1"),  # link → its text
    (re.compile(r"<((?:https?|mailto):[^>\s]{1,500})>"), r"\1"),  # autolink
    (re.compile(r"(\*\*|__)(?=\S)(.{1,300}?)(?<=\S)\1"), r"\2"),  # strong
    (re.compile(r"(?<![\w*])\*(?=\S)([^*]{1,300}?)(?<=\S)\*(?![\w*])"), r"\1"),  # emphasis *x*
    (re.compile(r"(?<![\w_])_(?=\S)([^_]{1,300}?)(?<=\S)_(?![\w_])"), r"\1"),  # emphasis _x_
    (re.compile(r"`([^`]{1,300})`"), r"\1"),  # code
    (re.compile(r"^[ \t]{0,3}>[ \t]?"), ""),  # block quote
    (re.compile(r"<br ?/?>", re.IGNORECASE), "\n"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])"), r"\1"),  # escapes
)


def looks_like_markdown(text: str) -> bool:
    return _MARKDOWN_SIGNS.search(text) is not None


def strip_markdown(text: str) -> str:
    """Markup out, words and line breaks kept; list markers stay for the structurer to read as bullets.

    A line longer than any résumé line is left as it is.
    """
    return "\n".join(_strip_line(line) for line in text.split("\n"))


def _strip_line(line: str) -> str:
    if len(line) > _MAX_MARKDOWN_LINE:
        return line
    for pattern, replacement in _MARKDOWN_LINE_RULES:
        line = pattern.sub(replacement, line)
    return line
