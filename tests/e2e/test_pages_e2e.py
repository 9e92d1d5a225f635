"""The three pages in a real browser against the real API and model, as a learner, an advisor and an alumna."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.support import ROOT, Stack

pytestmark = pytest.mark.e2e

RESUME = ROOT / "tests" / "fixtures" / "resumes" / "data_analyst.txt"
DESKTOP = {"width": 1400, "height": 1000}
PHONE = {"width": 390, "height": 844}
SLOW = 180_000  # ms: reading a résumé or planning a route on a busy two-core machine


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh desktop browser session: a new Streamlit session, so a new guest learner."""
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    context.set_default_timeout(SLOW)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(SLOW)
    yield context.new_page()
    context.close()


def idle(page: Any) -> None:
    """Wait until Streamlit has finished the current run (its 'Running…' widget is gone)."""
    page.wait_for_timeout(300)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=SLOW)


# How tall the page is: Streamlit scrolls inside its own container (``stMain``, whose test id becomes
# ``stAppScrollToBottomContainer`` on a page with a chat input pinned to the bottom).
PAGE_HEIGHT = """() => Math.max(...['.stMain', '[data-testid="stAppViewContainer"]', 'body']
    .map(s => document.querySelector(s)).filter(Boolean).map(e => e.scrollHeight))"""


def shoot(page: Any, path: Path) -> None:
    """A whole-page screenshot: Streamlit scrolls inside its own container, so grow the viewport to fit it."""
    width, shown = page.viewport_size["width"], 0
    # again while the page still grows (an expander opening, a chart redrawn at the new size): a page shot
    # shorter than the page puts the chat input pinned to the bottom of the screen over its last lines
    for _ in range(3):
        height = min(int(page.evaluate(PAGE_HEIGHT)) + 40, 20_000)
        if height <= shown:
            break
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(1500)  # charts redraw at the new size
        idle(page)
        shown = height
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000


def chat(page: Any, text: str, replies: int) -> None:
    """Send one message once the page is idle (a message sent mid-run can be dropped by the rerun), then
    wait for the whole reply: the learner's turn and the assistant's after the welcome and earlier turns."""
    idle(page)
    box = page.get_by_placeholder("Your goal, hours a week or budget…")
    expect(box).to_be_enabled(timeout=SLOW)  # the input is off while a reply is being written
    box.fill(text)
    box.press("Enter")
    messages = page.locator('[data-testid="stChatMessage"]')
    messages.nth(replies * 2 - 1).filter(has_text=text).wait_for(timeout=SLOW)
    messages.nth(replies * 2).wait_for(timeout=SLOW)
    idle(page)


def open_with_resume(page: Any, stack: Stack, resume: Path) -> None:
    """The learner page as a new guest, with a résumé uploaded and read."""
    page.goto(stack.ui_url)
    page.get_by_role("heading", name="Plan my learning").wait_for()
    page.locator('[data-testid="stChatMessage"]').first.wait_for()  # the welcome: a guest was created
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(resume))
    page.get_by_text(f"skills found in {resume.name}").wait_for(timeout=SLOW)
    idle(page)


def learner_flow(page: Any, stack: Stack, *, messages: list[str]) -> None:
    open_with_resume(page, stack, RESUME)
    for i, text in enumerate(messages, start=1):
        chat(page, text, replies=i)


def test_learner_uploads_a_resume_chats_and_sees_the_plan(page: Any, stack: Stack, screenshots: Path) -> None:
    learner_flow(page, stack, messages=["I want to move into data analysis", "I have 6 hours a week and $800"])
    assert not page.locator('[data-testid="stException"]').count()
    messages = page.locator('[data-testid="stChatMessage"]')
    assert messages.count() == 5
    assert "6 hours" in messages.nth(3).inner_text()
    assert page.get_by_role("heading", name="Toward: data analyst").is_visible()
    # the gap chart, with its text alternative (the plan's first tab)
    charts = page.locator('[data-testid="stVegaLiteChart"]')
    assert charts.count() >= 2
    assert page.get_by_text("Bar chart of", exact=False).first.is_visible()
    plan = page.locator(".st-key-learner_plan_tabs")
    # at least one credential card, with cost, hours, ECTS and EQF
    plan.get_by_role("tab", name="Credentials").click()
    cards = page.locator('[class*="st-key-learner_card_"]')
    assert cards.count() >= 1
    expect(cards.first).to_be_visible()
    first_card = cards.first.inner_text()
    assert "$" in first_card and "hours" in first_card and "EQF level" in first_card
    # the route timeline toward the stacked credential
    plan.get_by_role("tab", name="Route").click()
    expect(page.get_by_role("heading", name="Your route")).to_be_visible()
    assert page.get_by_text("Timeline:", exact=False).first.is_visible()
    assert page.locator('[data-testid="stProgress"]').count() >= 1
    # evidence: a gap row opens onto the requirement it comes from
    plan.get_by_role("tab", name="Skills").click()
    page.locator('[data-testid="stExpander"] summary').filter(has_text="missing").first.click()
    page.get_by_text("Required by:", exact=False).first.wait_for()
    shoot(page, screenshots / "learner.png")


