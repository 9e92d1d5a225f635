"""Scripted conversations the way different learners really talk, with the product's promises asserted.

Each test is one learner (a persona) talking to the embedded engine from a fresh conversation: lower case,
typos, changes of mind, questions out of order, chatty asides, UK and US wording. The promises checked:

1. an unclear goal becomes a question with the jobs as buttons, and nothing changes until one is picked;
2. specific goals (even misspelt) resolve to their job;
3. the goal, skills, limits and held credentials change only when the learner says so, every change is
   stated in a closing ``_Changed:`` line, and "undo" puts the previous ones back;
4. "cheaper" / "faster" show options without touching the stated budget or hours;
5. a price said in passing is not a budget, a stated budget is;
6. a résumé pasted over a profile asks "replace or add?" first;
7. earnings, entry requirements, duration, cost and comparisons are answered from the data;
8. no reply shows "None", internal scores or impossible counts ("6 of 5");
9. every reply passes the guard.

Promises 3 (closing line), 8 and 9 are checked for every reply of every conversation, after the
conversation's own assertions (:meth:`Chat.keeps_promises`). A test the product fails is marked ``xfail``
(strict) with what it does instead; fix the product and the test starts passing, which fails the run
until the mark is removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from assistant.core.advice.profile import lexicon_for
from assistant.core.dialogue import Advisor, ConversationState, DialogueEngine, Guard, Reply, compose
from assistant.core.dialogue.changes import describe_changes
from assistant.core.models import RouteObjective

# --- the conversation helper ----------------------------------------------------------------------------

ROUTE_TOTAL = re.compile(r"[$£€][\d,]+(?:\.\d\d)?, (?:[\d.]+ hours over )?\d+ weeks")
WAGE_SOC = re.compile(r"\bSOC \d\d-\d{4}\b")
YEAR = re.compile(r"\b20\d\d\b")
ENTRY = re.compile(r"typical US entry education|O\*NET job zone \d")
COUNT = re.compile(r"(?<![\d.,])(\d+(?:\.\d+)?) of (\d+(?:\.\d+)?)(?![\d,])")
INTERNAL_SCORE = re.compile(r"gap weight|\bweight \d")


@dataclass
class Said:
    """One turn: what the learner typed, the state before and after, and the reply."""

    text: str
    before: ConversationState
    after: ConversationState
    reply: Reply

    @property
    def changes(self) -> list[str]:
        return describe_changes(self.before, self.after)


@dataclass
class Chat:
    """A conversation as the service runs it: each message streamed, the final event's state kept."""

    engine: DialogueEngine
    state: ConversationState = field(default_factory=ConversationState)
    turns: list[Said] = field(default_factory=list)

    def say(self, text: str) -> Reply:
        events = list(self.engine.stream(self.state, text))
        final = events[-1]
        assert final.kind == "reply" and final.reply is not None and final.state is not None
        self.turns.append(Said(text, self.state, final.state, final.reply))
        self.state = final.state
        return final.reply

    @property
    def last(self) -> Said:
        return self.turns[-1]

    @property
    def goal(self) -> str | None:
        return self.state.goal_label

    @property
    def budget(self) -> Decimal | None:
        return self.state.profile.constraints.budget

    @property
    def hours(self) -> float | None:
        return self.state.profile.constraints.hours_per_week

    @property
    def skills(self) -> set[str]:
        return {s.label for s in self.state.profile.skills}

    def broken_promises(self) -> list[str]:
        """Every reply's breaches of promises 3 (the closing line), 8 and 9, with the message that caused it."""
        broken = []
        for turn in self.turns:
            text, said = turn.reply.text, repr(turn.text[:60])
            if not turn.reply.guard.ok:
                broken.append(f"{said}: guard {turn.reply.guard.violations[:2]}")
            if "None" in text:
                broken.append(f"{said}: the reply shows 'None'")
            if INTERNAL_SCORE.search(text):
                broken.append(f"{said}: the reply shows an internal score")
            for done, total in COUNT.findall(text):
                if float(done) > float(total):
                    broken.append(f"{said}: impossible count '{done} of {total}'")
            changes = turn.changes
            closing = text.rstrip().splitlines()[-1] if text.strip() else ""
            if turn.reply.intent == "undo":
                # undoing is itself announced ("Undone: …"); the parametrized test below holds it to the
                # `_Changed:` line as well
                if changes and not text.startswith("Undone:"):
                    broken.append(f"{said}: undo changed {changes} without saying so")
            elif changes and not closing.startswith("_Changed:"):
                broken.append(f"{said}: changed {changes} without a closing _Changed: line")
            elif changes and not all(change in closing for change in changes):
                broken.append(f"{said}: the _Changed: line {closing!r} does not state all of {changes}")
            elif not changes and "_Changed:" in text:
                broken.append(f"{said}: claims a change that did not happen")
        return broken

    def keeps_promises(self) -> None:
        assert self.broken_promises() == []


