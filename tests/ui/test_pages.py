"""The pages' logic in Streamlit's AppTest, against the in-memory API of fake_api.py (no server, no model)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.proto.ChatInput_pb2 import ChatInput as ChatInputProto
from streamlit.testing.v1 import AppTest

from tests.ui.fake_api import ESCO, FakeApi, sse

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "ui" / "app.py")
RESUME = ROOT / "tests" / "fixtures" / "resumes" / "data_analyst.txt"
BADGE = {
    "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "credentialSubject": {"achievement": {"id": "LPC-DA-101", "name": "Spreadsheet Analytics"}},
}


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeApi]:
    """The fake service; every answer it gives the pages must be one the real API could give."""
    monkeypatch.delenv("STACKWISE_DEMO_KEYS", raising=False)
    fake = FakeApi(check_answers=True)
    yield fake
    assert fake.answer_problems == []


def start(api: FakeApi, page: str | None = None, **state: Any) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=30)
    app.session_state["client_factory"] = api.factory()
    for name, value in state.items():
        app.session_state[name] = value
    app.run()
    if page:
        app.switch_page(page).run()
    assert not app.exception, app.exception
    return app


def texts(app: AppTest) -> str:
    """Everything written as Markdown, captions and alerts, for 'is it on the page' checks."""
    parts = [m.value for m in app.markdown] + [c.value for c in app.caption]
    parts += [e.value for e in app.error] + [s.value for s in app.success] + [i.value for i in app.info]
    return "\n".join(str(p) for p in parts)


def charts(app: AppTest) -> list[dict[str, Any]]:
    return [json.loads(c.proto.spec) for c in app.get("vega_lite_chart")]


def chat(app: AppTest, text: str) -> AppTest:
    app.chat_input[0].set_value(text).run()
    assert not app.exception, app.exception
    return app


# -- learner -------------------------------------------------------------------------------------
def test_first_visit_creates_a_guest_and_greets(api: FakeApi) -> None:
    app = start(api)
    assert app.title[0].value == "Plan my learning"
    key = app.session_state["learner_key"]
    assert api.user_of(key)["role"] == "learner"
    assert api.calls[:2] == ["POST /v1/auth/guest", "POST /v1/sessions"]
    assert [m.name for m in app.chat_message] == ["assistant"]
    assert "What work would you like" in app.chat_message[0].markdown[0].value
    # no sending while a reply is written: that would interrupt the run and lose the turn
    assert app.chat_input[0].proto.submit_mode == ChatInputProto.SubmitMode.SUBMIT_MODE_DISABLE
    assert [b.label for b in app.button if b.key and "suggestion" in b.key] == ["I want to be a data analyst"]
    app.run()  # a rerun keeps the same guest and conversation
    assert app.session_state["learner_key"] == key
    assert api.calls.count("POST /v1/auth/guest") == 1
    assert api.calls.count("POST /v1/sessions") == 1


def test_resume_upload_shows_progress_and_skills(api: FakeApi) -> None:
    app = start(api)
    app.file_uploader(key="resume_file").upload("data_analyst.txt", RESUME.read_bytes(), "text/plain").run()
    assert not app.exception
    assert app.status[0].label == "Read your résumé: 2 skills found, 1 to confirm, 1 tool"
    assert app.status[0].state == "complete"
    assert "2 skills found in data_analyst.txt" in app.success[0].value
    assert "“Maya Okafor”" in texts(app)  # the evidence line behind a skill
    app.run()  # the same file is not sent again on a rerun
    assert api.calls.count("PUT /v1/learners/me/resume/stream") == 1  # read with progress told


def test_the_learner_confirms_removes_and_adds_skills(api: FakeApi) -> None:
    app = start(api)
    app.file_uploader(key="resume_file").upload("data_analyst.txt", RESUME.read_bytes(), "text/plain").run()
    assert app.status[0].label == "Read your résumé: 2 skills found, 1 to confirm, 1 tool"
    assert "Please confirm" in texts(app) and "data visualisation software" in texts(app)
    assert "Tools and technologies" in texts(app) and "Tableau" in texts(app)
    app.button(key=f"yes-{ESCO}tableau").click().run()
    assert not app.exception
    assert api.skill_edits[-1]["confirm"] == [f"{ESCO}tableau"]
    assert "Please confirm" not in texts(app)
    app.button(key=f"no-{ESCO}sql").click().run()
    assert api.skill_edits[-1]["remove"] == [f"{ESCO}sql"]
    app.button(key="no-onet-technology:Tableau").click().run()
    assert api.skill_edits[-1]["remove"] == ["onet-technology:Tableau"]
    assert "Tools and technologies" not in texts(app)
    app.text_input(key="skill_query").input("exc").run()
    assert "GET /v1/skills" in api.calls
    app.selectbox(key="skill_pick").select("use spreadsheets software (Excel)").run()
    app.button(key="add_pick").click().run()
    assert api.skill_edits[-1]["add"] == [f"{ESCO}excel"]
    labels = [s["label"] for s in app.session_state["profile"]["skills"]]
    assert "SQL" not in labels and "data visualisation software" in labels and "excel" in labels


def test_a_resume_with_nothing_read_says_so_and_invites_skills(api: FakeApi) -> None:
    app = start(api)
    api.profiles[api.keys[app.session_state["learner_key"]]] |= {"skills": [], "unconfirmed": []}
    app.session_state["profile"] = api.profiles[api.keys[app.session_state["learner_key"]]] | {
        "resume": {"filename": "cv.txt", "uploaded_at": "2026-11-23T10:00:00Z", "lines": 3}
    }
    app.run()
    assert not app.exception
    assert "No skill could be read with confidence" in app.warning[0].value


def test_pasted_resume_is_read(api: FakeApi) -> None:
    app = start(api)
    app.text_area[0].input("Data analyst. SQL, Python and Tableau.")
    app.button(key="FormSubmitter:paste_resume-Read this text").click().run()
    assert not app.exception
    assert "PUT /v1/learners/me/resume/text/stream" in api.calls
    assert "2 skills found in pasted text" in app.success[0].value


def test_resume_upload_error_is_shown_in_plain_words(api: FakeApi) -> None:
    api.fail_resume = "That file type is not supported. Send a PDF, Word or text file."
    app = start(api)
    app.file_uploader(key="resume_file").upload("cv.txt", b"hello", "text/plain").run()
    assert not app.exception
    assert app.status[0].state == "error"
    assert (
        app.error[0].value
        == "Could not read the résumé: That file type is not supported. Send a PDF, Word or text file."
    )


def test_chat_reply_streams_and_shows_gap_cards_and_route(api: FakeApi) -> None:
    app = chat(start(api), "I want to move into data analysis")
    messages = app.chat_message
    assert [m.name for m in messages] == ["assistant", "user", "assistant"]
    final = messages[2].markdown[0].value
    assert final.startswith("You are **62%** of the way to data analyst.")
    assert "first draft" not in texts(app)  # the reset dropped the rejected draft
    # the advice view beside the chat
    assert any(s.value == "Toward: data analyst" for s in app.subheader)
    assert {m.label: m.value for m in app.metric}["Ready now"] == "62%"
    titles = [c.get("title") for c in charts(app)]
    assert titles == ["Your skills gap", "Route timeline"]
    page = texts(app)
    assert "**Data Warehousing Foundations** · `LPC-DA-210` · micro-credential" in page
    assert "$650 · 60 hours · 2 ECTS · EQF level 5 · online · 8 weeks at the catalog's pace" in page
    assert "[Course page for Data Warehousing Foundations](https://example.edu/da-210)" in page
    assert "ECTS not stated" in page  # Applied Statistics has none
    assert "Counts toward: Certificate in Data Analytics (1 credit-hour)" in page
    # a prerequisite there only to unlock a pick is shown right under it, saying so
    assert "↳ Take first: the prerequisite of Data Warehousing Foundations" in page
    assert page.index("`LPC-DA-210`") < page.index("`LPC-SD-101`") < page.index("`LPC-DA-120`")
    # every gap row links back to the requirement and the résumé line
    expanders = {e.label: e for e in app.expander}
    weak = expanders[":material/contrast: statistical analysis · partly shown"]
    assert "ESCO essential skill of data analyst" in weak.markdown[0].value
    assert "line 22" in weak.markdown[1].value and "Relevant coursework: Statistics" in weak.markdown[1].value
    missing = expanders[":material/cancel: data warehousing · missing"]
    assert missing.markdown[1].value == "Nothing in your résumé shows this yet."
    # essential skills open one by one; what is only worth having, and research skills, are grouped apart
    assert "1 more skill worth having (not essential)" in expanders
    assert (
        expanders["1 research skill (for research roles; not planned for)"]
        .markdown[0]
        .value.startswith("- apply for research funding")
    )
    assert not any(label.startswith(":material/cancel: apply for research funding") for label in expanders)
    # the route: metrics, timeline and stack progress
    assert {m.label: m.value for m in app.metric}["Total cost"] == "$1,100"
    assert app.get("progress")[0].proto.text == "Toward Certificate in Data Analytics: 4 of 12 credits"
    assert "Timeline: LPC-DA-120 · Applied Statistics, weeks 1–6; then" in page
    # what teaches part of the gap but was left out is named, with why
    worked_out = expanders["How this was worked out (2 notes)"].markdown
    assert worked_out[-1].value.startswith("- 1 credential that teaches part of your gap was left out:\n")
    line = worked_out[-1].value.splitlines()[1]
    assert line.startswith("  - Far from data analyst") and line.endswith(": **Wind Farm Monitoring** (LPC-WT-120)")
    # another route objective can be picked
    app.radio(key="learner_route").set_value(1).run()
    assert {m.label: m.value for m in app.metric}["Total cost"] == "$450"
    assert "Leaves data warehousing uncovered." in texts(app)


def test_quick_reply_button_sends_the_suggestion(api: FakeApi) -> None:
    app = chat(start(api), "I want to move into data analysis")
    app.button(key="learner_suggestion_1").click().run()  # "Compare with nurse"
    assert not app.exception
    assert app.chat_message[3].markdown[0].value == "Compare with nurse"
    # the reply's Markdown table is not shown beside the same rows as a table widget
    assert app.chat_message[4].markdown[0].value == "Here is how the two goals compare."
    table = app.dataframe[0].value
    assert list(table["goal"]) == ["data analyst", "nurse"]
    assert any(s.value == "Toward: data analyst" for s in app.subheader)  # the plan stays


def test_stream_error_is_shown_and_can_be_retried(api: FakeApi) -> None:
    api.stream_events = lambda text: sse(("token", {"text": "Hal"}), ("error", {"detail": "The assistant is busy."}))
    app = chat(start(api), "hello")
    assert app.error[0].value == "The assistant is busy."
    assert [m.name for m in app.chat_message] == ["assistant", "user", "assistant"]
    api.stream_events = None
    app = chat(app, "hello again")
    assert not app.error
    # the failed turn was not kept; the retried one was
    assert [m.markdown[0].value for m in app.chat_message if m.name == "user"] == ["hello again"]


def test_delete_my_data_asks_first_then_clears_the_session(api: FakeApi) -> None:
    app = chat(start(api), "I want to move into data analysis")
    old_key = app.session_state["learner_key"]
    delete = next(b for b in app.button if b.label == "Delete my data")
    delete.click().run()
    assert "cannot be undone" in app.warning[0].value
    next(b for b in app.button if b.label == "Cancel").click().run()
    assert not app.warning
    assert old_key in api.keys
    next(b for b in app.button if b.label == "Delete my data").click().run()
    next(b for b in app.button if b.label == "Yes, delete everything").click().run()
    assert not app.exception
    assert old_key not in api.keys  # the learner is gone from the service
    assert "DELETE /v1/learners/me" in api.calls
    assert app.success[0].value.startswith("Your data was deleted (")
    assert app.session_state["learner_key"] != old_key  # a fresh, empty guest
    assert [m.name for m in app.chat_message] == ["assistant"]
    assert "Toward: data analyst" not in [s.value for s in app.subheader]


def test_a_bug_shows_a_plain_message_not_a_traceback(api: FakeApi) -> None:
    api.crash = True
    app = AppTest.from_file(APP, default_timeout=30)
    app.session_state["client_factory"] = api.factory()
    app.run()
    assert not app.exception
    assert app.error[0].value.startswith("Something went wrong on this page.")


def test_service_down_is_said_plainly(api: FakeApi) -> None:
    import httpx

    from ui.client import StackwiseClient

    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    app = AppTest.from_file(APP, default_timeout=30)
    transport = httpx.MockTransport(down)
    app.session_state["client_factory"] = lambda key: StackwiseClient("http://127.0.0.1:9", transport=transport)
    app.run()
    assert not app.exception
    assert (
        app.error[0].value
        == "Could not start a guest session. Cannot reach the Stackwise service at http://127.0.0.1:9. Is it running?"
    )


# -- advisor -------------------------------------------------------------------------------------
def advisor_setup(api: FakeApi) -> str:
    advisor = api.add_user("advisor", "Dana Advisor")
    for name in ("Maya Okafor", "Luis Romero"):
        learner = api.user_of(api.add_user("learner", name))["id"]
        api.advisees_of.setdefault(api.keys[advisor], []).append(learner)
    api._read_resume(api.profiles[api.advisees_of[api.keys[advisor]][0]], "maya.txt", RESUME.read_bytes())
    return advisor


def test_advisor_without_a_key_is_asked_for_one(api: FakeApi) -> None:
    app = start(api, "views/advisor.py")
    assert app.title[0].value == "Advisor"
    assert app.text_input[0].label == "Advisor key"
    assert app.info[0].value == "Enter your advisor key to see your advisees."
    app.text_input[0].input("sw_wrong")
    app.button(key="FormSubmitter:advisor_key_form-Use this key").click().run()
    assert app.error[0].value == "Could not load your advisees. Your key was not accepted."


def test_advisor_brief_flow_with_notes_and_exports(
    api: FakeApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = advisor_setup(api)
    keys = tmp_path / "demo_keys.json"
    keys.write_text(json.dumps({"advisor": key, "learners": {}}))
    monkeypatch.setenv("STACKWISE_DEMO_KEYS", str(keys))
    app = start(api, "views/advisor.py")
    assert any(c.value.startswith(":material/science: Demo advisor account") for c in app.caption)
    # sorted by name, whatever order the service lists them in
    assert app.selectbox(key="advisee_choice").options == ["Luis Romero (no résumé yet)", "Maya Okafor (2 skills)"]
    app.selectbox(key="advisee_choice").set_value("Maya Okafor (2 skills)").run()
    assert "No brief yet for this advisee." in texts(app)
    next(t for t in app.text_input if t.label == "Goal for this brief (optional)").input("data engineer")
    next(b for b in app.button if b.label == "Generate brief").click().run()
    assert not app.exception
    assert any(s.value == "Brief: Maya Okafor → data engineer" for s in app.subheader)
    page = texts(app)
    assert "#### Gap to data engineer" in page  # headings nested under the page's own
    assert "- How many hours a week can you give?" in page
    assert [d.label for d in app.download_button] == ["Download as Markdown", "Download as PDF"]
    assert {c.split("?")[0] for c in api.calls if "/export" in c} == {f"GET /v1/briefs/{next(iter(api.briefs))}/export"}
    # notes are saved and kept
    notes = next(t for t in app.text_area if t.label == "Advisor notes")
    notes.input("Prefers evening classes.")
    next(b for b in app.button if b.label == "Save notes").click().run()
    assert not app.exception
    assert app.success[0].value == "Notes saved."
    assert next(iter(api.briefs.values()))["notes"] == "Prefers evening classes."
    assert next(t for t in app.text_area if t.label == "Advisor notes").value == "Prefers evening classes."
    exports = [c for c in api.calls if "/export" in c]
    assert len(exports) == 4  # a new version of the brief is exported again, once per format


def test_advisor_sees_earlier_briefs_of_another_advisee(api: FakeApi, monkeypatch: pytest.MonkeyPatch) -> None:
    key = advisor_setup(api)
    app = start(api, "views/advisor.py", advisor_key=key)
    assert app.selectbox(key="advisee_choice").value == "Luis Romero (no résumé yet)"
    assert "No brief yet for this advisee." in texts(app)
    next(b for b in app.button if b.label == "Generate brief").click().run()
    app.session_state["brief_for_" + api.advisees_of[api.keys[key]][1]] = None
    app.run()
    assert "1 earlier brief(s); showing the latest." in texts(app)


# -- alumni --------------------------------------------------------------------------------------
def test_alumni_import_badge_pick_credentials_and_see_suggestions(api: FakeApi) -> None:
    app = start(api, "views/alumni.py")
    assert app.title[0].value == "Alumni"
    # a new guest has nothing to rank from: say what to add, without asking the service
    assert app.info[0].value.startswith("Suggestions start from the skills you show")
    assert not app.dataframe
    assert "GET /v1/learners/me/suggestions" not in api.calls
    # a badge that is not Open Badges 3.0 is refused in plain words
    app.file_uploader(key="badge_file").upload("badge.json", b"{}", "application/json").run()
    assert app.error[0].value == "Could not import the badge. That file is not an Open Badges 3.0 credential."
    app.file_uploader(key="badge_file").clear().upload("badge.json", json.dumps(BADGE).encode(), "application/json")
    app.run()
    assert not app.exception
    assert app.success[0].value.startswith("Badge read. “Spreadsheets” is Spreadsheet Analysis Essentials")
    assert app.multiselect[0].value == ["LPC-DA-101"]
    # upskilling suggestions, with BLS wage and growth
    table = app.dataframe[0].value
    assert list(table["occupation"]) == ["data analyst", "database administrator"]
    assert list(table["ready now"]) == ["60%", "40%"] and "fit" not in table  # the advice's readiness, not the rank
    assert list(table["US median wage"]) == ["$82,360", "$98,860"]
    assert list(table["growth 2020–30"]) == ["+25.2%", "+9.7%"]
    assert "- SQL carries over" in texts(app)
    app.multiselect[0].set_value(["LPC-DA-101", "LPC-DA-120"])
    next(b for b in app.button if b.label == "Save my credentials").click().run()
    assert not app.exception
    assert app.success[0].value == "Saved 2 earned credentials."
    learner = api.keys[app.session_state["learner_key"]]
    assert api.profiles[learner]["earned_credentials"] == ["LPC-DA-101", "LPC-DA-120"]
    assert "On file: Spreadsheet Analytics (LPC-DA-101), Applied Statistics (LPC-DA-120)" in texts(app)
    assert api.calls.count("GET /v1/learners/me/suggestions") == 2  # once per version of the profile
    app.run()
    assert api.calls.count("GET /v1/learners/me/suggestions") == 2


def test_alumni_what_if_comparison(api: FakeApi) -> None:
    app = start(api, "views/alumni.py")
    learner = api.keys[app.session_state["learner_key"]]
    api._read_resume(api.profiles[learner], "cv.txt", RESUME.read_bytes())
    app.run()
    assert app.multiselect[1].options == ["data analyst", "database administrator"]
    app.multiselect[1].set_value(["data analyst"])
    next(b for b in app.button if b.label == "Compare").click().run()
    assert app.warning[0].value == "Choose two or three goals to compare."
    app.multiselect[1].set_value(["data analyst", "database administrator", "nurse"])  # a typed goal too
    next(b for b in app.button if b.label == "Compare").click().run()
    assert not app.exception
    table = app.dataframe[1].value
    assert list(table["goal"]) == ["data analyst", "database administrator", "nurse"]
    suggested = app.dataframe[0].value
    assert list(table["ready now"])[:2] == list(suggested["ready now"])  # one number per goal on the page
    assert list(table["best route covers"]) == ["90%", "80%", "70%"]
    assert [c.get("title") for c in charts(app)] == ["What-if comparison"]
    assert "Compared goals: data analyst: 60% ready" in texts(app)


def test_alumni_shows_a_demo_learner_read_only_and_never_its_key(
    api: FakeApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo = api.add_user("learner", "Maya Okafor")
    profile = api.profiles[api.user_of(demo)["id"]]
    api._read_resume(profile, "maya.txt", RESUME.read_bytes())
    profile["earned_credentials"] = ["LPC-DA-101"]
    keys = tmp_path / "demo_keys.json"
    keys.write_text(json.dumps({"learners": {"Maya Okafor": demo}}))
    monkeypatch.setenv("STACKWISE_DEMO_KEYS", str(keys))
    app = start(api, "views/alumni.py")
    who = app.selectbox(key="alumni_who")
    assert who.options == ["My guest profile", "Maya Okafor (demo, read-only)"]
    who.set_value("Maya Okafor").run()  # the option itself; the "(demo, read-only)" is its label
    assert not app.exception
    assert app.info[0].value.startswith("You are looking at Maya Okafor, a demo learner: read-only")
    assert not app.get("file_uploader") and not [b for b in app.button if b.label == "Save my credentials"]
    assert "- Spreadsheet Analytics (LPC-DA-101)" in texts(app)
    assert list(app.dataframe[0].value["occupation"]) == ["data analyst", "database administrator"]  # still advised
    assert demo not in texts(app)
    calls = len(api.calls)
    app.selectbox(key="alumni_who").set_value("My guest profile").run()  # the visitor's own profile is editable
    assert [b for b in app.button if b.label == "Save my credentials"] and len(api.calls) > calls


def test_alumni_uses_the_same_guest_as_the_learner_page(api: FakeApi) -> None:
    app = start(api)
    key = app.session_state["learner_key"]
    app.switch_page("views/alumni.py").run()
    assert app.session_state["learner_key"] == key
    assert api.calls.count("POST /v1/auth/guest") == 1


# -- explorer ------------------------------------------------------------------------------------
def test_explorer_page_lists_counts(api: FakeApi) -> None:
    app = start(api, "views/explorer.py")
    assert {m.label: m.value for m in app.metric}["ESCO skills"] == "13,896"
    assert any(c.value == "3 credentials" for c in app.caption)


def explore_occupation(api: FakeApi, title: str = "data analyst") -> AppTest:
    app = start(api, "views/explorer.py")
    next(t for t in app.text_input if t.label == "Job title").input(title).run()
    assert not app.exception, app.exception
    return app


def test_explorer_occupation_shows_the_credentials_that_build_toward_it_and_a_route(api: FakeApi) -> None:
    """The caption promises the credentials that build toward an occupation: the occupation shows them, with a
    route for someone starting from nothing."""
    app = explore_occupation(api)
    assert "GET /v1/occupations/credentials" in api.calls
    shown = texts(app)
    assert "Credentials that build toward data analyst" in [s.value for s in app.subheader]
    assert "2 credentials in the catalog: 2 made for data analyst." in shown
    assert "Made for data analyst" in shown
    assert "Teaches 1 core skill: statistical analysis" in shown
    assert "A route to data analyst from scratch" in [s.value for s in app.subheader]
    assert "studying 15 hours a week" in shown and "the job's 14 core skills" in shown
    assert "1. **Applied Statistics** · weeks 1–6 · $450" in shown
    assert "**2 credentials** · $1,100 · 105 hours · 14 weeks" in shown
    assert [r.options for r in app.radio] == [["Most coverage", "Cheapest"]]
    app.radio[0].set_value(1).run()
    assert "**1 credential** · $450 · 45 hours · 6 weeks" in texts(app)


def test_explorer_requirements_are_in_plain_words(api: FakeApi) -> None:
    """Not "None" for an ESCO skill's importance, not `esco-essential` for its source."""
    table = explore_occupation(api).dataframe[0].value
    cells = [str(v) for v in table.to_numpy().ravel()]
    assert not [c for c in cells if c in ("None", "nan") or c.startswith(("esco-", "onet-"))]
    assert list(table["How much it matters"]) == [
        "Essential",
        "Optional",
        "Very important, 4.1 of 5",
        "Hot technology, in demand",
        "",
    ]
    assert list(table["Source"]) == ["ESCO", "ESCO", "O*NET skills", "O*NET technology", "O*NET technology"]


