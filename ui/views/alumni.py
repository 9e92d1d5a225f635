"""Alumni: record credentials already earned, see where they could go next, compare two or three goals."""

from __future__ import annotations

from typing import Any

import streamlit as st

from ui.client import ApiError, StackwiseClient
from ui.components.advice import comparison_chart, comparison_table, money, percent
from ui.components.wording import count
from ui.schema import Profile, Suggestion
from ui.state import client, demo_keys, learner_key, show_error

GUEST = "My guest profile"
SUGGESTIONS = "alumni_suggestions"
FLASH = "alumni_flash"
BADGE_FILE_ID = "badge_file_id"
COMPARISON = "alumni_comparison"


def choose_key() -> tuple[str, str | None]:
    """This session's guest learner, or one of the local demo learners when ``stackwise serve`` made them
    (``make start``): the key, and the demo learner's name when one is shown. A demo profile is shared by
    every visitor of the page, so it is shown read-only; its key stays on the server."""
    learners = demo_keys().get("learners")
    options = [GUEST, *sorted(learners)] if isinstance(learners, dict) else [GUEST]
    if len(options) > 1:
        who = st.selectbox(
            "Whose profile",
            options,
            key="alumni_who",
            format_func=lambda name: name if name == GUEST else f"{name} (demo, read-only)",
            help="Demo learners come with résumés loaded; anyone who opens this page sees them, so they cannot be "
            "changed here.",
        )
        if who != GUEST and isinstance(learners, dict):
            return str(learners[who]), str(who)
    return learner_key(), None


def load_profile(api: StackwiseClient) -> Profile | None:
    try:
        return api.profile()
    except ApiError as exc:
        show_error(exc, "Could not load the profile.")
        return None


def changed(message: str) -> None:
    """The profile changed: drop what was computed from it and show the news after the rerun."""
    st.session_state.pop(COMPARISON, None)
    st.session_state[FLASH] = message
    st.rerun()


def earned_section(api: StackwiseClient, profile: Profile, *, read_only: bool = False) -> None:
    st.subheader("Credentials you have earned")
    if read_only:
        earned_on_file(api, profile)
        return
    badge = st.file_uploader(
        "Open Badges 3.0 file (JSON)",
        type=["json"],
        key="badge_file",
        help="The achievement credential your college or employer issued.",
    )
    if badge is not None and badge.file_id != st.session_state.get(BADGE_FILE_ID):
        st.session_state[BADGE_FILE_ID] = badge.file_id
        with st.spinner("Reading the badge…"):
            try:
                imported = api.upload_badges(badge.name, badge.getvalue())
            except ApiError as exc:
                show_error(exc, "Could not import the badge.")
            else:
                taken = imported.get("notes", [])
                changed("Badge read. " + " ".join(taken) if taken else "Badge read.")
    try:
        items = api.catalog_all()
    except ApiError as exc:
        show_error(exc, "Could not load the catalog.")
        items = []
    titles = titled(items)
    earned = profile.get("earned_credentials", [])
    with st.form("earned_form"):
        picked = st.multiselect(
            "Or pick them from the catalog",
            options=list(titles),
            default=[cid for cid in earned if cid in titles],
            format_func=lambda cid: titles.get(cid, cid),
            placeholder="Choose credentials you have completed",
        )
        if st.form_submit_button("Save my credentials"):
            try:
                api.set_credentials(list(picked))
            except ApiError as exc:
                show_error(exc, "Could not save your credentials.")
            else:
                changed(f"Saved {count(len(picked), 'earned credential')}.")
    if earned:
        st.caption("On file: " + ", ".join(titles.get(cid, cid) for cid in earned))


def titled(items: list[dict[str, Any]]) -> dict[str, str]:
    """Catalog credentials by id, as "Title (ID)"."""
    return {str(item["id"]): f"{item['title']} ({item['id']})" for item in items}


