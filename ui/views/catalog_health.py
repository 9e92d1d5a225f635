"""Catalog health, for the staff who run the catalog: duplication, alignment, stacking, demand gaps, coverage
and completeness, each finding linked to its credentials, with a Markdown or PDF export for a committee."""

from __future__ import annotations

from typing import Any, Literal

import altair as alt
import streamlit as st

from ui.client import ApiError, Download, StackwiseClient
from ui.state import client, show_error, staff_key, staff_key_form

ADMIN_KEY = "catalog_admin_key"
REPORT = "catalog_health_report"
ROUTES = "catalog_health_routes"  # whether the report in the session has the routes planned
FORMATS: dict[Literal["md", "pdf"], str] = {"md": "Markdown", "pdf": "PDF"}


def admin_key() -> str | None:
    return staff_key("admin", ADMIN_KEY)


def key_form() -> None:
    staff_key_form(
        "admin",
        ADMIN_KEY,
        label="Administrator key",
        help="Catalog health is for administrators.",
        forget=(REPORT, ROUTES, "catalog_health_exports"),
    )


def link(report: dict[str, Any], cid: str) -> str | None:
    url = report.get("links", {}).get(cid)
    return str(url) if url else None


def duplicates(report: dict[str, Any]) -> None:
    pairs = report.get("duplicates", [])
    if not pairs:
        st.success("No near-duplicates: no two credentials overlap heavily in skills or outcomes.")
        return
    st.caption("Pairs whose aligned skills or outcomes overlap heavily, with what to do about each.")
    rows = [
        {
            "first": p["ids"][0],
            "first title": p["titles"][0],
            "second": p["ids"][1],
            "second title": p["titles"][1],
            "skills alike": p["skill_overlap"],
            "outcomes alike": p["text_overlap"],
            "suggestion": p["suggestion"],
            "why": p["why"],
            "first page": link(report, p["ids"][0]),
            "second page": link(report, p["ids"][1]),
        }
        for p in pairs
    ]
    st.dataframe(rows, hide_index=True, width="stretch", column_config=_columns())


def _columns() -> dict[str, Any]:
    share = st.column_config.ProgressColumn(format="percent", min_value=0.0, max_value=1.0)
    page = st.column_config.LinkColumn(display_text="open")
    return {
        "skills alike": share,
        "outcomes alike": share,
        "share taught": share,
        "first page": page,
        "second page": page,
        "page": page,
    }


def alignment(report: dict[str, Any]) -> None:
    items = report.get("unaligned", [])
    stacking = report.get("destinations", [])
    st.markdown("**Credentials no goal can use**")
    if items:
        rows = [{"id": u["id"], "title": u["title"], "problem": u["problem"], "page": link(report, u["id"])}
                for u in items]  # fmt: skip
        st.dataframe(rows, hide_index=True, width="stretch", column_config=_columns())
    else:
        st.success("Every credential is aligned to skills some occupation needs.")
    st.markdown("**Stacking**")
    if stacking:
        rows = [{"id": d["id"], "title": d["title"], "problem": d["problem"], "detail": d["detail"]} for d in stacking]
        st.dataframe(rows, hide_index=True, width="stretch")
    else:
        st.success("Every stack destination can be completed from the catalog's own credentials; no cycles.")


def demand(report: dict[str, Any]) -> None:
    gaps = report.get("demand_gaps", [])
    if not gaps:
        st.success("The catalog teaches every in-demand skill the data knows of.")
        return
    st.caption(
        "In-demand skills no credential teaches. Demand: BLS annual openings × median wage of the growing "
        "occupations that need each skill (ESCO essential skills, O*NET hot technologies)."
    )
    top = gaps[:20]
    data = [{"skill": g["label"], "demand": g["demand"], "source": "hot technology" if g["hot_technology"]
             else "essential skill"} for g in top]  # fmt: skip
    chart = (
        alt.Chart(alt.InlineData(values=data))
        .mark_bar()
        .encode(
            x=alt.X("demand:Q", title="demand (openings × wage, growing occupations)"),
            y=alt.Y("skill:N", sort="-x", title=None),
            color=alt.Color("source:N", title=None, legend=alt.Legend(orient="bottom")),
            tooltip=["skill:N", "demand:Q", "source:N"],
        )
        .properties(height=alt.Step(22))
    )
    st.altair_chart(chart, width="stretch")
    st.caption("Bar chart of the top demand gaps: " + "; ".join(f"{d['skill']} {d['demand']:g}" for d in data[:8]))
    rows = [{"skill": g["label"], "demand": g["demand"], "needed by": ", ".join(g["occupations"]),
             "source": "; ".join(g["sources"])} for g in gaps]  # fmt: skip
    st.dataframe(rows, hide_index=True, width="stretch")


def _route(route: dict[str, Any] | None, planned: bool) -> str:
    if not planned:
        return "not planned yet"
    if not route:
        return "none"
    return f"{len(route['credential_ids'])} credentials, ${float(route['total_cost']):,.0f}, {route['weeks']} weeks"


