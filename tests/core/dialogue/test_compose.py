"""Replies about a pasted résumé say what it brought, not the whole profile again."""

from __future__ import annotations

from assistant.core.dialogue.compose import resume_added_text
from assistant.core.models import HeldSkill, LearnerProfile


def _skill(n: int) -> HeldSkill:
    return HeldSkill(skill_uri=f"http://data.europa.eu/esco/skill/{n}", label=f"skill {n}", confidence=0.9)


def test_adding_a_resume_counts_only_what_it_added() -> None:
    before = LearnerProfile(skills=(_skill(1), _skill(2)))
    after = LearnerProfile(skills=(_skill(1), _skill(2), _skill(3)), unconfirmed=(_skill(4), _skill(5)))
    text = resume_added_text(before, after)
    assert text.startswith("From the pasted résumé I added 1 skill I am confident about and 2 more skills")
    assert "earlier résumé's skills stay" in text


def test_adding_a_resume_that_brings_nothing_says_so() -> None:
    profile = LearnerProfile(skills=(_skill(1),))
    assert "nothing your profile does not already hold" in resume_added_text(profile, profile)


def test_a_skill_the_first_resume_only_suggested_is_listed_once_when_the_second_shows_it(
    small_taxonomy: object, small_catalog: object
) -> None:
    """Adding a résumé that shows a skill the first one only suggested moves it up, never lists it twice
    (the page keyed its buttons by skill and failed on the duplicate)."""
    from assistant.core.advice import AdviceService
    from assistant.core.dialogue.advisor import Advisor
    from assistant.core.dialogue.state import ConversationState

    english, cooking = _skill(7), _skill(8)
    read = LearnerProfile(skills=(english, cooking))
    advisor = Advisor(AdviceService(small_taxonomy, small_catalog), read_resume=lambda _text: read)  # type: ignore[arg-type]
    state = ConversationState(profile=LearnerProfile(skills=(_skill(1),), unconfirmed=(english,)))
    after = advisor.load_resume(state, "a second résumé", add=True).profile
    uris = [s.skill_uri for s in (*after.skills, *after.unconfirmed)]
    assert len(uris) == len(set(uris)) and english.skill_uri in after.skill_uris
    assert "From the pasted résumé I added 2 skills" in resume_added_text(state.profile, after)


def test_a_credential_that_states_no_price_or_workload_is_described_as_such() -> None:
    """An onboarded course's unknowns read as unknowns in a reply, never as $0 or "None"."""
    from assistant.core.dialogue.compose import explain_text, price_of
    from tests.builders import credential

    unknown = credential(
        "X-1", cost=None, workload_hours=None, eqf_level=None, delivery_mode=None, learning_outcomes=[]
    )
    assert price_of(unknown) == "price not stated" and price_of(credential("X-2")) == "$100"
    text = explain_text(unknown, None, {})
    assert "price not stated, workload not stated" in text and "EQF level not stated, delivery not stated" in text
    assert "learning outcomes are not stated" in text and "You will learn: ." not in text
    assert "None" not in text and "$0" not in text


def test_an_explanation_names_prerequisites_and_destinations_by_title() -> None:
    """A reply said "Prerequisites: LPC-MO-110." and "You will learn: … .; …": codes alone, doubled stops."""
    from assistant.core.dialogue.compose import explain_text
    from tests.builders import credential

    course = credential(
        "X-2",
        prerequisites=[{"credential_ids": ["X-1"]}],
        stacks_into=[{"target_id": "CERT-X", "credit": 3, "credit_unit": "credit-hour"}],
        learning_outcomes=["Read a chart.", "Write a query;"],
    )
    text = explain_text(course, None, {"X-1": "Charts for Beginners", "CERT-X": "Certificate in Charts"})
    assert "Prerequisites: Charts for Beginners (X-1)." in text
    assert "It stacks into Certificate in Charts (CERT-X)" in text
    assert "You will learn: Read a chart; Write a query." in text
    assert "Prerequisites: X-1 (X-1)" not in explain_text(course, None, {}) and "Prerequisites: X-1." in explain_text(
        course, None, {}
    )


def test_why_that_one_lists_each_skill_once_and_ends_its_list_before_the_details() -> None:
    """The page ran "You will learn: …" into the last bullet (no blank line after the list), and the card's
    "covers 3 gap skills: …" repeated the three skills listed just above it."""
    from assistant.core.dialogue.compose import explain_text
    from tests.builders import credential
    from tests.core.advice.test_brief import _card, _view

    course = credential("X-2", learning_outcomes=["Read a chart"])
    card = _card(
        "X-2",
        covers=("use spreadsheets", "read charts"),
        reasons=("covers 2 gap skills: use spreadsheets, read charts", "online, $100"),
    )
    text = explain_text(course, _view(recommendations=(card,)), {})
    assert text.count("read charts") == 1 and "covers 2 gap skills" not in text
    assert "- online, $100\n\nYou will learn: Read a chart." in text


