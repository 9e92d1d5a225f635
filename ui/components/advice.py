"""Show an AdviceView: the gap chart, the credential cards, the route timeline, each tied to its evidence.

Nothing is computed here beyond sorting and formatting: readiness, coverage, routes and the evidence
come from the API, so the learner page, the advisor's brief and the chat all show the same numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import altair as alt
import streamlit as st

from ui.components.wording import count
from ui.schema import AdviceView, CredentialCard, Evidence, LeftOut, Route, SkillRow

STATUS_WORDS = {"held": "you have it", "weak": "partly shown", "missing": "missing"}
# Material icons ship with Streamlit's own font, so they render even where no emoji font is installed.
STATUS_ICONS = {"held": ":material/check_circle:", "weak": ":material/contrast:", "missing": ":material/cancel:"}
# Blue / orange / red: apart for the common colour-vision deficiencies; the words carry it too.
STATUS_COLORS = {"held": "#2166ac", "weak": "#e08214", "missing": "#b2182b"}
OBJECTIVES = {"fastest": "Fastest", "cheapest": "Cheapest", "most-coverage": "Most coverage"}
CHART_SKILLS = 15
#: left-out credentials named in "How this was worked out" (then "and N more")
LEFT_OUT_SHOWN = 8
#: charted weights closer than this are one weight (the chart then drops its weight axis)
FLAT_WEIGHTS = 0.01
#: label room in characters' pixels when the bars carry only a status colour
FLAT_LABEL_LIMIT = 260
# The plan's parts, one shown at a time: stacked, they made a phone's page over 9,000 px tall. Labels without
# counts, so the tab a learner opened stays open when a rerun (a route picked, a skill confirmed) redraws it.
PLAN_TABS = ("Gap", "Skills", "Credentials", "Route")
CARDS_SHOWN = 3  # the plan's best few credentials as cards; the rest one click away (nine are 3,000 px on a phone)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~$])")
# Streamlit links a bare web or mail address (GFM) however it is escaped: an invisible word joiner after the
# scheme's colon, after "www" and before "@" keeps it text.
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?i:(?<=www))(?=\.)|(?=@)")


def as_text(text: str) -> str:
    """Someone's own words (a name, a title made from it) shown through Markdown as the characters they are."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _AUTOLINK.sub("\u2060", " ".join(str(text).split())))


def stated(value: Any, pattern: str, missing: str) -> str:
    """A catalog figure as text, or what the catalog does not state, in words."""
    return missing if value is None else pattern.format(value)


def money(amount: Any, currency: str | None = "USD") -> str:
    """Costs arrive as decimal strings; show them as a person writes them ("price not stated" for none)."""
    if amount is None:
        return "price not stated"
    try:
        value = float(amount)
    except (TypeError, ValueError):
        return "–"
    if (currency or "USD") == "USD":
        return f"${value:,.0f}"
    return f"{value:,.0f} {currency}"


def percent(fraction: float | None) -> str:
    return "–" if fraction is None else f"{fraction * 100:.0f}%"


def _evidence_line(evidence: Evidence) -> str:
    where = []
    if evidence.get("line_no"):
        where.append(f"line {evidence['line_no']}")
    if evidence.get("section"):
        where.append(f"“{evidence['section']}” section")
    origin = {"resume": "your résumé", "credential": "an earned credential", "self-reported": "what you told us"}.get(
        evidence.get("source", ""), evidence.get("source", "source")
    )
    place = f" ({', '.join(where)})" if where else ""
    reference = f" — {as_text(str(evidence['reference']))}" if evidence.get("reference") else ""  # a badge's own id
    return f"From {origin}{place}{reference}: “{as_text(evidence.get('text', ''))}”"  # the learner's own words


def _metric_row() -> Any:
    """Metrics side by side that wrap on a phone, where st.columns would stack them one per line."""
    return st.container(horizontal=True, gap="medium")