def asked_which(chat: Chat, *options: str) -> Reply:
    """The last reply asked which job, with ``options`` among its buttons, and changed nothing."""
    turn = chat.last
    reply = turn.reply
    assert reply.suggestions, reply.text
    assert reply.suggestions == turn.after.goal_options
    for option in options:
        assert option in reply.suggestions, (option, reply.suggestions)
    for label in reply.suggestions:
        assert f"**{label}**" in reply.text
    assert turn.after.target == turn.before.target
    assert turn.changes == [] and "_Changed:" not in reply.text
    return reply


def changed(chat: Chat, *fragments: str) -> str:
    """The last reply ends with a `_Changed:` line naming ``fragments``; returns that line."""
    text = chat.last.reply.text.rstrip()
    closing = text.splitlines()[-1]
    assert closing.startswith("_Changed:"), text
    assert "undo" in closing
    for fragment in fragments:
        assert fragment in closing, (fragment, closing)
    return closing


def unchanged(chat: Chat) -> None:
    """The last turn changed nothing the learner said, and the reply claims no change."""
    turn = chat.last
    assert turn.changes == [], turn.changes
    assert turn.after.profile.constraints == turn.before.profile.constraints
    assert turn.after.target == turn.before.target
    assert "_Changed:" not in turn.reply.text


def is_wage(reply: Reply) -> None:
    assert reply.intent == "earnings", reply.text
    assert WAGE_SOC.search(reply.text) and "SOC " in reply.text, reply.text
    assert "BLS" in reply.text and YEAR.search(reply.text), reply.text


def is_entry(reply: Reply) -> None:
    assert reply.intent == "licence", reply.text
    assert ENTRY.search(reply.text), reply.text


def is_route(reply: Reply) -> None:
    assert ROUTE_TOTAL.search(reply.text), reply.text


RESUME = """MARIA GONZALEZ
Warehouse Team Lead, Northside Distribution (2019 to now)
- ran daily stock counts and wrote SQL queries for inventory reports
- built weekly dashboards in Excel for the site manager
- used statistics to forecast seasonal demand
- trained and scheduled a team of 8 pickers"""


@pytest.fixture
def chat(engine: DialogueEngine) -> Chat:
    return Chat(engine)


# --- 1. unclear goals become questions; buttons and ordinals pick ---------------------------------------


def test_warehouse_worker_who_wants_something_in_data(chat: Chat) -> None:
    chat.say("hiya")
    chat.say("so i do stock counts in a warehouse and i use excel literally every day")
    assert chat.state.target is None
    chat.say("honestly i'd like to do something in data, not sure what exactly")
    asked_which(chat, "data analyst")
    assert chat.state.target is None
    chat.say("data analyst")  # the button
    assert chat.goal == "data analyst"
    changed(chat, "goal data analyst (was none)")
    chat.say("i only get about 5 hrs a week after my shifts")
    assert chat.hours == 5
    changed(chat, "hours 5 h a week")
    is_wage(chat.say("and what would a data analyst earn roughly?"))
    unchanged(chat)
    chat.keeps_promises()


def test_career_changing_chef_picks_a_teaching_job_by_ordinal(chat: Chat) -> None:
    chat.say("Hi! I've been a head chef for twelve years and I'm completely burnt out.")
    unchanged(chat)
    chat.say("Thinking I might become a teacher?")
    asked_which(chat, "secondary school teacher", "vocational teacher")
    options = chat.state.goal_options
    chat.say("the second one")
    assert chat.goal == options[1]
    changed(chat, f"goal {options[1]} (was none)")
    is_entry(chat.say("do I need a degree?"))
    unchanged(chat)
    is_route(chat.say("and how long will it take"))
    unchanged(chat)
    chat.keeps_promises()


def test_nurse_aide_aiming_for_registered_nursing(chat: Chat) -> None:
    chat.say("hey, i'm a nurse aide at a care home, been there 3 yrs")
    chat.say("i want to become a registered nurse eventually")  # one reading: no question with one button
    assert chat.goal == "nurse responsible for general care"
    changed(chat, "goal nurse responsible for general care")
    reply = chat.say("do i need a license for that?")
    is_entry(reply)
    assert "(BLS)" in reply.text
    is_wage(chat.say("whats the salary like?"))
    is_route(chat.say("ok and how much will it cost"))
    unchanged(chat)
    chat.keeps_promises()


