"""Explore: occupations (ESCO, O*NET, BLS), the credentials that build toward each with a route from scratch, and
the institution's catalog, without signing in."""

from __future__ import annotations

from typing import Any

import streamlit as st

from ui import state
from ui.client import ApiError
from ui.components.advice import OBJECTIVES, as_text, percent, stack_progress, stated
from ui.components.advice import money as money_text
from ui.components.wording import count, importance, prerequisites, source

FIELDS = {
    "": "All fields",
    "data-it": "Data and IT",
    "health-care": "Health care",
    "business": "Business",
    "education": "Education",
    "green": "Green skills",
    "skilled-trades": "Skilled trades",
}
DELIVERY = {"": "Any delivery", "online": "Online", "onsite": "On site", "blended": "Blended"}
#: the catalog's filters by the name the API gives them in ``hidden_by``, in words
FILTER_WORDS = {
    "field": "the field filter",
    "kind": "the kind filter",
    "delivery_mode": "the delivery filter",
    "max_cost": "the cost filter",
    "q": "the word search",
}
TEACHES_SHOWN = 6
STACKS_SHOWN = 3


def facts(item: dict[str, Any]) -> str:
    """A credential's price, time, credits, level and mode in one line, saying what the catalog does not state."""
    return " · ".join(
        [
            money_text(item.get("cost"), item.get("currency")),
            stated(item.get("workload_hours"), "{:g} hours", "workload not stated"),
            stated(item.get("ects"), "{:g} ECTS", "no ECTS"),
            stated(item.get("eqf_level"), "EQF level {}", "EQF level not stated"),
            stated(item.get("delivery_mode"), "{}", "delivery not stated"),
            stated(item.get("duration_weeks"), "{:g} weeks", "length not stated"),
        ]
    )


def credential_card(item: dict[str, Any], *, key: str, made_for: str | None = None) -> None:
    """One credential: title, facts, what it needs first and what it counts toward (titles, not codes); on an
    occupation's list, whether it is made for the job and which core skills it teaches."""
    with st.container(border=True, key=f"{key}_{item['id']}"):
        st.markdown(f"**{as_text(item['title'])}** · `{item['id']}` · {item['kind']}")
        st.write(facts(item))
        if made_for and item.get("made_for"):
            st.markdown(f":material/verified: Made for {made_for}")
        teaches = [as_text(ref["label"]) for ref in item.get("teaches", [])]
        if teaches:
            shown = ", ".join(teaches[:TEACHES_SHOWN])
            more = f" and {len(teaches) - TEACHES_SHOWN} more" if len(teaches) > TEACHES_SHOWN else ""
            st.markdown(f"Teaches {count(len(teaches), 'core skill')}: {shown}{more}")
        needs = prerequisites(item.get("prerequisite_groups", []))
        if needs:
            st.caption(needs)
        toward = [ref["title"] for ref in item.get("counts_toward", [])]
        if toward:
            st.caption("Counts toward " + ", ".join(toward))


