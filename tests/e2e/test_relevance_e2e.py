"""The fitted relevance gate on the real index the server built: every course's tenth closest job is read from
the occupations index's job profiles, and generic courses are turned away saying so."""

from __future__ import annotations

import pytest

from tests.e2e.support import Stack

pytestmark = pytest.mark.e2e


def test_the_served_index_gives_the_fitted_gate_its_job_profiles(stack: Stack) -> None:
    from assistant.bootstrap import Stackwise
    from assistant.core.advice import OccupationTarget
    from assistant.core.models import LearnerProfile

    root = Stackwise()  # the index folder the server built (STACKWISE_INDEX_DIR as the stack's)
    result = root.advice.advise(LearnerProfile(), OccupationTarget(title="data scientist"))
    fit = root.advice.fit(result.target.occupation_uri or "")
    assert set(fit.crowd) == {c.id for c in root.catalog}
    far = {cid: why.reason for cid, why in result.excluded.items() if why.reason.startswith("far from")}
    assert "LPC-PM-101" in far and "10th closest job" in far["LPC-PM-101"]  # project management: any job's
    planned = {s.credential_id for r in result.routes for s in r.route.steps}
    assert "LPC-DA-101" in planned or "LPC-DA-101" in {r.credential_id for r in result.recommendations}


def test_with_the_fitted_gate_every_qualification_is_offered_to_the_jobs_it_prepares_for(stack: Stack) -> None:
    """The issue's recall check (tests/core/advice/test_relevance.py runs it with the hand-set gate) on the gate
    the product serves: a stricter gate must never turn away what the catalog says prepares for the job."""
    from assistant.bootstrap import Stackwise
    from tests.core.advice.test_relevance import assert_every_qualification_offered

    root = Stackwise()
    assert_every_qualification_offered(root.advice, root.catalog, root.taxonomy)
