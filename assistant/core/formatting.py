"""One way to write numbers for people: money, hours, weeks, credits, percentages and counts.

Every reply, brief and page text that states a figure goes through here, so a route never reads
"6 of 5 credit-hour", a missing value never reads "None", and a count agrees with its noun.
"""

from __future__ import annotations

import re
from decimal import Decimal

SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}


def money(amount: Decimal | float | str | None, currency: str = "USD") -> str:
    """``$1,250``, ``$12.99``, ``€300``; ``unknown`` when there is no amount."""
    if amount is None:
        return "unknown"
    value = Decimal(str(amount))
    text = f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"
    symbol = SYMBOLS.get(currency)
    return f"{symbol}{text}" if symbol else f"{text} {currency}"


def plural(count: float, noun: str) -> str:
    """``1 week``, ``3 weeks``, ``2 credit-hours``, ``1 gap skill``, ``4 technologies``."""
    if count == 1:
        return noun
    if noun.endswith("y") and not noun.endswith(("ay", "ey", "oy", "uy")):
        return noun[:-1] + "ies"
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    return noun + "s"


def count(value: float, noun: str) -> str:
    return f"{value:g} {plural(value, noun)}"


def hours(value: float | None) -> str:
    return "unknown hours" if value is None else count(round(value, 1), "hour")


def weeks(value: float | None) -> str:
    return "an unknown number of weeks" if value is None else count(round(value, 1), "week")


NOT_STATED = "not stated"


def price(amount: Decimal | float | str | None, currency: str | None = None) -> str:
    """A credential's price, or "price not stated" when its catalog does not say (never a guess, never $0)."""
    return "price not stated" if amount is None else money(amount, currency or "USD")


def workload(value: float | None) -> str:
    return "workload not stated" if value is None else hours(value)


def length(value: float | None) -> str:
    return "length not stated" if value is None else weeks(value)


def level(value: int | None) -> str:
    return "EQF level not stated" if value is None else f"EQF {value}"


def mode(value: object | None) -> str:
    return "delivery not stated" if value is None else str(getattr(value, "value", value))


def percent(share: float | None) -> str:
    return "unknown" if share is None else f"{share:.0%}"


#: readiness in words, by the share of the goal's weighted skills already shown (upper bounds)
_READY = (
    (0.15, "just starting out"),
    (0.40, "some of the way there"),
    (0.70, "well on the way"),
    (0.90, "nearly ready"),
)


def readiness(share: float) -> str:
    """ "well on the way: you show 52% of what the job asks" — the words first, the number behind them."""
    words = next((text for bound, text in _READY if share < bound), "ready")
    return f"{words}: you show {share:.0%} of what the job asks"


def credits(earned: float, required: float, unit: str) -> str:
    """Progress toward a credit rule: ``3 of 5 credit-hours``, or ``all 5 credit-hours`` when met (a route
    that earns more than the rule asks never reads "6 of 5")."""
    if earned >= required:
        return f"all {count(required, unit)}"
    return f"{earned:g} of {count(required, unit)}"


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~$])")
#: GFM viewers (Streamlit, GitHub) link a bare web or mail address however its neighbours are escaped: a word
#: joiner after the scheme's colon, after "www" and before "@" keeps it text
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?i:(?<=www))(?=\.)|(?=@)")
WORD_JOINER = "\u2060"


def markdown_text(text: str) -> str:
    """A person's own text (a name, a résumé line) placed in Markdown another person reads, shown as the text
    it is: every character Markdown, HTML or a formula would act on is escaped, bare addresses are kept from
    becoming links, and line breaks become spaces, so ``![a](https://evil.example/n.png)<img src=x onerror=…>``
    reads as those characters, not as an image or a link."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _AUTOLINK.sub(WORD_JOINER, " ".join(text.split())))


_LIST_ITEM = re.compile(r"\s{0,3}(?:[-*+]|\d{1,9}[.)])(?:\s|$)")
_FENCE = re.compile(r"\s{0,3}(?:```|~~~)")


def end_lists(text: str) -> str:
    """A blank line after each Markdown list, where a reply's next paragraph follows the last item directly:
    Markdown would run that paragraph into the item ("… at 8 hours a week You will learn: …"). Lines
    indented as the item's continuation, and fenced code, are left alone. Every reply finishes here."""
    lines = text.split("\n")
    out: list[str] = []
    in_list = fenced = False
    for line in lines:
        if _FENCE.match(line):
            fenced = not fenced
        if fenced:
            out.append(line)
            in_list = False
            continue
        item = bool(_LIST_ITEM.match(line))
        if in_list and line.strip() and not item and not line.startswith((" ", "\t")):
            out.append("")
        out.append(line)
        in_list = item or (in_list and bool(line.strip()) and line.startswith((" ", "\t")))
    return "\n".join(out)


def unescape_markdown_text(text: str) -> str:
    """The characters ``markdown_text`` escaped, for output that is not Markdown (a PDF, plain text)."""
    return re.sub(r"\\([\\`*_{}\[\]()#+!|<>~$])", r"\1", text).replace(WORD_JOINER, "")


def plain(value: object, missing: str = "") -> str:
    """A value as text, with nothing (not "None") for a missing one."""
    return missing if value is None else str(value)


def shorten(text: str, limit: int) -> str:
    """``text`` (white space collapsed) in at most ``limit`` characters: cut after the last whole word that
    fits, with "…" when anything was cut; a single word longer than the limit is cut inside it. Used for
    every quote of the learner's own words (chat replies, briefs).

    Applied before ``markdown_text``, so an escape is never split."""
    words = " ".join(text.split())
    if len(words) <= limit:
        return words
    cut = words[: max(limit - 1, 0)]
    if words[len(cut)] != " " and " " in cut:  # the cut falls inside a word: drop that word
        cut = cut[: cut.rindex(" ")]
    return (cut.rstrip(" ,;:-") or cut) + "…"
