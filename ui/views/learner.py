"""Plan my learning: a guest learner brings a résumé, talks through a goal, and sees the advice beside the chat.

On a phone the columns stack: the chat comes first, its input stays pinned at the bottom of the screen, and
the plan's parts are tabs, so the page stays a few screens long.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from ui.client import ApiError, StackwiseClient
from ui.components.advice import STATUS_ICONS, render_view
from ui.components.chat import Turn, render_history, stream_reply, suggestion_buttons, take_pending
from ui.schema import AdviceView, Profile, ProfileSkill, ProfileTechnology
from ui.state import client, forget_learner, learner_key, show_error

PROFILE = "profile"
RESUME_ERROR = "resume_error"
RESUME_FILE_ID = "resume_file_id"
CHAT_SID = "chat_sid"
CHAT_TURNS = "chat_turns"
VIEW = "advice_view"
CONFIRM_DELETE = "confirm_delete"
DELETED = "deleted_notice"
# A long list of skills scrolls in a box this tall (px): about three rows on a phone, ten on a wide screen.
# Under 500 px, so a finger on a phone still has page around it to scroll the page with.
LIST_HEIGHT = 360
LIST_ROWS = 4


def resume_section(api: StackwiseClient) -> None:
    st.subheader("1. Your résumé")
    summary = st.container()
    upload_tab, paste_tab = st.tabs(["Upload a file", "Paste the text"])
    with upload_tab:
        uploaded = st.file_uploader(
            "Résumé file (PDF, Word or plain text)",
            type=["pdf", "docx", "txt"],
            key="resume_file",
            help="Read on this Stackwise service only; delete it any time below.",
        )
        if uploaded is not None and uploaded.file_id != st.session_state.get(RESUME_FILE_ID):
            st.session_state[RESUME_FILE_ID] = uploaded.file_id
            name, content, kind = uploaded.name, uploaded.getvalue(), uploaded.type
            read_resume(lambda told: api.read_resume(told, file=(name, content, kind)))
    with paste_tab, st.form("paste_resume", border=False):
        text = st.text_area(
            "Résumé text", height=160, placeholder="Paste your résumé or a list of your jobs and skills here."
        )
        if st.form_submit_button("Read this text"):
            if text.strip():
                read_resume(lambda told: api.read_resume(told, text=text))
            else:
                st.warning("Paste some text first.")
    with summary:
        profile_summary(st.session_state.get(PROFILE))
        if st.session_state.get(RESUME_ERROR):
            st.error(st.session_state[RESUME_ERROR], icon=":material/error:")
    if st.session_state.get(PROFILE):
        skills_section(api, st.session_state[PROFILE])


def read_resume(action: Callable[[Callable[[int, int], None]], Profile]) -> None:
    """Send the résumé and show how far the reading is: the service tells how many of its lines it has linked
    (a long résumé takes several seconds on a small machine)."""
    with st.status("Reading your résumé…", expanded=True) as status:
        bar = st.progress(0.0, text="Reading the text…")

        def told(done: int, total: int) -> None:
            bar.progress(min(1.0, done / total) if total else 1.0, text=f"Finding your skills: line {done} of {total}")

        try:
            profile = action(told)
        except ApiError as exc:
            bar.empty()
            st.write(exc.detail)  # beside the button that was pressed, not only at the top of the section
            status.update(label="Could not read the résumé", state="error", expanded=True)
            st.session_state[RESUME_ERROR] = f"Could not read the résumé: {exc.detail}"
            return
        found, offered = len(profile.get("skills", [])), len(profile.get("unconfirmed", []))
        tools = len(profile.get("technologies", []))
        label = f"Read your résumé: {found} skills found" + (f", {offered} to confirm" if offered else "")
        label += f", {tools} tool{'s' if tools != 1 else ''}" if tools else ""
        bar.empty()
        status.update(label=label, state="complete", expanded=False)
    st.session_state[PROFILE] = profile
    st.session_state.pop(RESUME_ERROR, None)


def profile_summary(profile: Profile | None) -> None:
    if not profile:
        st.caption("Add a résumé so the advice starts from what you already do. You can also just chat.")
        return
    resume = profile.get("resume")
    skills, offered = profile.get("skills", []), profile.get("unconfirmed", [])
    tools = profile.get("technologies", [])
    source = f" in {resume.get('filename') or 'the pasted text'} ({resume.get('lines', 0)} lines)" if resume else ""
    if not skills and not offered and not tools:
        st.warning(
            f"No skill could be read with confidence{source}. Add the skills you have below, or tell the "
            "assistant, for example “I know Excel and customer service”.",
            icon=":material/help:",
        )
        return
    note = f"; {len(offered)} more to confirm" if offered else ""
    note += (
        f"; {len(tools)} tool{'s' if len(tools) != 1 else ''} and technolog{'ies' if len(tools) != 1 else 'y'}"
        if tools
        else ""
    )
    st.success(f"{len(skills)} skills found{source}{note}.", icon=STATUS_ICONS["held"])


def _quote(skill: ProfileSkill | ProfileTechnology, width: int = 110) -> str:
    """The line behind a skill, cut to about ``width`` characters around the words it rests on."""
    evidence = next((e for e in skill.get("evidence", []) if e.get("text")), None)
    if evidence is None:
        return ""
    text = evidence.get("text", "")
    start, end = evidence.get("start"), evidence.get("end")
    if start is None or end is None or len(text) <= width:
        line = text.strip().lstrip("-•*· ").strip()
        return f"“{line[:width]}{'…' if len(line) > width else ''}”"
    left = max(0, min(start - width // 3, len(text) - width))
    piece = text[left : left + width].strip()
    return f"“{'…' if left > 0 else ''}{piece}{'…' if left + width < len(text) else ''}”"


def skills_section(api: StackwiseClient, profile: Profile) -> None:
    """The skills the advice counts, the ones to confirm, and a way to add a missing one: the learner decides."""
    skills, offered = profile.get("skills", []), profile.get("unconfirmed", [])
    tools = profile.get("technologies", [])
    tools_note = f", {len(tools)} tool{'s' if len(tools) != 1 else ''}" if tools else ""
    title = f"Your skills ({len(skills)} counted, {len(offered)} to confirm{tools_note})"
    with st.expander(title, expanded=bool(offered)):
        # one list at a time: the three lists one under another were 4,000 px on a phone, above the chat
        groups = [name for name, rows in (("To confirm", offered), ("Counted", skills), ("Tools", tools)) if rows]
        tabs = dict(zip(groups, st.tabs(groups, key="skill_tabs"), strict=True)) if groups else {}
        if offered:
            with tabs["To confirm"]:
                st.markdown("**Please confirm**: we are not sure about these; they count once you say yes.")
                if st.button(f"Yes to all {len(offered)}", key="confirm_all"):
                    edit_skills(api, confirm=[s.get("skill_uri", "") for s in offered])
                with _rows(len(offered)):
                    for skill in offered:
                        _skill_row(api, skill, offered=True)
        if skills:
            with tabs["Counted"]:
                st.markdown("**Counted in your plan**")
                with _rows(len(skills)):
                    for skill in skills:
                        _skill_row(api, skill, offered=False)
        if tools:
            with tabs["Tools"]:
                st.markdown("**Tools and technologies** (as O*NET names them)")
                with _rows(len(tools)):
                    for tool in tools:
                        _tool_row(api, tool)
        add_skill(api)


def _rows(count: int) -> Any:
    """Where a list's rows go: the page itself for a few, a box that scrolls for more."""
    return st.container(height=LIST_HEIGHT if count > LIST_ROWS else "content", border=False)


