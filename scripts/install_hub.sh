#!/usr/bin/env bash
# Set-up for the JupyterHub test (tests/test_hub.py): JupyterHub's proxy from the npm registry.
#
#   scripts/install_hub.sh [VENV]      (VENV defaults to .venv beside this script's folder)
#
# Idempotent: does nothing that is already done.
#   1. configurable-http-proxy, at the version pinned by scripts/hub/package.json and
#      scripts/hub/package-lock.json (every transitive package with its integrity hash), with
#      `npm ci` into .hub/ (git-ignored). Nothing is installed globally.
#   2. Checks that JupyterHub itself (a dev extra of pyproject.toml, pinned in requirements.lock)
#      is in the venv.
#
# Where node/npm are missing or the registry cannot be reached, this script says so and exits 0:
# the hub test then skips with that reason, and every other test still runs.
set -uo pipefail

cd "$(dirname "$0")/.."
VENV="${1:-.venv}"
HUB=.hub
PROXY="$HUB/node_modules/.bin/configurable-http-proxy"

if [ ! -x "$VENV/bin/python" ]; then
    echo "hub: no virtual environment at $VENV (run make setup first)" >&2
    exit 1
fi
if ! "$VENV/bin/python" -c 'import jupyterhub' 2>/dev/null; then
    echo "hub: installing jupyterhub into $VENV (pinned by requirements.lock)"
    "$VENV/bin/python" -m pip install --quiet -c requirements.lock jupyterhub \
        || { echo "hub: pip could not install jupyterhub" >&2; exit 1; }
fi

if [ -x "$PROXY" ] && cmp -s scripts/hub/package-lock.json "$HUB/package-lock.json"; then
    echo "hub: configurable-http-proxy $("$PROXY" --version 2>/dev/null) already in $HUB"
    exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "hub: npm is not available here; configurable-http-proxy cannot be installed (the hub test will skip)"
    exit 0
fi
echo "hub: installing configurable-http-proxy into $HUB with npm ci (scripts/hub/package-lock.json)"
rm -rf "$HUB"
mkdir -p "$HUB"
cp scripts/hub/package.json scripts/hub/package-lock.json "$HUB/"
if (cd "$HUB" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error); then
    echo "hub: configurable-http-proxy $("$PROXY" --version 2>/dev/null) installed in $HUB"
else
    rm -rf "$HUB"
    echo "hub: npm could not install configurable-http-proxy (the hub test will skip)"
fi