def distinct_routes(routes: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """The routes with different steps, each named by every aim that chose it ("Cheapest and fastest")."""
    out: dict[tuple[str, ...], tuple[list[str], dict[str, Any]]] = {}
    for route in routes:
        steps = tuple(s.get("credential_id", "") for s in route.get("steps", []))
        name = OBJECTIVES.get(route.get("objective", ""), route.get("objective", "Route"))
        if steps in out:
            out[steps][0].append(name.lower())
        else:
            out[steps] = ([name], route)
    return [(" and ".join(names), route) for names, route in out.values()]


def route_section(found: dict[str, Any]) -> None:
    """A route toward the occupation for someone starting from nothing, step by step in plain text."""
    label = found["label"]
    st.subheader(f"A route to {label} from scratch")
    st.caption(
        f"For someone with no skills or credentials yet, no budget and no deadline, studying "
        f"{count(found['hours_per_week'], 'hour')} a week (enough for every course's timetable). "
        f"It plans for the job's {count(found['core_skills'], 'core skill')}."
    )
    routes = [(name, route) for name, route in distinct_routes(found.get("routes", [])) if route.get("steps")]
    if not routes:
        st.info(f"No credential in the catalog teaches the core skills of {label}, so there is no route to show.")
        return
    choice = 0
    if len(routes) > 1:
        choice = (
            st.radio("Route to show", list(range(len(routes))), format_func=lambda i: routes[i][0], horizontal=True)
            or 0
        )
    route = routes[choice][1]
    steps = route["steps"]
    st.markdown(
        f"**{count(len(steps), 'credential')}** · {money_text(route.get('total_cost'), route.get('currency'))} · "
        f"{count(float(route.get('total_hours', 0)), 'hour')} · {count(int(route.get('weeks', 0)), 'week')} · "
        f"covers {percent(route.get('coverage'))} of what the core skills weigh"
    )
    lines = []
    for i, step in enumerate(steps, 1):
        start, end = step.get("start_week"), step.get("end_week")
        when = f"week {start}" if start == end else f"weeks {start}–{end}"
        price = money_text(step.get("cost"), route.get("currency"))
        lines.append(f"{i}. **{as_text(step.get('title', ''))}** · {when} · {price}")
    st.markdown("\n".join(lines))
    stacks = route.get("stacks_toward", [])  # best progress first
    for stack in stacks[:STACKS_SHOWN]:
        stack_progress(stack)
    if len(stacks) > STACKS_SHOWN:
        st.caption(f"It also earns part of {count(len(stacks) - STACKS_SHOWN, 'other bigger credential')}.")
    for note in route.get("notes", []):
        if not note.startswith("Stacks toward"):  # the bars above say it, by title
            st.caption(as_text(note))


def toward_section(uri: str, label: str) -> None:
    """The catalog's credentials that build toward the occupation, then a route through them."""
    st.subheader(f"Credentials that build toward {label}")
    try:
        with st.spinner("Finding the credentials that build toward this occupation…"):
            found = client.occupation_credentials(uri)
    except ApiError as exc:
        st.error(exc.detail)
        return
    items = found.get("credentials", [])
    if not items:
        st.info(f"The catalog has no credential made for {label} or teaching its core skills.")
        return
    made = sum(1 for item in items if item.get("made_for"))
    parts = [f"{made} made for {label}"] if made else []
    if len(items) > made:
        parts.append(f"{len(items) - made}{' more' if made else ''} teaching some of its core skills")
    st.caption(f"{count(len(items), 'credential')} in the catalog: {' and '.join(parts)}.")
    for item in items:
        credential_card(item, key="toward", made_for=label)
    route_section(found)
    if found.get("notes"):
        with st.expander("How the route was worked out"):
            for note in found["notes"]:
                st.markdown(f"- {as_text(note)}")


def requirement_rows(requirements: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The requirements table in words: no internal codes, nothing shown as "None"."""
    return [
        {
            "Requirement": r["label"],
            "How much it matters": importance(r),
            "Source": source(r),
            "Citation": r.get("citation") or "",
        }
        for r in requirements
    ]


client = state.client()

st.title("Explore occupations and credentials")
st.caption("Skills for an occupation, from ESCO and O*NET, and the micro-credentials that build toward them.")

try:
    stats = client.stats()
except ApiError as exc:
    st.error(exc.detail)
    st.stop()

with st.container(horizontal=True, gap="medium"):  # side by side, wrapping on a phone (columns would stack)
    st.metric("ESCO skills", f"{stats['skills']:,}")
    st.metric("Occupations", f"{stats['occupations']:,}")
    st.metric("Credentials", f"{stats['credentials']:,}")
    st.metric("Stack destinations", f"{stats['stack_destinations']:,}")

occupations_tab, catalog_tab = st.tabs(["Occupations", "Catalog"])

with occupations_tab:
    query = st.text_input("Job title", placeholder="e.g. data analyst, welder, nursing assistant")
    if query.strip():
        try:
            hits = client.occupations(query.strip())
        except ApiError as exc:
            st.error(exc.detail)
            hits = []
        if not hits:
            st.info("No occupation matches those words. Try a shorter or more common title.")
        else:
            labels = {f"{h['label']} (ISCO {h['isco_group']})": h["uri"] for h in hits}
            choice = st.selectbox("Matching occupations", list(labels))
            try:
                detail = client.occupation(labels[choice])
            except ApiError as exc:
                st.error(exc.detail)
                st.stop()
            st.subheader(detail["label"])
            if detail["description"]:
                st.write(detail["description"])
            with st.container(horizontal=True, gap="medium"):
                if detail["annual_median_wage_usd"]:
                    st.metric("US median annual wage", f"${detail['annual_median_wage_usd']:,.0f}")
                if detail["projected_growth_pct_2020_2030"] is not None:
                    st.metric("Projected growth 2020–30", f"{detail['projected_growth_pct_2020_2030']:+.1f}%")
            if detail["annual_median_wage_usd"] and detail["wage_source"]:
                st.caption(as_text(detail["wage_source"]))
            toward_section(detail["uri"], detail["label"])
            requirements = detail["requirements"]
            st.subheader(f"What the job asks for ({count(len(requirements), 'requirement')})")
            st.caption(
                "Essential and optional skills from ESCO; O\\*NET's importance ratings (1 to 5) and the technologies "
                "O\\*NET lists, hot or in demand."
            )
            st.dataframe(requirement_rows(requirements), width="stretch", hide_index=True)

with catalog_tab:
    st.markdown("**Filters**")
    left, mid, right = st.columns(3)
    field = left.selectbox("Field", list(FIELDS), format_func=FIELDS.__getitem__)
    mode = mid.selectbox("Delivery", list(DELIVERY), format_func=DELIVERY.__getitem__)
    max_cost = right.number_input("Max cost (USD)", min_value=0, value=None, step=100, placeholder="No limit")
    words = st.text_input("Words in title or outcomes")
    try:
        page = client.catalog(
            field=field or None, delivery_mode=mode or None, max_cost=max_cost, q=words or None, limit=200
        )
    except ApiError as exc:
        st.error(exc.detail)
        page = {"total": 0, "items": []}
    summary = [count(page["total"], "credential")]
    for name, hidden in page.get("hidden_by", {}).items():
        if hidden:
            what = FILTER_WORDS.get(name, f"the {name.replace('_', ' ')} filter")
            extra = " (over the limit, or no price stated)" if name == "max_cost" else ""
            summary.append(f"{count(hidden, 'credential')} hidden by {what}{extra}")
    st.caption("; ".join(summary))
    for item in page["items"]:
        credential_card(item, key="catalog")
