"""Relevance to the goal: credentials made for the job come first and are never gated out; courses from
another field that share one skill with the job stay off the route (the real model on the demo catalog)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.core.advice import AdviceService, EmbedderSimilarity, OccupationTarget
from assistant.core.advice.relevance import (
    ADMIT,
    CROWD_RANK,
    ELECTIVE_ADMIT,
    FIELD_MARGIN,
    Crowd,
    GoalFit,
    ProfileCrowd,
    electives,
    goal_fit,
    made_for,
)
from assistant.core.catalog import Catalog
from assistant.core.models import Constraints, LearnerProfile, Occupation
from assistant.core.taxonomy import Taxonomy

DEMO = Path(__file__).resolve().parents[3] / "index" / "data" / "catalogs" / "demo" / "catalog.yaml"
#: enough hours a week for every scheduled course of the demo catalog (some need 15)
FULL_TIME = LearnerProfile(constraints=Constraints(hours_per_week=20))
WELDING_INSPECTOR = "http://data.europa.eu/esco/occupation/f7ddb68a-beba-4aa9-b5cb-d174d70ea724"


@pytest.fixture(scope="module")
def demo_catalog(taxonomy: Taxonomy) -> Catalog:
    from index.catalogs import load_catalog

    return load_catalog(DEMO, known_skill_uris=taxonomy.skills.keys())


@pytest.fixture(scope="module")
def torch_embedder() -> object:
    from assistant.adapters.search.embedding import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


@pytest.fixture(scope="module")
def service(taxonomy: Taxonomy, demo_catalog: Catalog, torch_embedder: object) -> AdviceService:
    return AdviceService(taxonomy, demo_catalog, similarity=EmbedderSimilarity(torch_embedder))  # type: ignore[arg-type]


def _occupation(taxonomy: Taxonomy, label: str) -> Occupation:
    return next(o for o in taxonomy.occupations.values() if o.preferred_label == label)


def test_made_for_comes_from_the_catalog_the_title_and_the_qualification_s_parts(
    taxonomy: Taxonomy, demo_catalog: Catalog
) -> None:
    credentials = list(demo_catalog)
    assert "LPC-WD-140" in made_for(_occupation(taxonomy, "welding inspector"), credentials)  # the catalog says so
    nurse_aide = made_for(_occupation(taxonomy, "nurse assistant"), credentials)
    assert {"LPC-CERT-NA", "LPC-PC-120", "LPC-PC-130"} <= nurse_aide  # the certificate and its parts
    assert not {"LPC-PH-101", "LPC-PH-130"} & nurse_aide  # pharmacy courses are another job's
    assert "LPC-AC-110" not in made_for(_occupation(taxonomy, "welder"), credentials)


def test_a_qualification_s_electives_are_not_made_for_the_job(taxonomy: Taxonomy, demo_catalog: Catalog) -> None:
    """The associate degree in business prepares an office manager; it requires four of its parts, and the
    accounting and marketing courses that also count toward it are another job's, so they are gated."""
    credentials = list(demo_catalog)
    office_manager = _occupation(taxonomy, "office manager")
    degree = demo_catalog.get("LPC-AAS-BUS")
    assert degree.stack_requirement is not None
    required = set(degree.stack_requirement.required_ids)
    made, optional = made_for(office_manager, credentials), electives(office_manager, credentials)
    assert "LPC-AAS-BUS" in made and required <= made
    assert {"LPC-AC-110", "LPC-MK-110"} <= optional and not optional & made
    assert "LPC-BU-120" in made  # Office Administration: its title names an office administrator, the job
    assert not electives(_occupation(taxonomy, "welding inspector"), credentials)  # LPC-WD-140 has no parts


