"""What a learner's message asks for and what it states: intents from rules and embeddings, slots from rules.

One message often carries several things ("I want to move into data analysis; I have 6 hours a week and
$800"), so understanding returns every slot it finds and an ordered list of intents. Rules catch the
phrasings we know with high precision; when none fires, the message is compared by meaning with a small
bank of example utterances (any :class:`Embedder`), and below a similarity floor it stays ``unknown`` —
the engine then says what it can do instead of guessing.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum

import numpy as np

from assistant.core.models import DeliveryMode, RouteObjective
from assistant.core.ports import Embedder


class Intent(StrEnum):
    GREET = "greet"
    HELP = "help"
    SET_GOAL = "set-goal"
    SET_CONSTRAINTS = "set-constraints"
    SHOW_GAP = "show-gap"
    RECOMMEND = "recommend"
    ROUTE = "route"
    EXPLAIN = "explain"
    CHEAPER = "cheaper"
    FASTER = "faster"
    ADD_SKILLS = "add-skills"
    REMOVE_SKILLS = "remove-skills"
    HELD_CREDENTIALS = "held-credentials"
    COMPARE = "compare"
    SEARCH_CATALOG = "search-catalog"
    EXPLORE = "explore"
    PASTE_RESUME = "paste-resume"
    PASTE_POSTING = "paste-posting"
    PROFILE = "profile"
    RESET = "reset"
    THANKS = "thanks"
    UNKNOWN = "unknown"


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


@dataclass
class Understanding:
    intents: list[Intent]
    slots: Slots
    how: str = "rules"
    score: float | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def main(self) -> Intent:
        return self.intents[0] if self.intents else Intent.UNKNOWN


# --- slots -------------------------------------------------------------------------------------------

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MONEY = [
    re.compile(rf"(?P<sym>[$€£])\s?(?P<num>{_NUMBER})\s?(?P<k>k\b)?", re.I),
    re.compile(rf"\b(?P<num>{_NUMBER})\s?(?P<k>k\b)?\s?(?P<word>dollars|usd|euros?|eur|pounds|gbp|bucks)\b", re.I),
    re.compile(
        rf"\bbudget\s*(?:of|is|=|:)?\s*(?:about|around|roughly|up to|under|max(?:imum)?)?\s*(?P<num>{_NUMBER})"
        r"(?:\s?(?P<k>k))?\b",
        re.I,
    ),
]
# an amount right after price or pay talk ("it costs $650", "analysts earn $90k") is not the learner's budget,
# unless the clause names the budget ("the budget I have is what it costs, $500")
_PRICE_TALK = re.compile(
    r"\b(?:costs?|costing|priced?|prices?|fees?|earns?|earning|salary|salaries|wages?|pays?|paid|makes?|"
    r"making|income|worth)\b[^.;!?\n]{0,25}$",
    re.I,
)
_BUDGET_WORD = re.compile(r"\bbudget\b", re.I)
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
_STOP_GOAL = re.compile(
    r"\s*(?:[,.;:!?()]|\band\b|\bbut\b|\bwith\b|\bso\b|\bbecause\b|\bwhere\b|\bwhich\b|\bi have\b|\bi've\b|\bi can\b"
    r"|\bmy budget\b|\bwithin\b|\bby\b|\bnext\b|\bsomeday\b|\bin the\b|\binstead\b|\beventually\b|\bsoon\b)",
    re.I,
)
_GOAL_PATTERNS = [
    re.compile(p, re.I)
    for p in (
        r"\b(?:move|moving|switch|switching|transition|transitioning|pivot|pivoting|get|getting|break|breaking|go)\s+"
        r"(?:into|to|towards?|in)\s+(?:a\s+|an\s+|the\s+)?(?:career\s+(?:in|as)\s+|role\s+(?:in|as)\s+|job\s+as\s+)?"
        r"(?P<goal>.+)",
        r"\b(?:become|becoming|be|work as|working as|job as|career as|role as|position as|train as|retrain as)\s+"
        r"(?:a\s+|an\s+|the\s+)?(?P<goal>.+)",
        r"\b(?:career|job|work|role|future)\s+in\s+(?P<goal>.+)",
        r"\b(?:my\s+)?(?:goal|target|aim|dream job)\s+(?:is|would be|:)\s+(?:to\s+(?:be|become)\s+)?(?:a\s+|an\s+)?"
        r"(?P<goal>.+)",
        r"\b(?:what|how)\s+about\s+(?:becoming\s+|being\s+)?(?:a\s+|an\s+)?(?P<goal>.+?)(?:\s+instead)?\s*\??$",
        r"\b(?:try|consider)\s+(?:a\s+|an\s+)?(?P<goal>.+?)\s+instead\b",
        r"\binterested in\s+(?:becoming\s+|being\s+)?(?:a\s+|an\s+)?(?P<goal>.+)",
        r"^(?:i want|i'd like|i would like)\s+(?:to\s+)?(?:do|work in|study)\s+(?P<goal>.+)",
    )
]
_GOAL_TRIM = re.compile(
    r"^(?:a|an|the|some|something in|doing)\s+|\s+(?:roles?|jobs?|positions?|careers?|field|work)$", re.I
)
_COMPARE = re.compile(
    r"\bcompare\s+(?P<a>.+?)\s+(?:and|with|to|vs\.?|versus)\s+(?P<b>.+?)(?:\s+(?:and|with|vs\.?)\s+(?P<c>.+?))?\s*\??$"
    r"|^(?P<a2>[\w' ]+?)\s+(?:vs\.?|versus|or)\s+(?P<b2>[\w' ]+?)\s*\?\s*$",
    re.I,
)
_KNOW = re.compile(
    r"\b(?:i\s+(?:already\s+|also\s+)?(?:know|have(?:\s+experience)?\s+(?:with|in)|have used|can use|use|am good at|"
    r"am proficient (?:in|with)|am skilled (?:in|at)|am familiar with|have skills? in|worked with|did)|"
    r"i'm\s+(?:good at|proficient (?:in|with)|skilled (?:in|at)|familiar with)|add(?:\s+the\s+skills?)?)"
    r"\s+(?P<skills>.+)",
    re.I,
)
_DONT_KNOW = re.compile(
    r"\b(?:i\s+(?:don't|do not|never)\s+(?:know|use|have)|remove(?:\s+the\s+skills?)?|i\s+lack)\s+(?P<skills>.+)",
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
_PRONOUN = re.compile(r"\b(?:that|this|it|that one|this one|the one)\b", re.I)
_CREDENTIAL_ID = re.compile(r"\b[A-Z][A-Z0-9]{1,9}(?:[-_.][A-Z0-9]{1,12}){1,4}\b", re.I)

# --- intents: rules ----------------------------------------------------------------------------------

_RULES: list[tuple[Intent, re.Pattern[str]]] = [
    (
        Intent.RESET,
        re.compile(r"^\s*(?:start over|reset|restart|new conversation|forget (?:everything|it all))\b", re.I),
    ),
    (Intent.THANKS, re.compile(r"^\s*(?:thanks?|thank you|cheers|great,? thanks|bye|goodbye)\b", re.I)),
    (Intent.GREET, re.compile(r"^\s*(?:hi|hello|hey|good (?:morning|afternoon|evening)|howdy)\b[\s!.,]*$", re.I)),
    (Intent.HELP, re.compile(r"\b(?:help|what can you do|how does this work|how do i use|what do you do)\b", re.I)),
    (
        Intent.CHEAPER,
        re.compile(r"\b(?:cheaper|less expensive|lower cost|costs? less|too (?:expensive|pricey|much))\b", re.I),
    ),
    (Intent.FASTER, re.compile(r"\b(?:faster|quicker|sooner|shorter|less time|too (?:long|slow))\b", re.I)),
    (
        Intent.EXPLAIN,
        re.compile(
            r"\b(?:why|explain|what does .+ cover|tell me (?:more )?about|details? (?:on|of|about)|"
            r"what is (?:in )?(?:that|this|it|the \w+ one)|more about)\b",
            re.I,
        ),
    ),
    (
        Intent.COMPARE,
        re.compile(
            r"\b(?:compare|versus|vs\.?|what about .+ instead|how about .+ instead|"
            r"instead of|what if i (?:went|go|chose|choose|pick)|or would)\b",
            re.I,
        ),
    ),
    (Intent.REMOVE_SKILLS, _DONT_KNOW),
    (
        Intent.HELD_CREDENTIALS,
        re.compile(
            r"\bi (?:already )?(?:have|hold|earned|completed|finished|did|took)\b.*"
            r"\b(?:credential|badge|certificate|course|module)\b",
            re.I,
        ),
    ),
    (Intent.ADD_SKILLS, _KNOW),
    (
        Intent.EXPLORE,
        re.compile(
            r"\b(?:what (?:jobs?|careers?|occupations?|roles?) (?:fit|suit|match)|"
            r"which (?:jobs?|careers?|occupations?)|explore|not sure what (?:i want|to do)|"
            r"what should i (?:do|become|aim for)|suggest (?:a )?(?:jobs?|careers?))\b",
            re.I,
        ),
    ),
    (Intent.SET_GOAL, re.compile("|".join(p.pattern.replace("(?P<goal>", "(?:") for p in _GOAL_PATTERNS), re.I)),
    (
        Intent.ROUTE,
        re.compile(
            r"\b(?:route|plan|pathway|path|timeline|schedule|roadmap|order|sequence|stack(?:ing|able)?|"
            r"certificate|step by step|how long)\b",
            re.I,
        ),
    ),
    (
        Intent.RECOMMEND,
        re.compile(
            r"\b(?:recommend|suggest|courses?|credentials?|badges?|micro-?credentials?|options?|"
            r"what should i (?:take|study|learn)|where do i start|next step|upskill)\b",
            re.I,
        ),
    ),
    (
        Intent.SHOW_GAP,
        re.compile(
            r"\b(?:gaps?|missing|lack|need to learn|what do i need|skills? (?:do i|i) need|"
            r"am i ready|readiness|how close|requirements?|required skills)\b",
            re.I,
        ),
    ),
    (
        Intent.PROFILE,
        re.compile(
            r"\b(?:my (?:profile|skills)|what skills do i have|what did you find|"
            r"what do you know about me)\b",
            re.I,
        ),
    ),
    (
        Intent.SEARCH_CATALOG,
        re.compile(
            r"\b(?:do you (?:have|offer)|is there (?:a|any)|are there any|search|find|"
            r"look(?:ing)? for|any (?:course|class|credential|badge)(?:e?s)?)\b",
            re.I,
        ),
    ),
]

#: example utterances per intent for the meaning-based fallback (kept small and plain on purpose)
EXEMPLARS: dict[Intent, tuple[str, ...]] = {
    Intent.GREET: ("hello there", "hi, nice to meet you"),
    Intent.HELP: ("what can you help me with", "how do I use this assistant", "I am lost, what now"),
    Intent.SET_GOAL: (
        "I would love to work in cybersecurity",
        "my dream is to be a nurse",
        "I want a job in marketing",
    ),
    Intent.SET_CONSTRAINTS: ("I can only study on weekends", "money is tight for me", "I work full time"),
    Intent.SHOW_GAP: ("what am I missing for this job", "which skills do I still lack", "am I qualified"),
    Intent.RECOMMEND: ("what should I study next", "which classes would help me", "show me programs that fit"),
    Intent.ROUTE: ("in what order should I take them", "lay out a study plan", "when would I finish"),
    Intent.EXPLAIN: ("why did you pick that", "what is that course about", "what will I learn there"),
    Intent.CHEAPER: ("that costs too much for me", "I cannot afford that", "is there a budget option"),
    Intent.FASTER: ("I need to finish quickly", "that takes too long", "can I get there sooner"),
    Intent.ADD_SKILLS: ("I'm already good with spreadsheets", "I have done bookkeeping before", "I speak Spanish"),
    Intent.COMPARE: ("which is better for me, teaching or nursing", "should I pick one path or the other"),
    Intent.SEARCH_CATALOG: (
        "do you have anything on welding",
        "any classes about databases",
        "show courses on first aid",
    ),
    Intent.EXPLORE: (
        "I don't know what career to choose",
        "which jobs match my background",
        "surprise me with careers",
    ),
    Intent.PROFILE: ("what have you learned about my skills", "show me my profile"),
    Intent.THANKS: ("that's very helpful, thank you", "ok great, see you"),
}


class IntentClassifier:
    """Nearest example utterance by cosine; the embeddings of the examples are computed once."""

    def __init__(
        self, embedder: Embedder, *, threshold: float = 0.45, exemplars: dict[Intent, tuple[str, ...]] | None = None
    ):
        self._embedder = embedder
        self.threshold = threshold
        bank = exemplars or EXEMPLARS
        self._labels = [intent for intent, texts in bank.items() for _ in texts]
        self._matrix = embedder.embed([text for texts in bank.values() for text in texts])

    def classify(self, text: str) -> tuple[Intent, float]:
        vector = self._embedder.embed([text])[0]
        scores = self._matrix @ vector
        best = int(np.argmax(scores))
        score = float(scores[best])
        return (self._labels[best], score) if score >= self.threshold else (Intent.UNKNOWN, score)


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def parse_budget(text: str) -> tuple[Decimal | None, str | None]:
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


def clean_goal(raw: str) -> str | None:
    goal = _STOP_GOAL.split(raw, maxsplit=1)[0].strip(" '\"")
    previous = None
    while goal and goal != previous:
        previous = goal
        goal = _GOAL_TRIM.sub("", goal).strip()
    words = goal.split()
    if not words or len(words) > 6 or goal.lower() in {"it", "that", "this", "there", "one", "them", "something"}:
        return None
    return goal


def parse_goal(text: str) -> str | None:
    for pattern in _GOAL_PATTERNS:
        match = pattern.search(text)
        if match:
            goal = clean_goal(match.group("goal"))
            if goal:
                return goal
    return None


def parse_compare(text: str) -> tuple[str, ...]:
    match = _COMPARE.search(text.strip())
    if not match:
        return ()
    parts = [part for g in ("a", "b", "c", "a2", "b2") if match.group(g) for part in match.group(g).split(",")]
    return tuple(goal for goal in (clean_goal(p) for p in parts) if goal)


def parse_skills_text(text: str, negative: bool = False) -> str | None:
    match = (_DONT_KNOW if negative else _KNOW).search(text)
    if not match:
        return None
    return match.group("skills").strip(" .!?") or None


_SPLIT_TERMS = re.compile(r"\s*(?:,|;|/|\band\b|\bas well as\b|\bplus\b|&)\s*", re.I)


def split_terms(text: str) -> list[str]:
    """The skills in a typed list ("SQL, Excel as well as Tableau"), one term each."""
    return [t.strip() for t in _SPLIT_TERMS.split(text) if t and t.strip()]


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


def looks_like_document(text: str) -> Intent | None:
    """A pasted résumé or job posting: several lines, or a long block with a document's vocabulary."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) < 4 and len(text) < 600:
        return None
    lowered = text.lower()
    posting = sum(
        w in lowered
        for w in (
            "responsibilities",
            "requirements",
            "qualifications",
            "we are looking",
            "you will",
            "nice to have",
            "what you'll do",
            "about the role",
            "apply",
        )
    )
    resume = sum(
        w in lowered
        for w in (
            "experience",
            "education",
            "skills",
            "summary",
            "employment",
            "references",
            "certifications",
            "objective",
        )
    )
    if posting >= 2 and posting >= resume:
        return Intent.PASTE_POSTING
    return Intent.PASTE_RESUME


