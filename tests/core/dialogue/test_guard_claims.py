"""The guard against prices and links in forms generated, not listed: any currency sign or code on either
side of the number, amounts in words, discounts and giveaways, links and images with nested brackets,
protocol-relative, bare-domain and encoded addresses."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from assistant.core.dialogue import Guard
from assistant.core.dialogue.claims import ISO_CODES

SIGNS = sorted(ch for ch in map(chr, range(0x20, 0x20D0)) if unicodedata.category(ch) == "Sc")
WORDS = ["dollars", "euros", "pounds", "bucks", "rupees", "yen", "francs"]
PLACES = ["{id} is {price} this week.", "Only {price} for {id}!", "so you pay {price}", "{price} and it is yours"]
HOSTS = ["evil.example", "attacker.io", "x.evil.example.com"]
CLAIMS = ["zero dollars", "one euro", "a buck", "half price", "half-off", "gratis", "free of charge",
          "90% discount", "50 % off", "promo code", "use code SAVE90", "at no charge"]  # fmt: skip
SAFE = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

amounts = st.integers(min_value=1, max_value=99_999).map(str)


@st.composite
def prices(draw: st.DrawFn) -> str:
    amount = draw(amounts)
    form = draw(st.sampled_from(["sign-before", "sign-after", "code-before", "code-after", "word"]))
    sign, code = draw(st.sampled_from(SIGNS)), draw(st.sampled_from(sorted(ISO_CODES)))
    space = draw(st.sampled_from(["", " "]))
    return {
        "sign-before": f"{sign}{space}{amount}",
        "sign-after": f"{amount}{space}{sign}",
        "code-before": f"{code} {amount}",
        "code-after": f"{amount} {code}",
        "word": f"{amount} {draw(st.sampled_from(WORDS))}",
    }[form]


@SAFE
@given(price=prices(), place=st.sampled_from(PLACES))
def test_a_price_in_any_currency_and_form_is_caught(guard: Guard, price: str, place: str) -> None:
    allowed = guard.allowed_for(["LPC-DA-101"])
    figure = Decimal(re.findall(r"\d+", price)[0])
    assume(figure not in allowed.amounts)  # a figure in play (its price, a stack's total) may be quoted
    report = guard.check(place.format(id="LPC-DA-101", price=price), allowed)
    assert not report.ok and any("price" in v for v in report.violations), (price, report)


@SAFE
@given(
    claim=st.sampled_from(CLAIMS),
    place=st.sampled_from(PLACES),
)
def test_words_discounts_and_giveaways_are_caught(guard: Guard, claim: str, place: str) -> None:
    report = guard.check(place.format(id="LPC-DA-101", price=claim), guard.allowed_for(["LPC-DA-101"]))
    assert not report.ok, claim


@st.composite
def links(draw: st.DrawFn) -> str:
    host = draw(st.sampled_from(HOSTS))
    path = draw(st.text(alphabet="abcxyz019/-_", min_size=1, max_size=12))
    inner = draw(st.text(alphabet="abc [1]", min_size=1, max_size=12).filter(lambda t: t.count("[") == t.count("]")))
    target = draw(st.sampled_from([f"https://{host}/{path}", f"//{host}/{path}", f"{host}/{path}",
                                   f"https%3A%2F%2F{host}%2F{path}", f"&#47;&#47;{host}/{path}"]))  # fmt: skip
    form = draw(st.sampled_from(["bare", "link", "image", "nested-link", "nested-image"]))
    return {
        "bare": f"see {target}",
        "link": f"[apply]({target})",
        "image": f"![chart]({target})",
        "nested-link": f"[apply [{inner}]]({target})",
        "nested-image": f"![progress [{inner}] chart]({target})",
    }[form]


@SAFE
@given(text=links())
def test_links_and_images_in_any_form_are_caught_and_removed(guard: Guard, text: str) -> None:
    allowed = guard.allowed_for(["LPC-DA-101"])
    assert not guard.check(text, allowed).ok, text
    clean, removed = guard.sanitize(text, allowed)
    assert removed and guard.check(clean, allowed).ok, (text, clean)


def test_the_catalogs_own_figures_and_words_pass(guard: Guard) -> None:
    allowed = guard.allowed_for(["LPC-DA-101"])
    for text in (
        "**LPC-DA-101 — Spreadsheet Analysis Essentials**: $195, 30 hours, 1 ECTS, EQF 4, online.",
        "Learn to code Python in 3 top skills; Node.js/Express and C# are named in 5 all-day labs.",
        "It takes 10 hours a week for 3 weeks.",
    ):
        report = guard.check(text, allowed)
        assert report.ok, (text, report.violations)
