"""A brief shows the learner's own words as text: an advisor's page must not render a name or a résumé line as
an image, a link or HTML."""

from __future__ import annotations

import re

from assistant.core.advice.brief import brief_markdown
from assistant.core.formatting import markdown_text, unescape_markdown_text
from assistant.core.models import Evidence, EvidenceSource, HeldSkill, LearnerProfile

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