def _skill_row(api: StackwiseClient, skill: ProfileSkill, *, offered: bool) -> None:
    """The skill, the line behind it, and one-click answers side by side (also on a phone's width: not wrapped,
    the buttons went under the text and doubled each row's height)."""
    uri = skill.get("skill_uri", "")
    mark = " ✓" if skill.get("confirmed") else ""
    with st.container(horizontal=True, vertical_alignment="center", gap="small", wrap=False):
        st.markdown(f"**{skill.get('label', '')}**{mark}  \n<small>{_quote(skill)}</small>", unsafe_allow_html=True)
        if offered and st.button("Yes", key=f"yes-{uri}", help="I have this skill", width="content"):
            edit_skills(api, confirm=[uri])
        if st.button("No", key=f"no-{uri}", help="Not me: remove it", width="content"):
            edit_skills(api, remove=[uri])


def _tool_row(api: StackwiseClient, tool: ProfileTechnology) -> None:
    """A product read by its name: shown with the line that names it, and removed in one click if wrong."""
    key = tool.get("key", "")
    mark = " ✓" if tool.get("confirmed") else ""
    hot = " · *hot technology*" if tool.get("hot_technology") else ""
    with st.container(horizontal=True, vertical_alignment="center", gap="small", wrap=False):
        st.markdown(
            f"**{tool.get('label', '')}**{mark} · {tool.get('commodity', '')}{hot}  \n<small>{_quote(tool)}</small>",
            unsafe_allow_html=True,
        )
        if st.button("No", key=f"no-{key}", help="Not me: remove it", width="content"):
            edit_skills(api, remove=[key])


