#!/usr/bin/env bash
# Set-up for the browser test (tests/test_browser.py): Debian's Chromium and the Python driver.
#
#   scripts/install_browser.sh [VENV]      (VENV defaults to .venv beside this script's folder)
#
# Idempotent: does nothing that is already done.
#   1. Chromium and its WebDriver from Debian's packages (`chromium`, `chromium-driver`, two
#      font packages so that screenshots show text, and `fonts-wqy-microhei` so that the Chinese
#      edition shows Chinese characters, not boxes), with apt-get when any is missing. No
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

PACKAGES="chromium chromium-driver fonts-liberation fonts-dejavu-core fonts-wqy-microhei"

have_chromium() { [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; }

# The packages of $PACKAGES that dpkg does not list as installed (none where there is no dpkg).
missing_packages() {
    command -v dpkg-query >/dev/null 2>&1 || return 0
    local package
    for package in $PACKAGES; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
            || printf '%s ' "$package"
    done
}

MISSING="$(missing_packages)"
MISSING="${MISSING% }"
if have_chromium && [ -z "$MISSING" ]; then
    echo "browser: $(/usr/bin/chromium --version 2>/dev/null | head -n 1) already installed"
elif ! command -v apt-get >/dev/null 2>&1; then
    echo "browser: apt-get is not available here; Chromium cannot be installed (the browser test will skip)"
else
    SUDO=""
    if [ "$(id -u)" != "0" ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            SUDO="sudo -n"
        else
            echo "browser: installing ${MISSING:-$PACKAGES} needs root (or password-less sudo); without chromium the browser test will skip"
        fi
    fi
    if [ "$(id -u)" = "0" ] || [ -n "$SUDO" ]; then
        echo "browser: installing Debian's ${MISSING:-$PACKAGES}"
        export DEBIAN_FRONTEND=noninteractive
        # shellcheck disable=SC2086 # one word per package
        if $SUDO apt-get update -qq \
           && $SUDO apt-get install -y -qq --no-install-recommends ${MISSING:-$PACKAGES} >/dev/null; then
            echo "browser: $(/usr/bin/chromium --version 2>/dev/null | head -n 1) installed"
        else
            echo "browser: apt-get could not install ${MISSING:-$PACKAGES} (without chromium the browser test will skip)"
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