def test_learner_page_works_at_phone_width(phone: Any, stack: Stack, screenshots: Path) -> None:
    learner_flow(phone, stack, messages=["I want to move into data analysis"])
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    # the chat's input is pinned to the bottom of the screen: the plan follows the chat's last turn
    last_turn = phone.locator('[data-testid="stChatMessage"]').last.bounding_box()
    plan = phone.get_by_role("heading", name="Toward: data analyst").bounding_box()
    assert plan["y"] > last_turn["y"], "the plan stacks below the chat on a phone"
    assert plan["x"] + plan["width"] <= PHONE["width"]
    shoot(phone, screenshots / "learner-phone.png")


def test_advisor_generates_annotates_and_exports_a_brief(page: Any, stack: Stack, screenshots: Path) -> None:
    page.goto(f"{stack.ui_url}/advisor")
    page.get_by_role("heading", name="Advisor", exact=True).wait_for()
    advisee = page.get_by_role("combobox", name="Advisee")
    advisee.click()
    page.get_by_role("option", name=re.compile("^Maya Okafor")).click()
    expect(advisee).to_have_value(re.compile("^Maya Okafor"))  # one of the demo advisor's two advisees
    idle(page)
    page.get_by_role("textbox", name="Goal for this brief (optional)").fill("data analyst")
    page.get_by_role("button", name="Generate brief").click()
    # .first: while the page reruns, the last run's button can still be drawn beside the new one
    page.get_by_role("button", name="Download as PDF").first.wait_for(timeout=SLOW)
    idle(page)
    expect(page.get_by_role("button", name="Download as PDF")).to_have_count(1)
    assert page.get_by_role("heading", name="Brief", exact=False).first.is_visible()
    with page.expect_download() as pdf:
        page.get_by_role("button", name="Download as PDF").click()
    assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF")
    with page.expect_download() as md:
        page.get_by_role("button", name="Download as Markdown").click()
    assert pdf.value.suggested_filename.endswith(".pdf") and md.value.suggested_filename.endswith(".md")
    assert "data analyst" in Path(md.value.path()).read_text(encoding="utf-8").lower()
    page.get_by_role("textbox", name="Advisor notes").fill("Prefers evening, online classes.")
    page.get_by_role("button", name="Save notes").click()
    page.get_by_text("Notes saved.").wait_for()
    idle(page)
    assert page.get_by_role("textbox", name="Advisor notes").input_value() == "Prefers evening, online classes."
    shoot(page, screenshots / "advisor.png")