def render_target(view: AdviceView) -> None:
    target = view.get("target") or {}
    st.subheader(f"Toward: {target.get('label', 'your goal')}")
    wage, growth = target.get("wage_median"), target.get("growth_pct")
    with _metric_row():
        st.metric("Ready now", percent(view.get("readiness")), help="Share of the role's weighted skills you show")
        # "$140k" fits a narrow column where "$140,300" is cut off.
        st.metric("US median wage", f"${wage / 1000:,.0f}k" if wage else "–", help=f"BLS annual median: {money(wage)}")
        st.metric("Projected growth", f"{growth:+.1f}%" if growth is not None else "–", help="BLS 2020–30")
    if view.get("readiness_words"):
        st.caption(str(view.get("readiness_words", "")).capitalize() + ".")
    if target.get("us_data_note"):
        st.caption(str(target.get("us_data_note")))  # why a US figure above is a dash
    if target.get("alternatives"):
        st.caption("Also close: " + ", ".join(target.get("alternatives", [])))
    reasons, notes = target.get("reasons", []), view.get("notes", [])
    left = view.get("left_out", [])
    if reasons or notes or left:
        with st.expander(f"How this was worked out ({count(len(reasons) + len(notes) + bool(left), 'note')})"):
            for line in [*reasons, *notes]:
                st.markdown(f"- {as_text(line)}")  # a note can quote a badge's name
            if left:
                st.markdown(_left_out(left))


def _left_out(left: list[LeftOut]) -> str:
    """The credentials that teach part of the gap but were not planned, grouped by why, as one Markdown item."""
    by_reason: dict[str, list[str]] = {}
    for c in left:
        named = f"**{as_text(c.get('title', ''))}** ({c.get('credential_id', '')})"
        by_reason.setdefault(as_text(c.get("reason", "")), []).append(named)
    one = len(left) == 1
    head = f"- {count(len(left), 'credential')} that {'teaches' if one else 'teach'} part of your gap "
    head += f"{'was' if one else 'were'} left out:"
    lines = []
    for reason, names in by_reason.items():
        shown = ", ".join(names[:LEFT_OUT_SHOWN]) + (
            f" and {len(names) - LEFT_OUT_SHOWN} more" if len(names) > LEFT_OUT_SHOWN else ""
        )
        lines.append(f"  - {reason[:1].upper()}{reason[1:]}: {shown}")
    return "\n".join([head, *lines])


def gap_chart(view: AdviceView, *, limit: int = CHART_SKILLS) -> None:
    """Horizontal bars by weight, coloured by held / partly shown / missing, with a text summary as alt text.

    When every charted skill weighs the same (a role's ESCO essential skills all weigh 1.0), bars of one
    length on a weight axis say nothing: the axis is dropped, the skills are grouped by status, and the
    labels get the room the bars no longer need."""
    rows = _charted(view.get("skills", []), limit)
    if not rows:
        st.info("No skill requirements are known for this goal yet.")
        return
    counts = {status: sum(1 for r in rows if r.get("status") == status) for status in STATUS_WORDS}
    weights = [float(r.get("weight", 0.0)) for r in rows]
    flat = max(weights) - min(weights) < FLAT_WEIGHTS
    order = "all equally essential to the role, grouped by status" if flat else "longest bar first"
    summary = (
        f"Bar chart of {len(rows)} skills this goal relies on most, {order}: "
        f"{counts['held']} you have, {counts['weak']} partly shown, {counts['missing']} missing."
    )
    data = [
        {
            "skill": r.get("label", ""),
            "weight": float(r.get("weight", 0.0)),
            "status": STATUS_WORDS.get(r.get("status", "missing"), "missing"),
            "core": "core skill" if r.get("core") else "",
        }
        for r in rows
    ]
    statuses = list(STATUS_WORDS.values())
    x = (
        alt.X("weight:Q", axis=None, scale=alt.Scale(domain=[0, max(weights) or 1.0]))
        if flat
        # the title ends where the axis ends: centred under a narrow column's bars, it ran off the right edge
        else alt.X("weight:Q", title="How much the role relies on it", axis=alt.Axis(titleAnchor="end"))
    )
    y = alt.Y(
        "skill:N",
        # held, partly, missing, as listed: an explicit order, since a field sort is dropped when the text
        # layer shares the scale
        sort=[str(d["skill"]) for d in sorted(data, key=lambda d: statuses.index(str(d["status"])))] if flat else "-x",
        title=None,
        axis=alt.Axis(labelLimit=FLAT_LABEL_LIMIT if flat else 160),
    )
    color = alt.Color(
        "status:N",
        scale=alt.Scale(domain=statuses, range=list(STATUS_COLORS.values())),
        # One entry a line: a horizontal legend is centred on the plot and runs off a narrow column.
        legend=None if flat else alt.Legend(title=None, orient="bottom", direction="vertical"),
    )
    base = alt.Chart(alt.InlineData(values=data)).encode(y=y)
    bars = base.mark_bar().encode(
        x=x, color=color, tooltip=["skill:N", "status:N", alt.Tooltip("weight:Q", format=".2f"), "core:N"]
    )
    layers: alt.Chart | alt.LayerChart = bars
    if flat:  # each bar says its status in words (no legend to run off a narrow column's right edge)
        layers = bars + base.mark_text(align="left", dx=4, color="white", fontSize=11).encode(
            x=alt.datum(0), text="status:N"
        )
    # A fixed step per bar: a total height would be shared with the axis and legend in Streamlit.
    chart = layers.properties(height=alt.Step(24), title="Your skills gap")
    st.altair_chart(chart, width="stretch", alt=summary)
    st.caption(summary)


