"""The banner a first start shows while its search indexes are built: how far, and what works meanwhile.

The API says so in ``/ready`` (``checks.indexes = "building: skills 45% (part 1 of 3)"``); the banner refreshes
itself every few seconds and disappears when the build is done.
"""

from __future__ import annotations

import re

import streamlit as st

from ui.client import ApiError
from ui.state import client

REFRESH_S = 3
_BUILDING = re.compile(r"building: (?P<part>\w+) (?P<percent>\d+)% \(part (?P<index>\d+) of (?P<count>\d+)\)")


def build_fraction(check: str) -> tuple[float, str] | None:
    """(share of the whole build done, the part being built) from the ``indexes`` check; None if none runs."""
    found = _BUILDING.match(check)
    if found is None:
        return None
    index, count, percent = int(found["index"]), int(found["count"]), int(found["percent"])
    return min(1.0, ((index - 1) + percent / 100) / max(count, 1)), found["part"]


def _building() -> tuple[float, str] | None:
    try:
        checks = client().ready().get("checks", {})
    except ApiError:
        return None
    return build_fraction(str(checks.get("indexes", "")))


def preparing_banner() -> None:
    """While the API builds its indexes: a progress bar that follows it and says what works now. Costs one
    ``/ready`` call a page run when there is no build, and polls only while there is one."""
    building = _building()
    if building is not None:
        _progress(building)


@st.fragment(run_every=REFRESH_S)
def _progress(first: tuple[float, str]) -> None:
    building = first if not st.session_state.get("stackwise_polled") else _building()
    st.session_state["stackwise_polled"] = True
    if building is None:
        st.session_state.pop("stackwise_polled", None)
        st.rerun()  # the build just ended: draw the whole page again, everything working
    share, part = building
    st.progress(
        share,
        text=f"Stackwise is getting ready on this first start: building its {part} search index "
        f"({round(share * 100)}% of the way). Browsing the catalog and occupations works now; reading a résumé "
        "and advice work when this is done.",
    )
