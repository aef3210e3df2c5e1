#!/usr/bin/env bash
# Set-up for the browser test (tests/test_browser.py): Debian's Chromium and the Python driver.
#
#   scripts/install_browser.sh [VENV]      (VENV defaults to .venv beside this script's folder)
#
# Idempotent: does nothing that is already done.
#   1. Chromium and its WebDriver from Debian's packages (`chromium`, `chromium-driver`, and two
#      font packages so that screenshots show text), with apt-get when they are missing. No
#      browser is ever downloaded at run time: the test drives /usr/bin/chromium through
#      Playwright's `executable_path`, never `playwright install`.
#   2. The pip packages `playwright` (its driver ships in the wheel) and `nbclient` in the venv.
#
# Where Chromium cannot be installed (no root, no apt, no network), this script says so and
# exits 0: the browser test then skips with that reason, and every other test still runs.
set -uo pipefail

cd "$(dirname "$0")/.."
VENV="${1:-.venv}"
PIP="$VENV/bin/python -m pip"

have_chromium() { [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; }

if have_chromium; then
    echo "browser: $(/usr/bin/chromium --version 2>/dev/null | head -n 1) already installed"
elif ! command -v apt-get >/dev/null 2>&1; then
    echo "browser: apt-get is not available here; Chromium cannot be installed (the browser test will skip)"
else
    SUDO=""
    if [ "$(id -u)" != "0" ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            SUDO="sudo -n"
        else
            echo "browser: installing Chromium needs root (or password-less sudo); the browser test will skip"
        fi
    fi
    if [ "$(id -u)" = "0" ] || [ -n "$SUDO" ]; then
        echo "browser: installing Debian's chromium and chromium-driver"
        export DEBIAN_FRONTEND=noninteractive
        if $SUDO apt-get update -qq \
           && $SUDO apt-get install -y -qq --no-install-recommends \
                chromium chromium-driver fonts-liberation fonts-dejavu-core >/dev/null; then
            echo "browser: $(/usr/bin/chromium --version 2>/dev/null | head -n 1) installed"
        else
            echo "browser: apt-get could not install chromium (the browser test will skip)"
        fi
    fi
fi

if [ ! -x "$VENV/bin/python" ]; then
    echo "browser: no virtual environment at $VENV (run make setup first)" >&2
    exit 1
fi
if "$VENV/bin/python" -c 'import playwright.sync_api, nbclient' 2>/dev/null; then
    echo "browser: playwright and nbclient already in $VENV"
else
    echo "browser: installing playwright and nbclient into $VENV"
    $PIP install --quiet -c requirements.lock playwright nbclient || { echo "browser: pip could not install playwright" >&2; exit 1; }
fi
