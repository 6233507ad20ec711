#!/usr/bin/env bash
# Install the Debian packages the test suite needs, but only those that are missing.
#
#   scripts/ensure-system.sh            # the test set (fonts, poppler, chromium, gettext, PostgreSQL,
#                                       # and for the production stack: caddy, redis-server, logrotate, shellcheck, sudo)
#   scripts/ensure-system.sh PKG...     # just these packages (the Makefile uses it for python3-venv)
#
# `apt-get update` runs only when something has to be installed, so a second run does nothing and
# needs no network. PostgreSQL counts as present when `initdb` and `pg_ctl` are found either on
# PATH or under /usr/lib/postgresql/*/bin (see scripts/pg-throwaway.sh, which uses the same lookup).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/pg-bin.sh
. "$ROOT/scripts/pg-bin.sh"

if [ "$#" -gt 0 ]; then
    wanted=("$@")
else
    wanted=(fonts-tlwg-laksaman-ttf fonts-thai-tlwg poppler-utils chromium gettext
            caddy redis-server logrotate shellcheck sudo)
    if ! pg_bindir >/dev/null; then
        wanted+=(postgresql)
    fi
fi

missing=()
for pkg in "${wanted[@]}"; do
    # `dpkg -s` also succeeds for removed-but-not-purged packages, so ask for the installed status itself
    # (no pipe: under pipefail, `grep -q` quitting early could fail the pipe and make a package look missing).
    if [ "$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null)" != "installed" ]; then
        missing+=("$pkg")
    fi
done

if [ "${#missing[@]}" -eq 0 ]; then
    echo "ensure-system: all present (${wanted[*]})"
    exit 0
fi

echo "ensure-system: installing ${missing[*]}"
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then
        SUDO=(sudo)
    else
        echo "ensure-system: need root (or sudo) to install: ${missing[*]}" >&2
        exit 1
    fi
fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -q </dev/null
"${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null

if [ "$#" -eq 0 ] && ! pg_bindir >/dev/null; then
    echo "ensure-system: postgresql installed but initdb/pg_ctl still not found" >&2
    exit 1
fi
