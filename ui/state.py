"""Per-browser-session state the pages share: which API client to use and which keys this person holds.

Pages never build a client themselves: they call :func:`client`, so tests can put a factory in
``st.session_state["client_factory"]`` and drive every page without a server.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

from ui.client import ApiError, StackwiseClient

CLIENT_FACTORY = "client_factory"
LEARNER_KEY = "learner_key"
LEARNER_USER = "learner_user"
ADVISOR_KEY = "advisor_key"

ClientFactory = Callable[[str | None], StackwiseClient]


def client(api_key: str | None = None) -> StackwiseClient:
    """The API client for this key (public endpoints when None)."""
    factory: ClientFactory | None = st.session_state.get(CLIENT_FACTORY)
    if factory is not None:
        return factory(api_key)
    return StackwiseClient(api_key=api_key)


def show_error(exc: ApiError, what: str | None = None) -> None:
    """The API's plain-words reason, optionally after what we were trying to do."""
    st.error(f"{what} {exc.detail}" if what else exc.detail, icon=":material/error:")


def demo_keys() -> dict[str, Any]:
    """The local demo accounts written by ``stackwise serve`` (path in STACKWISE_DEMO_KEYS), or empty."""
    path = os.environ.get("STACKWISE_DEMO_KEYS")
    if not path:
        return {}
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def learner_key() -> str:
    """This browser session's learner key, creating a guest learner on the first visit.

    Stops the page with a plain message when the service cannot create one, since nothing on the
    learner pages works without a key.
    """
    key: str | None = st.session_state.get(LEARNER_KEY)
    if key:
        return key
    try:
        created = client().create_guest()
    except ApiError as exc:
        show_error(exc, "Could not start a guest session.")
        st.stop()
    st.session_state[LEARNER_KEY] = created["api_key"]
    st.session_state[LEARNER_USER] = created["user"]
    return created["api_key"]


def forget_learner() -> None:
    """Drop everything this session knew about the learner (after their data was deleted)."""
    keep = {CLIENT_FACTORY, ADVISOR_KEY}
    for name in list(st.session_state.keys()):
        if name not in keep:
            del st.session_state[name]


def staff_key(role: str, session_key: str) -> str | None:
    """A staff page's key: the one typed on the page, else the local demo account's for ``role`` (written by
    ``stackwise serve``)."""
    typed: str | None = st.session_state.get(session_key)
    if typed:
        return typed
    demo = demo_keys().get(role)
    return demo if isinstance(demo, str) and demo else None


def staff_key_form(role: str, session_key: str, *, label: str, help: str, forget: tuple[str, ...] = ()) -> None:
    """Sign in with a key (or switch from the demo account's); ``forget`` names session values to drop."""
    demo = isinstance(demo_keys().get(role), str)
    if demo and not st.session_state.get(session_key):
        st.caption(
            f":material/science: Demo {role} account, made by `make start` for trying Stackwise locally: everyone "
            "who opens this page shares it, and its profiles are samples."
        )
    title = f"Use another {label.lower()}" if demo else "Sign in"
    with st.expander(title, expanded=not demo and not st.session_state.get(session_key)), st.form(f"{role}_key_form"):
        key = st.text_input(label, type="password", help=help)
        if st.form_submit_button("Use this key") and key.strip():
            st.session_state[session_key] = key.strip()
            for name in forget:
                st.session_state.pop(name, None)
            st.rerun()