def add_skill(api: StackwiseClient) -> None:
    typed = st.text_input("Add a skill or tool", key="skill_query", placeholder="Start typing: Excel, welding…")
    if len(typed.strip()) < 2:
        return
    try:
        hits = api.find_skills(typed.strip())
    except ApiError as exc:
        show_error(exc)
        return
    labels = {
        f"{hit.get('label', '')}"
        + (f" ({hit.get('matched_label')})" if hit.get("matched_label") != hit.get("label") else ""): hit.get(
            "skill_uri", ""
        )
        for hit in hits
    }
    choice = st.selectbox("Matching skills", list(labels), index=None, placeholder="Pick one", key="skill_pick")
    pick, free = st.columns(2)
    if choice and pick.button("Add this skill", key="add_pick"):
        edit_skills(api, add=[labels[choice]])
    if free.button(f"Add “{typed.strip()}” as typed", key="add_typed"):
        edit_skills(api, text=typed.strip())


def edit_skills(api: StackwiseClient, **edits: Any) -> None:
    """Send the change, keep the new profile, and recompute the advice shown for the current goal."""
    try:
        profile = api.edit_skills(**edits)
    except ApiError as exc:
        show_error(exc, "Could not change your skills.")
        return
    st.session_state[PROFILE] = profile
    for note in profile.get("notes", []):
        st.toast(note)
    view = st.session_state.get(VIEW)
    if view and view.get("target", {}).get("kind") == "occupation":
        try:
            st.session_state[VIEW] = api.advice({"kind": "occupation", "title": view["target"]["label"]})
        except ApiError as exc:
            show_error(exc, "Could not update the plan.")
    st.rerun()


def start_chat(api: StackwiseClient) -> str | None:
    """The conversation's id: started on the first visit, with the assistant's welcome as its first turn."""
    st.subheader("2. Talk it through")
    turns: list[Turn] = st.session_state.setdefault(CHAT_TURNS, [])
    session_id: str | None = st.session_state.get(CHAT_SID)
    if session_id is None:
        try:
            session = api.create_session()
        except ApiError as exc:
            show_error(exc, "Could not start the conversation.")
            return None
        session_id = session["id"]
        st.session_state[CHAT_SID] = session_id
        welcome = session.get("welcome")
        if welcome:
            turns.append(Turn(role="assistant", text=welcome.get("text", ""), reply=welcome))
    return session_id