def test_explorer_cost_filter_is_off_to_start_and_says_what_it_hides(api: FakeApi) -> None:
    app = start(api, "views/explorer.py")
    limit = next(n for n in app.number_input if n.label == "Max cost (USD)")
    assert limit.value is None  # no hidden limit: every credential is listed
    assert any(c.value == "3 credentials" for c in app.caption)
    assert sum(1 for c in app.markdown if str(c.value).startswith("**Spreadsheet Analytics**")) == 1
    limit.set_value(500).run()
    captions = [c.value for c in app.caption]
    assert "1 credential; 2 credentials hidden by the cost filter (over the limit, or no price stated)" in captions


def test_explorer_prerequisites_are_titles_with_one_of(api: FakeApi) -> None:
    """The catalog says either one is enough: not "Requires: LPC-DA-101, LPC-SD-101"."""
    captions = [str(c.value) for c in start(api, "views/explorer.py").caption]
    assert "Requires one of Spreadsheet Analytics or Programming Foundations with Python" in captions
    assert not [c for c in captions if "LPC-SD-101" in c or "LPC-CERT-DA" in c]
    assert "Counts toward Certificate in Data Analytics" in captions


def test_no_pages_folder_beside_the_entry_script() -> None:
    """A ui/pages/ folder makes Streamlit run deep links (/advisor) as old-style pages on a fresh server,
    skipping app.py's navigation and error handling; the pages live in ui/views/ instead."""
    assert not (ROOT / "ui" / "pages").exists()
    assert {p.name for p in (ROOT / "ui" / "views").glob("*.py")} >= {
        "learner.py",
        "advisor.py",
        "alumni.py",
        "explorer.py",
    }


