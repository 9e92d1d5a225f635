"""What a learner's message asks for: intents from rules and embeddings, kept in one registry.

One message often carries several things ("I want to move into data analysis; I have 6 hours a week and
$800"), so understanding returns every slot it finds (:mod:`.slots`) and an ordered list of intents. Rules
catch the phrasings we know with high precision; when none fires, the message is compared by meaning with
the registry's example utterances (any :class:`Embedder`), and below a similarity floor it stays
``unknown`` — the engine then says what it can do instead of guessing.

:data:`REGISTRY` holds each intent once, most specific first: its place is its priority, ``shown`` says how
the engine treats it (an action that changes the state, a view of the results, a view shown even after an
action, a pasted document), ``rule`` is the pattern that spots it, ``examples`` feed the classifier. The
engine's handlers (:mod:`.handlers`) are bound to these entries by intent and checked against them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

import numpy as np

from assistant.core.dialogue.slots import (
    DONT_KNOW,
    KNOW,
    Slots,
    parse_asked_job,
    parse_compare,
    parse_skills_text,
    read_slots,
    search_query,
)
from assistant.core.goals.phrase import GOAL_PATTERNS, clean_goal, parse_goal
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
    UNDO = "undo"
    EARNINGS = "earnings"
    LICENCE = "licence"
    THANKS = "thanks"
    UNKNOWN = "unknown"


class Shown(StrEnum):
    """How the engine treats an intent."""

    ACTION = "action"  # changes the profile, goal or limits; every one in a message runs, in priority order
    VIEW = "view"  # shows results; the first of a message runs, unless an action already showed the advice
    ALWAYS = "always"  # a view that runs even after an action showed the advice ("why that one?", "cheaper")
    NONE = "none"  # nothing to run: the engine says what it can do


@dataclass(frozen=True)
class IntentSpec:
    intent: Intent
    shown: Shown
    rule: re.Pattern[str] | None = None
    examples: tuple[str, ...] = ()


def _rule(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


_GOAL_RULE = _rule("|".join(p.pattern.replace("(?P<goal>", "(?:") for p in GOAL_PATTERNS))

#: every intent once, most specific first (the order is the priority)
REGISTRY: tuple[IntentSpec, ...] = (
    IntentSpec(
        Intent.RESET,
        Shown.ACTION,
        _rule(r"^\s*(?:start over|reset|restart|new conversation|forget (?:everything|it all))\b"),
    ),
    IntentSpec(
        Intent.UNDO,
        Shown.ACTION,
        _rule(r"^\s*(?:undo|undo that|undo it|change it back|put it back|revert(?: that)?)\b"),
    ),
    IntentSpec(
        Intent.SET_CONSTRAINTS,
        Shown.ACTION,
        None,  # set from the slots: a budget, hours, a deadline or a delivery mode was stated
        ("I can only study on weekends", "money is tight for me", "I work full time"),
    ),
    IntentSpec(Intent.REMOVE_SKILLS, Shown.ACTION, DONT_KNOW),
    IntentSpec(
        Intent.HELD_CREDENTIALS,
        Shown.ACTION,
        _rule(
            r"\bi (?:already )?(?:have|hold|earned|completed|finished|did|took)\b.*"
            r"\b(?:credential|badge|certificate|course|module)\b"
        ),
    ),
    IntentSpec(
        Intent.ADD_SKILLS,
        Shown.ACTION,
        KNOW,
        ("I'm already good with spreadsheets", "I have done bookkeeping before", "I speak Spanish"),
    ),
    IntentSpec(
        Intent.COMPARE,
        Shown.ACTION,
        _rule(
            r"\b(?:compare|versus|vs\.?|difference between|what about .+ instead|how about .+ instead|"
            r"instead of|what if i (?:went|go|chose|choose|pick)|or would)\b"
        ),
        ("which is better for me, teaching or nursing", "should I pick one path or the other"),
    ),
    IntentSpec(
        Intent.EXPLORE,
        Shown.ACTION,
        _rule(
            r"\b(?:what (?:jobs?|careers?|occupations?|roles?) (?:fit|suit|match)|"
            r"which (?:jobs?|careers?|occupations?)|explore|not sure what (?:i want|to do)|"
            r"what should i (?:do|become|aim for)|suggest (?:a )?(?:jobs?|careers?))\b"
        ),
        ("I don't know what career to choose", "which jobs match my background", "surprise me with careers"),
    ),
    IntentSpec(
        Intent.SET_GOAL,
        Shown.ACTION,
        _GOAL_RULE,
        ("I would love to work in cybersecurity", "my dream is to be a nurse", "I want a job in marketing"),
    ),
    IntentSpec(
        Intent.CHEAPER,
        Shown.ALWAYS,
        _rule(r"\b(?:cheaper|less expensive|lower cost|costs? less|too (?:expensive|pricey|much))\b"),
        ("that costs too much for me", "I cannot afford that", "is there a budget option"),
    ),
    IntentSpec(
        Intent.FASTER,
        Shown.ALWAYS,
        _rule(r"\b(?:faster|quicker|sooner|shorter|less time|too (?:long|slow))\b"),
        ("I need to finish quickly", "that takes too long", "can I get there sooner"),
    ),
    IntentSpec(
        Intent.EARNINGS,
        Shown.ALWAYS,
        _rule(
            r"\b(?:earn|earning|salary|salaries|wages?|pays?\b(?! for)|paying|income|make a year|well[- ]paid|"
            r"what (?:would|will|could|do|does) (?:i|you|they|\w+s?) make|how much (?:do|does|"
            r"will|would|could) (?:i|they|you|one|\w+s) (?:make|get paid)|(?:job|career) (?:outlook|growth|prospects)|"
            r"is it growing|in demand|demand for)"
        ),
        ("what will I earn", "is that job well paid", "are there many openings for it"),
    ),
    IntentSpec(
        Intent.LICENCE,
        Shown.ALWAYS,
        _rule(
            r"\b(?:licen[cs]e[ds]?|licensure|certified|certification required|(?:do|does|would|will) (?:i|you|we|they|"
            r"one|it) (?:need|require) (?:a |an )?(?:degree|diploma|qualification)|what (?:degree|education|"
            r"qualifications?) (?:do|does|would) (?:i|you|it) need|regulated|entry requirements?)\b"
        ),
        ("do I need a degree for that", "what qualifications does it take", "is it a regulated job"),
    ),
    IntentSpec(
        Intent.EXPLAIN,
        Shown.ALWAYS,
        _rule(
            r"\b(?:why|explain|what does .+ cover|tell me (?:more )?about|details? (?:on|of|about)|"
            r"what is (?:in )?(?:that|this|it|the \w+ one)|more about)\b"
        ),
        ("why did you pick that", "what is that course about", "what will I learn there"),
    ),
    IntentSpec(
        Intent.SEARCH_CATALOG,
        Shown.VIEW,
        _rule(
            r"\b(?:do you (?:have|offer)|is there (?:a|any)|are there any|search|find|"
            r"look(?:ing)? for|any (?:course|class|credential|badge)(?:e?s)?)\b"
        ),
        ("do you have anything on welding", "any classes about databases", "show courses on first aid"),
    ),
    IntentSpec(
        Intent.ROUTE,
        Shown.VIEW,
        _rule(
            r"\b(?:route|plan|pathway|path|timeline|schedule|roadmap|order|sequence|stack(?:ing|able)?|"
            r"certificate|step by step|how long|how much (?:will|would|does|is) (?:it|that|this|the (?:route|plan)) be|"
            # "what's the cheapest way to do this": a route asked for by its aim
            r"(?:cheapest|fastest|quickest|cheaper|faster|quicker|best) (?:way|option) to (?:do|get|reach|finish)|"
            # "how much wil it cost", "how much is it all going to cost": a cost question, whatever the spelling
            r"how much\b[^?.!]{0,30}\bcost|total cost|what will it cost)\b"
        ),
        ("in what order should I take them", "lay out a study plan", "when would I finish"),
    ),
    IntentSpec(
        Intent.RECOMMEND,
        Shown.VIEW,
        _rule(
            r"\b(?:recommend|suggest|courses?|credentials?|badges?|micro-?credentials?|options?|"
            r"what should i (?:take|study|learn)|where do i start|next step|upskill)\b"
        ),
        ("what should I study next", "which classes would help me", "show me programs that fit"),
    ),
    IntentSpec(
        Intent.SHOW_GAP,
        Shown.VIEW,
        _rule(
            r"\b(?:gaps?|missing|lack|need to learn|what do i need|skills? (?:do i|i) need|"
            r"am i ready|readiness|how close|requirements?|required skills)\b"
        ),
        ("what am I missing for this job", "which skills do I still lack", "am I qualified"),
    ),
    IntentSpec(
        Intent.PROFILE,
        Shown.VIEW,
        _rule(r"\b(?:my (?:profile|skills)|what skills do i have|what did you find|what do you know about me)\b"),
        ("what have you learned about my skills", "show me my profile"),
    ),
    IntentSpec(
        Intent.HELP,
        Shown.VIEW,
        _rule(r"\b(?:help|what can you do|how does this work|how do i use|what do you do)\b"),
        ("what can you help me with", "how do I use this assistant", "I am lost, what now"),
    ),
    IntentSpec(
        Intent.GREET,
        Shown.VIEW,
        _rule(r"^\s*(?:hi|hello|hey|good (?:morning|afternoon|evening)|howdy)\b[\s!.,]*$"),
        ("hello there", "hi, nice to meet you"),
    ),
    IntentSpec(
        Intent.THANKS,
        Shown.VIEW,
        _rule(r"^\s*(?:thanks?|thank you|cheers|great,? thanks|bye|goodbye)\b"),
        ("that's very helpful, thank you", "ok great, see you"),
    ),
    IntentSpec(Intent.PASTE_RESUME, Shown.ACTION),  # spotted by looks_like_document, not by a rule
    IntentSpec(Intent.PASTE_POSTING, Shown.ACTION),
    IntentSpec(Intent.UNKNOWN, Shown.NONE),
)

SPECS: Mapping[Intent, IntentSpec] = {spec.intent: spec for spec in REGISTRY}
_PRIORITY = {spec.intent: n for n, spec in enumerate(REGISTRY)}
#: example utterances per intent for the meaning-based fallback (kept small and plain on purpose)
EXEMPLARS: dict[Intent, tuple[str, ...]] = {spec.intent: spec.examples for spec in REGISTRY if spec.examples}


def priority(intent: Intent) -> int:
    return _PRIORITY[intent]


def shown(intent: Intent) -> Shown:
    return SPECS[intent].shown


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

    @property
    def view(self) -> Intent | None:
        """The first intent that shows results, if any."""
        return next((i for i in self.intents if shown(i) in (Shown.VIEW, Shown.ALWAYS)), None)


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


_POSTING_WORDS = (
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
_RESUME_WORDS = (
    "experience",
    "education",
    "skills",
    "summary",
    "employment",
    "references",
    "certifications",
    "objective",
)


#: a goal said of somebody else ("my daughter wants to be a nurse", "he'd like to become a chef")
SOMEONE_ELSE = re.compile(
    r"\b(?:my (?:son|daughter|kid|child|children|friend|husband|wife|partner|mum|mom|mother|dad|father|brother|"
    r"sister|boyfriend|girlfriend|student|client)s?|he|she|they)(?:'d| would| wants?| is hoping| hopes| plans?)\b",
    re.I,
)


def looks_like_document(text: str) -> Intent | None:
    """A pasted résumé or job posting: several lines, or a long block with a document's vocabulary."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) < 4 and len(text) < 600:
        return None
    lowered = text.lower()
    posting = sum(w in lowered for w in _POSTING_WORDS)
    resume = sum(w in lowered for w in _RESUME_WORDS)
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
    slots = read_slots(text, today=today, known_ids=known_ids)
    intents: list[Intent] = [spec.intent for spec in REGISTRY if spec.rule is not None and spec.rule.search(text)]
    notes: list[str] = []
    if Intent.COMPARE in intents:
        slots.compare = parse_compare(text)
        slots.goal = parse_goal(text) if not slots.compare else None
        if not slots.compare and slots.goal is None:
            intents.remove(Intent.COMPARE)
    if Intent.SET_GOAL in intents and slots.goal is None and not slots.compare:
        slots.goal = parse_goal(text)
        if slots.goal is None:
            intents.remove(Intent.SET_GOAL)
    if Intent.SET_GOAL in intents and SOMEONE_ELSE.search(text):
        # "my son wants to be an electrician": somebody else's goal is not the learner's; ask, change nothing
        intents.remove(Intent.SET_GOAL)
        notes.append("someone-else")
        if not intents:
            return Understanding([Intent.UNKNOWN], slots, notes=notes)
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
    if Intent.EARNINGS in intents or Intent.LICENCE in intents:
        # "do you need a degree to be a data analyst?", "what does a welder earn?": the job is the subject of
        # the question, not a new goal
        slots.goal = slots.goal or parse_asked_job(text)
        intents = [i for i in intents if i not in (Intent.SET_GOAL, Intent.COMPARE)]
    if Intent.COMPARE in intents and not slots.compare:
        slots.compare = parse_compare(text)
    if slots.constraints_given:
        intents.insert(0, Intent.SET_CONSTRAINTS)
    if Intent.CHEAPER in intents and slots.budget is not None:
        intents.remove(Intent.CHEAPER)  # "too expensive, my budget is $500" is a new budget
    if Intent.SEARCH_CATALOG in intents:
        slots.query = search_query(text)
        if not slots.query:
            intents.remove(Intent.SEARCH_CATALOG)
    ordered = sorted(dict.fromkeys(intents), key=priority)
    if ordered:
        return Understanding(ordered, slots, notes=notes)
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
            slots.query = search_query(text) or text
        return Understanding([intent], slots, how="embedding", score=score)
    return Understanding([Intent.UNKNOWN], slots)