def understand(
    text: str,
    *,
    today: date,
    known_ids: Sequence[str] = (),
    classifier: IntentClassifier | None = None,
) -> Understanding:
    """Intents (most specific first) and every slot the message states."""
    document = looks_like_document(text)
    if document is not None:
        return Understanding([document], Slots(), how="document")
    budget, currency = parse_budget(text)
    slots = Slots(
        budget=budget,
        currency=currency,
        hours_per_week=parse_hours(text),
        deadline=parse_deadline(text, today),
        delivery_modes=parse_modes(text),
        objective=parse_objective(text),
        ordinal=parse_ordinal(text),
        pronoun=bool(_PRONOUN.search(text)),
    )
    folded = {cid.casefold(): cid for cid in known_ids}
    slots.credential_ids = tuple(
        dict.fromkeys(
            folded[m.group(0).casefold()] for m in _CREDENTIAL_ID.finditer(text) if m.group(0).casefold() in folded
        )
    )
    intents: list[Intent] = [intent for intent, pattern in _RULES if pattern.search(text)]
    if Intent.COMPARE in intents:
        slots.compare = parse_compare(text)
        slots.goal = parse_goal(text) if not slots.compare else None
        if not slots.compare and slots.goal is None:
            intents.remove(Intent.COMPARE)
    if Intent.SET_GOAL in intents and slots.goal is None and not slots.compare:
        slots.goal = parse_goal(text)
        if slots.goal is None:
            intents.remove(Intent.SET_GOAL)
    if Intent.ADD_SKILLS in intents:
        slots.skills_text = parse_skills_text(text)
        if slots.skills_text is None or (Intent.SET_GOAL in intents and slots.goal and slots.goal in slots.skills_text):
            intents.remove(Intent.ADD_SKILLS)
    if Intent.REMOVE_SKILLS in intents:
        slots.skills_text = parse_skills_text(text, negative=True)
        if slots.skills_text is None:
            intents.remove(Intent.REMOVE_SKILLS)
    if Intent.HELD_CREDENTIALS in intents and not slots.credential_ids:
        slots.query = text
    if slots.constraints_given:
        intents.insert(0, Intent.SET_CONSTRAINTS)
    if Intent.CHEAPER in intents and slots.budget is not None:
        intents.remove(Intent.CHEAPER)  # "too expensive, my budget is $500" is a new budget
    if Intent.SEARCH_CATALOG in intents:
        slots.query = _search_query(text)
        if not slots.query:
            intents.remove(Intent.SEARCH_CATALOG)
    ordered = sorted(dict.fromkeys(intents), key=_PRIORITY.index)
    if ordered:
        return Understanding(ordered, slots)
    if slots.credential_ids or (slots.ordinal is not None and len(text.split()) <= 4):
        return Understanding([Intent.EXPLAIN], slots)  # "LPC-DA-110?", "the second one"
    if classifier is not None:
        intent, score = classifier.classify(text)
        if intent is Intent.SET_GOAL:
            slots.goal = clean_goal(text)
            if slots.goal is None:
                intent = Intent.UNKNOWN
        if intent is Intent.ADD_SKILLS:
            slots.skills_text = text
        if intent is Intent.SEARCH_CATALOG:
            slots.query = _search_query(text) or text
        return Understanding([intent], slots, how="embedding", score=score)
    return Understanding([Intent.UNKNOWN], slots)