def _charted(skills: list[SkillRow], limit: int) -> list[SkillRow]:
    """The heaviest skills, keeping up to a third of the places for skills already held so the chart
    shows both sides of the gap (a role can list a hundred missing skills before the first held one)."""
    by_weight = sorted(skills, key=lambda r: -float(r.get("weight", 0.0)))
    held = [r for r in by_weight if r.get("status") == "held"][: limit // 3]
    gap = [r for r in by_weight if r.get("status") != "held"][: limit - len(held)]
    return sorted([*gap, *held], key=lambda r: -float(r.get("weight", 0.0)))


def gap_evidence(view: AdviceView, *, limit: int = CHART_SKILLS) -> None:
    """An expander per charted skill (which requirement asks for it, the résumé line that shows it or not),
    then every skill as one table: a role can list a hundred skills, too many to open one by one."""
    rows = sorted(view.get("skills", []), key=lambda r: -float(r.get("weight", 0.0)))
    if not rows:
        return
    st.markdown("**Where each skill comes from**")
    # the skills the route is planned to close (essential to the job) first; what is only worth having, and
    # the research skills of research roles, grouped and collapsed below
    charted = _charted(rows, limit)
    essential = [r for r in charted if r.get("core") or r.get("status") == "held"]
    for row in essential:
        status = row.get("status", "missing")
        with st.expander(f"{STATUS_ICONS.get(status, '')} {row.get('label', '')} · {STATUS_WORDS.get(status, status)}"):
            _skill_evidence(row)
    optional = [r for r in rows if not r.get("core") and r.get("status") != "held" and not r.get("research")]
    research = [r for r in rows if not r.get("core") and r.get("status") != "held" and r.get("research")]
    for title, group in (
        (f"{len(optional)} more skill{'s' if len(optional) != 1 else ''} worth having (not essential)", optional),
        (
            f"{len(research)} research skill{'s' if len(research) != 1 else ''} (for research roles; not planned for)",
            research,
        ),
    ):
        if group:
            with st.expander(title):
                st.markdown(
                    "\n".join(f"- {r.get('label', '')} · {STATUS_WORDS.get(r.get('status', ''), '')}" for r in group)
                )
    with st.expander(f"All {len(rows)} skills as a table"):
        st.dataframe(
            [
                {
                    "skill": r.get("label", ""),
                    "status": STATUS_WORDS.get(r.get("status", ""), r.get("status", "")),
                    "weight": round(float(r.get("weight", 0.0)), 2),
                    "required by": "; ".join(r.get("required_by") or []),
                    "evidence": (r.get("evidence") or {}).get("text", ""),
                }
                for r in rows
            ],
            hide_index=True,
            width="stretch",
        )


def _skill_evidence(row: SkillRow) -> None:
    required = row.get("required_by") or []
    st.markdown("**Required by:** " + ("; ".join(required) if required else "your goal"))
    evidence = row.get("evidence")
    if evidence:
        st.markdown(_evidence_line(evidence))
    elif row.get("status") != "held":
        st.markdown("Nothing in your résumé shows this yet.")
    if row.get("explanation"):
        st.caption(row.get("explanation", ""))


def credential_cards(view: AdviceView, *, key: str, first: int | None = None) -> None:
    """A card per recommended credential: the ``first`` few shown, the rest in an expander (all when None)."""
    cards = view.get("recommendations", [])
    st.subheader("Recommended credentials")
    if not cards:
        st.info(view.get("nothing_planned") or "Nothing to recommend: your profile meets this goal's core skills.")
        return
    skills = {row.get("skill_uri", ""): row for row in view.get("skills", [])}
    titles = {card.get("credential_id", ""): card.get("title", "") for card in cards}
    # a pick's prerequisites sit right under it and are not counted among the ``first`` shown
    picks = [card for card in cards if not card.get("prerequisite_of")]
    shown = picks[:first]
    for card in shown:
        _pick(card, cards, titles, skills, key=key)
    rest = picks[len(shown) :]
    if rest:
        with st.expander(f"{len(rest)} more recommended credential{'s' if len(rest) != 1 else ''}"):
            for card in rest:
                _pick(card, cards, titles, skills, key=key)


def _pick(
    card: CredentialCard,
    cards: list[CredentialCard],
    titles: dict[str, str],
    skills: dict[str, SkillRow],
    *,
    key: str,
) -> None:
    _card(card, skills, key=key)
    for first in cards:
        if first.get("prerequisite_of") == card.get("credential_id"):
            _card(first, skills, key=key, needed_for=titles.get(card.get("credential_id", ""), ""))


def _card(card: CredentialCard, skills: dict[str, SkillRow], *, key: str, needed_for: str = "") -> None:
    with st.container(border=True, key=f"{key}_card_{card.get('credential_id', '')}"):
        title = card.get("title", card.get("credential_id", ""))
        if needed_for:
            st.caption(f"↳ Take first: the prerequisite of {needed_for}")
        st.markdown(f"**{title}** · `{card.get('credential_id', '')}` · {card.get('kind', '')}")
        ects = card.get("ects")
        facts = [
            money(card.get("cost"), card.get("currency")),
            stated(card.get("workload_hours"), "{:g} hours", "workload not stated"),
            f"{ects:g} ECTS" if ects is not None else "ECTS not stated",
            stated(card.get("eqf_level"), "EQF level {}", "EQF level not stated"),
            stated(card.get("delivery_mode"), "{}", "delivery not stated"),
            # the route plans at the learner's hours, so its weeks may differ from the catalog's
            stated(card.get("duration_weeks"), "{:g} weeks at the catalog's pace", "length not stated"),
        ]
        st.markdown(" · ".join(facts))
        covers = card.get("covers", [])
        if covers:
            st.markdown("Covers your gap in: " + ", ".join(ref["label"] for ref in covers))
        if card.get("stacks_into"):
            st.caption("Counts toward: " + ", ".join(ref["label"] for ref in card.get("stacks_into", [])))
        if card.get("url"):
            st.markdown(f"[Course page for {title}]({card.get('url')})")
        with st.expander("Why this credential, and the evidence"):
            for reason in card.get("reasons", []):
                st.markdown(f"- {reason}")
            for ref in covers:
                row = skills.get(ref["uri"])
                required = "; ".join(row.get("required_by") or []) if row else ""
                st.markdown(f"- **{ref['label']}**" + (f" — required by {required}" if required else ""))
                evidence = row.get("evidence") if row else None
                if evidence:
                    st.caption(_evidence_line(evidence))


def route_timeline(view: AdviceView, *, key: str) -> None:
    """The chosen route as week bars (a Gantt chart) plus progress toward each stacked credential."""
    routes = view.get("routes", [])
    st.subheader("Your route")
    nothing = view.get("nothing_planned")
    if not routes or (nothing and not any(r.get("steps") for r in routes)):
        # an empty route is "optimal" only in the solver's sense: say why there is nothing to take
        st.info(nothing or "No route fits your limits yet. Tell me more time, budget or a later deadline to see one.")
        return
    choice = st.radio(
        "Route to show",
        options=list(range(len(routes))),
        format_func=lambda i: OBJECTIVES.get(routes[i].get("objective", ""), routes[i].get("objective", "Route")),
        horizontal=True,
        key=f"{key}_route",
    )
    route = routes[choice if choice is not None and choice < len(routes) else 0]
    with _metric_row():
        st.metric("Total cost", money(route.get("total_cost"), route.get("currency")))
        st.metric("Hours", f"{float(route.get('total_hours', 0)):g}")
        st.metric("Weeks", route.get("weeks", "–"))
        st.metric("Gap covered", percent(route.get("coverage")))
    if route.get("optimal"):
        st.caption("The solver proved this route is the best for its aim within your limits.")
    elif route.get("status"):
        st.caption(f"Solver status: {route.get('status')}")
    _timeline_chart(route)
    for stack in route.get("stacks_toward", []):
        stack_progress(stack)
    for note in route.get("notes", []):
        st.caption(note)


def _timeline_chart(route: Route) -> None:
    steps = route.get("steps", [])
    if not steps:
        st.info("Nothing to take: this route needs no new credential.")
        return
    data = [
        {
            "credential": f"{s.get('credential_id', '')} · {s.get('title', '')}",  # the id survives truncation
            "start": int(s.get("start_week", 1)) - 1,  # weeks are 1-based and inclusive
            "end": int(s.get("end_week", 1)),
            "weeks": f"weeks {s.get('start_week')}–{s.get('end_week')}",
            "cost": money(s.get("cost"), route.get("currency")),
        }
        for s in steps
    ]
    alt_text = "Timeline: " + "; then ".join(f"{d['credential']}, {d['weeks']}" for d in data) + "."
    chart = (
        alt.Chart(alt.InlineData(values=data))
        .mark_bar(cornerRadius=3)
        .encode(
            x=alt.X("start:Q", title="Weeks from now"),
            x2="end:Q",
            y=alt.Y("credential:N", sort=None, title=None, axis=alt.Axis(labelLimit=170)),
            color=alt.Color("credential:N", legend=None),
            tooltip=["credential:N", "weeks:N", "cost:N"],
        )
        .properties(height=alt.Step(30), title="Route timeline")
    )
    st.altair_chart(chart, width="stretch", alt=alt_text)
    st.caption(alt_text)
    reasons = [f"{i}. **{s.get('title', '')}**: {s['why']}" for i, s in enumerate(steps, 1) if s.get("why")]
    if reasons:
        with st.expander("Why each step"):
            st.markdown("\n".join(reasons))


def render_view(view: AdviceView, *, key: str, evidence: bool = True) -> None:
    """The whole advice: the goal and how ready the learner is, then the gap, the skills' evidence, the
    credentials and the route as tabs (all drawn; the browser shows one at a time)."""
    render_target(view)
    names = [name for name in PLAN_TABS if evidence or name != "Skills"]
    tabs = dict(zip(names, st.tabs(names, key=f"{key}_plan_tabs"), strict=True))
    with tabs["Gap"]:
        gap_chart(view)
    if evidence:
        with tabs["Skills"]:
            gap_evidence(view)
    with tabs["Credentials"]:
        credential_cards(view, key=key, first=CARDS_SHOWN)
    with tabs["Route"]:
        route_timeline(view, key=key)


def comparison_table(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Comparison rows in words and units, ready for st.dataframe."""
    return [
        {
            "goal": r.get("target", ""),
            "ready now": percent(r.get("readiness")),
            "skills to gain": str(r.get("gap_items", 0)),
            "best route covers": percent(r.get("best_coverage")),
            "cheapest route": money(r["cheapest_cost"]) if r.get("cheapest_cost") is not None else "–",
            "fastest route": f"{r['fastest_weeks']} weeks" if r.get("fastest_weeks") is not None else "–",
            "US median wage": money(r["wage_median"]) if r.get("wage_median") else "–",
            "growth 2020–30": f"{r['growth_pct']:+.1f}%" if r.get("growth_pct") is not None else "–",
        }
        for r in rows
    ]


def comparison_chart(rows: list[dict[str, Any]]) -> None:
    """Readiness and best-route coverage side by side per goal, with the same numbers in the caption."""
    data = [
        {"goal": r.get("target", ""), "measure": measure, "share": float(r.get(field) or 0.0)}
        for r in rows
        for measure, field in (("ready now", "readiness"), ("best route covers", "best_coverage"))
    ]
    if not data:
        return
    summary = "Compared goals: " + "; ".join(
        f"{r.get('target', '')}: {percent(r.get('readiness'))} ready, "
        f"best route covers {percent(r.get('best_coverage'))}"
        for r in rows
    )
    chart = (
        alt.Chart(alt.InlineData(values=data))
        .mark_bar()
        .encode(
            x=alt.X("share:Q", title=None, axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
            y=alt.Y("goal:N", title=None, axis=alt.Axis(labelLimit=220)),
            yOffset="measure:N",
            color=alt.Color("measure:N", legend=alt.Legend(title=None, orient="bottom", direction="vertical")),
            tooltip=["goal:N", "measure:N", alt.Tooltip("share:Q", format=".0%")],
        )
        .properties(height=alt.Step(22), title="What-if comparison")
    )
    st.altair_chart(chart, width="stretch", alt=summary)
    st.caption(summary)


def stack_progress(stack: Mapping[str, Any]) -> None:
    """A route's progress toward one bigger credential, as a bar with "3 of 12 credit-hours" (or "all 12")."""
    required = float(stack.get("credit_required") or 0.0)
    earned = float(stack.get("credit_earned") or 0.0)
    unit = str(stack.get("credit_unit", "credit"))
    units = unit if required == 1 or unit.endswith("s") else unit + "s"
    progress = f"all {required:g} {units}" if earned >= required else f"{earned:g} of {required:g} {units}"
    done = " — complete" if stack.get("complete") else ""
    st.progress(
        min(1.0, earned / required) if required else 0.0,
        text=f"Toward {stack.get('title', '')}: {progress}{done}",
    )
