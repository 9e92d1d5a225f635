"""What the browser tests share: where things are and what the running stack looks like."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("STACKWISE_CHROMIUM", "/usr/bin/chromium"))
# Debian's chromium driven by Playwright (its own browser download does not work here); see ../shared/STACK.md.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass(frozen=True)
class Stack:
    """A running `stackwise serve`: where its API and page answer, its demo keys and its log."""

    api_url: str
    ui_url: str
    demo_keys: Path
    log: Path
