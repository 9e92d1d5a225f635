"""Explore: occupations (ESCO, O*NET, BLS) and the institution's catalog, without signing in."""

from __future__ import annotations

import streamlit as st

from ui import state
from ui.client import ApiError
from ui.components.advice import money as money_text
from ui.components.advice import stated

FIELDS = {
    "": "All fields",
    "data-it": "Data and IT",
    "health-care": "Health care",
    "business": "Business",
    "education": "Education",
    "green": "Green skills",
    "skilled-trades": "Skilled trades",
}

client = state.client()

st.title("Explore occupations and credentials")
st.caption("Skills for an occupation, from ESCO and O*NET, and the micro-credentials that build toward them.")

try:
    stats = client.stats()
except ApiError as exc:
    st.error(exc.detail)
    st.stop()

cols = st.columns(4)
cols[0].metric("ESCO skills", f"{stats['skills']:,}")
cols[1].metric("Occupations", f"{stats['occupations']:,}")
cols[2].metric("Credentials", stats["credentials"])
cols[3].metric("Stack destinations", stats["stack_destinations"])

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
            money = st.columns(2)
            if detail["annual_median_wage_usd"]:
                money[0].metric("US median annual wage", f"${detail['annual_median_wage_usd']:,.0f}")
                money[0].caption(detail["wage_source"])
            if detail["projected_growth_pct_2020_2030"] is not None:
                money[1].metric("Projected growth 2020–30", f"{detail['projected_growth_pct_2020_2030']:+.1f}%")
            rows = [
                {
                    "requirement": r["label"],
                    "source": r["source"],
                    "importance (1–5)": r["importance"],
                    "hot technology": r["hot_technology"],
                    "cite": r["citation"],
                }
                for r in detail["requirements"]
            ]
            st.dataframe(rows, width="stretch", hide_index=True)

with catalog_tab:
    left, mid, right = st.columns(3)
    field = left.selectbox("Field", list(FIELDS), format_func=FIELDS.__getitem__)
    mode = mid.selectbox("Delivery", ["", "online", "onsite", "blended"], format_func=lambda m: m or "Any")
    max_cost = right.number_input("Max cost (USD)", min_value=0, value=2000, step=100)
    words = st.text_input("Words in title or outcomes")
    try:
        page = client.catalog(
            field=field or None, delivery_mode=mode or None, max_cost=max_cost, q=words or None, limit=200
        )
    except ApiError as exc:
        st.error(exc.detail)
        page = {"total": 0, "items": []}
    st.caption(f"{page['total']} credentials")
    for item in page["items"]:
        with st.container(border=True):
            st.markdown(f"**{item['title']}** · `{item['id']}` · {item['kind']}")
            st.write(
                f"{money_text(item['cost'], item.get('currency'))} · "
                f"{stated(item['workload_hours'], '{:g} h', 'workload not stated')} · "
                f"{item['ects'] if item['ects'] is not None else '–'} ECTS · "
                f"{stated(item['eqf_level'], 'EQF {}', 'EQF level not stated')} · "
                f"{stated(item['delivery_mode'], '{}', 'delivery not stated')} · "
                f"{stated(item['duration_weeks'], '{:g} weeks', 'length not stated')}"
            )
            if item["prerequisites"]:
                st.caption("Requires: " + ", ".join(item["prerequisites"]))
            if item["stacks_into"]:
                st.caption("Stacks into: " + ", ".join(item["stacks_into"]))