def test_a_route_summary_names_what_it_stacks_toward() -> None:
    """ "1.5 of 5 credit-hours toward LPC-CERT-TA" named the certificate by its code alone."""
    from decimal import Decimal

    from assistant.core.advice.view import RouteView, StackView
    from assistant.core.dialogue.compose import route_summary

    stack = StackView(
        target_id="LPC-CERT-TA", title="Certificate in Teaching Assistance", credit_earned=1.5, credit_required=5,
        credit_unit="credit-hour", complete=False,
    )  # fmt: skip
    route = RouteView(
        objective="cheapest", steps=(), total_cost=Decimal(320), currency="USD", total_hours=69, total_ects=0,
        weeks=9, coverage=0.4, stacks_toward=(stack,),
    )  # fmt: skip
    assert route_summary(route).endswith(
        "1.5 of 5 credit-hours toward the Certificate in Teaching Assistance (LPC-CERT-TA)."
    )
    assert route_summary(route).startswith("The cheapest route: ")  # not "Route (cheapest)"
    most = route.model_copy(update={"objective": "most-coverage"})
    assert route_summary(most).startswith("The route that covers the most of your gap: ")


def test_the_list_numbers_the_picks_and_puts_a_prerequisite_under_what_it_unlocks() -> None:
    """ "The second one" counts what the list numbers: the picks; a prerequisite there only to unlock a pick is
    a "take first" line under it, and the first recommendation leads with the pick, not its prerequisite."""
    from assistant.core.dialogue import compose
    from tests.core.advice.test_brief import picked_view

    view = picked_view()
    chat = compose.recommendations_text(view).splitlines()
    assert chat[1].startswith("1. **C-3 — ") and chat[3].startswith("2. **C-1 — ")
    assert chat[2].startswith("    - take first, its prerequisite: **C-2 — ")
    first = compose.first_recommendation(view)
    assert first.startswith("My first recommendation: **C-3 — ") and ", after its prerequisite **C-2 — " in first


def test_a_pick_made_for_the_goal_that_covers_no_gap_skill_says_so_in_the_list() -> None:
    from assistant.core.dialogue import compose
    from tests.core.advice.test_brief import _card, _view

    named = _card("C-9", reasons=("made for data analyst: offered before courses that cover parts of the gap", "x"))
    text = compose.recommendations_text(_view(recommendations=(named, _card("C-1", ("SQL",)))))
    assert "1. **C-9 — Course C-9** " in text
    assert text.splitlines()[1].endswith("— made for data analyst, though none of its listed skills is in your gap")
    assert text.splitlines()[2].endswith("— covers SQL")


def test_the_route_names_the_qualification_for_the_goal_and_counts_the_others() -> None:
    """Seen in the page: a nurse assistant's one-course route listed credit toward four certificates, and notes
    on what the phlebotomy and medical-office ones still require. The one for the goal is named; the rest
    are counted."""
    from decimal import Decimal

    from assistant.core.advice.view import RouteStepView, RouteView, StackView
    from assistant.core.dialogue import compose
    from assistant.core.models import RouteObjective
    from tests.core.advice.test_brief import _view

    def stack(cid: str, made: bool = False) -> StackView:
        return StackView(
            target_id=cid, title=f"Certificate {cid}", credit_earned=0.5, credit_required=6,
            credit_unit="credit-hours", complete=False, made_for_goal=made,
        )  # fmt: skip

    route = RouteView(
        objective="most-coverage",
        steps=(RouteStepView(credential_id="C-1", title="Course C-1", start_week=1, end_week=6, cost=Decimal(190)),),
        total_cost=Decimal(190), currency="USD", total_hours=30, total_ects=0, weeks=6, coverage=0.11,
        stacks_toward=(stack("CERT-NA", made=True), stack("CERT-PHL"), stack("CERT-MOA")),
        notes=("Stacks toward Certificate CERT-PHL (CERT-PHL): 0.5 of 6; still requires X.", "Other note."),
    )  # fmt: skip
    text = compose.route_text(_view(routes=(route,)), RouteObjective.MOST_COVERAGE)
    assert "toward **CERT-NA — Certificate CERT-NA**" in text and "CERT-PHL" not in text and "CERT-MOA" not in text
    assert "It also earns credit toward 2 other qualifications (shown with the route)." in text
    assert "Note: Other note." in text


def test_the_route_header_is_in_a_learner_s_words() -> None:
    from decimal import Decimal

    from assistant.core.advice.view import RouteStepView, RouteView
    from assistant.core.dialogue import compose
    from assistant.core.models import RouteObjective
    from tests.core.advice.test_brief import _view

    step = RouteStepView(credential_id="C-1", title="Course C-1", start_week=1, end_week=6, cost=Decimal(190))
    route = RouteView(
        objective="most-coverage", steps=(step,), total_cost=Decimal(190), currency="USD", total_hours=30,
        total_ects=0, weeks=6, coverage=0.11, optimal=True,
    )  # fmt: skip
    text = compose.route_text(_view(routes=(route,)), RouteObjective.MOST_COVERAGE)
    assert text.startswith(
        "The route that covers the most of your gap toward **data analyst** (no route within your limits does better):"
    )
    assert "optimal" not in text and "most-coverage" not in text
