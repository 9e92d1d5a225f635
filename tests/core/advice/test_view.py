"""What the advice view says when the US figures for a goal are missing."""

from __future__ import annotations

from assistant.core.advice.view import us_data_note
from assistant.core.catalog import Catalog
from assistant.core.taxonomy import Taxonomy


def _uri(taxonomy: Taxonomy, label: str) -> str:
    return next(o.uri for o in taxonomy.occupations.values() if o.preferred_label == label)


def test_known_us_figures_need_no_note(taxonomy: Taxonomy) -> None:
    assert us_data_note(taxonomy, _uri(taxonomy, "data scientist"), wage=True, outlook=True) == ""


def test_a_job_with_no_onet_match_says_so(taxonomy: Taxonomy) -> None:
    """The page showed "US median wage –" with no reason; the reason is that no O*NET occupation maps to it."""
    uri = next(o.uri for o in taxonomy.occupations.values() if not o.onet_codes)
    assert us_data_note(taxonomy, uri, wage=False, outlook=False).startswith("No O*NET occupation maps to this")


def test_a_missing_bls_figure_names_the_code_and_what_is_missing(taxonomy: Taxonomy) -> None:
    uri = next(o.uri for o in taxonomy.occupations.values() if o.onet_codes)
    code = taxonomy.occupations[uri].onet_codes[0]
    note = us_data_note(taxonomy, uri, wage=True, outlook=False)
    codes = ", ".join(taxonomy.occupations[uri].onet_codes[:2])
    assert note == f"BLS publishes no 2020–30 projection for O*NET {codes} or its broad group."
    assert code in note and "median pay" not in note
    assert "median pay or 2020–30 projection" in us_data_note(taxonomy, uri, wage=False, outlook=False)
    assert us_data_note(taxonomy, None, wage=False, outlook=False).startswith("US pay and outlook figures need")


def test_a_card_says_what_it_earns_toward_a_bigger_credential(tiny_taxonomy: Taxonomy, tiny_catalog: Catalog) -> None:
    """Cards showed ECTS while stacking counted credit-hours; each card now says the credit it earns, in its unit."""
    from assistant.core.advice import AdviceService, OccupationTarget
    from assistant.core.advice.view import advice_view
    from assistant.core.models import LearnerProfile
    from tests.core.advice.tiny import DA

    result = AdviceService(tiny_taxonomy, tiny_catalog).advise(LearnerProfile(), OccupationTarget(uri=DA))
    cards = {card.credential_id: card for card in advice_view(result, tiny_catalog, tiny_taxonomy).recommendations}
    stacking = [card for cid, card in cards.items() if tiny_catalog.get(cid).stacks_into]
    assert stacking
    for card in stacking:
        (rule,) = tiny_catalog.get(card.credential_id).stacks_into
        unit = "credit-hour" if rule.credit == 1 else "credit-hours"
        assert [ref.label for ref in card.stacks_into] == [f"Course CERT ({rule.credit:g} {unit})"]


def _nothing(taxonomy: Taxonomy, catalog: Catalog, **limits: object) -> str:
    from assistant.core.advice import AdviceService, OccupationTarget
    from assistant.core.advice.view import advice_view
    from assistant.core.models import Constraints, LearnerProfile
    from tests.core.advice.tiny import DA

    profile = LearnerProfile(constraints=Constraints.model_validate(limits))
    result = AdviceService(taxonomy, catalog).advise(profile, OccupationTarget(uri=DA))
    view = advice_view(result, catalog, taxonomy)
    assert bool(view.recommendations) != bool(view.nothing_planned)
    return view.nothing_planned


def test_nothing_recommended_says_whether_the_catalog_or_the_limits_are_why(
    tiny_taxonomy: Taxonomy, tiny_catalog: Catalog
) -> None:
    """A line cook was told "Try a larger budget, more hours a week…" when the catalog taught no cooking at
    all; a larger budget would have changed nothing."""
    assert _nothing(tiny_taxonomy, tiny_catalog) == ""
    assert "none fits your limits: a larger budget" in _nothing(tiny_taxonomy, tiny_catalog, budget=10)
    welding_only = Catalog(tiny_catalog.institution, [tiny_catalog.get("C-160")])  # teaches no data skill
    assert _nothing(tiny_taxonomy, welding_only, budget=10).startswith(
        "Nothing in this catalog teaches the core skills of"
    )
    assert "would not change that" in _nothing(tiny_taxonomy, welding_only)


def test_the_first_reply_after_a_goal_says_why_nothing_is_recommended(
    tiny_taxonomy: Taxonomy, tiny_catalog: Catalog
) -> None:
    """A line cook who set "head chef" was told the gap and then nothing: the first reply left out why no
    step was offered (the Credentials tab and "show me the route" said it)."""
    from assistant.core.advice import AdviceService, OccupationTarget
    from assistant.core.advice.view import advice_view
    from assistant.core.dialogue.compose import overview
    from assistant.core.models import LearnerProfile
    from tests.core.advice.tiny import DA

    welding_only = Catalog(tiny_catalog.institution, [tiny_catalog.get("C-160")])
    result = AdviceService(tiny_taxonomy, welding_only).advise(LearnerProfile(), OccupationTarget(uri=DA))
    view = advice_view(result, welding_only, tiny_taxonomy)
    assert view.nothing_planned and view.nothing_planned in overview(view)
    assert "My first recommendation" not in overview(view)