@pytest.mark.parametrize(
    ("who", "shot"),
    [("Maya Okafor", "alumni.png"), ("Jordan Lee", "alumni-alumna.png")],
    ids=["data-analyst", "alumna"],
)
def test_alumni_page_suggests_and_compares_goals(
    page: Any, stack: Stack, screenshots: Path, who: str, shot: str
) -> None:
    """Maya Okafor is a demo data analyst; Jordan Lee the demo alumna (nursing assistant, one credential earned)."""
    assert who in json.loads(stack.demo_keys.read_text(encoding="utf-8"))["learners"]
    page.goto(f"{stack.ui_url}/alumni")
    page.get_by_role("heading", name="Alumni").wait_for()
    idle(page)
    profile = page.get_by_role("combobox", name="Whose profile")
    profile.click()
    page.get_by_role("option", name=who).click()
    expect(profile).to_have_value(f"{who} (demo, read-only)")
    idle(page)
    # a demo profile is shared by every visitor: shown, never changed here
    page.get_by_text(f"You are looking at {who}, a demo learner: read-only", exact=False).wait_for()
    expect(page.get_by_text("Open Badges 3.0 file", exact=False)).to_have_count(0)  # once the rerun settles
    expect(page.get_by_role("button", name="Save my credentials")).to_have_count(0)
    page.get_by_role("heading", name="Where you could go next").wait_for()
    suggestions = page.locator('[data-testid="stDataFrame"]')
    errors = page.locator('[data-testid="stAlertContentError"]')
    suggestions.or_(errors).first.wait_for(timeout=SLOW)
    assert not errors.count(), f"the page says: {errors.first.inner_text()}"
    assert page.get_by_text("US Bureau of Labor Statistics", exact=False).is_visible()
    goals = page.get_by_role("combobox", name="Goals to compare")
    # typed, as a person adds a goal that is not in the list; a bare "nurse" names several jobs and is asked about
    for goal in ("data analyst", "registered nurse"):
        goals.click()
        goals.press_sequentially(goal, delay=20)
        page.get_by_role("option").first.wait_for()
        goals.press("Enter")
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Compare").click()
    page.get_by_text("Compared goals:", exact=False).wait_for(timeout=SLOW)
    idle(page)
    assert suggestions.count() == 2  # the suggestions and the comparison table
    shoot(page, screenshots / shot)


@pytest.mark.parametrize(("viewport", "shot"), [(DESKTOP, "learner-tools.png"), (PHONE, "learner-tools-phone.png")])
def test_learner_sees_their_tools_and_removes_one(
    browser: Any, stack: Stack, screenshots: Path, viewport: dict[str, int], shot: str
) -> None:
    """An accountant's résumé (not a fixture): the products it names are listed apart, each removable."""
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(SLOW)
    page = context.new_page()
    open_with_resume(page, stack, ROOT / "eval" / "resumes" / "dev" / "accountant.txt")
    # the skills panel opens by itself while some skills await confirmation; its tools are a tab
    page.locator(".st-key-skill_tabs").get_by_role("tab", name="Tools").click()
    expect(page.get_by_text("Tools and technologies (as O*NET", exact=False)).to_be_visible()
    expect(page.get_by_text("Microsoft Excel", exact=False).first).to_be_visible()
    page.locator(".st-key-no-onet-technology-Microsoft-Word").get_by_role("button", name="No").click()
    idle(page)
    expect(page.locator(".st-key-no-onet-technology-Microsoft-Word")).to_have_count(0)
    expect(page.locator(".st-key-no-onet-technology-Microsoft-Excel")).to_have_count(1)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"]
    shoot(page, screenshots / shot)
    context.close()


@pytest.mark.parametrize(("viewport", "shot"), [(DESKTOP, "learner-goal.png"), (PHONE, "learner-goal-phone.png")])
def test_learner_is_asked_which_job_and_picks_one(
    browser: Any, stack: Stack, screenshots: Path, viewport: dict[str, int], shot: str
) -> None:
    """A teaching assistant's résumé (not a fixture) and a goal in her own words: "teacher" is a question with
    the jobs as buttons; a click sets the goal; pay is answered with its SOC code; "cheaper" moves no limit."""
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(SLOW)
    page = context.new_page()
    open_with_resume(page, stack, ROOT / "eval" / "resumes" / "dev" / "teacher.txt")
    chat(page, "honestly i think i'd like to be a teacher", replies=1)
    messages = page.locator('[data-testid="stChatMessage"]')
    expect(messages.nth(2)).to_contain_text("can mean several jobs")
    expect(messages.nth(2)).not_to_contain_text("_Changed")
    page.locator(".st-key-learner_suggestions").get_by_role("button", name="primary school teacher").click()
    # the reply streams in after the click's rerun: wait for its last line, not just for the bubble
    expect(messages.nth(4)).to_contain_text("Changed: goal primary school teacher (was none)", timeout=SLOW)
    idle(page)
    expect(messages.nth(4)).to_contain_text("Your goal: primary school teacher")
    chat(page, "I have 5 hours a week and $900", replies=3)
    chat(page, "what will I earn?", replies=4)
    expect(messages.nth(8)).to_contain_text("SOC 25-2021")
    chat(page, "something cheaper?", replies=5)
    expect(messages.nth(10)).to_contain_text("your budget stays $900")
    expect(messages.nth(10)).not_to_contain_text("Changed:")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"]
    shoot(page, screenshots / shot)
    context.close()