def chat_prompt() -> str | None:
    """What the learner sent: typed, or a quick reply clicked on the previous run.

    Called at the page's top level, outside the columns: only there does Streamlit pin the input to the bottom
    of the screen (inside a column it sat mid-page on a phone, under the turns). "disable": the input is off
    from sending until the run ends, since a message sent while a reply streams would interrupt that run and
    the page would lose the turn it was writing.
    """
    return (
        st.chat_input("Your goal, hours a week or budget…", key="chat_input", submit_mode="disable") or take_pending()
    )


def chat_section(api: StackwiseClient, session_id: str, prompt: str | None) -> None:
    """The turns so far, the new one as it streams, and quick replies from the last answer."""
    turns: list[Turn] = st.session_state.setdefault(CHAT_TURNS, [])
    render_history(turns)
    if prompt:
        with st.chat_message("user"):
            st.markdown(prompt)
        with st.chat_message("assistant"):
            try:
                reply = stream_reply(api, session_id, prompt)
            except ApiError as exc:
                show_error(exc)
                reply = None
        if reply is not None:
            turns.append(Turn(role="user", text=prompt, reply=None))
            turns.append(Turn(role="assistant", text=reply.get("text", ""), reply=reply))
            if reply.get("view"):
                st.session_state[VIEW] = reply.get("view")
            if "_Changed:" in reply.get("text", "") or reply.get("intent") == "undo":
                # the turn changed the stored profile (skills, limits, résumé): the panels above show it now
                try:
                    st.session_state[PROFILE] = api.profile()
                except ApiError as exc:
                    show_error(exc, "Could not refresh your profile.")
                else:
                    st.rerun()
    last = next((t["reply"] for t in reversed(turns) if t["role"] == "assistant"), None)
    suggestion_buttons(last, key="learner")


def advice_section(view: AdviceView | None) -> None:
    if not view:
        st.subheader("3. Your plan")
        st.info("Your skills gap, the credentials that close it and a route will appear here once you name a goal.")
        return
    render_view(view, key="learner")


def delete_section(api: StackwiseClient) -> None:
    st.subheader("Your data")
    st.caption("Your résumé, skills profile and chats are kept under a guest key for this browser session only.")
    if not st.session_state.get(CONFIRM_DELETE):
        st.button("Delete my data", on_click=lambda: st.session_state.update({CONFIRM_DELETE: True}))
        return
    st.warning("This deletes your résumé, skills profile, chats and briefs from Stackwise. It cannot be undone.")
    yes, no = st.columns(2)
    if no.button("Cancel"):
        st.session_state[CONFIRM_DELETE] = False
        st.rerun()
    if yes.button("Yes, delete everything", type="primary"):
        try:
            erased = api.delete_learner()
        except ApiError as exc:
            show_error(exc, "Could not delete your data.")
            return
        forget_learner()
        removed = sum(v for k, v in erased.items() if isinstance(v, int) and k != "learner_id")
        st.session_state[DELETED] = f"Your data was deleted ({removed} records). This is a fresh, empty session."
        st.rerun()


def main() -> None:
    st.title("Plan my learning")
    st.caption(
        "Bring your résumé and a goal. Stackwise finds the skills you show, the ones the goal still needs, "
        "and the micro-credentials that close the gap and stack toward a certificate."
    )
    if notice := st.session_state.pop(DELETED, None):
        st.success(notice)
    api = client(learner_key())
    with st.container(border=True):
        resume_section(api)
    # side by side on a wide screen; on a phone Streamlit stacks the columns, the chat first
    chat_col, view_col = st.columns([5, 4], gap="large")
    with chat_col:
        session_id = start_chat(api)
    if session_id is not None:
        prompt = chat_prompt()  # the page's top level: pinned to the bottom of the screen
        with chat_col:
            chat_section(api, session_id, prompt)  # before the plan: a reply can change it
    with view_col:
        advice_section(st.session_state.get(VIEW))
    st.divider()
    delete_section(api)


main()