def test_a_first_start_shows_how_far_the_index_build_is_and_what_works(api: FakeApi) -> None:
    api.building = "occupations 50% (part 2 of 3)"
    app = start(api, "views/explorer.py")
    bars = app.get("progress")
    assert len(bars) == 1
    assert bars[0].proto.value == 50  # part 2 of 3 at half: half of the whole build
    assert "building its occupations search index (50% of the way)" in bars[0].proto.text
    assert "Browsing the catalog and occupations works now" in bars[0].proto.text


def test_no_banner_once_the_indexes_are_built(api: FakeApi) -> None:
    assert start(api).get("progress") == []


def _gap_chart_page() -> None:
    import streamlit as st

    from ui.components.advice import gap_chart

    gap_chart(st.session_state["view"])


@pytest.mark.parametrize(("weights", "flat"), [((1.0, 1.0, 1.0, 1.0), True), ((1.0, 0.8, 0.5, 0.4), False)])
def test_a_gap_of_equal_weights_drops_the_weight_axis_and_groups_skills_by_status(
    weights: tuple[float, ...], flat: bool
) -> None:
    """Essential skills all weigh 1.0: bars of one length on a "how much the role relies on it" axis said
    nothing (seen in the page), so then the axis goes and the skills are grouped held, partly, missing."""
    statuses = ("missing", "held", "weak", "missing")
    rows = [
        {"label": f"skill {i}", "weight": w, "status": s, "core": True}
        for i, (w, s) in enumerate(zip(weights, statuses, strict=True))
    ]
    app = AppTest.from_function(_gap_chart_page, default_timeout=30)
    app.session_state["view"] = {"skills": rows}
    app.run()
    spec = charts(app)[0]
    caption = app.caption[0].value
    if flat:
        bars, words = spec["layer"]
        assert bars["encoding"]["x"]["axis"] is None and bars["encoding"]["color"]["legend"] is None
        assert words["encoding"]["text"]["field"] == "status"  # each bar says its status instead
        assert bars["encoding"]["y"]["sort"] == ["skill 1", "skill 2", "skill 0", "skill 3"]  # held, partly, missing
        assert "all equally essential to the role, grouped by status: 1 you have, 1 partly shown, 2 missing" in caption
    else:
        assert spec["encoding"]["x"]["title"] == "How much the role relies on it"
        assert "longest bar first" in caption