def test_healthcare_field_question_then_a_button(chat: Chat) -> None:
    chat.say("I'd like to work in healthcare but I've no idea what role")
    asked_which(chat, "pharmacy technician")
    chat.say("Pharmacy Technician")  # typed as on the button, other case
    assert chat.goal == "pharmacy technician"
    changed(chat, "goal pharmacy technician (was none)")
    is_wage(chat.say("does it pay well?"))
    chat.keeps_promises()


def test_office_worker_says_hr_and_takes_the_first_option(chat: Chat) -> None:
    chat.say("id like to work in HR")
    options = asked_which(chat, "human resources officer").suggestions
    chat.say("the first one please")
    assert chat.goal == options[0]
    changed(chat, f"goal {options[0]} (was none)")
    chat.say("undo")
    assert chat.state.target is None and chat.goal is None
    chat.keeps_promises()


def test_a_goal_question_keeps_the_goal_already_set(chat: Chat) -> None:
    chat.say("I want to be a data analyst")
    before = chat.state.target
    chat.say("hmm actually maybe I want to be a nurse instead")
    asked_which(chat, "nurse assistant")
    assert chat.state.target == before and chat.goal == "data analyst"
    is_wage(chat.say("wait, whats the salary on my current one again?"))  # the old goal still answers
    assert "data analyst" in chat.last.reply.text
    chat.say("nurse assistant")
    assert chat.goal == "nurse assistant"
    changed(chat, "goal nurse assistant (was data analyst)")
    chat.keeps_promises()


def test_learner_answers_the_welcome_with_a_bare_job_title(chat: Chat) -> None:
    chat.say("hi")
    chat.say("welding")
    assert chat.goal == "welder"
    changed(chat, "goal welder (was none)")
    chat.say("nurse")
    asked_which(chat, "nurse assistant")
    chat.keeps_promises()


def test_chef_names_another_job_at_the_question(chat: Chat) -> None:
    chat.say("thinking I might become a teacher?")
    asked_which(chat, "secondary school teacher")
    chat.say("nah, nurse")
    asked_which(chat, "nurse assistant")
    chat.say("nurse assistant")
    assert chat.goal == "nurse assistant"
    chat.keeps_promises()


def test_undecided_learner_names_two_jobs_at_once(chat: Chat) -> None:
    chat.say("hi, career changer here, 40 and a bit nervous lol")
    chat.say("i want to be a teacher or maybe a nurse, i can't decide")
    assert chat.last.reply.suggestions and chat.state.goal_options
    assert chat.state.target is None
    unchanged(chat)
    options = chat.state.goal_options
    chat.say("the first one")
    assert chat.goal == options[0]
    chat.keeps_promises()


# --- 2. specific goals resolve --------------------------------------------------------------------------


def test_hr_officer_misspells_project_management(chat: Chat) -> None:
    chat.say("Good morning. I'm an HR officer at a logistics firm, 6 years now.")
    unchanged(chat)
    chat.say("I'd love to move into project managment")
    assert chat.goal == "project manager"
    changed(chat, "goal project manager (was none)")
    chat.say("my budget is 1500 and I can manage 6 hours a week")
    assert chat.budget == Decimal(1500) and chat.hours == 6
    changed(chat, "budget $1,500", "hours 6 h a week")
    reply = chat.say("compare project manager and human resources manager")
    assert [row.target for row in reply.comparison] == ["project manager", "human resources manager"]
    unchanged(chat)
    is_wage(chat.say("what will I earn?"))
    chat.keeps_promises()


def test_shop_worker_hoping_to_be_a_pharmacy_tech(chat: Chat) -> None:
    chat.say("hoping to become a pharmacy tech, is that doable?")
    assert chat.goal == "pharmacy technician"
    changed(chat, "goal pharmacy technician (was none)")
    is_entry(chat.say("do i need a licence"))
    is_route(chat.say("how much will it cost"))
    unchanged(chat)
    chat.keeps_promises()


def test_retail_worker_wants_to_get_into_welding(chat: Chat) -> None:
    chat.say("been in retail 8 years and i'm sick of it")
    chat.say("i wanna get into welding")
    assert chat.goal == "welder"
    changed(chat, "goal welder (was none)")
    reply = chat.say("how long will it take")
    is_route(reply)
    unchanged(chat)
    reply = chat.say("faster?")
    assert reply.intent == "faster"
    unchanged(chat)
    chat.keeps_promises()


