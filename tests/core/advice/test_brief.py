"""A brief shows the learner's own words as text: an advisor's page must not render a name or a résumé line as
an image, a link or HTML. Quotes are cut at a word, no option reads "covers" with nothing after, and a brief
without a goal suggests directions from the profile."""

from __future__ import annotations

import re
from decimal import Decimal

from assistant.core.advice import OccupationOption
from assistant.core.advice.brief import QUOTE_LIMIT, brief_directions, brief_markdown, gap_chart
from assistant.core.advice.view import (
    AdviceView,
    CredentialCard,
    EvidenceView,
    RouteStepView,
    RouteView,
    SkillRef,
    SkillRow,
    TargetView,
)
from assistant.core.catalog import Catalog
from assistant.core.formatting import markdown_text, shorten, unescape_markdown_text
from assistant.core.models import Evidence, EvidenceSource, HeldSkill, LearnerProfile
from assistant.core.taxonomy import Taxonomy
from tests.core.advice.tiny import DA, DEV, JAVA, PY, SQL, WELD, WELDER, S, held

HOSTILE_NAME = "![a](https://evil.example/n.png)<img src=x onerror=alert(1)>"
HOSTILE_LINE = "<script>alert(1)</script> [apply [now]](//evil.example/apply) SQL daily"


def test_markdown_text_escapes_what_markdown_or_html_would_act_on() -> None:
    assert markdown_text("C# | *bold* [x](y)") == "C\\# \\| \\*bold\\* \\[x\\]\\(y\\)"
    assert markdown_text("two\nlines") == "two lines"
    assert markdown_text("$x^2$") == "\\$x^2\\$"  # not a formula


def test_bare_addresses_do_not_become_links_and_the_text_comes_back_for_plain_output() -> None:
    """GFM viewers link ``https://…``, ``www.…`` and ``a@b.c`` whatever is escaped around them."""
    for text in ("see https://evil.example/n.png now", "www.evil.example", "write to mira@evil.example"):
        shown = markdown_text(text)
        assert not re.search(r"https?://|www\.|\w@\w", shown), shown
        assert unescape_markdown_text(shown) == text
    assert unescape_markdown_text(markdown_text(HOSTILE_NAME)) == HOSTILE_NAME


def test_a_hostile_name_and_resume_line_stay_text_in_the_brief() -> None:
    evidence = Evidence(source=EvidenceSource.RESUME, text=HOSTILE_LINE)
    skill = HeldSkill(
        skill_uri="http://data.europa.eu/esco/skill/sql", label="SQL", confidence=0.7, evidence=(evidence,)
    )
    text = brief_markdown(HOSTILE_NAME, LearnerProfile(skills=(skill,)), None)
    for markup in (r"(?<!\\)<", r"(?<!\\)!(?<!\\)\[", r"(?<!\\)\]\(", r"(?<!\\)\[apply"):
        assert not re.search(markup, text), markup  # every character that would act is escaped
    assert "evil.example" in text  # the words are still there to read


# --- quotes cut at a word (issue 20.3) ------------------------------------------------------------------------

LONG_LINE = "Certified Scrum Master; led the full-stack web development team through three releases"
MID_WORD = LONG_LINE[:60]  # what a cut at 60 characters showed: "… web development t"


def test_a_long_quote_is_cut_after_a_whole_word_with_an_ellipsis() -> None:
    assert MID_WORD[-1] != " " and LONG_LINE[60] != " "  # 60 characters end inside a word
    short = shorten(LONG_LINE, QUOTE_LIMIT)
    assert short == "Certified Scrum Master; led the full-stack web development…"
    assert short.endswith("…") and len(short) <= QUOTE_LIMIT
    kept = short.removesuffix("…")
    assert LONG_LINE.startswith(kept) and LONG_LINE[len(kept)] == " "  # the next character starts a new word
    assert shorten("Certified Scrum Master", 60) == "Certified Scrum Master"  # nothing cut, no ellipsis
    assert shorten("Certified Scrum Master", 12) == "Certified…"
    assert shorten("a" * 80, QUOTE_LIMIT) == "a" * 59 + "…"  # one word longer than the limit is cut inside it
    assert shorten("two\n  lines  here", 60) == "two lines here"


