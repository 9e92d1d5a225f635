"""The goal inside what a learner types: "i want to move into project managment" → "project managment".

Rules only. The chat's intent rules and the goal resolver share these patterns, so a sentence the chat
reads as a goal is the same phrase the resolver looks up.
"""

from __future__ import annotations

import re

_STOP_GOAL = re.compile(
    r"\s*(?:[,.;:!?()]|\band\b|\bbut\b|\bwith\b|\bso\b|\bbecause\b|\bwhere\b|\bwhich\b|\bi have\b|\bi've\b|\bi can\b"
    r"|\bmy budget\b|\bwithin\b|\bby\b|\bnext\b|\bsomeday\b|\bin the\b|\binstead\b|\beventually\b|\bsoon\b"
    r"|\bat (?:a|an|the|some|my)\b|\bfor (?:a|an|the|some|my)\b|\bone day\b|\bif\b|\bafter\b|\bthough\b|\bmaybe\b"
    r"|\bwithout\b|\bhow (?:long|much|do)\b|\bwhat (?:do|does|will)\b|\blol\b|\btbh\b|\bhaha\b"
    r"|\bpl(?:ea)?se?\b|\bthanks?\b)",
    re.I,
)
GOAL_PATTERNS = [
    re.compile(p, re.I)
    for p in (
        r"\b(?:move|moving|switch|switching|transition|transitioning|pivot|pivoting|get|getting|break|breaking|go)\s+"
        r"(?:into|to|towards?|in)\s+(?:a\s+|an\s+|the\s+)?(?:career\s+(?:in|as)\s+|role\s+(?:in|as)\s+|job\s+as\s+)?"
        r"(?P<goal>.+)",
        r"\b(?:become|becoming|be|work as|working as|job as|career as|role as|position as|train as|retrain as|"
        r"qualify as|qualified as|training to be|train to be)\s+"
        r"(?:a\s+|an\s+|the\s+)?(?P<goal>.+)",
        r"\b(?:career|job|work|role|future)\s+in\s+(?P<goal>.+)",
        r"\b(?:my\s+)?(?:goal|target|aim|dream job)\s+(?:is|would be|:)\s+(?:to\s+(?:be|become)\s+)?(?:a\s+|an\s+)?"
        r"(?P<goal>.+)",
        r"\b(?:what|how)\s+about\s+(?:becoming\s+|being\s+)?(?:a\s+|an\s+)?(?P<goal>.+?)(?:\s+instead)?\s*\??$",
        r"\b(?:try|consider)\s+(?:a\s+|an\s+)?(?P<goal>.+?)\s+instead\b",
        r"\binterested in\s+(?:becoming\s+|being\s+)?(?:a\s+|an\s+)?(?P<goal>.+)",
        r"(?:^|\b(?:but|and|so)\s+)(?:i\s+)?(?:want|wanna|'?d like|would like|'?d love|would love)\s+(?:to\s+)?"
        r"(?:do|work in|work with|study|get into)\s+(?P<goal>.+)",
        r"\b(?:i\s+)?(?:want|wanna|'?d like|would like|'?d love|would love|looking for)\s+(?:to\s+(?:do|try|find)\s+)?"
        r"(?:something|anything|a job|a role|a career|work)\s+(?:in|with|around|as)\s+(?P<goal>.+)",
        # "i want to run a kitchen someday": running a place is its manager's job (``_ACTIVITY``)
        r"\b(?:i\s+)?(?:want|wanna|'?d like|would like|'?d love|would love|hope|plan)\s+to\s+"
        r"(?P<goal>(?:run|manage)\s+(?:a|an|my\s+own)\s+.+)",
        # "a job where i help people", "anything where i can drive a truck": the activity is the goal
        r"\b(?:job|something|anything|work|role|career|somewhere)\s+(?:where|that lets me|in which)\s+i\s+"
        r"(?:can\s+|could\s+|get to\s+|would\s+|'?d\s+)?(?P<goal>.+)",
    )
]
_GOAL_TRIM = re.compile(
    r"^(?:a|an|the|some|something(?: in| with| like)?|anything(?: in| with)?|doing|working(?: in| as| with)?|maybe|"
    r"perhaps|probably|like|(?:happy|glad|keen|good)\s+(?:doing|working(?: in| as| with)?|to (?:do|work(?: in| as)?))"
    r")\s+"
    r"|\s+(?:roles?|jobs?|positions?|careers?|field|work|stuff|industry|sector|then|too|as well|please|pls|"
    r"instead|though|i think|i guess|maybe)$",
    re.I,
)
_LEAD = re.compile(
    r"^(?:(?:hi|hey|hello|ok|okay|so|well|um+|uh+|hmm+|honestly|maybe|probably|i think|i guess|perhaps|nah|no|nope|"
    r"yeah|yes|yep|actually|sorry|oh)[,!.]?\s+)+"
    r"|^(?:i(?:'m| am)\s+(?:thinking(?: about| of)?|hoping(?: to)?|keen(?: on)?)\s+)"
    r"|^(?:i\s*(?:want|wanna|would like|'d like|'d love|would love|hope|plan|aim)\s+(?:to\s+)?(?:be|become)?\s*)",
    re.I,
)
#: the learner's current or past job, not the goal ("I used to be a chef but want to …")
_CURRENT = re.compile(
    r"\b(?:used to be|i was|i'?m (?:currently |now )?(?:a|an|in)|i am (?:currently |now )?(?:a|an|in)|"
    r"i work(?:ed)? (?:as|in)|currently|right now|at the moment|i do)\b[^,.;!?]*?(?=\b(?:but|and|so|now)\b|[,.;!?]|$)",
    re.I,
)
#: a goal named last, after what the learner does now ("…, maybe carpentry", "so maybe IT support?")
_LAST_CLAUSE = re.compile(r"(?:\bmaybe|\bperhaps|\bprobably|\bsomething like)\s+(?P<goal>[^,.;!?]+)[.!?]*\s*$", re.I)
#: capitalised workplace acronyms that are words too ("IT") or that name a field ("HR")
ACRONYMS = {"IT": "ICT", "HR": "human resources", "QA": "quality assurance", "UX": "user experience"}
_ACRONYM = re.compile(r"\b(" + "|".join(ACRONYMS) + r")\b")


