"""What one message states: budget, hours, deadline, delivery modes, a goal, goals to compare, skills,
credential ids, "the second one", a route objective, a catalog query. Rules only, high precision: a value the
rules cannot read stays ``None`` and the engine asks rather than guesses.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from assistant.core.goals.phrase import clean_goal
from assistant.core.models import DeliveryMode, RouteObjective


@dataclass
class Slots:
    """Values stated in one message; ``None`` or empty means 'not said'."""

    budget: Decimal | None = None
    currency: str | None = None
    hours_per_week: float | None = None
    deadline: date | None = None
    delivery_modes: frozenset[DeliveryMode] = frozenset()
    goal: str | None = None
    compare: tuple[str, ...] = ()
    skills_text: str | None = None
    credential_ids: tuple[str, ...] = ()
    ordinal: int | None = None
    pronoun: bool = False
    objective: RouteObjective | None = None
    query: str | None = None

    @property
    def constraints_given(self) -> bool:
        return any(
            (self.budget is not None, self.hours_per_week is not None, self.deadline is not None, self.delivery_modes)
        )


# --- patterns ----------------------------------------------------------------------------------------

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MONEY = [
    re.compile(rf"(?P<sym>[$€£])\s?(?P<num>{_NUMBER})\s?(?P<k>k\b)?", re.I),
    re.compile(rf"\b(?P<num>{_NUMBER})\s?(?P<k>k\b)?\s?(?P<word>dollars|usd|euros?|eur|pounds|gbp|bucks)\b", re.I),
    re.compile(
        rf"\bbudget(?:'s| is)?\s*(?:of|is|=|:|now)?\s*(?:about|around|roughly|up to|under|max(?:imum)?)?\s*"
        rf"(?P<num>{_NUMBER})"
        r"(?:\s?(?P<k>k))?\b",
        re.I,
    ),
]
# an amount right after price or pay talk ("it costs $650", "analysts earn $90k") is not the learner's budget,
# unless the clause names the budget ("the budget I have is what it costs, $500")
#: a limit said after the amount ("1200 dollars max", "$900 tops")
_BUDGET_AFTER = re.compile(r"\s*(?:max(?:imum)?|tops|at most|or less|total|in total|all in)\b", re.I)
_PRICE_TALK = re.compile(
    r"\b(?:costs?|costing|priced?|prices?|fees?|earns?|earning|salary|salaries|wages?|pays?|paid|makes?|"
    r"making|income|worth)\b[^.;!?\n]{0,25}$",
    re.I,
)
_BUDGET_WORD = re.compile(r"\bbudget\b", re.I)
# an amount is the learner's budget only when they say it is theirs to spend; "a course for $12.99" is a price
_BUDGET_CONTEXT = re.compile(
    r"\b(?:budget|afford|spend|spending|i have|i've got|got|up to|max(?:imum)?|under|below|less than|no more than|"
    r"at most|limit|with|can pay|could pay|willing to pay|saved|savings|only have|have about|have around)\b"
    r"[^.;!?\n]{0,30}$",
    re.I,
)
_CURRENCY = {"$": "USD", "€": "EUR", "£": "GBP", "dollars": "USD", "usd": "USD", "bucks": "USD", "euro": "EUR"}
_CURRENCY |= {"euros": "EUR", "eur": "EUR", "pounds": "GBP", "gbp": "GBP"}
_HOURS = re.compile(
    rf"(?P<num>{_NUMBER})\s*(?:-|to)?\s*(?:(?P<num2>{_NUMBER})\s*)?(?:hours?|hrs?|h)\b\s*"
    r"(?:a|an|per|each|every|/)?\s*(?P<unit>week|wk|weekly|day|daily|night|evening|weekend)?",
    re.I,
)
_WITHIN = re.compile(
    r"\b(?:within|in|under|less than|by)\s+(?:the\s+next\s+)?(?P<num>\d+|a|one|two|three|six|twelve)\s+"
    r"(?P<unit>weeks?|months?|years?)\b",
    re.I,
)
_BY_MONTH = re.compile(r"\bby\s+(?:the\s+end\s+of\s+)?(?P<month>[A-Za-z]{3,9})\.?\s*(?P<year>20\d\d)?\b")
_ISO_DATE = re.compile(r"\b(?:by|before|until)\s+(?P<iso>20\d\d-\d\d-\d\d)\b", re.I)
_WORD_NUMBERS = {"a": 1, "one": 1, "two": 2, "three": 3, "six": 6, "twelve": 12}
_MODES = [
    (re.compile(r"\b(?:online|remote(?:ly)?|from home|virtual(?:ly)?|distance)\b", re.I), DeliveryMode.ONLINE),
    (re.compile(r"\b(?:in[- ]person|on[- ]?site|on campus|face[- ]to[- ]face|in class)\b", re.I), DeliveryMode.ONSITE),
    (re.compile(r"\b(?:blended|hybrid)\b", re.I), DeliveryMode.BLENDED),
]
_COMPARE = re.compile(
    r"\b(?:compare|difference between)\s+(?P<a>.+?)\s+(?:and|with|to|vs\.?|versus)\s+(?P<b>.+?)"
    r"(?:\s+(?:and|with|vs\.?)\s+(?P<c>.+?))?\s*\??$"
    r"|^(?P<a2>[\w' ]+?)\s+(?:vs\.?|versus|or)\s+(?P<b2>[\w' ]+?)\s*\?\s*$",
    re.I,
)
KNOW = re.compile(
    r"\b(?:i\s+(?:already\s+|also\s+)?(?:know|have(?:\s+experience)?\s+(?:with|in)|have used|can use|use|am good at|"
    r"am proficient (?:in|with)|am skilled (?:in|at)|am familiar with|have skills? in|worked with|did)|"
    r"i'm\s+(?:good at|proficient (?:in|with)|skilled (?:in|at)|familiar with)|add(?:\s+the\s+skills?)?|"
    r"confirm(?:\s+the\s+skills?)?|(?:yes|right|correct),\s+(?:i\s+(?:know|have|use|do)\s+)?)"
    r"\s+(?P<skills>.+)"
    r"|^\s*(?P<right>[^.?!]{2,80}?)\s+(?:is|are)\s+(?:right|correct|true|mine)\b",
    re.I,
)
DONT_KNOW = re.compile(
    r"\b(?:i\s+(?:don't|do not|never)\s+(?:know|use|have)|remove(?:\s+the\s+skills?)?|delete|i\s+lack|"
    r"(?:that's|that is|this is)\s+wrong[:,]?|i'm not (?:good at|familiar with)|i am not (?:good at|familiar with))"
    r"\s+(?P<skills>.+)"
    r"|^\s*(?P<wrong>[^.?!]{2,80}?)\s+(?:is|are)\s+(?:wrong|not right|not true|incorrect|a mistake|not mine)\b",
    re.I,
)
_ORDINALS = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "fifth": 5, "5th": 5, "last": -1, "top": 1,
}  # fmt: skip
_ORDINAL = re.compile(
    r"\b(?P<word>first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|last|top)\b"
    r"|(?:#|number\s+|option\s+|no\.\s*)(?P<num>\d)\b",
    re.I,
)
PRONOUN = re.compile(r"\b(?:that|this|it|that one|this one|the one)\b", re.I)
CREDENTIAL_ID = re.compile(r"\b[A-Z][A-Z0-9]{1,9}(?:[-_.][A-Z0-9]{1,12}){1,4}\b", re.I)


# --- parsers -----------------------------------------------------------------------------------------


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def parse_budget(text: str, *, asked: bool = False) -> tuple[Decimal | None, str | None]:
    """The learner's budget and its currency; ``asked`` when the message answers a question about the budget,
    so a bare amount ("ok about $1000 then") is one."""
    for pattern in _MONEY:
        for match in pattern.finditer(text):
            groups = match.groupdict()
            amount = _number(groups["num"])
            if amount is None:
                continue
            # "6 hours", "$6 a week"? money must not be hours: skip numbers followed by an hours word
            tail = text[match.end() : match.end() + 8].lower()
            if re.match(r"\s*(?:hours?|hrs?|h\b)", tail):
                continue
            lead = text[max(0, match.start() - 40) : match.start()]
            if _PRICE_TALK.search(lead) and not _BUDGET_WORD.search(lead):
                continue
            tail = text[match.end() : match.end() + 15]
            stated = (
                asked
                or _BUDGET_CONTEXT.search(lead)
                or _BUDGET_WORD.search(text)
                or _BUDGET_AFTER.match(tail)
                or len(text.split()) <= 4
                # given beside the hours a week ("6 hrs a week and about $1500"), an amount is a limit too
                or parse_hours(text) is not None
            )
            if not stated:
                continue
            if groups.get("k"):
                amount *= 1000
            currency = _CURRENCY.get((groups.get("sym") or groups.get("word") or "").lower())
            return amount, currency
    return None, None


def parse_hours(text: str) -> float | None:
    for match in _HOURS.finditer(text):
        low = float(match.group("num").replace(",", ""))
        high = float(match.group("num2").replace(",", "")) if match.group("num2") else None
        value = (low + high) / 2 if high else low
        unit = (match.group("unit") or "week").lower()
        if unit in ("day", "daily", "night", "evening"):
            value *= 5
        if 0 < value <= 80:
            return value
    return None


def parse_deadline(text: str, today: date) -> date | None:
    iso = _ISO_DATE.search(text)
    if iso:
        try:
            return date.fromisoformat(iso.group("iso"))
        except ValueError:
            return None
    within = _WITHIN.search(text)
    if within:
        raw = within.group("num").lower()
        count = _WORD_NUMBERS.get(raw) or int(raw)
        unit = within.group("unit").lower()
        days = count * (7 if unit.startswith("week") else 30 if unit.startswith("month") else 365)
        return today + timedelta(days=days)
    by = _BY_MONTH.search(text)
    if by:
        name = by.group("month").lower()[:3]
        months = {m.lower()[:3]: i for i, m in enumerate(calendar.month_name) if m}
        if name in months:
            month = months[name]
            year = int(by.group("year")) if by.group("year") else today.year + (month < today.month)
            return date(year, month, calendar.monthrange(year, month)[1])
    return None


def parse_modes(text: str) -> frozenset[DeliveryMode]:
    return frozenset(mode for pattern, mode in _MODES if pattern.search(text))


def parse_compare(text: str) -> tuple[str, ...]:
    match = _COMPARE.search(text.strip())
    if not match:
        return ()
    parts = [part for g in ("a", "b", "c", "a2", "b2") if match.group(g) for part in match.group(g).split(",")]
    return tuple(goal for goal in (clean_goal(p) for p in parts) if goal)


_ASKED_JOB = re.compile(
    r"\b(?:(?:does|do|would|will|can|could)\s+(?:an?\s+)?(?P<a>[a-z][\w' -]{2,40}?)s?\s+(?:earn|make|get paid)"
    r"|(?:to be|to become|for|as)\s+(?:an?\s+)?(?P<b>[a-z][\w' -]{2,40}?)\s*(?:\?|$|,|\.)"
    r"|(?:pay|salary|wages?) (?:of|for) (?:an?\s+)?(?P<c>[a-z][\w' -]{2,40}?)s?\s*(?:\?|$))",
    re.I,
)


def parse_asked_job(text: str) -> str | None:
    """The job a pay or entry question is about ("what does a pharmacy technician earn?", "do you need a degree
    to be a data analyst?"), or ``None`` (then it is about the current goal)."""
    match = _ASKED_JOB.search(text)
    if not match:
        return None
    job = clean_goal(match.group("a") or match.group("b") or match.group("c") or "")
    pronouns = {"i", "you", "they", "we", "it", "that", "this", "one", "people", "me", "there", "here", "those"}
    if job is None or job.split()[0].casefold() in pronouns:
        return None
    return job


def parse_skills_text(text: str, negative: bool = False) -> str | None:
    """The skills a message says the learner has ("I also know SQL", "SQL is right") or has not ("I don't
    know Java", "Java is wrong", "that's wrong: Java")."""
    match = (DONT_KNOW if negative else KNOW).search(text)
    if not match:
        return None
    said = match.group("skills") or match.group("wrong" if negative else "right") or ""
    if negative:  # "python that well, take it off": the skill, not how well or what to do about it
        said = re.split(r"[,;.!?]|\b(?:so|please|pls|take it|remove it|get rid)\b", said, maxsplit=1)[0]
        said = _HOW_WELL.sub("", said)
    return said.strip(" .!?:") or None


_SPLIT_TERMS = re.compile(r"\s*(?:,|;|/|\band\b|\bas well as\b|\bplus\b|&)\s*", re.I)


#: how much or how well, around a skill's name ("a bit of javascript", "python that well")
_HOW_WELL = re.compile(
    r"^(?:a (?:little )?bit of|a little|a lot of|some|basic|basics of|the basics of|loads of)\s+"
    r"|\s+(?:that|very|too|so) (?:well|much)$|\s+(?:at all|really|anymore|any more|well)$",
    re.I,
)


def split_terms(text: str) -> list[str]:
    """The skills in a typed list ("SQL, Excel as well as Tableau"), one term each, without how much or how
    well ("a bit of javascript" → "javascript")."""
    return [_HOW_WELL.sub("", t.strip()).strip() for t in _SPLIT_TERMS.split(text) if t and t.strip()]


def parse_ordinal(text: str) -> int | None:
    match = _ORDINAL.search(text)
    if not match:
        return None
    if match.group("num"):
        return int(match.group("num"))
    return _ORDINALS[match.group("word").lower()]


def parse_objective(text: str) -> RouteObjective | None:
    lowered = text.lower()
    if re.search(r"\b(?:cheap|cheapest|cheaper|afford|budget option|least expensive)\b", lowered):
        return RouteObjective.CHEAPEST
    if re.search(r"\b(?:fast|fastest|faster|quick|quickest|quicker|soonest|sooner)\b", lowered):
        return RouteObjective.FASTEST
    if re.search(r"\b(?:most coverage|cover (?:the )?most|complete|everything|most skills)\b", lowered):
        return RouteObjective.MOST_COVERAGE
    return None


_SEARCH = re.compile(
    r"\b(?:courses?|classes?|credentials?|badges?|programs?|anything|something|modules?)\s+(?:on|about|in|for|covering|"
    r"that (?:teach(?:es)?|cover(?:s)?))\s+(?P<q>.+)"
    r"|\b(?:search(?: for)?|find|look(?:ing)? for)\s+(?P<q2>.+)",
    re.I,
)


def search_query(text: str) -> str | None:
    match = _SEARCH.search(text)
    if not match:
        return None
    query = (match.group("q") or match.group("q2") or "").strip(" ?.!")
    query = re.sub(r"^(?:a|an|the|some|any)\s+|\s+(?:courses?|classes?|credentials?)$", "", query, flags=re.I)
    return query or None


def read_slots(text: str, *, today: date, known_ids: Sequence[str] = ()) -> Slots:
    """Every value a message states outright; goals, skills and queries are read once its intents are known."""
    budget, currency = parse_budget(text)
    slots = Slots(
        budget=budget,
        currency=currency,
        hours_per_week=parse_hours(text),
        deadline=parse_deadline(text, today),
        delivery_modes=parse_modes(text),
        objective=parse_objective(text),
        ordinal=parse_ordinal(text),
        pronoun=bool(PRONOUN.search(text)),
    )
    folded = {cid.casefold(): cid for cid in known_ids}
    slots.credential_ids = tuple(
        dict.fromkeys(
            folded[m.group(0).casefold()] for m in CREDENTIAL_ID.finditer(text) if m.group(0).casefold() in folded
        )
    )
    return slots