def test_an_elective_is_admitted_at_a_lower_chance_and_by_the_hand_set_gate_always() -> None:
    """E and C read the same to the gate; E is an elective of the goal's qualification, so the catalog's word
    lets it in at a chance that would keep C out."""
    terms = {"fit": {"E": 0.5, "C": 0.5}, "topic": {"E": 0.4, "C": 0.4}, "share": {"E": 0.2, "C": 0.2}}
    crowd = {"crowd": {"E": 0.3, "C": 0.3}, "kin": {"E": 0.0, "C": 0.0}}
    fitted = GoalFit("office manager", electives=frozenset({"E"}), **terms, **crowd)
    assert fitted.score("E") == fitted.score("C") and ELECTIVE_ADMIT <= fitted.score("E") < ADMIT
    assert fitted.threshold_for("E") == ELECTIVE_ADMIT and fitted.threshold_for("C") == ADMIT
    assert fitted.relevant("E") and not fitted.relevant("C")
    assert f"< {ADMIT:.2f}: text fit 0.50" in fitted.why_not("C")
    hand_set = GoalFit("office manager", electives=frozenset({"E"}), **terms)
    assert hand_set.relevant("E") and not hand_set.relevant("C")  # as before the fitted gate: a part counts


def test_without_a_model_nothing_is_gated_out() -> None:
    fit = GoalFit("nurse")
    assert fit.relevant("ANY-1") and not fit.fit


def test_a_weak_fit_outside_the_field_is_not_relevant_unless_made_for_the_goal() -> None:
    fit = GoalFit(
        "data scientist",
        fit={"WT": 0.3, "DA": 0.5, "MADE": 0.1},
        goal_field="data-it",
        made_for=frozenset({"MADE"}),
        fields={"WT": "green", "DA": "data-it", "MADE": "green"},
        share={"WT": 0.2, "DA": 0.5},
        topic={"WT": 0.2, "DA": 0.4},
    )
    assert not fit.relevant("WT") and "far from data scientist" in fit.why_not("WT")  # 0.3 + 0.06 + 0.2
    assert "title fit to the job's essential skills 0.20" in fit.why_not("WT")
    assert fit.relevant("DA") and fit.relevant("MADE")  # 0.5 + 0.15 + 0.1 + 0.4; made for the goal


def test_the_crowd_is_each_text_s_tenth_closest_job_and_the_groups_of_the_closest() -> None:
    """Cosines to 12 job profiles along one axis: the tenth best of each text, whatever its order, and the ISCO
    groups of its ten closest jobs, closest first."""
    profiles = np.zeros((12, 2), dtype=np.float32)
    profiles[:, 0] = np.linspace(0.0, 1.0, 12)
    groups = [f"{7200 + i}" for i in range(12)]
    vectors = {"course": np.array([1.0, 0.0], dtype=np.float32), "other": np.array([0.0, 1.0], dtype=np.float32)}
    crowd = ProfileCrowd(lambda texts: np.stack([vectors[t] for t in texts]), profiles[::-1], groups[::-1])
    course, other = crowd.crowd(["course", "other"])
    assert course.tenth == pytest.approx(sorted(profiles[:, 0])[-CROWD_RANK]) and other.tenth == 0.0
    assert course.groups == tuple(f"{7200 + i}" for i in range(11, 1, -1))
    assert course.kin("7205") == 0.8 and course.kin("2511") == 0.0 and course.kin(None) == 0.0  # 7202–7209 of 10
    assert Crowd(0.4, ("7212", "7212", "2421", "")).kin("7214") == 0.5  # the minor group: three digits
    assert crowd.crowd([]) == []


def test_with_the_crowd_a_course_as_close_to_many_jobs_as_to_the_goal_is_not_relevant() -> None:
    """Project management fits a data scientist's text as well as a data-mining course does, but it fits
    ten other jobs as well: the fitted gate keeps it off the route (and says why), not the data course."""
    terms = {"fit": {"PM": 0.45, "DM": 0.45}, "topic": {"PM": 0.5, "DM": 0.45}, "share": {"PM": 0.3, "DM": 0.5}}
    fit = GoalFit("data scientist", goal_field="data-it", fields={"PM": "business", "DM": "data-it"}, **terms)
    assert fit.relevant("PM") and fit.relevant("DM")  # the hand-set sum cannot tell them apart
    crowded = GoalFit(
        "data scientist",
        goal_field="data-it",
        fields={"PM": "business", "DM": "data-it"},
        crowd={"PM": 0.44, "DM": 0.30},
        kin={"PM": 0.0, "DM": 0.5},
        **terms,
    )
    assert crowded.threshold_for("PM") == ADMIT
    assert not crowded.relevant("PM") and crowded.relevant("DM")
    assert "its 10th closest job 0.44, 0% of its closest jobs in the goal's ISCO group" in crowded.why_not("PM")