def test_student_who_types_with_typos_everywhere(chat: Chat) -> None:
    chat.say("helo")
    chat.say("i wnat to be a data anlyst")
    assert chat.goal == "data analyst"
    changed(chat, "goal data analyst")
    chat.say("i hav 5 hrs a wek")
    assert chat.hours == 5
    changed(chat, "hours 5 h a week")
    is_route(chat.say("how long wil it tak"))
    is_wage(chat.say("wats the salary"))
    reply = chat.say("is ther somthing cheaper")
    assert reply.intent == "cheaper"
    unchanged(chat)
    chat.keeps_promises()


def test_typo_in_the_cost_question(chat: Chat) -> None:
    chat.say("i want to be a bookeeper")
    assert chat.goal == "bookkeeper"
    chat.say("i hav about 6 hrs a wek")
    assert chat.hours == 6
    is_route(chat.say("how much wil it cost"))
    chat.keeps_promises()


def test_welder_settles_on_electrician_then(chat: Chat) -> None:
    chat.say("been welding ten years, my knees are done")
    chat.say("compare welder and electrician")
    chat.say("ok i'd like to be an electrician then")
    assert chat.goal == "electrician"
    changed(chat, "goal electrician (was none)")
    chat.keeps_promises()


# --- 3. changes only when said, stated, undoable ----------------------------------------------------------


def test_learner_who_changes_their_mind_twice(chat: Chat) -> None:
    chat.say("I want to be a data analyst")
    assert chat.goal == "data analyst"
    reply = chat.say("hmm, what about web developer instead?")
    assert chat.goal == "web developer"
    assert {row.target for row in reply.comparison} == {"data analyst", "web developer"}
    changed(chat, "goal web developer (was data analyst)")
    chat.say("no, honestly i'd rather be a data analyst")
    assert chat.goal == "data analyst"
    changed(chat, "goal data analyst (was web developer)")
    chat.say("undo")
    assert chat.goal == "web developer"
    assert chat.state.previous_goals  # it remembers the goals talked about
    chat.say("ok show me the plan then")
    assert "web developer" in chat.last.reply.text
    unchanged(chat)
    chat.keeps_promises()


def test_hobby_coder_adds_a_skill_takes_it_back_then_undoes(chat: Chat) -> None:
    chat.say("I want to become a software developer")
    chat.say("i also know python, been doing it for fun")
    assert "Python (computer programming)" in chat.skills
    changed(chat, "skills added: Python (computer programming)")
    chat.say("actually i don't know python, i just copied some scripts once")
    assert "Python (computer programming)" not in chat.skills
    changed(chat, "skills removed: Python (computer programming)")
    chat.say("undo")
    assert "Python (computer programming)" in chat.skills
    chat.keeps_promises()


def test_returning_student_says_which_certificate_they_hold(chat: Chat) -> None:
    chat.say("I'd like to be a data analyst")
    first = chat.state.view.recommendations[0].credential_id if chat.state.view else None
    assert first == "LPC-DA-101"
    chat.say("I already have the spreadsheet analysis essentials certificate from last year")
    assert "LPC-DA-101" in chat.state.profile.earned_credentials
    changed(chat, "held credentials added: LPC-DA-101")
    assert chat.state.view is not None
    assert "LPC-DA-101" not in {c.credential_id for c in chat.state.view.recommendations}
    chat.say("undo")
    assert "LPC-DA-101" not in chat.state.profile.earned_credentials
    chat.keeps_promises()


def test_chatty_learner_whose_asides_change_nothing(chat: Chat) -> None:
    chat.say("I'd love to work as a web developer")
    chat.say("lol sorry my cat just walked across the keyboard")
    unchanged(chat)
    chat.say("cool cool")
    unchanged(chat)
    chat.say("i can only do it online tbh, no commuting")
    changed(chat, "study mode online")
    chat.say("thanks, that's really helpful!")
    unchanged(chat)
    chat.keeps_promises()


def test_parent_returning_to_work_with_evenings_free(chat: Chat) -> None:
    chat.say("hi, I'm a mum going back to work after 5 years at home")
    chat.say("I want to be a bookkeeper")
    assert chat.goal == "bookkeeper"
    chat.say("i could do evenings, 2 hours a night once the kids are down")
    assert chat.hours == 10
    changed(chat, "hours 10 h a week")
    chat.say("and i need to finish by december")
    assert chat.state.profile.constraints.deadline is not None
    changed(chat, "deadline 2026-12-31")
    is_route(chat.say("how much will it cost"))
    chat.say("undo")
    assert chat.state.profile.constraints.deadline is None and chat.hours == 10
    chat.keeps_promises()


