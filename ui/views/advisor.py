"""Advisor: pick an assigned advisee, generate a brief before the meeting, add notes, export it."""

from __future__ import annotations

import re
from typing import Literal

import streamlit as st

from ui.client import ApiError, Download, StackwiseClient
from ui.components.advice import as_text, credential_cards, gap_chart, gap_evidence, render_target
from ui.schema import Advisee, Brief
from ui.state import ADVISOR_KEY, client, show_error, staff_key, staff_key_form

EXPORTS = "brief_exports"
FORMATS: dict[Literal["md", "pdf"], str] = {"md": "Markdown", "pdf": "PDF"}


def advisor_key() -> str | None:
    return staff_key("advisor", ADVISOR_KEY)


def key_form() -> None:
    staff_key_form("advisor", ADVISOR_KEY, label="Advisor key", help="The key your Stackwise administrator gave you.")


def advisee_label(advisee: Advisee) -> str:
    name = advisee.get("display_name") or advisee.get("id", "")
    if not advisee.get("has_resume"):
        return f"{name} (no résumé yet)"
    return f"{name} ({advisee.get('skills', 0)} skills)"


def export_file(api: StackwiseClient, brief: Brief, fmt: Literal["md", "pdf"]) -> Download | None:
    """The exported brief, fetched once per version so reruns do not re-render the PDF."""
    cache: dict[str, Download] = st.session_state.setdefault(EXPORTS, {})
    key = f"{brief.get('id')}:{brief.get('updated_at')}:{fmt}"
    if key not in cache:
        try:
            cache[key] = api.export_brief(brief["id"], fmt)
        except ApiError as exc:
            show_error(exc, f"Could not export the brief as {FORMATS[fmt]}.")
            return None
    return cache[key]


def nested_headings(markdown: str) -> str:
    """Shift the brief's headings two levels down so its "# title" sits under the page's own headings."""
    return re.sub(r"^(#{1,4})(?=\s)", r"\1##", markdown, flags=re.MULTILINE)


def show_brief(api: StackwiseClient, brief: Brief) -> None:
    st.subheader(as_text(brief.get("title") or "Brief"))  # the title carries the learner's own name
    written, changed = (str(brief.get(k, ""))[:16].replace("T", " ") for k in ("created_at", "updated_at"))
    st.caption(f"Written {written}; last changed {changed}.")
    downloads = st.columns(2)
    for col, fmt in zip(downloads, FORMATS, strict=True):
        exported = export_file(api, brief, fmt)
        if exported is not None:
            col.download_button(
                f"Download as {FORMATS[fmt]}",
                data=exported.content,
                file_name=exported.filename,
                mime=exported.media_type,
                key=f"export_{fmt}_{brief.get('id')}",
                on_click="ignore",
                width="stretch",
            )
    with st.container(border=True):
        st.markdown(nested_headings(brief.get("content_md", "")))
    questions = brief.get("questions", [])
    if questions and not all(q in brief.get("content_md", "") for q in questions):  # shown once, not twice
        st.markdown("**Questions to ask**")
        for question in questions:
            st.markdown(f"- {question}")
    view = brief.get("view")
    if view:
        with st.expander("Gap and options behind this brief"):
            render_target(view)
            gap_chart(view)
            gap_evidence(view)
            credential_cards(view, key=f"brief_{brief.get('id')}")
    notes_form(api, brief)


def notes_form(api: StackwiseClient, brief: Brief) -> None:
    with st.form(f"notes_{brief.get('id')}"):
        notes = st.text_area(
            "Advisor notes", value=brief.get("notes") or "", height=140, help="Kept with the brief and in its exports."
        )
        if st.form_submit_button("Save notes"):
            try:
                updated = api.update_brief(brief["id"], notes=notes)
            except ApiError as exc:
                show_error(exc, "Could not save the notes.")
                return
            st.session_state[f"brief_for_{brief.get('learner_id')}"] = updated
            st.session_state["notes_saved"] = True
            st.rerun()
    if st.session_state.pop("notes_saved", False):
        st.success("Notes saved.")


def advisee_panel(api: StackwiseClient, advisee: Advisee) -> None:
    learner_id = advisee["id"]
    cols = st.columns(3)
    cols[0].metric("Skills on file", advisee.get("skills", 0))
    cols[1].metric("Résumé", "yes" if advisee.get("has_resume") else "not yet")
    cols[2].metric("Stated goal", advisee.get("goal") or "–")
    with st.form(f"brief_form_{learner_id}"):
        goal = st.text_input(
            "Goal for this brief (optional)",
            placeholder=advisee.get("goal") or "e.g. data analyst",
            help="Leave empty to use the goal the learner gave.",
        )
        generate = st.form_submit_button("Generate brief", type="primary")
    state_key = f"brief_for_{learner_id}"
    if generate:
        with st.spinner("Writing the brief: gap, options and questions…"):
            try:
                st.session_state[state_key] = api.create_brief(learner_id, goal.strip() or None)
            except ApiError as exc:
                show_error(exc, "Could not write the brief.")
    brief: Brief | None = st.session_state.get(state_key)
    if brief is None:
        try:
            earlier = api.briefs(learner_id)
        except ApiError as exc:
            show_error(exc, "Could not list earlier briefs.")
            earlier = []
        if earlier:
            brief = max(earlier, key=lambda b: b.get("created_at", ""))
            st.caption(f"{len(earlier)} earlier brief(s); showing the latest.")
    if brief is None:
        st.info("No brief yet for this advisee. Generate one before your meeting.")
        return
    show_brief(api, brief)


def main() -> None:
    st.title("Advisor")
    st.caption("Briefs for your advisees: the gap to their goal, credential options, and questions to ask.")
    key = advisor_key()
    key_form()
    if not key:
        st.info("Enter your advisor key to see your advisees.")
        return
    api = client(key)
    try:
        me = api.me()
        advisees = api.advisees()
    except ApiError as exc:
        show_error(exc, "Could not load your advisees.")
        return
    st.caption(f"Signed in as {as_text(me.get('display_name', ''))} ({me.get('role', '')}).")
    if not advisees:
        st.info("No advisees are assigned to you yet. An administrator assigns them.")
        return
    labels = {advisee_label(a): a for a in sorted(advisees, key=lambda a: (a.get("display_name") or "").lower())}
    choice = st.selectbox("Advisee", list(labels), key="advisee_choice")
    if choice is not None:
        advisee_panel(api, labels[choice])


main()
