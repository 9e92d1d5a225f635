"""Understanding one message: intents from rules (and embeddings) in the registry's order, slots with their exact
values."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from assistant.core.dialogue.handlers import HANDLERS
from assistant.core.dialogue.intents import (
    REGISTRY,
    Intent,
    IntentClassifier,
    Shown,
    Understanding,
    looks_like_document,
    understand,
)
from assistant.core.dialogue.slots import parse_budget, parse_deadline, parse_hours, split_terms
from assistant.core.goals.phrase import clean_goal
from assistant.core.models import DeliveryMode, RouteObjective
from tests.fakes import FakeEmbedder

TODAY = date(2026, 3, 15)
KNOWN_IDS = ("LPC-DA-101", "LPC-DA-110", "LPC-CERT-DA")
RESUME = Path(__file__).resolve().parents[2] / "fixtures" / "resumes" / "data_analyst.txt"


def read(text: str, classifier: IntentClassifier | None = None) -> Understanding:
    return understand(text, today=TODAY, known_ids=KNOWN_IDS, classifier=classifier)


def intents(text: str) -> list[str]:
    return [intent.value for intent in read(text).intents]


# --- budget ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("My budget is $800", Decimal(800), "USD"),
        ("I can spend 800 dollars", Decimal(800), "USD"),
        ("$1.5k at most", Decimal(1500), "USD"),
        ("1.5k dollars", Decimal(1500), "USD"),
        ("my budget is 1.5k", Decimal(1500), None),
        ("budget: 2k", Decimal(2000), None),
        ("budget is 500", Decimal(500), None),
        ("budget of about 650", Decimal(650), None),
        ("€1,200 total", Decimal(1200), "EUR"),
        ("£300", Decimal(300), "GBP"),
        ("1.5k euros", Decimal(1500), "EUR"),
        ("budget of $1,250.50", Decimal("1250.50"), "USD"),
        ("300 bucks", Decimal(300), "USD"),
        ("i can do 6 hrs a week and about $1500", Decimal(1500), "USD"),  # was dropped: only the hours were read
    ],
)
def test_budget_phrasings(text: str, amount: Decimal, currency: str | None) -> None:
    assert parse_budget(text) == (amount, currency)
    understood = read(text)
    assert understood.main is Intent.SET_CONSTRAINTS
    assert understood.slots.budget == amount
    assert understood.slots.currency == currency
    assert understood.slots.constraints_given


@pytest.mark.parametrize("text", ["I have 6 hours a week", "budget 6 hours", "$6 hours a week", "I know Excel"])
def test_hours_and_plain_text_are_not_money(text: str) -> None:
    assert parse_budget(text) == (None, None)


# --- hours -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("I have 6 hours a week", 6.0),
        ("2 hours a day", 10.0),  # a study day is a working day: five a week
        ("5-8 hrs per week", 6.5),
        ("5 to 8 hours weekly", 6.5),
        ("3 hrs/week", 3.0),
        ("20h per week", 20.0),
        ("10 hours every weekend", 10.0),
        ("an hour or so in the evening", None),
        ("100 hours a week", None),  # not a plausible study load
    ],
)
def test_hours_phrasings(text: str, hours: float | None) -> None:
    assert parse_hours(text) == hours
    understood = read(text)
    assert understood.slots.hours_per_week == hours
    if hours is not None:
        assert understood.main is Intent.SET_CONSTRAINTS


# --- deadlines ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "deadline"),
    [
        ("within 6 months", TODAY + timedelta(days=180)),
        ("in the next two weeks", TODAY + timedelta(days=14)),
        ("in 3 weeks", TODAY + timedelta(days=21)),
        ("within a year", TODAY + timedelta(days=365)),
        ("by June 2027", date(2027, 6, 30)),
        ("by June", date(2026, 6, 30)),
        ("by the end of March", date(2026, 3, 31)),  # this March: it is still March
        ("by February", date(2027, 2, 28)),  # February has passed this year
        ("by Dec 2026", date(2026, 12, 31)),
        ("by 2027-06-30", date(2027, 6, 30)),
        ("before 2027-01-31", date(2027, 1, 31)),
        ("until 2026-13-40", None),  # not a date
        ("by the way", None),
    ],
)
def test_deadline_phrasings(text: str, deadline: date | None) -> None:
    assert parse_deadline(text, TODAY) == deadline
    assert read(text).slots.deadline == deadline


# --- delivery modes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "modes"),
    [
        ("online only please", {DeliveryMode.ONLINE}),
        ("I prefer to study from home", {DeliveryMode.ONLINE}),
        ("in-person classes", {DeliveryMode.ONSITE}),
        ("on campus", {DeliveryMode.ONSITE}),
        ("hybrid or online", {DeliveryMode.BLENDED, DeliveryMode.ONLINE}),
        ("blended", {DeliveryMode.BLENDED}),
    ],
)
def test_delivery_modes(text: str, modes: set[DeliveryMode]) -> None:
    understood = read(text)
    assert understood.slots.delivery_modes == frozenset(modes)
    assert understood.intents == [Intent.SET_CONSTRAINTS]


# --- goals and comparisons ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "goal"),
    [
        ("I want to move into data analysis", "data analysis"),
        ("I want to become a nurse", "nurse"),
        ("become a nurse", "nurse"),
        ("I'd like to work as an electrician", "electrician"),
        ("I'm interested in becoming a web developer", "web developer"),
        ("My goal is to become a data analyst", "data analyst"),
        ("I want to switch to a career in cybersecurity", "cybersecurity"),
        ("I would love to work in cybersecurity", "cybersecurity"),
        ("Thinking of getting into software development roles", "software development"),
    ],
)
def test_goal_phrasings(text: str, goal: str) -> None:
    understood = read(text)
    assert understood.intents == [Intent.SET_GOAL]
    assert understood.slots.goal == goal


@pytest.mark.parametrize(
    ("text", "goal"),
    [("what about nursing instead?", "nursing"), ("how about becoming a welder instead?", "welder")],
)
def test_what_about_instead_is_a_comparison_that_switches_goal(text: str, goal: str) -> None:
    understood = read(text)
    assert understood.intents == [Intent.COMPARE, Intent.SET_GOAL]
    assert understood.slots.goal == goal
    assert understood.slots.compare == ()


@pytest.mark.parametrize(
    ("text", "goals"),
    [
        ("compare welder and electrician", ("welder", "electrician")),
        ("Compare nurse with data analyst", ("nurse", "data analyst")),
        ("compare welder, electrician and plumber", ("welder", "electrician", "plumber")),
        ("welder vs electrician?", ("welder", "electrician")),
    ],
)
def test_compare_lists_the_goals(text: str, goals: tuple[str, ...]) -> None:
    understood = read(text)
    assert understood.intents == [Intent.COMPARE]
    assert understood.slots.compare == goals
    assert understood.slots.goal is None


@pytest.mark.parametrize(
    ("raw", "goal"),
    [
        ("a data analyst, with my skills", "data analyst"),
        ("the nursing field", "nursing"),
        ("someone who keeps learning new things every single day", None),  # too long for a job title
        ("that", None),
        ("it", None),
    ],
)
def test_clean_goal(raw: str, goal: str | None) -> None:
    assert clean_goal(raw) == goal


def test_a_pronoun_is_not_a_goal() -> None:
    understood = read("I want to be that")
    assert Intent.SET_GOAL not in understood.intents
    assert understood.slots.goal is None


# --- skills and held credentials ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "skills"),
    [
        ("I already know SQL and Excel", "SQL and Excel"),
        ("I know Excel, SQL and statistics", "Excel, SQL and statistics"),
        ("I have experience with Tableau.", "Tableau"),
        ("I'm familiar with Python!", "Python"),
        ("add the skill project management", "project management"),
    ],
)
def test_skills_the_learner_has(text: str, skills: str) -> None:
    understood = read(text)
    assert understood.intents == [Intent.ADD_SKILLS]
    assert understood.slots.skills_text == skills


@pytest.mark.parametrize(
    ("text", "skills"),
    [("I don't know SQL", "SQL"), ("remove Excel and R", "Excel and R"), ("I lack Python", "Python")],
)
def test_skills_the_learner_lacks(text: str, skills: str) -> None:
    understood = read(text)
    assert understood.main is Intent.REMOVE_SKILLS
    assert understood.slots.skills_text == skills


def test_held_credential_by_id() -> None:
    understood = read("I already have the LPC-DA-101 certificate")
    assert understood.main is Intent.HELD_CREDENTIALS
    assert understood.slots.credential_ids == ("LPC-DA-101",)
    assert understood.slots.query is None


def test_held_credential_by_name_keeps_the_text_to_search() -> None:
    text = "I completed the Spreadsheet Analysis Essentials course"
    understood = read(text)
    assert understood.main is Intent.HELD_CREDENTIALS
    assert understood.slots.credential_ids == ()
    assert understood.slots.query == text


# --- references: "why that one?", "the second one", ids ----------------------------------------------


def test_why_that_one() -> None:
    understood = read("why that one?")
    assert understood.intents == [Intent.EXPLAIN]
    assert understood.slots.pronoun is True
    assert understood.slots.ordinal is None
    assert understood.slots.credential_ids == ()


@pytest.mark.parametrize(
    ("text", "ordinal"),
    [("the second one", 2), ("the 3rd one?", 3), ("the last one", -1), ("#2", 2), ("number 4", 4)],
)
def test_ordinal_references_ask_about_that_item(text: str, ordinal: int) -> None:
    understood = read(text)
    assert understood.intents == [Intent.EXPLAIN]
    assert understood.slots.ordinal == ordinal


def test_tell_me_about_the_first_one() -> None:
    understood = read("tell me more about the first one")
    assert understood.intents == [Intent.EXPLAIN]
    assert understood.slots.ordinal == 1


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("tell me about LPC-DA-110", ("LPC-DA-110",)),
        ("lpc-da-101?", ("LPC-DA-101",)),  # case-folded to the catalog's spelling
        ("LPC-DA-110 or LPC-CERT-DA, and LPC-DA-110 again", ("LPC-DA-110", "LPC-CERT-DA")),
        ("what is LPC-ZZ-999?", ()),  # not a known id
    ],
)
def test_credential_ids_are_the_known_ones_only(text: str, ids: tuple[str, ...]) -> None:
    understood = read(text)
    assert understood.slots.credential_ids == ids
    if ids:
        assert understood.main is Intent.EXPLAIN


# --- cheaper, faster, display intents ----------------------------------------------------------------


def test_something_cheaper() -> None:
    understood = read("something cheaper?")
    assert understood.intents == [Intent.CHEAPER]
    assert understood.slots.objective is RouteObjective.CHEAPEST
    assert understood.slots.budget is None


@pytest.mark.parametrize(
    "text",
    [
        "is the one that costs $650 worth it?",
        "data analysts earn $90k, right?",
        "the fee is $1,200 for that one?",
        "LPC-DA-101 is priced at $195",
        "I have 6 hours a week; is the one that costs $650 worth it?",
    ],
)
def test_prices_and_pay_mentioned_are_not_a_budget(text: str) -> None:
    assert parse_budget(text) == (None, None)
    assert read(text).slots.budget is None


def test_a_budget_named_next_to_a_price_still_counts() -> None:
    assert parse_budget("it costs more than my budget of $500") == (Decimal(500), "USD")
    assert parse_budget("that costs too much; I have $300") == (Decimal(300), "USD")


def test_too_expensive_with_a_figure_is_a_new_budget() -> None:
    understood = read("too expensive, my budget is $500")
    assert understood.intents == [Intent.SET_CONSTRAINTS]
    assert understood.slots.budget == Decimal(500)


def test_faster() -> None:
    understood = read("is there anything faster?")
    assert understood.main is Intent.FASTER
    assert understood.slots.objective is RouteObjective.FASTEST


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("show my gap", ["show-gap"]),
        ("what am I missing?", ["show-gap"]),
        ("what do you recommend?", ["recommend"]),
        ("show me the route", ["route"]),
        ("what can you do?", ["help"]),
        ("what do you know about me?", ["profile"]),
        ("which jobs fit me?", ["explore"]),
        ("do you have courses on SQL?", ["search-catalog", "recommend"]),
    ],
)
def test_display_intents(text: str, expected: list[str]) -> None:
    assert intents(text) == expected


def test_cheapest_route_keeps_the_objective() -> None:
    understood = read("show me the cheapest route")
    assert understood.intents == [Intent.ROUTE]
    assert understood.slots.objective is RouteObjective.CHEAPEST


@pytest.mark.parametrize(
    ("text", "objective"),
    [
        ("whats the cheapest way to do this", RouteObjective.CHEAPEST),
        ("quickest way to get there?", RouteObjective.FASTEST),
    ],
)
def test_a_route_asked_for_by_its_aim_is_a_route(text: str, objective: RouteObjective) -> None:
    """ "whats the cheapest way to do this" was answered "I am not sure what you mean"."""
    understood = read(text)
    assert understood.intents == [Intent.ROUTE]
    assert understood.slots.objective is objective


def test_search_query_is_the_topic() -> None:
    assert read("do you have courses on SQL?").slots.query == "SQL"
    assert read("any classes about project management?").slots.query == "project management"
    assert read("search for welding").slots.query == "welding"


# --- several things at once --------------------------------------------------------------------------


def test_goal_hours_and_budget_in_one_message() -> None:
    understood = read("I want to move into data analysis, I have 6 hours a week and $800")
    assert understood.intents == [Intent.SET_CONSTRAINTS, Intent.SET_GOAL]
    slots = understood.slots
    assert slots.goal == "data analysis"
    assert slots.hours_per_week == 6.0
    assert slots.budget == Decimal(800)
    assert slots.currency == "USD"
    assert slots.deadline is None
    assert understood.how == "rules"


def test_goal_deadline_and_budget_in_one_message() -> None:
    understood = read("I want to be a data analyst by June 2027 with $2k, online")
    assert understood.intents == [Intent.SET_CONSTRAINTS, Intent.SET_GOAL]
    assert understood.slots.goal == "data analyst"
    assert understood.slots.deadline == date(2027, 6, 30)
    assert understood.slots.budget == Decimal(2000)
    assert understood.slots.delivery_modes == frozenset({DeliveryMode.ONLINE})


def test_skills_and_hours_in_one_message() -> None:
    understood = read("I know SQL and I can do 5 hours a week")
    assert understood.intents == [Intent.SET_CONSTRAINTS, Intent.ADD_SKILLS]
    assert understood.slots.hours_per_week == 5.0
    assert understood.slots.skills_text == "SQL and I can do 5 hours a week"


# --- small talk --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("hi", Intent.GREET),
        ("Hello!", Intent.GREET),
        ("good morning", Intent.GREET),
        ("thanks", Intent.THANKS),
        ("Thank you so much", Intent.THANKS),
        ("bye", Intent.THANKS),
        ("start over", Intent.RESET),
        ("Reset", Intent.RESET),
        ("forget everything", Intent.RESET),
    ],
)
def test_small_talk(text: str, intent: Intent) -> None:
    assert read(text).intents == [intent]


def test_hi_inside_a_sentence_is_not_a_greeting() -> None:
    assert Intent.GREET not in read("hi, I want to become a nurse").intents
    assert read("hi, I want to become a nurse").slots.goal == "nurse"


# --- pasted documents --------------------------------------------------------------------------------


def test_a_pasted_resume_is_detected() -> None:
    text = RESUME.read_text(encoding="utf-8")
    assert looks_like_document(text) is Intent.PASTE_RESUME
    understood = read(text)
    assert understood.intents == [Intent.PASTE_RESUME]
    assert understood.how == "document"
    assert understood.slots.budget is None  # a document's figures are not limits


def test_a_pasted_job_posting_is_detected() -> None:
    posting = "\n".join(
        [
            "Junior Data Analyst — Columbus, OH",
            "About the role",
            "You will build dashboards for the sales team.",
            "Responsibilities",
            "- Write SQL queries and maintain reports",
            "Requirements",
            "- Experience with Excel and Tableau",
            "Nice to have: Python",
        ]
    )
    assert looks_like_document(posting) is Intent.PASTE_POSTING
    assert read(posting).intents == [Intent.PASTE_POSTING]


def test_short_messages_are_not_documents() -> None:
    assert looks_like_document("I know SQL\nand Excel\nand R") is None
    assert looks_like_document("Requirements? I want to become a nurse") is None


def test_one_long_line_is_a_document() -> None:
    assert looks_like_document("experience " * 70) is Intent.PASTE_RESUME


# --- unknown text, with and without the embedding classifier -----------------------------------------


@pytest.fixture(scope="module")
def classifier() -> IntentClassifier:
    return IntentClassifier(FakeEmbedder())


def test_unknown_without_a_classifier() -> None:
    understood = read("blorp zzz")
    assert understood.intents == [Intent.UNKNOWN]
    assert understood.how == "rules"
    assert understood.score is None


@pytest.mark.parametrize("text", ["qwerty asdf", "nursing", "cybersecurity please"])
def test_unknown_below_the_classifier_floor(classifier: IntentClassifier, text: str) -> None:
    understood = read(text, classifier)
    assert understood.intents == [Intent.UNKNOWN]
    assert understood.how == "embedding"
    assert understood.score is not None
    assert understood.score < classifier.threshold


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("surprise me with careers", Intent.EXPLORE),
        ("that's very helpful, thank you", Intent.THANKS),
        ("money is tight for me", Intent.SET_CONSTRAINTS),
        ("I cannot afford that", Intent.CHEAPER),
    ],
)
def test_the_classifier_catches_what_rules_miss(classifier: IntentClassifier, text: str, intent: Intent) -> None:
    assert read(text).intents == [Intent.UNKNOWN]  # no rule fires
    understood = read(text, classifier)
    assert understood.intents == [intent]
    assert understood.how == "embedding"
    assert understood.score == pytest.approx(1.0, abs=1e-5)  # an exemplar, word for word


def test_classified_skills_keep_the_whole_message(classifier: IntentClassifier) -> None:
    understood = read("I'm already good with spreadsheets", classifier)
    assert understood.intents == [Intent.ADD_SKILLS]
    assert understood.slots.skills_text == "I'm already good with spreadsheets"


def test_a_classified_goal_must_look_like_a_title() -> None:
    bank = {Intent.SET_GOAL: ("cybersecurity please", "data science please"), Intent.GREET: ("hello there",)}
    custom = IntentClassifier(FakeEmbedder(), exemplars=bank, threshold=0.9)
    understood = read("cybersecurity please", custom)
    assert understood.intents == [Intent.SET_GOAL]
    assert understood.slots.goal == "cybersecurity"
    assert read("qwerty asdf", custom).intents == [Intent.UNKNOWN]


def test_rules_win_over_the_classifier(classifier: IntentClassifier) -> None:
    understood = read("I want to become a nurse", classifier)
    assert understood.how == "rules"
    assert understood.intents == [Intent.SET_GOAL]


def test_the_classifier_embeds_its_exemplars_once() -> None:
    embedder = FakeEmbedder()
    classifier = IntentClassifier(embedder)
    assert len(embedder.calls) == 1
    classifier.classify("hello")
    classifier.classify("goodbye")
    assert embedder.calls[1:] == [1, 1]


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("SQL, Excel as well as Tableau", ["SQL", "Excel", "Tableau"]),
        ("python and statistics; R/SAS & SPSS plus git", ["python", "statistics", "R", "SAS", "SPSS", "git"]),
        ("project management", ["project management"]),
        (" , and ", []),
    ],
)
def test_split_terms_reads_a_typed_list_of_skills(text: str, terms: list[str]) -> None:
    assert split_terms(text) == terms


def test_the_registry_lists_each_intent_once_and_every_one_has_a_handler() -> None:
    listed = [spec.intent for spec in REGISTRY]
    assert sorted(listed) == sorted(Intent)
    assert len(set(listed)) == len(listed)
    assert set(HANDLERS) == {spec.intent for spec in REGISTRY if spec.shown is not Shown.NONE}


def test_several_intents_come_back_in_the_registrys_order() -> None:
    understood = read("thanks! I want to move into data analysis, what courses do you recommend? my budget is $800")
    order = [spec.intent for spec in REGISTRY]
    assert understood.intents == sorted(understood.intents, key=order.index)
    assert understood.intents[:2] == [Intent.SET_CONSTRAINTS, Intent.SET_GOAL]
    assert understood.view is Intent.RECOMMEND


@pytest.mark.parametrize(
    ("text", "goal"),
    [("i want to run a kitchen someday", "kitchen manager"), ("I'd like to manage a warehouse", "warehouse manager")],
)
def test_wanting_to_run_a_place_is_a_goal(text: str, goal: str) -> None:
    """The chat answered "i want to run a kitchen someday" with "I am not sure what you mean"."""
    understood = read(text)
    assert understood.intents == [Intent.SET_GOAL] and understood.slots.goal == goal


def test_running_the_numbers_is_not_a_goal() -> None:
    assert Intent.SET_GOAL not in read("i want to run the numbers first").intents