def test_hobby_coder_takes_a_skill_off_in_passing(chat: Chat) -> None:
    chat.say("I want to become a software developer")
    chat.say("i also know python")
    assert "Python (computer programming)" in chat.skills
    chat.say("wait actually i don't know python that well, take it off")
    assert "Python (computer programming)" not in chat.skills
    changed(chat, "skills removed: Python (computer programming)")
    chat.keeps_promises()


def test_parent_says_when_they_need_to_be_done(chat: Chat) -> None:
    chat.say("hi, I'm a mum going back to work after a few years at home")
    chat.say("I want to be a bookkeeper")
    chat.say("i need to be done by december")
    assert chat.state.profile.constraints.deadline is not None
    changed(chat, "deadline 2026-12-31 (was none)")
    chat.keeps_promises()


def test_hr_officer_undoes_a_budget(chat: Chat) -> None:
    chat.say("I'd like to move into project management")
    chat.say("my budget is 1500 and I can manage 6 hours a week")
    assert chat.budget == Decimal(1500)
    chat.say("undo")
    assert chat.budget is None and chat.hours is None
    assert chat.goal == "project manager"
    chat.keeps_promises()


def test_barista_undoes_skills_typed_by_mistake(chat: Chat) -> None:
    chat.say("hi! barista here, 4 years at a busy cafe")
    chat.say("i know customer service and excel")
    assert "customer service" in chat.skills
    chat.say("undo")
    assert chat.skills == set()
    chat.keeps_promises()


def test_self_taught_coder_lists_a_language_casually(chat: Chat) -> None:
    chat.say("i know sql and a bit of javascript")
    assert "SQL" in chat.skills
    changed(chat, "SQL")
    chat.say("I'd like to be a web developer")
    assert chat.goal == "web developer"
    is_route(chat.say("how long will it take"))
    chat.keeps_promises()


def test_curious_teen_asks_about_a_degree_without_choosing(chat: Chat) -> None:
    chat.say("hey so im 16 and trying to figure out what to do after school")
    reply = chat.say("do you need a degree to be a data analyst?")
    is_entry(reply)
    assert chat.state.target is None
    unchanged(chat)
    chat.say("ok thx")
    unchanged(chat)
    chat.keeps_promises()


# --- 4. cheaper / faster show options, limits stay ---------------------------------------------------------


def test_student_on_a_tight_budget_asks_for_cheaper_options(chat: Chat) -> None:
    chat.say("i want to be a data analyst")
    chat.say("budget is 1500")
    assert chat.budget == Decimal(1500)
    changed(chat, "budget $1,500 (was none)")
    limits = chat.state.profile.constraints
    reply = chat.say("something cheaper?")
    assert reply.intent == "cheaper"
    assert chat.state.profile.constraints == limits
    unchanged(chat)
    reply = chat.say("still too pricey for me tbh")
    assert reply.intent == "cheaper"
    assert chat.state.profile.constraints == limits
    unchanged(chat)
    chat.keeps_promises()


def test_busy_nurse_wants_it_faster_without_more_hours(chat: Chat) -> None:
    chat.say("want to become an RN")
    assert chat.goal == "nurse responsible for general care"
    chat.say("honestly I can put in 8 hours weekly, not more")
    assert chat.hours == 8
    limits = chat.state.profile.constraints
    reply = chat.say("faster?")
    assert reply.intent == "faster"
    is_route(reply)
    assert chat.state.profile.constraints == limits
    unchanged(chat)
    reply = chat.say("can i get there any quicker?")
    assert reply.intent == "faster"
    assert chat.hours == 8
    unchanged(chat)
    chat.keeps_promises()


# --- 5. prices in passing vs stated budgets ---------------------------------------------------------------


def test_price_checker_whose_prices_are_not_a_budget(chat: Chat) -> None:
    chat.say("I want to become a data analyst")
    chat.say("is the SQL course really $650?")
    assert chat.budget is None
    unchanged(chat)
    chat.say("my friend paid $12.99 for a course on udemy lol")
    assert chat.budget is None
    unchanged(chat)
    chat.say("ok well I can spend about $900")
    assert chat.budget == Decimal(900)
    changed(chat, "budget $900 (was none)")
    chat.keeps_promises()


