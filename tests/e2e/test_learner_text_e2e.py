"""A learner's own words shown to another person stay text in a real browser (issue 18, item 5).

A learner whose display name, résumé lines and badges are Markdown and HTML (an image, a script, a link to
evil.example) is assigned to a new advisor, who signs in on the advisor page, generates a brief and opens the
gap behind it, at desktop and phone width. Nothing from that text may run or load: no dialog, no request to
evil.example, no <img>/<script> element or evil.example link made from it; the characters are shown as they
were typed, on the page and in the Markdown and PDF exports.

The alumni page is not visited: it shows only the signed-in learner's own profile (or, in a local demo, the
bundled demo learners), so a learner's text never reaches another person there.
"""

from __future__ import annotations

import copy
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from markdown_it import MarkdownIt
from playwright.sync_api import expect as playwright_expect
from pypdf import PdfReader

from tests.e2e.support import ROOT, Stack

pytestmark = pytest.mark.e2e

NAME = "![a](https://evil.example/n.png)<img src=x onerror=alert(1)>"
BADGE_NAME = (
    "**Badge** [claim](https://evil.example/badge) ![b](https://evil.example/b.png) <img src=x onerror=alert(2)>"
)
# a badge's achievement id, shown beside the skills the badge adds
REFERENCE = "<img src=x onerror=alert(4)>![r](https://evil.example/ref.png)"
# Made up for this test. The reader keeps the words of a Markdown link or image ("apply") and drops its address;
# the <script> lines are the best evidence for Python and statistics, so the brief quotes them.
RESUME = """\
Test Learner
Data Analyst
test.learner@example.com

PROFESSIONAL SUMMARY
Data analyst who turns sales data into dashboards and forecasts.

WORK EXPERIENCE
Data Analyst, Example Retail Co                Jan 2021 – Present
• <script>alert(1)</script> Automated a forecasting pipeline in Python with pandas.
• <script>alert(1)</script> Wrote SQL queries in PostgreSQL for weekly revenue reporting.
• [apply](https://evil.example/apply) Built Tableau dashboards for regional sales managers.
• <img src=x onerror=alert(3)> Cleaned and merged survey data in Excel using statistics.

TECHNICAL SKILLS
<script>alert(1)</script> SQL, Python, Excel, Tableau, statistics
"""
BADGE = ROOT / "tests" / "fixtures" / "badges" / "named_alignments.json"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SLOW = 180_000  # ms: writing a brief on a busy two-core machine
WORD_JOINER = "\u2060"  # invisible; the page may put one inside an address so that it is not made a link
# what the browser made of the learner's text if it was taken as markup, each with the element it sits in
ACTIVE = """() => {
  const where = e => e.closest('[data-testid]')?.getAttribute('data-testid') || e.tagName;
  const list = (sel, get, keep) => [...document.querySelectorAll(sel)].filter(e => keep(get(e)))
    .map(e => `${get(e)} in ${where(e)}`);
  return [
    ...list('img', e => e.getAttribute('src') || '', s => s === 'x' || s.includes('evil.example')),
    ...list('[onerror]', e => e.getAttribute('onerror'), () => true),
    ...list('script', e => e.textContent || '', t => t.includes('alert(')),
    ...list('a[href]', e => e.href, h => h.includes('evil.example')),
  ];
}"""


@dataclass
class Accounts:
    learner_id: str
    advisor_key: str


@dataclass
class Watch:
    """What the page did with the learner's text: dialogs opened, requests to evil.example or to `x`, and
    the problems found, all reported together at the end so one run shows every place at fault."""

    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def request(self, url: str) -> None:
        if ("evil.example" in url or httpx.URL(url).path.rstrip("/").endswith("/x")) and url not in self.requests:
            self.requests.append(url)

    def check(self, page: Any, where: str) -> None:
        """Nothing the learner wrote became an element, a link, a request or a dialog."""
        made = dict.fromkeys(page.evaluate(ACTIVE))  # one line per element, where it was first seen
        self.problems += [f"{where}: made {found}" for found in made if not self._seen(f"made {found}")]
        self.problems += [f"{where}: dialog {message!r}" for message in self.dialogs]
        self.problems += [f"{where}: fetched {url}" for url in self.requests]
        self.dialogs.clear()
        self.requests.clear()

    def _seen(self, problem: str) -> bool:
        return any(p.endswith(f": {problem}") for p in self.problems)

    def expect(self, ok: bool, problem: str) -> None:
        if not ok:
            self.problems.append(problem)