def earned_on_file(api: StackwiseClient, profile: Profile) -> None:
    """A demo profile's earned credentials, listed without the controls that would change them."""
    earned = profile.get("earned_credentials", [])
    if not earned:
        st.caption("None on file.")
        return
    try:
        titles = titled(api.catalog_all())
    except ApiError:
        titles = {}
    st.markdown("\n".join(f"- {titles.get(cid, cid)}" for cid in earned))


def suggestions_section(api: StackwiseClient, key: str, profile: Profile) -> list[Suggestion]:
    """Ranked once per version of the profile, not on every widget change."""
    st.subheader("Where you could go next")
    if not profile.get("skills") and not profile.get("earned_credentials"):
        st.info(
            "Suggestions start from the skills you show: add your earned credentials above, "
            "or a résumé on the Plan my learning page."
        )
        return []
    resume = profile.get("resume") or {}
    version = f"{key}|{resume.get('uploaded_at')}|{len(profile.get('skills', []))}|{profile.get('earned_credentials')}"
    cached: dict[str, list[Suggestion]] = st.session_state.setdefault(SUGGESTIONS, {})
    if version not in cached:
        with st.spinner("Ranking occupations for your profile…"):
            try:
                cached[version] = api.suggestions()
            except ApiError as exc:
                show_error(exc, "Could not rank occupations.")
                return []
    options = cached[version]
    if not options:
        st.info("No occupation stands out for this profile yet. Add more skills or earned credentials.")
        return []
    rows = [
        {
            "occupation": o.get("label", ""),
            "ready now": percent(o.get("readiness")),
            "US median wage": money(o["wage_median"]) if o.get("wage_median") else "–",
            "growth 2020–30": f"{o['growth_pct']:+.1f}%" if o.get("growth_pct") is not None else "–",
        }
        for o in options
    ]
    st.dataframe(rows, hide_index=True, width="stretch")
    st.caption(
        "Ready now: the share of the job's weighted skills you show, the same figure your plan and the "
        "comparison give. Occupations are ordered by the skills you share, what the catalog can teach toward "
        "them, demand and wage. Wages and growth are US Bureau of Labor Statistics figures, where the "
        "occupation maps to one."
    )
    with st.expander("Why each occupation is suggested"):
        for option in options:
            st.markdown(f"**{option.get('label', '')}**")
            for reason in option.get("reasons", []):
                st.markdown(f"- {reason}")
    return options


def compare_section(api: StackwiseClient, key: str, options: list[Suggestion]) -> None:
    st.subheader("What if? Compare two or three goals")
    with st.form("compare_form"):
        goals = st.multiselect(
            "Goals to compare",
            options=[o.get("label", "") for o in options],
            max_selections=3,
            accept_new_options=True,
            placeholder="Pick or type 2–3 job titles",
        )
        submitted = st.form_submit_button("Compare")
    if submitted:
        if not 2 <= len(goals) <= 3:
            st.warning("Choose two or three goals to compare.")
        else:
            with st.spinner("Working out the gap and routes for each goal…"):
                try:
                    st.session_state[COMPARISON] = (key, api.compare(list(goals)))
                except ApiError as exc:
                    show_error(exc, "Could not compare those goals.")
    owner, rows = st.session_state.get(COMPARISON, (None, []))
    if owner == key and rows:
        st.dataframe(comparison_table([dict(r) for r in rows]), hide_index=True, width="stretch")
        comparison_chart([dict(r) for r in rows])


def main() -> None:
    st.title("Alumni")
    st.caption("Already earned credentials? Add them, see where they lead, and compare next steps.")
    if flash := st.session_state.pop(FLASH, None):
        st.success(flash)
    key, demo = choose_key()
    api = client(key)
    if demo:
        st.info(
            f"You are looking at {demo}, a demo learner: read-only, since everyone who opens this page sees it. "
            f"Choose “{GUEST}” to try it with your own credentials.",
            icon=":material/visibility:",
        )
    profile = load_profile(api)
    if profile is None:
        return
    earned_section(api, profile, read_only=demo is not None)
    options = suggestions_section(api, key, profile)
    compare_section(api, key, options)


main()