def test_terse_learner_states_and_restates_a_budget(chat: Chat) -> None:
    chat.say("accountant")  # not asked yet: nothing happens
    chat.say("I want to be an accountant")
    assert chat.goal == "accountant"
    chat.say("budget is 1500")
    assert chat.budget == Decimal(1500)
    changed(chat, "budget $1,500 (was none)")
    chat.say("i have a budget of around 2k actually")
    assert chat.budget == Decimal(2000)
    changed(chat, "budget $2,000 (was $1,500)")
    chat.say("cheers")
    unchanged(chat)
    chat.keeps_promises()


def test_learner_lowers_a_budget_with_a_contraction(chat: Chat) -> None:
    chat.say("i want to be a data analyst")
    chat.say("I can spend about $900")
    assert chat.budget == Decimal(900)
    chat.say("ok so my budget's 700 now, not 900")
    assert chat.budget == Decimal(700)
    changed(chat, "budget $700 (was $900)")
    chat.keeps_promises()


def test_learner_gives_hours_and_a_maximum_in_one_breath(chat: Chat) -> None:
    chat.say("i'd like to be a web developer")
    chat.say("about 10 hours per week and 1200 dollars max")
    assert chat.hours == 10
    assert chat.budget == Decimal(1200)
    changed(chat, "hours 10 h a week", "budget $1,200")
    chat.say("cool thanks")
    unchanged(chat)
    chat.keeps_promises()


# --- 6. a résumé over a profile asks first -----------------------------------------------------------------


def test_warehouse_lead_pastes_a_resume_and_declines(chat: Chat) -> None:
    chat.say("i know customer service and excel")
    skills = chat.state.profile.skills
    reply = chat.say(RESUME)
    assert reply.suggestions == ("Replace my résumé", "Add to my profile", "Neither")
    assert "replace" in reply.text.lower() and "add" in reply.text.lower()
    assert chat.state.profile.skills == skills
    unchanged(chat)
    chat.say("Neither")
    assert chat.state.profile.skills == skills and chat.state.pending_resume is None
    unchanged(chat)
    chat.keeps_promises()


def test_warehouse_lead_replaces_the_resume(chat: Chat) -> None:
    chat.say("i know customer service and excel")
    skills = chat.state.profile.skills
    chat.say(RESUME)
    assert chat.state.profile.skills == skills
    unchanged(chat)
    chat.say("replace")
    assert "SQL" in chat.skills
    changed(chat, "SQL")
    chat.keeps_promises()


def test_warehouse_lead_adds_the_resume_with_the_button(chat: Chat) -> None:
    chat.say("i know customer service and excel")
    chat.say(RESUME)
    unchanged(chat)
    chat.say("Add to my profile")
    assert {"SQL", "customer service"} <= chat.skills
    changed(chat, "skills added", "SQL")
    chat.keeps_promises()


# --- 7. questions learners ask ------------------------------------------------------------------------------


def test_uk_learner_retraining_as_a_pharmacy_technician(chat: Chat) -> None:
    chat.say("Hiya, I'm from Leeds. I'd like to retrain as a pharmacy technician.")
    assert chat.goal == "pharmacy technician"
    changed(chat, "goal pharmacy technician (was none)")
    reply = chat.say("Do I need a licence for that over here?")
    is_entry(reply)
    assert "(BLS)" in reply.text
    is_wage(chat.say("What's the pay like?"))
    is_route(chat.say("How long will it take, roughly?"))
    chat.say("I can do about 4 hours a week around the school run")
    assert chat.hours == 4
    changed(chat, "hours 4 h a week")
    chat.say("Cheers!")
    unchanged(chat)
    chat.keeps_promises()


def test_uk_learner_with_a_budget_in_pounds(chat: Chat) -> None:
    chat.say("I'd like to retrain as a pharmacy technician")
    reply = chat.say("my budget is £800")
    # the catalog prices in USD and no exchange rate is invented: the amount is asked again, nothing changes
    assert "prices are in USD" in reply.text and chat.budget is None
    unchanged(chat)
    chat.say("ok about $1000 then, and I can do about 4 hours a week")
    assert chat.budget == Decimal(1000) and chat.state.profile.constraints.currency == "USD"
    is_route(chat.say("what's the total cost then"))
    chat.keeps_promises()


