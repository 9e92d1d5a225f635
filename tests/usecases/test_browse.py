"""Browsing without a learner: what each catalog filter hides, and the credentials that build toward an occupation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pytest

from assistant.bootstrap import Stackwise
from assistant.core.advice import AdviceService
from assistant.core.errors import NotFoundError
from assistant.core.taxonomy import Taxonomy
from assistant.usecases.browse import Browse, CatalogQuery
from tests.builders import lexical_root


@pytest.fixture(scope="module")
def root(taxonomy: Taxonomy) -> Stackwise:
    return lexical_root(taxonomy)


def _uri(browse: Browse, title: str) -> str:
    return browse.occupations(title, 1)[0].occupation.uri


class BlueprintOnly:
    """Similarity that finds only the blueprint-reading course close to a goal: its text and its title (both
    start with "Blueprint") against the goal's text and its essential skills; ESCO's lower-case skill labels
    are never close to each other."""

    def similarity(self, left: Sequence[str], right: Sequence[str]) -> np.ndarray:
        return np.array([[0.6 if b.startswith("Blueprint") else 0.0 for b in right] for _ in left], dtype=np.float32)


def test_each_filter_says_how_many_credentials_it_alone_hides(root: Stackwise) -> None:
    browse = root.browse
    catalog = list(browse.catalog)
    over = [c for c in catalog if c.cost is None or float(c.cost.amount) > 2000]
    assert over, "the demo catalog has credentials over $2,000"
    assert browse.hidden_by(CatalogQuery()) == {}
    assert browse.hidden_by(CatalogQuery(max_cost=2000)) == {"max_cost": len(over)}
    both = CatalogQuery(field="data-it", max_cost=2000)
    shown = browse.credentials(both)
    data = [c for c in catalog if c.field == "data-it"]
    cheap = [c for c in catalog if c not in over]
    # hidden by one filter alone: clearing it would list them; one failing both filters counts for neither
    assert browse.hidden_by(both) == {"field": len(cheap) - len(shown), "max_cost": len(data) - len(shown)}


def test_an_occupation_lists_what_is_made_for_it_then_what_teaches_its_core_skills(root: Stackwise) -> None:
    found = root.browse.toward(_uri(root.browse, "welder"))
    ids = [row.credential.id for row in found.credentials]
    assert {"LPC-WD-110", "LPC-TR-101", "LPC-CERT-WELD"} <= set(ids)  # made for welding, the certificate too
    made = [row.made_for for row in found.credentials]
    assert made == sorted(made, reverse=True) and any(made) and not all(made)  # made for the job first
    assert all(row.made_for or row.teaches for row in found.credentials)
    shares = [row.share for row in found.credentials if row.made_for]
    assert shares == sorted(shares, reverse=True)
    wd110 = next(row for row in found.credentials if row.credential.id == "LPC-WD-110")
    assert wd110.teaches and 0 < wd110.share <= 1
    assert found.core_skills >= len(wd110.teaches)
    assert found.advice.routes and all(route.steps for route in found.advice.routes)
    assert {s.credential_id for r in found.advice.routes for s in r.steps} <= set(ids)
    assert root.browse.toward(_uri(root.browse, "welder")) is found  # worked out once


def test_routes_from_scratch_leave_no_course_out_for_its_timetable(root: Stackwise) -> None:
    """At the advice's default of 10 hours a week, 30 demo courses that meet for more were left out."""
    found = root.browse.toward(_uri(root.browse, "data analyst"))
    assert found.hours_per_week == root.browse.open_hours() > 10
    assert not [note for note in found.advice.notes if "more hours a week" in note]
    da210 = next(row for row in found.credentials if row.credential.id == "LPC-DA-210")  # meets 11.2 h a week
    assert da210.teaches and da210.share > 0


def test_credentials_far_from_the_job_are_gated_out_as_the_advice_gates_them(root: Stackwise) -> None:
    """The relevance gate of the advice decides, not a second rule: with a similarity that finds only the
    blueprint course close to a welder, the machining courses that teach some of its core skills drop out."""
    lexical = [row.credential.id for row in root.browse.toward(_uri(root.browse, "welder")).credentials]
    assert {"LPC-TR-105", "LPC-CN-110"} <= set(lexical)  # no similarity: every course covering the gap stays
    advice = AdviceService(root.taxonomy, root.catalog, similarity=BlueprintOnly())
    gated = replace(root.browse, advice=lambda: advice)
    uri = _uri(gated, "welder")
    rows = gated.toward(uri).credentials
    kept = {row.credential.id for row in rows}
    assert "LPC-TR-105" in kept and "LPC-CN-110" not in kept
    fit = advice.fit(uri)
    assert all(row.made_for or fit.relevant(row.credential.id) for row in rows)


def test_an_unknown_occupation_is_not_found(root: Stackwise) -> None:
    with pytest.raises(NotFoundError):
        root.browse.toward("http://data.europa.eu/esco/occupation/none")