def spell_out(text: str) -> str:
    """ "IT support" → "ICT support": the capitalised workplace acronyms, as the titles spell them."""
    return _ACRONYM.sub(lambda m: ACRONYMS[m.group(1)], text)


#: first words of a clause after "be …" that say how, not what ("be done by december", "be able to")
_NOT_A_JOB_START = frozenset({"done", "finished", "ready", "able", "sure", "happy", "better", "good", "there"})
#: "(be) home more", "home with my kids", "home by 5": a place, not a job; "home care aide" is a job
_HOME = re.compile(r"^home(?:\s+(?:more|with|by|for|in|at|on|early|before|after|and|to)\b.*)?$", re.I)
_NOT_A_GOAL = {"it", "that", "this", "there", "one", "them", "something", "anything", "job", "work", "career"}
#: answers that name no goal at all ("nothing really", "i just need a job", "no idea")
_NO_GOAL = re.compile(
    r"^(?:nothing|none|no idea|not sure|unsure|dunno|i don'?t know|don'?t know|idk|whatever|any ?thing|any job|"
    r"i (?:just )?need (?:a |any )?job|just (?:a|any) job)\b",
    re.I,
)
#: how the learner would spend the day, before the job words ("working with kids", "working on the ambulances")
_ACTIVITY_LEAD = re.compile(r"^(?:working|work|doing)\s+(?:with|on|in|at)\s+(?:the\s+|a\s+|an\s+)?", re.I)
#: an activity sentence's verb and the job noun it makes ("drive a truck" → "truck driver", "run a kitchen" →
#: "kitchen manager")
_ACTIVITY = re.compile(
    r"^(?P<verb>drive|teach|fix|repair|cook for|clean|build|install|design|run|manage)\s+"
    r"(?:a\s+|an\s+|the\s+|some\s+|my\s+own\s+)?"
    r"(?:(?:little|young|small|big)\s+)?(?P<what>[a-z][a-z ]*)$",
    re.I,
)
#: a place and the work done there ("an office doing admin" → "office admin", "a kitchen doing prep")
_PLACE_DOING = re.compile(r"^(?P<place>[a-z][a-z ]*?)\s+doing\s+(?P<work>[a-z][a-z ]*)$", re.I)
_AGENT = {"drive": "driver", "teach": "teacher", "fix": "repairer", "repair": "repairer", "cook for": "cook",
          "clean": "cleaner", "build": "builder", "install": "installer", "design": "designer",
          "run": "manager", "manage": "manager"}  # fmt: skip


def clean_goal(raw: str) -> str | None:
    """The job words of a goal clause: cut at the first clause break, without articles and 'roles'."""
    raw = re.sub(r"\bor\s+(?:maybe|perhaps|possibly|even)\b", "or", raw, flags=re.I)  # "a teacher or maybe a nurse"
    raw = _ACTIVITY_LEAD.sub("", raw.strip(" '\""))
    if _NO_GOAL.match(raw):
        return None
    goal = _STOP_GOAL.split(raw, maxsplit=1)[0].strip(" '\"")
    previous = None
    while goal and goal != previous:
        previous = goal
        goal = _GOAL_TRIM.sub("", goal).strip()
    words = goal.split()
    if not words or len(words) > 6 or goal.lower() in _NOT_A_GOAL or words[0].lower() in _NOT_A_JOB_START:
        return None
    if _HOME.match(goal):
        return None
    doing = _PLACE_DOING.match(goal)
    if doing:
        return f"{doing.group('place')} {doing.group('work')}"
    activity = _ACTIVITY.match(goal)
    if activity:
        return f"{activity.group('what')} {_AGENT[activity.group('verb').lower()]}"
    return goal


_OR = re.compile(r"\s+or\s+(?:an?\s+)?", re.I)


def alternatives(phrase: str) -> list[str]:
    """The jobs of a goal that names several ("teacher or a nurse" → teacher, nurse); one item otherwise."""
    parts = [clean_goal(part) for part in _OR.split(phrase)]
    found = [part for part in parts if part]
    return found if len(found) >= 2 else [phrase]


def parse_goal(text: str) -> str | None:
    """A goal stated with a goal phrase ("I want to become a nurse"); ``None`` when no pattern fits."""
    for pattern in GOAL_PATTERNS:
        match = pattern.search(text)
        if match:
            goal = clean_goal(match.group("goal"))
            if goal:
                return goal
    return None


def goal_phrase(text: str) -> str | None:
    """The phrase to look up: the goal of a goal sentence, or the text itself without fillers ("teacher",
    "maybe something in data?", "HVAC tech")."""
    text = spell_out(text)
    last = _LAST_CLAUSE.search(text)
    if last and clean_goal(last.group("goal")):
        return clean_goal(last.group("goal"))
    present = _CURRENT.sub(" ", text)
    stated = parse_goal(present) if present != text else parse_goal(text)
    if stated:
        return stated
    bare = present.strip()
    previous = None
    while bare != previous:
        previous = bare
        bare = _LEAD.sub("", bare).strip()
    return clean_goal(bare)