def test_army_veteran_asks_about_electrician_requirements(chat: Chat) -> None:
    chat.say("Served 6 years as a vehicle mechanic in the Army, getting out next spring.")
    chat.say("I want to become an electrician")
    assert chat.goal == "electrician"
    reply = chat.say("do i need a license?")
    is_entry(reply)
    assert "(BLS)" in reply.text
    is_wage(chat.say("is it in demand?"))
    is_route(chat.say("what will it cost me"))
    reply = chat.say("compare electrician and plumber")
    assert [row.target for row in reply.comparison] == ["electrician", "plumber"]
    unchanged(chat)
    chat.keeps_promises()


def test_experienced_welder_weighs_up_electrician(chat: Chat) -> None:
    chat.say("ive been welding 10 yrs, mig and tig, want something less hard on my back")
    chat.say("compare welder and electrician")
    assert chat.goal is None
    assert [row.target for row in chat.last.reply.comparison] == ["welder", "electrician"]
    unchanged(chat)
    chat.say("ok, i'd like to be an electrician")
    assert chat.goal == "electrician"
    changed(chat, "goal electrician (was none)")
    is_wage(chat.say("what does it pay"))
    chat.keeps_promises()


def test_question_asker_with_a_goal(chat: Chat) -> None:
    chat.say("i want to be a plumber")
    is_wage(chat.say("what will I earn?"))
    is_wage(chat.say("does it pay well"))
    is_entry(chat.say("do I need a degree?"))
    is_route(chat.say("how long will it take"))
    is_route(chat.say("how much will it cost"))
    assert chat.goal == "plumber" and chat.budget is None and chat.hours is None
    assert all(turn.changes == [] for turn in chat.turns[1:])
    chat.keeps_promises()


def test_care_worker_asks_about_pay_in_her_own_words(chat: Chat) -> None:
    chat.say("i want to be a nurse assistant")
    assert chat.goal == "nurse assistant"
    is_wage(chat.say("what would i make"))
    is_wage(chat.say("is it well paid?"))
    chat.keeps_promises()


def test_someone_who_only_asks_about_named_jobs(chat: Chat) -> None:
    reply = chat.say("what does a pharmacy technician earn?")
    is_wage(reply)
    assert "pharmacy technician" in reply.text
    unchanged(chat)
    chat.say("ok, i want to be a pharmacy technician")
    reply = chat.say("how much do welders make?")
    is_wage(reply)
    assert "welder" in reply.text and "pharmacy technician" not in reply.text
    unchanged(chat)
    chat.keeps_promises()


def test_learner_asks_the_difference_between_two_jobs(chat: Chat) -> None:
    chat.say("hello!")
    chat.say("i know sql")
    reply = chat.say("what's the difference between a data analyst and a web developer?")
    assert {row.target for row in reply.comparison} == {"data analyst", "web developer"}
    unchanged(chat)
    chat.keeps_promises()


def test_analyst_hopeful_asks_what_they_are_missing(chat: Chat) -> None:
    chat.say("I want to become a data analyst, I know SQL")
    reply = chat.say("so what am I missing?")
    assert reply.intent == "show-gap"
    unchanged(chat)
    reply = chat.say("right, and what do you recommend i start with")
    assert reply.intent == "recommend"
    unchanged(chat)
    chat.keeps_promises()


def test_hr_officer_asks_for_the_whole_project_management_plan(chat: Chat) -> None:
    chat.say("im an HR officer looking to move into project management")
    assert chat.goal == "project manager"
    is_wage(chat.say("what will I earn?"))
    is_route(chat.say("show me the plan"))
    chat.keeps_promises()


# --- the closing line, over many messages and starting points ---------------------------------------------

MESSAGES = (
    "hi there",
    "thanks a lot!",
    "lol my cat walked on the keyboard",
    "undo",
    "start over",
    "something cheaper?",
    "faster?",
    "too pricey tbh",
    "is the SQL course really $650?",
    "my friend paid $12.99 for a course",
    "I can spend about $900",
    "budget is 1500",
    "ok so my budget's 700 now, not 900",
    "about 10 hours per week and 1200 dollars max",
    "i can do 5 hrs a week",
    "i could do evenings, 2 hours a night",
    "online only please",
    "i need to be done by december",
    "i want to be a welder",
    "i wanna get into welding",
    "hoping to become a pharmacy tech",
    "i'd like to work in healthcare",
    "i want to be a teacher",
    "teacher",
    "the second one",
    "data analyst",
    "nurse assistant",
    "what about web developer instead?",
    "compare welder and electrician",
    "what will i earn",
    "does it pay well",
    "do i need a licence",
    "do I need a degree?",
    "how long will it take",
    "how much will it cost",
    "i also know python",
    "actually i don't know statistics",
    "I already have the spreadsheet analysis essentials certificate",
    "what's LPC-DA-110?",
    "tell me more about the first one",
    "what do you recommend",
    "show me the route",
    "do you have any courses on first aid",
    "which jobs fit me?",
    RESUME,
    "replace",
    "add",
)