def test_a_crowd_missing_any_credential_falls_back_to_the_hand_set_gate() -> None:
    from tests.core.advice.tiny import credential

    courses = [credential(cid, [], cost=100, hours=10, weeks=2) for cid in ("A", "B")]
    job = Occupation(uri="http://data.europa.eu/esco/occupation/d", preferred_label="data scientist", isco_group="2511")
    similarity = _PairSimilarity({})
    a, b = Crowd(0.3, ("2511", "2512")), Crowd(0.2, ("7212", "2511"))
    assert goal_fit(job, courses, similarity, crowd={"A": a}).crowd == {}  # type: ignore[arg-type]
    fit = goal_fit(job, courses, similarity, crowd={"A": a, "B": b})  # type: ignore[arg-type]
    assert fit.crowd == {"A": 0.3, "B": 0.2} and fit.kin == {"A": 1.0, "B": 0.5}


class _PairSimilarity:
    """Cosines read from a table of (left, right) texts; anything else is 0."""

    def __init__(self, pairs: dict[tuple[str, str], float]) -> None:
        self.pairs = pairs

    def similarity(self, left: list[str], right: list[str]) -> list[list[float]]:
        return [[self.pairs.get((a, b), 0.0) for b in right] for a in left]


def test_a_course_s_topic_is_its_title_against_the_job_s_three_closest_essential_skills() -> None:
    """One essential skill named in a title (a project-management course for a data scientist) weighs a
    third of a title that names three of the job's skills."""
    from tests.core.advice.tiny import credential

    courses = [credential(cid, [], cost=100, hours=10, weeks=2) for cid in ("ONE", "THREE")]
    essential = ["statistics", "data mining", "programming", "project management"]
    pairs = {("project management", "Course ONE"): 0.9}
    pairs |= {(skill, "Course THREE"): v for skill, v in zip(essential, (0.9, 0.6, 0.3, 0.1), strict=True)}
    job = Occupation(uri="http://data.europa.eu/esco/occupation/d", preferred_label="data scientist", isco_group="2511")
    fit = goal_fit(job, courses, _PairSimilarity(pairs), essential=essential)  # type: ignore[arg-type]
    assert fit.topic["ONE"] == pytest.approx(0.3)
    assert fit.topic["THREE"] == pytest.approx(0.6)
    assert goal_fit(job, courses, _PairSimilarity(pairs)).topic == {}  # no essential skills: no topic


class _FixedSimilarity:
    """Cosines read from a table by the second text, so a field's lead over the next is set exactly."""

    def __init__(self, by_text: dict[str, float]) -> None:
        self.by_text = by_text

    def similarity(self, left: list[str], right: list[str]) -> list[list[float]]:
        return [[self.by_text.get(text.split(".")[0], 0.0) for text in right] for _ in left]


@pytest.mark.parametrize(("lead", "field"), [(FIELD_MARGIN / 2, None), (FIELD_MARGIN * 2, "business")])
def test_a_near_tie_between_two_fields_names_no_goal_field(lead: float, field: str | None) -> None:
    from tests.core.advice.tiny import credential

    courses = [
        credential(cid, [], cost=100, hours=10, weeks=2, field={"B": "business", "H": "health-care"}[area])
        for area in ("B", "H")
        for cid in (f"{area}1", f"{area}2", f"{area}3")
    ]  # three a field: the field's fit is the mean of its best three
    similarity = _FixedSimilarity({f"Course {c.id}": 0.4 + lead * c.id.startswith("B") for c in courses})
    fit = goal_fit(
        Occupation(
            uri="http://data.europa.eu/esco/occupation/hr", preferred_label="human resources officer", isco_group="2423"
        ),
        courses,
        similarity,  # type: ignore[arg-type]
    )
    assert fit.goal_field == field


