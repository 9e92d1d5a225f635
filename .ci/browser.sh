#!/usr/bin/env bash
# Makes sure the browser for the end-to-end tests is present: Debian's `chromium` at /usr/bin/chromium,
# driven by Playwright (Playwright's own browser download does not work on these machines).
# Idempotent: does nothing when chromium is already installed. Installs it with apt-get when run as root
# (or with passwordless sudo). Exits non-zero, saying why, when the browser cannot be made available,
# so CI fails loudly instead of skipping the browser tests.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
cd "$(dirname "$0")/.."

say() { echo "browser.sh: $*" >&2; }

if [[ ! -x "$CHROMIUM" ]]; then
    if ! command -v apt-get >/dev/null 2>&1; then
        say "$CHROMIUM is missing and apt-get is not available; install Chromium so that $CHROMIUM exists"
        exit 1
    fi
    if [[ "$(id -u)" == 0 ]]; then
        SUDO=()
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO=(sudo -n)
    else
        say "$CHROMIUM is missing and installing it needs root: run 'apt-get install -y chromium' as root"
        exit 1
    fi
    say "installing chromium (a few minutes)"
    export DEBIAN_FRONTEND=noninteractive
    if ! { "${SUDO[@]}" apt-get install -y -qq chromium || { "${SUDO[@]}" apt-get update -qq \
        && "${SUDO[@]}" apt-get install -y -qq chromium; }; } >&2; then
        say "apt-get could not install chromium"
        exit 1
    fi
fi

# Check that Playwright can drive it headless, with the flags the tests use.
PYTHON="${PYTHON:-.venv/bin/python}"
if [[ ! -x "$PYTHON" ]]; then
    say "$PYTHON not found: install the project first (make install-dev)"
    exit 1
fi
if ! "$PYTHON" - <<'PY' >&2; then
from playwright.sync_api import sync_playwright

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
    page = browser.new_page()
    page.set_content("<h1>ok</h1>")
    assert page.inner_text("h1") == "ok"
    print(f"browser.sh: chromium {browser.version} launches headless under Playwright")
    browser.close()
PY
    say "chromium is installed but Playwright could not launch it headless"
    exit 1
fi