def _badge(*, aligned: bool) -> bytes:
    """An Open Badges 3.0 credential with the learner's markup as its name and id: aligned to SQL and
    statistics (its name becomes evidence), or to nothing (its name goes into a note)."""
    badge = copy.deepcopy(json.loads(BADGE.read_text(encoding="utf-8")))
    badge["id"] = f"urn:uuid:0b6d7c3e-1f2a-4d5b-8c9e-3a4b5c6d7e{'8f' if aligned else '90'}"
    badge["name"] = BADGE_NAME
    achievement = badge["credentialSubject"]["achievement"]
    achievement["id"] = f"urn:example:{'aligned' if aligned else 'plain'}:{REFERENCE}"
    achievement["name"] = BADGE_NAME
    if not aligned:
        del achievement["alignment"]
    return json.dumps(badge).encode("utf-8")


@pytest.fixture(scope="module")
def accounts(stack: Stack) -> Accounts:
    """Made through the API as the demo administrator: the learner (with résumé and badges) and a new advisor
    who has only that learner, so the advisor page opens on them."""
    admin = json.loads(stack.demo_keys.read_text(encoding="utf-8"))["admin"]
    with httpx.Client(base_url=stack.api_url, timeout=SLOW / 1000) as api:

        def call(method: str, path: str, key: str, **kwargs: Any) -> Any:
            response = api.request(method, path, headers={"Authorization": f"Bearer {key}"}, **kwargs)
            assert response.status_code < 400, f"{method} {path}: {response.status_code} {response.text}"
            return response.json() if response.content else None

        learner = call("POST", "/v1/users", admin, json={"role": "learner", "display_name": NAME})
        advisor = call("POST", "/v1/users", admin, json={"role": "advisor", "display_name": "Escaping Check Advisor"})
        assert learner["user"]["display_name"] == NAME  # stored as typed; showing it safely is the pages' job
        learner_key, learner_id = learner["api_key"], learner["user"]["id"]
        call("PUT", f"/v1/learners/{learner_id}/resume/text", learner_key, json={"text": RESUME})
        for aligned in (True, False):
            file = {"file": ("badge.json", _badge(aligned=aligned), "application/json")}
            call("POST", f"/v1/learners/{learner_id}/badges", learner_key, files=file)
        call("PUT", f"/v1/advisors/{advisor['user']['id']}/advisees/{learner_id}", admin)
        return Accounts(learner_id, advisor["api_key"])


@pytest.fixture(params=[DESKTOP, PHONE], ids=["desktop", "phone"])
def page(request: pytest.FixtureRequest, browser: Any) -> Iterator[Any]:
    """A browser session that blocks and records every request to evil.example and every dialog."""
    phone = request.param is PHONE
    context = browser.new_context(viewport=request.param, is_mobile=phone, has_touch=phone, accept_downloads=True)
    context.set_default_timeout(SLOW)
    watch = Watch()
    context.route(re.compile(r"evil\.example"), lambda route: (watch.request(route.request.url), route.abort()))
    page = context.new_page()
    page.on("dialog", lambda dialog: (watch.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("request", lambda req: watch.request(req.url))
    page.watch = watch
    yield page
    context.close()


def idle(page: Any) -> None:
    """Wait until Streamlit has finished the current run (its 'Running…' widget is gone)."""
    page.wait_for_timeout(300)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=SLOW)


def shoot(page: Any, path: Path) -> None:
    """A whole-page screenshot: Streamlit scrolls inside its own container, so grow the viewport to fit it."""
    width = page.viewport_size["width"]
    height = page.evaluate(
        """() => Math.max(...['[data-testid="stMain"]', '[data-testid="stAppViewContainer"]', 'body']
              .map(s => document.querySelector(s)).filter(Boolean).map(e => e.scrollHeight))"""
    )
    page.set_viewport_size({"width": width, "height": min(int(height) + 40, 20_000)})
    page.wait_for_timeout(1500)
    idle(page)
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000


def shown(text: str) -> str:
    return text.replace(WORD_JOINER, "")


def check_markdown(watch: Watch, markdown: str) -> None:
    """The exported Markdown quotes the learner's text escaped: rendered, even with raw HTML allowed, it is
    words, not an image, a script or a link; and no bare address is left for a GFM viewer to link."""
    watch.expect(r"onerror=alert\(1\)\>" in markdown, "export: the display name is not quoted escaped")
    watch.expect(r"\<script\>alert\(1\)\</script\>" in markdown, "export: the résumé line is not quoted escaped")
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)
    for found in dict.fromkeys(re.findall(r"<(?:img|script)\b[^>]*>|href=\"[^\"]*evil\.example[^\"]*\"", html)):
        watch.problems.append(f"export: renders as {found}")
    for found in dict.fromkeys(re.findall(r"(?i)(?:https?://|www\.)evil\.example\S*", markdown)):
        watch.problems.append(f"export: a GFM viewer links the bare address {found}")