def assert_every_qualification_offered(service: AdviceService, catalog: Catalog, taxonomy: Taxonomy) -> None:
    """For every certificate, diploma and degree (and LPC-WD-140), each job it prepares for (the catalog's
    ``prepares_for``) gets it recommended, on a route, or stacked toward by a route. Shared with the e2e
    suite, which runs it on the gate the product serves."""
    checked = 0
    for credential in catalog:
        for uri in credential.prepares_for:
            result = service.advise(FULL_TIME, OccupationTarget(uri=uri))
            offered = {r.credential_id for r in result.recommendations}
            offered |= {s.credential_id for r in result.routes for s in r.route.steps}
            offered |= {p.target_id for r in result.routes for p in r.route.stacks_toward}
            assert credential.id in offered, (credential.id, taxonomy.occupations[uri].preferred_label)
            checked += 1
    assert checked >= 27


def test_every_qualification_is_offered_to_the_jobs_it_prepares_for(
    taxonomy: Taxonomy, demo_catalog: Catalog, service: AdviceService
) -> None:
    assert_every_qualification_offered(service, demo_catalog, taxonomy)


def test_a_data_scientist_s_route_holds_no_wind_or_electrical_courses(service: AdviceService) -> None:
    result = service.advise(LearnerProfile(), OccupationTarget(title="data scientist"))
    planned = {s.credential_id for r in result.routes for s in r.route.steps}
    planned |= {r.credential_id for r in result.recommendations}
    assert planned and not {cid for cid in planned if cid.startswith(("LPC-WT-", "LPC-GR-", "LPC-PH-"))}
    for report in result.routes:
        for step in report.route.steps:
            assert step.why and (step.covers or step.unlocks)


def test_a_welding_inspector_is_offered_weld_inspection_first(service: AdviceService) -> None:
    result = service.advise(FULL_TIME, OccupationTarget(uri=WELDING_INSPECTOR))
    ids = [r.credential_id for r in result.recommendations]
    assert "LPC-WD-140" in ids
    first = next(r for r in result.recommendations if r.credential_id == "LPC-WD-140")
    assert any("made for" in reason for reason in first.reasons)


def test_the_view_names_what_was_left_out_and_why_in_plain_words(
    taxonomy: Taxonomy, demo_catalog: Catalog, service: AdviceService
) -> None:
    """A credential that teaches part of the gap but is far from the goal is named with why (the relevance
    figures stay in the JSON's ``excluded``), so a learner who expected it knows why it is missing."""
    from assistant.core.advice.view import advice_view

    result = service.advise(LearnerProfile(), OccupationTarget(title="data scientist"))
    view = advice_view(result, demo_catalog, taxonomy)
    far = {row.credential_id: row for row in view.left_out if row.reason.startswith("far from")}
    assert far, "the demo catalog has courses that teach part of a data scientist's gap but are far from it"
    for cid, row in far.items():
        assert "relevance" in result.excluded[cid].reason  # the figures are there for whoever wants them
        assert (
            row.reason == "far from data scientist (each teaches part of your gap, but most of it is about other work)"
        )
        assert row.title == demo_catalog.get(cid).title
    planned = {s.credential_id for r in result.routes for s in r.route.steps}
    assert not planned & {row.credential_id for row in view.left_out}
    assert all(r.startswith(("far from", "adds little")) for r in (row.reason for row in view.left_out))