def test_learner_pastes_a_second_resume_and_is_asked_replace_or_add(page: Any, stack: Stack, screenshots: Path) -> None:
    """A teacher's résumé uploaded, then a chef's pasted into the chat (neither a fixture): the page asks
    whether to replace or add, changes nothing until a button is pressed, then says what it added. (A skill the
    first résumé only suggested and the second showed once crashed the skills panel here.)"""
    open_with_resume(page, stack, ROOT / "eval" / "resumes" / "dev" / "teacher.txt")
    pasted = (ROOT / "eval" / "resumes" / "dev" / "chef.txt").read_text(encoding="utf-8")
    box = page.get_by_placeholder("Your goal, hours a week or budget…")
    expect(box).to_be_enabled(timeout=SLOW)
    box.fill(pasted)
    box.press("Enter")
    messages = page.locator('[data-testid="stChatMessage"]')
    expect(messages.nth(2)).to_contain_text("This looks like a résumé", timeout=SLOW)
    idle(page)
    expect(messages.nth(2)).not_to_contain_text("Changed:")
    suggestions = page.locator(".st-key-learner_suggestions")
    expect(suggestions.get_by_role("button", name="Replace my résumé")).to_be_visible()
    suggestions.get_by_role("button", name="Add to my profile").click()
    # the reply streams in after the click's rerun, and the page reruns once more to show the new profile
    expect(messages.nth(4)).to_contain_text("Your earlier résumé's skills stay", timeout=SLOW)
    idle(page)
    expect(messages.nth(4)).to_contain_text("From the pasted résumé I added", timeout=SLOW)
    expect(messages.nth(4)).not_to_contain_text("removed", timeout=SLOW)
    assert not page.locator('[data-testid="stException"]').count()
    shoot(page, screenshots / "learner-paste.png")


@pytest.mark.parametrize(("viewport", "shot"), [(DESKTOP, "catalog-health.png"), (PHONE, "catalog-health-phone.png")])
def test_admin_reviews_the_catalogs_health(
    browser: Any, stack: Stack, screenshots: Path, viewport: dict[str, int], shot: str
) -> None:
    """The admin page on the demo catalog: the findings, the demand-gap chart, the coverage heat map, and the
    committee export, at desktop and phone width."""
    context = browser.new_context(viewport=viewport, accept_downloads=True)
    context.set_default_timeout(SLOW)
    page = context.new_page()
    try:
        page.goto(f"{stack.ui_url}/catalog")
        page.get_by_role("heading", name="Catalog health").wait_for()
        page.get_by_text("near-duplicate pairs", exact=False).wait_for(timeout=SLOW)
        idle(page)
        assert not page.locator('[data-testid="stException"]').count()
        assert page.get_by_text("No near-duplicates").is_visible()  # the demo catalog has none (checked by hand)
        page.get_by_role("tab", name="Demand gaps").click()
        page.get_by_text("Bar chart of the top demand gaps", exact=False).wait_for()
        page.get_by_role("tab", name="Coverage").click()
        page.get_by_text("Heat map of coverage", exact=False).wait_for()
        page.locator('[data-testid="stVegaLiteChart"]').last.wait_for()
        page.get_by_role("tab", name="Export").click()
        page.get_by_role("button", name="Prepare the export").click()
        page.get_by_role("button", name="Download for the committee (Markdown)").wait_for(timeout=SLOW)
        with page.expect_download() as download:
            page.get_by_role("button", name="Download for the committee (Markdown)").click()
        assert download.value.suggested_filename.startswith("catalog-health-")
        page.get_by_role("tab", name="Coverage").click()
        idle(page)
        shoot(page, screenshots / shot)
    finally:
        context.close()


# The widths people use: a phone (iPhone 12 to 15), a tablet held upright, a laptop.
WIDTHS = {"phone": PHONE, "tablet": {"width": 768, "height": 1024}, "laptop": {"width": 1280, "height": 900}}
PLAN_TABS = ("Gap", "Skills", "Credentials", "Route")
# At 390 px the page is the title, the résumé box (its skill lists scroll in a box), the chat's three turns, the
# plan's summary with one tab open, and "Your data". Measured: 4,036 px as the plan opens (its Gap tab) and
# 4,835 with the tallest tab (Route) open, about six screens; 12,740 with the whole plan stacked under the chat
# and the skill lists in full. The bounds leave room for a longer reply, and fail if the plan's parts stack
# again (+3,500 px or more), all the credential cards show (+1,300) or the skill lists unbox (+750).
PHONE_MAX_HEIGHT = 4_500  # as the plan opens
PHONE_MAX_HEIGHT_ANY_TAB = 5_500
SCROLL = """(top) => { window.scrollTo(0, top); document.querySelectorAll('.stMain, [data-testid="stAppViewContainer"]')
    .forEach(e => { e.scrollTop = top; }); }"""