def check_pdf(watch: Watch, data: bytes) -> None:
    document = PdfReader(io.BytesIO(data))
    text = "".join(p.extract_text() for p in document.pages)
    watch.expect("onerror=alert" in text, "PDF: the display name is not in the text")
    for page in document.pages:
        for annotation in page.get("/Annots") or []:
            action = str(annotation.get_object().get("/A", ""))
            watch.expect("evil.example" not in action, f"PDF: link {action}")


def test_advisor_sees_a_learners_markup_as_text(page: Any, stack: Stack, accounts: Accounts, screenshots: Path) -> None:
    watch: Watch = page.watch
    phone = page.viewport_size["width"] == PHONE["width"]
    page.goto(f"{stack.ui_url}/advisor")
    page.get_by_role("heading", name="Advisor", exact=True).wait_for()
    idle(page)
    page.get_by_text("Use another advisor key").click()
    page.get_by_role("textbox", name="Advisor key").fill(accounts.advisor_key)
    page.get_by_role("button", name="Use this key").click()
    page.get_by_text("Signed in as Escaping Check Advisor").wait_for()
    idle(page)
    # the new advisor's only advisee, chosen already; the picker shows the name as typed
    picked = page.get_by_role("combobox", name="Advisee").input_value()
    assert picked.startswith(NAME), picked
    page.get_by_role("textbox", name="Goal for this brief (optional)").fill("data analyst")
    page.get_by_role("button", name="Generate brief").click()
    # .first: while the page reruns, the last run's button can still be drawn beside the new one
    page.get_by_role("button", name="Download as PDF").first.wait_for(timeout=SLOW)
    idle(page)
    playwright_expect(page.get_by_role("button", name="Download as PDF")).to_have_count(1)
    assert not page.locator('[data-testid="stException"]').count()
    watch.check(page, "brief")

    # the page's title for the brief and the brief's own heading show the name as its characters
    headings = [shown(h) for h in page.locator("h1, h2, h3, h4, h5, h6").all_inner_texts()]
    for title in (f"{NAME}: data analyst", f"Advising brief: {NAME}"):
        watch.expect(title in headings, f"brief: no heading reads {title!r}; the headings read {headings}")
    main = shown(page.locator('[data-testid="stMain"]').inner_text())
    assert "onerror=alert(1)" in main
    assert page.get_by_text("onerror=alert(1)", exact=False).first.is_visible()
    watch.expect("<script>alert(1)</script> Automated" in main, "brief: the résumé line is not quoted as typed")
    watch.expect(BADGE_NAME in main, "brief: the badge's name is not quoted as typed")

    # the gap behind the brief: the résumé lines, the badge's name and id as evidence, the badge in a note
    page.get_by_text("Gap and options behind this brief").click()
    idle(page)
    summaries = page.locator('[data-testid="stExpander"] summary')
    summaries.filter(has_text="How this was worked out").first.click()
    for summary in summaries.filter(has_text=re.compile(r"· (you have it|partly shown)")).all():
        summary.click()
    page.get_by_text("Why this credential, and the evidence").first.click()
    idle(page)
    watch.check(page, "gap behind the brief")
    main = shown(page.locator('[data-testid="stMain"]').inner_text())
    watch.expect(f"Badge '{BADGE_NAME}' matches no catalog credential" in main, "gap: the badge note is not as typed")
    watch.expect(f"{REFERENCE}: “{BADGE_NAME}”" in main, "gap: the badge evidence is not as typed")
    watch.expect(": “- <script>alert(1)</script> Automated" in main, "gap: the résumé evidence is not as typed")

    if phone:
        watch.expect(
            page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"],
            "phone: the page scrolls sideways",
        )
    else:
        with page.expect_download() as md:
            page.get_by_role("button", name="Download as Markdown").click()
        check_markdown(watch, Path(md.value.path()).read_text(encoding="utf-8"))
        with page.expect_download() as pdf:
            page.get_by_role("button", name="Download as PDF").click()
        check_pdf(watch, Path(pdf.value.path()).read_bytes())
    shoot(page, screenshots / ("learner-text-advisor-phone.png" if phone else "learner-text-advisor.png"))
    watch.check(page, "whole page")
    assert not watch.problems, "the learner's text was not shown as text:\n" + "\n".join(watch.problems)