def test_the_brief_quotes_résumé_lines_cut_at_a_word_and_escapes_after_cutting() -> None:
    tricky = "x" * 48 + " [a|b] *c* and more words after the limit"
    skills = (
        HeldSkill(
            skill_uri=f"{S}cert",
            label="Scrum",
            confidence=0.9,
            evidence=(Evidence(source=EvidenceSource.RESUME, text=LONG_LINE),),
        ),
        HeldSkill(
            skill_uri=f"{S}tricky",
            label="Tricky",
            confidence=0.8,
            evidence=(Evidence(source=EvidenceSource.RESUME, text=tricky),),
        ),
    )
    text = brief_markdown("Mira", LearnerProfile(skills=skills), None)
    quotes = re.findall(r"“([^”]*)”", text)
    assert quotes == [markdown_text(shorten(LONG_LINE, QUOTE_LIMIT)), markdown_text(shorten(tricky, QUOTE_LIMIT))]
    for quote in quotes:
        assert quote.endswith("…")
        assert not re.search(r"(?<!\\)(\\\\)*\\…", quote)  # no escape split off its character
        plain = unescape_markdown_text(quote).removesuffix("…")
        assert plain.split()[-1] in LONG_LINE.split() + tricky.split()  # the last word is whole
    assert MID_WORD not in text


def test_the_gap_table_quotes_evidence_cut_at_a_word() -> None:
    row = SkillRow(
        skill_uri=f"{S}sql",
        label="SQL",
        weight=1.0,
        status="weak",
        core=True,
        evidence=EvidenceView(source="resume", text=LONG_LINE),
    )
    text = brief_markdown("Mira", LearnerProfile(), _view(skills=(row,)))
    line = next(line for line in text.splitlines() if line.startswith("| SQL |"))
    assert line.rstrip(" |").endswith(markdown_text(shorten(LONG_LINE, QUOTE_LIMIT)))
    assert "…" in line and MID_WORD not in line


# --- options that cover no gap skill (issue 20.3) ---------------------------------------------------------------


def _card(cid: str, covers: tuple[str, ...] = (), reasons: tuple[str, ...] = ()) -> CredentialCard:
    return CredentialCard(
        credential_id=cid,
        title=f"Course {cid}",
        kind="micro-credential",
        cost=Decimal(100),
        currency="USD",
        workload_hours=20,
        ects=None,
        eqf_level=4,
        delivery_mode="online",
        duration_weeks=4,
        url=None,
        covers=tuple(SkillRef(uri=f"{S}{label}", label=label) for label in covers),
        reasons=reasons,
    )


def _view(**fields: object) -> AdviceView:
    values: dict[str, object] = {
        "target": TargetView(kind="occupation", label="data analyst"),
        "readiness": 0.2,
        "skills": (),
        "recommendations": (),
        "routes": (),
    }
    return AdviceView.model_validate(values | fields)


def test_no_option_or_route_reads_covers_with_nothing_after() -> None:
    cards = (
        _card("C-1", ("SQL", "statistics", "data models", "data mining", "data quality")),
        _card("C-2", reasons=("prerequisite of C-3 (Course C-3)", "online, EQF 4, $100, 20 hours")),
        _card("C-3", ("data mining",)),
        _card("C-4", reasons=("made for data analyst: offered before courses that cover parts of the gap", "x")),
        _card("C-5"),
    )
    route = RouteView(
        objective="cheapest",
        steps=(RouteStepView(credential_id="C-2", title="Course C-2", start_week=0, end_week=4, cost=Decimal(100)),),
        total_cost=Decimal(100),
        currency="USD",
        total_hours=20,
        total_ects=0,
        weeks=4,
        coverage=0.0,
    )
    text = brief_markdown("Mira", LearnerProfile(), _view(recommendations=cards, routes=(route,)))
    options = text.split("## Options", 1)[1].split("## Questions", 1)[0]
    assert not re.search(r"covers\s*($|[;,.])", options, re.MULTILINE), options
    lines = {
        line.split(" — ")[0].removeprefix("- **"): line for line in options.splitlines() if line.startswith("- **")
    }
    assert lines["C-1"].endswith("covers SQL, statistics, data models and 2 more")
    assert lines["C-2"].endswith("prerequisite of C-3 (Course C-3)")
    assert lines["C-4"].endswith("made for data analyst")
    assert lines["C-5"].endswith("covers no gap skill itself")
    assert "covers none of the core gap" in options