_PRIORITY = [
    Intent.RESET,
    Intent.SET_CONSTRAINTS,
    Intent.REMOVE_SKILLS,
    Intent.HELD_CREDENTIALS,
    Intent.ADD_SKILLS,
    Intent.COMPARE,
    Intent.EXPLORE,
    Intent.SET_GOAL,
    Intent.CHEAPER,
    Intent.FASTER,
    Intent.EXPLAIN,
    Intent.SEARCH_CATALOG,
    Intent.ROUTE,
    Intent.RECOMMEND,
    Intent.SHOW_GAP,
    Intent.PROFILE,
    Intent.HELP,
    Intent.GREET,
    Intent.THANKS,
    Intent.PASTE_RESUME,
    Intent.PASTE_POSTING,
    Intent.UNKNOWN,
]

_SEARCH = re.compile(
    r"\b(?:courses?|classes?|credentials?|badges?|programs?|anything|something|modules?)\s+(?:on|about|in|for|covering|"
    r"that (?:teach(?:es)?|cover(?:s)?))\s+(?P<q>.+)"
    r"|\b(?:search(?: for)?|find|look(?:ing)? for)\s+(?P<q2>.+)",
    re.I,
)


def _search_query(text: str) -> str | None:
    match = _SEARCH.search(text)
    if not match:
        return None
    query = (match.group("q") or match.group("q2") or "").strip(" ?.!")
    query = re.sub(r"^(?:a|an|the|some|any)\s+|\s+(?:courses?|classes?|credentials?)$", "", query, flags=re.I)
    return query or None
