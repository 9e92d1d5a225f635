"""An advisor's brief from stored data: without a goal it suggests three directions from the profile (or says
plainly that it cannot), and its PDF has a real gap table, the gap chart and page numbers."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date

import pytest
from pypdf import PdfReader

from assistant.core.access import Principal, Role
from assistant.core.taxonomy import Taxonomy
from tests.builders import ApiWorld, api_world, held, lexical_root, profile

TODAY = date(2026, 3, 16)
LABELS = ("SQL", "statistics", "perform data analysis", "use spreadsheets software")


@pytest.fixture(scope="module")
def world(taxonomy: Taxonomy) -> Iterator[ApiWorld]:
    """An advisor with two advisees: one with four skills on file and no goal, one with nothing on file."""
    with api_world(lexical_root(taxonomy, today=TODAY)) as world:
        advisor = world.user("advisor", Role.ADVISOR)
        for name in ("skilled", "empty"):
            world.store.assign(advisor, world.user(name))
        uris = {s.preferred_label: uri for uri, s in taxonomy.skills.items() if s.preferred_label in LABELS}
        skills = [held(uris[label], label, f"Used {label} at work every week") for label in LABELS]
        world.root.learners.save(world.ids["skilled"], profile(*skills), ())
        yield world


def _advisor(world: ApiWorld) -> Principal:
    return Principal(world.ids["advisor"], Role.ADVISOR, "advisor")


def test_without_a_goal_the_brief_suggests_three_directions_from_the_profile(world: ApiWorld) -> None:
    brief = world.root.briefs.create(_advisor(world), world.ids["skilled"])
    assert brief.view is None
    text = brief.record.content_md
    section = text.split("## Directions to explore", 1)[1].split("## Questions to ask", 1)[0]
    labels = re.findall(r"^\d\. \*\*(.+?)\*\*", section, re.MULTILINE)
    assert len(labels) == 3, section
    whys = re.findall(r"^   - Why: (.+?) points? there; the learner shows", section, re.MULTILINE)
    assert len(whys) == 3
    for why in whys:  # the learner's own skills, by name
        assert set(why.split(", ")) <= set(LABELS), why
    offers = re.findall(r"^   - The catalog (.+)$", section, re.MULTILINE)
    assert len(offers) == 3
    assert any(re.search(r"teaches \d+ of the \d+ essential skills? left: \d+ in LPC-", line) for line in offers)
    asked = next(q for q in brief.questions if q.startswith("Which job or field"))
    assert all(label in asked for label in labels)


def test_the_directions_are_the_ones_the_learners_suggestions_rank(world: ApiWorld) -> None:
    """The brief asks the same explorer as the learner's suggestions: its directions are among them."""
    stored, earned = world.root.learners.load(world.ids["skilled"])
    ranked = [s.option.label for s in world.root.advising.suggestions_for(stored, earned)]
    directions = world.root.briefs.directions(stored, earned)
    assert len(directions) == 3
    assert {d.label for d in directions} & set(ranked)


def test_without_skills_the_brief_says_it_cannot_suggest_directions(world: ApiWorld) -> None:
    text = world.root.briefs.create(_advisor(world), world.ids["empty"]).record.content_md
    section = text.split("## Directions to explore", 1)[1].split("## Questions to ask", 1)[0]
    assert "Not enough in the profile to suggest directions: there are no skills on file yet." in section
    assert not re.search(r"^\d\. ", section, re.MULTILINE)


def test_the_pdf_of_a_brief_has_a_gap_table_a_chart_and_page_numbers(world: ApiWorld) -> None:
    brief = world.root.briefs.create(_advisor(world), world.ids["skilled"], goal="data analyst")
    assert brief.view is not None
    exported = world.root.briefs.export(_advisor(world), brief.record.id, "pdf")
    assert exported.media_type == "application/pdf"
    pages = PdfReader(io.BytesIO(exported.content)).pages
    texts = [page.extract_text() for page in pages]
    for n, text in enumerate(texts, 1):
        assert text.rstrip().endswith(f"Page {n} of {len(pages)}")
    whole = "\n".join(texts)
    held_n = sum(row.status == "held" for row in brief.view.skills)
    assert re.search(rf"The goal's {len(brief.view.skills)} skills.*\s+Held {held_n}\s", whole)
    positions: list[tuple[str, float]] = []
    pages[0].extract_text(visitor_text=lambda text, cm, tm, font, size: positions.append((text.strip(), tm[4])))
    status_x = next(x for text, x in positions if text == "status")
    assert [x for text, x in positions if text == "missing"] == [status_x] * sum(
        text == "missing" for text, _ in positions
    )
    assert "skill | status" not in whole and "  |  " not in whole