def picked_view() -> AdviceView:
    """C-3 and C-1 ranked; C-2 listed under C-3, which it unlocks."""
    cards = (
        _card("C-3", ("data mining",)),
        _card("C-2", reasons=("prerequisite of C-3 (Course C-3)", "x")).model_copy(update={"prerequisite_of": "C-3"}),
        _card("C-1", ("SQL",)),
    )
    return _view(recommendations=cards)


def test_a_prerequisite_there_only_to_unlock_sits_under_its_pick_in_the_brief() -> None:
    """The brief's options are the picks; a prerequisite marked ``prerequisite_of`` is a "take first" line
    under the pick it unlocks, not an option of its own."""
    view = picked_view()
    assert [c.credential_id for c in view.picks] == ["C-3", "C-1"]
    assert [c.credential_id for c in view.needed_first("C-3")] == ["C-2"] and not view.needed_first("C-1")
    options = brief_markdown("Mira", LearnerProfile(), view).split("## Options", 1)[1].split("## Questions", 1)[0]
    rows = [line for line in options.splitlines() if "**C-" in line]
    assert [row.split(" — ")[0] for row in rows] == ["- **C-3", "  - take first: **C-2", "- **C-1"]


# --- directions when no goal is set (issue 20.3) ----------------------------------------------------------------


def test_without_a_goal_the_brief_suggests_directions_with_why(tiny_taxonomy: Taxonomy, tiny_catalog: Catalog) -> None:
    skills = (held(SQL, "SQL"), held(PY, "Python"), held(JAVA, "Java"), held(WELD, "welding"))
    options = [
        OccupationOption(occupation_uri=uri, label=tiny_taxonomy.label_of(uri), score=1.0, components={})
        for uri in (DEV, DA, WELDER)
    ]
    directions = brief_directions(options, skills, tiny_taxonomy, tiny_catalog, held_credentials=("C-110",))
    # the explorer's order, but the catalog teaches nothing of what software developer still needs: last
    assert [d.label for d in directions] == ["data analyst", "welder", "software developer"]
    analyst, welder, developer = directions
    assert analyst.pointing == ("SQL", "Python")  # SQL meets query languages; Python is optional there
    assert (analyst.met_essential, analyst.essential) == (1, 5)
    assert "C-110" not in [cid for cid, _, _ in analyst.offered]  # held: not offered again
    assert analyst.taught == 3  # use databases is taught only by C-110, which is held
    assert welder.left == 0 and welder.pointing == ("welding",)
    assert developer.pointing == ("Python", "Java") and developer.taught == 0
    assert len(brief_directions(options, skills, tiny_taxonomy, tiny_catalog, limit=2)) == 2

    text = brief_markdown("Mira", LearnerProfile(skills=skills), None, directions=directions)
    section = text.split("## Directions to explore", 1)[1].split("## Questions", 1)[0]
    assert re.findall(r"^\d\. \*\*(.+?)\*\*", section, re.MULTILINE) == [
        "data analyst",
        "welder",
        "software developer",
    ]
    assert section.count("   - Why: ") == 3
    assert "Why: SQL, Python point there; the learner shows 1 of its 5 essential skills." in section
    assert "Why: welding points there; the learner shows every essential skill it asks for." in section
    assert "The catalog teaches 3 of the 4 essential skills left: 1 in C-120 — Course C-120" in section
    assert "nothing left to teach" in section and "The catalog teaches none of the 1 essential skill left." in section
    assert "Which job or field are you aiming for: data analyst, welder or software developer, or" in text


def test_without_skills_the_brief_says_there_is_not_enough_to_suggest_directions() -> None:
    text = brief_markdown("Mira", LearnerProfile(), None, directions=())
    section = text.split("## Directions to explore", 1)[1].split("## Questions", 1)[0]
    assert "Not enough in the profile to suggest directions: there are no skills on file yet." in section
    assert not re.search(r"^\d\. ", section, re.MULTILINE)
    assert "Which job or field are you aiming for?" in text
    assert "## Directions to explore" not in brief_markdown("Mira", LearnerProfile(), None)  # not asked for


def test_gap_chart_counts_held_partly_shown_and_missing() -> None:
    rows = tuple(
        SkillRow(skill_uri=f"{S}{n}", label=str(n), weight=1.0, status=status)
        for n, status in enumerate(("held", "weak", "missing", "missing"))
    )
    assert gap_chart(_view(skills=rows)) == (("held", 1), ("partly shown (weak)", 1), ("missing", 2))