def coverage(report: dict[str, Any], api: StackwiseClient) -> None:
    rows = report.get("coverage", [])
    planned = bool(st.session_state.get(ROUTES))
    if not rows:
        st.info("No occupation is prepared for or substantially covered by this catalog.")
        return
    st.caption(
        "Occupations the catalog says it prepares for, and those whose essential skills it teaches the largest "
        "share of. The heat map splits each share by the catalog field whose credentials teach it."
    )
    cells = [{"occupation": r["label"], "field": f, "share": s} for r in rows for f, s in r.get("by_field", {}).items()]
    if cells:
        heat = (
            alt.Chart(alt.InlineData(values=cells))
            .mark_rect()
            .encode(
                x=alt.X("field:N", title="catalog field"),
                y=alt.Y("occupation:N", title=None, sort=[r["label"] for r in rows], axis=alt.Axis(labelLimit=150)),
                color=alt.Color(
                    "share:Q",
                    title="share taught",
                    scale=alt.Scale(domain=[0, 1], scheme="blues"),
                    legend=alt.Legend(orient="bottom", format=".0%"),
                ),
                tooltip=["occupation:N", "field:N", alt.Tooltip("share:Q", format=".0%")],
            )
            .properties(height=alt.Step(24))
        )
        st.altair_chart(heat, width="stretch")
        best = sorted(rows, key=lambda r: -r["share"])[:5]
        st.caption(
            "Heat map of coverage; the best covered: " + "; ".join(f"{r['label']} {r['share']:.0%}" for r in best)
        )
    table = [
        {
            "occupation": r["label"],
            "share taught": r["share"],
            "essential skills taught": f"{r['covered']} of {r['essential']}",
            "cheapest route": _route(r.get("cheapest"), bool(r.get("routes_planned"))),
            "fastest route": _route(r.get("fastest"), bool(r.get("routes_planned"))),
            "teaching": ", ".join(r.get("teaching", [])),
            "why listed": r["why_listed"],
        }
        for r in rows
    ]
    st.dataframe(table, hide_index=True, width="stretch", column_config=_columns())
    plan = not planned and st.button("Plan the cheapest and fastest route for each occupation", key="plan_routes")
    if plan and plan_all(api):
        st.rerun()


def plan_all(api: StackwiseClient) -> bool:
    """Ask until every listed occupation has its routes (the service plans a few seconds' worth per request)."""
    bar = st.progress(0.0, text="Planning a route toward each occupation (about a minute the first time)…")
    while True:
        try:
            report = api.catalog_health(routes=True)
        except ApiError as exc:
            show_error(exc, "Could not plan the routes.")
            return False
        rows = max(1, len(report.get("coverage", [])))
        pending = int(report.get("routes_pending", 0))
        bar.progress((rows - pending) / rows, text=f"Routes planned for {rows - pending} of {rows} occupations")
        if not pending:
            st.session_state[REPORT] = report
            st.session_state[ROUTES] = True
            return True


def completeness(report: dict[str, Any]) -> None:
    summary = {k: v for k, v in report.get("completeness_summary", {}).items() if v}
    if not summary:
        st.success("Every record states every EU Annex I element a catalog can state.")
        return
    st.caption("EU Annex I elements records do not state (the product shows them as not stated, never guessed).")
    st.dataframe([{"element": k, "credentials missing it": v} for k, v in summary.items()], hide_index=True)
    rows = [{"id": c["id"], "title": c["title"], "missing": ", ".join(c["missing"]), "page": link(report, c["id"])}
            for c in report.get("completeness", [])]  # fmt: skip
    st.dataframe(rows, hide_index=True, width="stretch", column_config=_columns())


def exports(api: StackwiseClient) -> None:
    st.caption("The whole report, routes included, as a document for a curriculum committee.")
    if not st.session_state.get("catalog_health_exports"):
        if not st.button("Prepare the export", key="prepare"):
            return
        if not st.session_state.get(ROUTES) and not plan_all(api):
            return
    cols = st.columns(2)
    for col, fmt in zip(cols, FORMATS, strict=True):
        cache: dict[str, Download] = st.session_state.setdefault("catalog_health_exports", {})
        if fmt not in cache:
            try:
                cache[fmt] = api.export_catalog_health(fmt)
            except ApiError as exc:
                show_error(exc, f"Could not export the report as {FORMATS[fmt]}.")
                continue
        exported = cache[fmt]
        col.download_button(
            f"Download for the committee ({FORMATS[fmt]})",
            data=exported.content,
            file_name=exported.filename,
            mime=exported.media_type,
            key=f"health_export_{fmt}",
            on_click="ignore",
            width="stretch",
        )


def main() -> None:
    st.title("Catalog health")
    st.caption("For the staff who run the catalog: what to merge, align, fix, add, and complete.")
    key_form()
    key = admin_key()
    if not key:
        st.info("Sign in with an administrator key to see the catalog's health.")
        return
    api = client(key)
    report: dict[str, Any] | None = st.session_state.get(REPORT)
    if report is None:
        with st.spinner("Checking the catalog…"):
            try:
                report = api.catalog_health(routes=False)
            except ApiError as exc:
                show_error(exc, "Could not check the catalog.")
                return
        st.session_state[REPORT] = report
    st.caption(f"{report['catalog']}: {report['credentials']} credentials, {report['stack_destinations']} stack "
               f"destinations; checked in {report.get('seconds', 0):.1f} s.")  # fmt: skip
    counts = (
        (len(report["duplicates"]), "near-duplicate pairs"),
        (len(report["unaligned"]), "with no useful skills"),
        (len(report["destinations"]), "stacking problems"),
        (len(report["coverage"]), "occupations covered"),
        (len(report["completeness"]), "records incomplete"),
    )  # one line that wraps, rather than five stacked metrics on a phone
    st.markdown(" · ".join(f"**{n}** {what}" for n, what in counts))
    tabs = st.tabs(["Duplicates", "Alignment and stacking", "Demand gaps", "Coverage", "Completeness", "Export"])
    with tabs[0]:
        duplicates(report)
    with tabs[1]:
        alignment(report)
    with tabs[2]:
        demand(report)
    with tabs[3]:
        coverage(report, api)
    with tabs[4]:
        completeness(report)
    with tabs[5]:
        exports(api)


main()