def _ids(text: str) -> str:
    return re.sub(r"\W+", "-", text.splitlines()[0][:32].lower()).strip("-")


@pytest.fixture(scope="module")
def starts(advisor: Advisor) -> dict[str, ConversationState]:
    """A fresh chat; a planned one (skills, goal, limits); one waiting on "which teacher?"."""
    engine = DialogueEngine(advisor, Guard(advisor.catalog, lexicon_for(advisor.taxonomy), advisor.taxonomy))
    planned = ConversationState()
    for text in ("i know sql and statistics", "i want to be a data analyst", "budget is 2000, 8 hours a week"):
        planned, _ = engine.respond(planned, text)
    asked, _ = engine.respond(planned, "actually i want to be a teacher instead")
    assert planned.view is not None and asked.goal_options
    return {"fresh": ConversationState(), "planned": planned, "asked": asked}


XFAIL: dict[tuple[str, str], pytest.MarkDecorator] = {}


@pytest.mark.parametrize(
    ("start", "text"),
    [
        pytest.param(start, text, id=f"{start}-{_ids(text)}")
        for start in ("fresh", "planned", "asked")
        for text in MESSAGES
    ],
)
def test_a_change_is_stated_exactly_when_one_is_made(
    engine: DialogueEngine, starts: dict[str, ConversationState], start: str, text: str
) -> None:
    before = starts[start]
    final = list(engine.stream(before, text))[-1]
    assert final.reply is not None and final.state is not None
    changes = describe_changes(before, final.state)
    if changes and final.reply.intent == "undo":  # "undo" says what it put back: "Undone: budget $800 (was …)"
        assert final.reply.text.startswith("Undone: "), final.reply.text
    elif changes:
        assert "_Changed:" in final.reply.text, (changes, final.reply.text)
        assert final.reply.text.rstrip().splitlines()[-1].startswith("_Changed:")
    else:
        assert "_Changed:" not in final.reply.text, final.reply.text


def test_parent_asks_for_their_son_without_losing_their_own_goal(chat: Chat) -> None:
    chat.say("I want to become a bookkeeper")
    assert chat.goal == "bookkeeper"
    reply = chat.say("my son wants to be an electrician, can you help him too?")
    assert "someone else's goal" in reply.text
    assert chat.goal == "bookkeeper"
    unchanged(chat)
    chat.keeps_promises()


def test_asking_why_about_an_offered_job_does_not_pick_it(chat: Chat) -> None:
    """Seen in the page: "why the second one?" after the jobs of a field were offered set the goal to the second
    job ("Changed: goal stevedore"). A question about an option is not a choice; the goal stays unset."""
    chat.say("Thinking I might become a teacher?")
    options = asked_which(chat, "secondary school teacher").suggestions
    reply = chat.say("why the second one?")
    assert chat.state.target is None and chat.goal is None
    unchanged(chat)
    assert options[1] in reply.text and "not changed" in reply.text
    chat.say("the second one")
    assert chat.goal == options[1]
    chat.keeps_promises()


def test_fewer_hours_say_which_steps_left_the_plan_and_why(chat: Chat) -> None:
    """Seen in the page: at 5 hours a week a nurse assistant's four-course plan became one course and the chat
    gave only the new plan; the reasons were in the collapsed notes."""
    chat.say("I want to become a nurse assistant")
    chat.say("I have 20 hours a week")
    assert chat.state.view is not None
    before = compose.best_route(chat.state.view, RouteObjective.MOST_COVERAGE)
    reply = chat.say("actually only 3 hours a week")
    assert chat.hours == 3
    after = compose.best_route(chat.state.view, RouteObjective.MOST_COVERAGE) if chat.state.view else None
    kept = {s.credential_id for s in after.steps} if after else set()
    gone = [s for s in (before.steps if before else ()) if s.credential_id not in kept]
    assert gone, "the nurse-assistant courses on fixed schedules need more than 3 hours a week"
    assert f"No longer planned: **{gone[0].title}**" in reply.text
    assert "Across the catalog, not planned now: " in reply.text and "need more hours a week" in reply.text
    chat.keeps_promises()