def in_view_and_on_top(page: Any, locator: Any) -> bool:
    """The element lies inside the viewport as it is (no scrolling) and nothing is drawn over its middle."""
    box = locator.bounding_box()
    size = page.viewport_size
    if (
        box is None
        or box["y"] < 0
        or box["y"] + box["height"] > size["height"]
        or box["x"] + box["width"] > size["width"]
    ):
        return False
    return bool(
        locator.evaluate(
            """(e, p) => { const hit = document.elementFromPoint(p.x, p.y);
                return !!hit && (e === hit || e.contains(hit) || hit.contains(e)); }""",
            {"x": box["x"] + box["width"] / 2, "y": box["y"] + box["height"] / 2},
        )
    )


def sizes(page: Any) -> dict[str, int]:
    return {
        "height": page.evaluate(PAGE_HEIGHT),
        "scroll_width": page.evaluate("() => document.documentElement.scrollWidth"),
        "inner_width": page.evaluate("() => window.innerWidth"),
    }


def test_learner_plan_fits_a_phone_a_tablet_and_a_laptop(browser: Any, stack: Stack, screenshots: Path) -> None:
    """Issue 20.1: after a résumé and a goal give a plan, no width scrolls sideways, the chat input is pinned in
    view on a phone, and the phone's page stays a few screens long whichever of the plan's tabs is open.
    One session resized through the widths: the layout follows the width, and a résumé and a reply take time."""
    context = browser.new_context(viewport=PHONE, has_touch=True)
    context.set_default_timeout(SLOW)
    page = context.new_page()
    try:
        learner_flow(page, stack, messages=["I want to move into data analysis"])
        page.get_by_role("heading", name="Toward: data analyst").wait_for()
        box = page.get_by_placeholder("Your goal, hours a week or budget…")
        plan = page.locator(".st-key-learner_plan_tabs")
        delete = page.get_by_role("button", name="Delete my data")
        seen: dict[str, dict[str, Any]] = {}
        for name, size in WIDTHS.items():
            page.set_viewport_size(size)
            page.wait_for_timeout(1500)  # charts redraw at the new width
            idle(page)
            page.evaluate(SCROLL, 0)
            seen[name] = {**sizes(page), "chat_input_in_view": in_view_and_on_top(page, box)}
            page.screenshot(path=str(screenshots / f"learner-plan-{name}-screen.png"))  # the screen as it opens
            # at the end of the page its last button shows above the pinned input, not under it
            page.evaluate(SCROLL, 10**6)
            page.wait_for_timeout(300)
            seen[name]["last_button_in_view"] = in_view_and_on_top(page, delete)
            for tab in PLAN_TABS[1:] if name == "phone" else ():
                plan.get_by_role("tab", name=tab).click()
                page.wait_for_timeout(500)
                seen[f"{name}, {tab} tab"] = {**sizes(page), "chat_input_in_view": in_view_and_on_top(page, box)}
                shoot(page, screenshots / f"learner-plan-{name}-{tab.lower()}.png")
                page.set_viewport_size(size)
            plan.get_by_role("tab", name=PLAN_TABS[0]).click()
            shoot(page, screenshots / f"learner-plan-{name}.png")
        print(f"\nlearner page after a plan: {json.dumps(seen)}")
        (screenshots / "learner-plan-sizes.json").write_text(json.dumps(seen, indent=2), encoding="utf-8")
        assert not page.locator('[data-testid="stException"]').count()
        for name, shown in seen.items():
            assert shown["scroll_width"] <= shown["inner_width"], f"{name}: the page scrolls sideways: {shown}"
            assert shown.get("last_button_in_view", True), f"{name}: the chat input covers the page's end: {shown}"
            if name.startswith("phone"):
                assert shown["chat_input_in_view"], f"{name}: the chat input is not pinned in view: {shown}"
                bound = PHONE_MAX_HEIGHT if name == "phone" else PHONE_MAX_HEIGHT_ANY_TAB
                assert shown["height"] < bound, f"{name}: the page is too long: {shown}"
    finally:
        context.close()