def test_a_qualification_made_for_the_goal_but_out_of_reach_says_which_part_puts_it_there(
    taxonomy: Taxonomy, demo_catalog: Catalog, service: AdviceService
) -> None:
    """At 10 hours a week no route reaches the Certificate in Residential Electrical Construction: its required
    Residential Wiring I runs on a schedule of 11.2 hours a week. The learner is told so instead of nothing."""
    from assistant.core.advice.problem import Exclusion
    from assistant.core.advice.view import advice_view

    goal = OccupationTarget(title="domestic electrician")
    result = service.advise(LearnerProfile(constraints=Constraints(hours_per_week=10)), goal)
    why = result.excluded["LPC-CERT-ELEC"]
    assert why.kind is Exclusion.HOURS and why.made_for_goal
    assert why.reason.startswith("it requires Residential Wiring I (LPC-EL-110): runs on a fixed schedule")
    row = next(r for r in advice_view(result, demo_catalog, taxonomy).left_out if r.credential_id == "LPC-CERT-ELEC")
    assert row.reason.startswith("made for your goal but out of your limits (it requires Residential Wiring I")
    # a course made for the goal whose prerequisite is out of reach says the same, not "cannot be taken"
    testing = result.excluded["LPC-EL-120"]
    assert testing.kind is Exclusion.PREREQUISITES and testing.made_for_goal
    assert testing.reason.startswith("it requires Residential Wiring I (LPC-EL-110): runs on a fixed schedule")
    roomy = service.advise(FULL_TIME, goal)
    assert "LPC-CERT-ELEC" not in roomy.excluded
    assert "LPC-CERT-ELEC" in {p.target_id for r in roomy.routes for p in r.route.stacks_toward}


@pytest.mark.parametrize("goal", ["data scientist", "nurse responsible for general care", "electrician"])
def test_the_not_planned_note_names_every_kind_of_reason(service: AdviceService, goal: str) -> None:
    """ "Not planned: … 1 other" hid that a course covering part of the gap adds too little to plan."""
    from assistant.core.advice.problem import Exclusion

    prepared = service.prepare(LearnerProfile(), OccupationTarget(title=goal))
    (note,) = [n for n in prepared.notes if n.startswith("Not planned:")]
    assert " other" not in note and "outside your" not in note
    little = sum(why.kind is Exclusion.ADDS_LITTLE for why in prepared.problem.excluded.values())
    assert (f"{little} adding little to the gap" in note) == bool(little)


def test_a_route_names_the_credential_made_for_the_goal_first(
    taxonomy: Taxonomy, demo_catalog: Catalog, service: AdviceService
) -> None:
    """A nurse-assistant route earns credit toward several certificates; the chat named the first in catalog
    order ("toward the Certificate in Phlebotomy"), not the Certificate in Nursing Assistance."""
    from assistant.core.advice.view import advice_view

    result = service.advise(LearnerProfile(), OccupationTarget(title="nurse assistant"))
    uri = result.target.occupation_uri
    view = advice_view(result, demo_catalog, taxonomy)
    firsts = [route.stacks_toward[0].target_id for route in view.routes if route.stacks_toward]
    assert firsts and all(uri in demo_catalog.get(cid).prepares_for for cid in firsts)


def test_a_course_whose_title_names_the_job_is_recommended_though_no_listed_skill_is_a_core_one(
    taxonomy: Taxonomy, demo_catalog: Catalog, service: AdviceService
) -> None:
    """*Computerized Accounting Systems* names the accountant, but the taxonomy links none of its listed skills
    to the accountant's core gap: it is still recommended as made for the job (saying it counts toward none of
    the gap), never put on a route for coverage it does not give. A title naming the job while far from it
    (*Electric Cars: Introduction* for an electrician) is not: with no skill linked, the gate decides."""
    from tests.builders import credential

    result = service.advise(FULL_TIME, OccupationTarget(title="accountant"))
    rec = next(r for r in result.recommendations if r.credential_id == "LPC-AC-110")
    assert not rec.covers and rec.reasons[0].startswith("made for accountant")
    assert rec.reasons[1].startswith("its title names the job, but none of the skills it lists")
    assert "LPC-AC-110" not in {s.credential_id for r in result.routes for s in r.route.steps}
    cars = credential(
        "X-EV",
        title="Electric Cars: Introduction",
        learning_outcomes=["Explain how electric cars' batteries, motors and charging work, and the market for them"],
    )
    with_cars = Catalog(demo_catalog.institution, [*demo_catalog, cars])
    advice = AdviceService(taxonomy, with_cars, similarity=service.similarity)
    assert "X-EV" in advice.fit(_occupation(taxonomy, "electrician").uri).named
    electrician = advice.advise(FULL_TIME, OccupationTarget(title="electrician"))
    assert "X-EV" not in {r.credential_id for r in electrician.recommendations}
