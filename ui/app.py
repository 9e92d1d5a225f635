"""Stackwise in the browser: the entry point (`streamlit run ui/app.py`) that routes to the five pages.

Every page is a thin client of the API (``ui/client.py``). An unexpected failure on a page is shown
in plain words here, and its traceback goes to the server log, never to the person at the page.
"""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

from ui.components.preparing import preparing_banner

# Not "pages/": Streamlit treats a pages/ folder beside the entry script as an old-style multipage app
# and, on a fresh server, runs a deep link such as /advisor straight from that folder, skipping this file.
PAGES = Path(__file__).resolve().parent / "views"
log = logging.getLogger("stackwise.ui")

st.set_page_config(page_title="Stackwise", page_icon="🧭", layout="wide")

page = st.navigation(
    [
        st.Page(
            PAGES / "learner.py", title="Plan my learning", icon=":material/route:", url_path="learner", default=True
        ),
        st.Page(PAGES / "advisor.py", title="Advisor", icon=":material/badge:", url_path="advisor"),
        st.Page(PAGES / "alumni.py", title="Alumni", icon=":material/school:", url_path="alumni"),
        st.Page(PAGES / "explorer.py", title="Explore", icon=":material/travel_explore:", url_path="explore"),
        st.Page(
            PAGES / "catalog_health.py", title="Catalog health", icon=":material/monitor_heart:", url_path="catalog"
        ),
    ]
)
st.sidebar.caption("Stackwise: skills gaps and stackable micro-credentials.")
try:
    preparing_banner()
    page.run()
except Exception:
    log.exception("page %s failed", page.title)
    st.error(
        "Something went wrong on this page. Please reload it; if it happens again, tell the people who run "
        "this Stackwise service.",
        icon=":material/error:",
    )
