#!/usr/bin/env bash
# Install ITA Desk on a fresh Debian 12 server, or bring an existing install up to this source tree.
#
#   sudo deploy/install.sh --domain ita.example.go.th [--email admin@example.go.th]
#   deploy/install.sh --domain ita.example.go.th --dry-run      # print what it would do, change nothing
#
# What it sets up (docs/deploy.md explains each piece):
#   packages   python3-venv, PostgreSQL, Redis, Caddy, logrotate, sudo, Thai fonts, poppler-utils
#   user       itadesk (system user, no login), PostgreSQL role and database "itadesk" (socket, no password)
#   folders    /opt/itadesk (code and virtualenv), /var/lib/itadesk (data), /var/log/itadesk,
#              /var/backups/itadesk, /etc/itadesk
#   files      /etc/itadesk/itadesk.env (settings; written once, then left to you),
#              /etc/systemd/system/itadesk-web.service, itadesk-worker.service, itadesk-worker@.service,
#              itadesk.target, /etc/caddy/Caddyfile, /etc/logrotate.d/itadesk, /usr/local/bin/itadesk,
#              /etc/sudoers.d/itadesk  (all rendered by deploy/render.py from deploy/templates/)
#   then       `itadesk upgrade` (migrate, collectstatic, restart) when the code or a unit changed,
#              and a check of /healthz.
#
# Idempotent: every step first looks whether it is already done; a second run with the same source
# and domain changes nothing and restarts nothing, and says so.
set -euo pipefail

SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DOMAIN=""
EMAIL=""
DRY=0

APP_USER=itadesk
APP_DIR=/opt/itadesk
VENV=$APP_DIR/venv
VAR_DIR=/var/lib/itadesk
LOG_DIR=/var/log/itadesk
BACKUP_DIR=/var/backups/itadesk
ETC_DIR=/etc/itadesk
STAMP=$APP_DIR/installed-source.sha256
PACKAGES=(python3 python3-venv postgresql redis-server caddy logrotate sudo
    fonts-thai-tlwg fonts-tlwg-laksaman-ttf poppler-utils)

usage() {
    sed -n '2,6p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit "${1:-2}"
}

while [ "$#" -gt 0 ]; do
    case "$1" in
        --domain) DOMAIN="${2:-}"; shift 2 || usage ;;
        --domain=*) DOMAIN="${1#*=}"; shift ;;
        --email) EMAIL="${2:-}"; shift 2 || usage ;;
        --email=*) EMAIL="${1#*=}"; shift ;;
        --dry-run|-n) DRY=1; shift ;;
        -h|--help) usage 0 ;;
        *) echo "install: unknown argument: $1" >&2; usage ;;
    esac
done
if [ -z "$DOMAIN" ]; then
    echo "install: --domain is required (the name the server is reached by, e.g. ita.example.go.th)" >&2
    usage
fi

CHANGED=()      # what this run changed (or, with --dry-run, would change)
RESTART=0       # the app must be (re)started through `itadesk upgrade`
say() { echo "install: $*"; }
changed() { CHANGED+=("$1"); if [ "$DRY" -eq 1 ]; then say "would: $1"; else say "$1"; fi; }
# run CMD...: run it, or with --dry-run print it.
run() {
    if [ "$DRY" -eq 1 ]; then
        echo "  would run: $*"
    else
        "$@"
    fi
}

if [ "$DRY" -eq 0 ] && [ "$(id -u)" -ne 0 ]; then
    echo "install: run as root (sudo deploy/install.sh --domain $DOMAIN), or add --dry-run" >&2
    exit 1
fi
# shellcheck source=/dev/null
. /etc/os-release 2>/dev/null || true
if [ "${ID:-}" != debian ] || [ "${VERSION_ID:-}" != 12 ]; then
    msg="this script is made for Debian 12; this is ${PRETTY_NAME:-an unknown system}"
    if [ "$DRY" -eq 1 ]; then say "note: $msg"; else echo "install: $msg" >&2; exit 1; fi
fi

TMP="$(mktemp -d "${TMPDIR:-/tmp}/itadesk-install.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

# --- 1. the generated files (rendered first: a bad domain stops here, before anything changes) --------
if ! python3 "$SRC/deploy/render.py" --domain "$DOMAIN" --email "$EMAIL" --cores "$(nproc)" \
        --out "$TMP/files" --list >"$TMP/files.list"; then
    exit 2
fi
say "ITA Desk from $SRC for https://$DOMAIN ($(nproc) cores)$([ "$DRY" -eq 1 ] && echo ', dry run')"

# --- 2. Debian packages --------------------------------------------------------------------------------
missing=()
for pkg in "${PACKAGES[@]}"; do
    # (Not `dpkg -s | grep -q`: with pipefail, grep's early exit can fail the pipe with SIGPIPE.)
    if [ "$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null)" != installed ]; then
        missing+=("$pkg")
    fi
done
if [ "${#missing[@]}" -gt 0 ]; then
    changed "install packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    run apt-get update -q
    run apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# --- 3. the system user and the folders ----------------------------------------------------------------
if ! id "$APP_USER" >/dev/null 2>&1; then
    changed "create the system user $APP_USER"
    run useradd --system --user-group --home-dir "$VAR_DIR" --shell /usr/sbin/nologin "$APP_USER"
fi
# ensure_dir PATH OWNER:GROUP MODE
ensure_dir() {
    local path="$1" owner="$2" mode="$3"
    if [ -d "$path" ] && [ "$(stat -c '%U:%G %a' "$path")" = "$owner ${mode#0}" ]; then
        return
    fi
    changed "folder $path ($owner, $mode)"
    run install -d -o "${owner%%:*}" -g "${owner##*:}" -m "$mode" "$path"
}
ensure_dir "$APP_DIR" root:root 0755
ensure_dir "$VAR_DIR" "$APP_USER:$APP_USER" 0750
ensure_dir "$BACKUP_DIR" "$APP_USER:$APP_USER" 0700
ensure_dir "$LOG_DIR" root:adm 0750
ensure_dir "$ETC_DIR" "root:$APP_USER" 0750
if id caddy >/dev/null 2>&1 || [ "$DRY" -eq 0 ]; then
    ensure_dir /var/log/caddy caddy:caddy 0755
fi

# --- 4. the code and its virtualenv --------------------------------------------------------------------
# The installed code is a copy of this source tree; its fingerprint decides whether to reinstall.
fingerprint="$(cd "$SRC" && find itadesk deploy docs pyproject.toml README.md -type f \
    ! -name '*.pyc' ! -path '*/__pycache__/*' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)"
if [ ! -x "$VENV/bin/python" ]; then
    changed "create the virtualenv $VENV"
    run python3 -m venv "$VENV"
fi
if [ "$(cat "$STAMP" 2>/dev/null || true)" != "$fingerprint" ]; then
    changed "install ITA Desk into $VENV (source fingerprint ${fingerprint:0:12})"
    run rm -rf "$APP_DIR/src.new"
    run mkdir -p "$APP_DIR/src.new"
    run cp -a "$SRC/itadesk" "$SRC/deploy" "$SRC/docs" "$SRC/pyproject.toml" "$SRC/README.md" "$APP_DIR/src.new/"
    run rm -rf "$APP_DIR/src"
    run mv "$APP_DIR/src.new" "$APP_DIR/src"
    # First the dependencies, then ITA Desk itself again, since its version number may not have changed.
    run "$VENV/bin/python" -m pip install --disable-pip-version-check -q "$APP_DIR/src"
    run "$VENV/bin/python" -m pip install --disable-pip-version-check -q --force-reinstall --no-deps "$APP_DIR/src"
    if [ "$DRY" -eq 0 ]; then echo "$fingerprint" >"$STAMP"; fi
    RESTART=1
fi

# --- 5. the generated files ----------------------------------------------------------------------------
UNITS_CHANGED=0
CADDY_CHANGED=0
while read -r name dest mode; do
    src="$TMP/files/$name"
    owner=root:root
    case "$name" in
        itadesk.env)
            owner="root:$APP_USER"
            if [ -e "$dest" ]; then
                # Settings are the administrator's once written; only say when the domain differs.
                if ! grep -qx "ITADESK_SITE_URL=https://$DOMAIN" "$dest"; then
                    say "note: $dest is kept as it is, but its ITADESK_SITE_URL is not https://$DOMAIN;" \
                        "edit it and run: systemctl restart itadesk.target"
                fi
                continue
            fi
            ;;
        sudoers)
            if [ "$DRY" -eq 0 ] && ! visudo -cq -f "$src"; then
                echo "install: the generated sudoers rule does not pass visudo -c; nothing installed" >&2
                exit 1
            fi
            ;;
    esac
    if [ -e "$dest" ] && cmp -s "$src" "$dest" && [ "$(stat -c '%U:%G %a' "$dest")" = "$owner ${mode#0}" ]; then
        continue
    fi
    if [ "$name" = Caddyfile ] && [ -e "$dest" ] && ! grep -q 'deploy/render.py' "$dest" && [ ! -e "$dest.before-itadesk" ]; then
        changed "keep the previous Caddyfile as $dest.before-itadesk"
        run cp -a "$dest" "$dest.before-itadesk"
    fi
    changed "write $dest"
    run install -D -o "${owner%%:*}" -g "${owner##*:}" -m "$mode" "$src" "$dest"
    case "$name" in
        *.service | *.target) UNITS_CHANGED=1; RESTART=1 ;;
        itadesk.env) RESTART=1 ;;
        Caddyfile) CADDY_CHANGED=1 ;;
    esac
done <"$TMP/files.list"

# --- 6. PostgreSQL and Redis ---------------------------------------------------------------------------
for svc in postgresql redis-server; do
    if [ "$DRY" -eq 1 ] && ! command -v systemctl >/dev/null; then continue; fi
    if ! systemctl is-enabled --quiet "$svc" 2>/dev/null || ! systemctl is-active --quiet "$svc" 2>/dev/null; then
        changed "enable and start $svc"
        run systemctl enable --now "$svc"
    fi
done
psql_as_postgres() { (cd / && runuser -u postgres -- psql -XtAq "$@"); }
if [ "$DRY" -eq 1 ] && ! command -v psql >/dev/null; then
    changed "create the PostgreSQL role and database $APP_USER"
else
    if [ "$(psql_as_postgres -c "SELECT 1 FROM pg_roles WHERE rolname = '$APP_USER'" 2>/dev/null || true)" != 1 ]; then
        changed "create the PostgreSQL role $APP_USER"
        run psql_as_postgres -c "CREATE ROLE $APP_USER LOGIN"
    fi
    if [ "$(psql_as_postgres -c "SELECT 1 FROM pg_database WHERE datname = '$APP_USER'" 2>/dev/null || true)" != 1 ]; then
        changed "create the PostgreSQL database $APP_USER"
        run psql_as_postgres -c "CREATE DATABASE $APP_USER OWNER $APP_USER ENCODING 'UTF8' TEMPLATE template0"
    fi
fi

# --- 7. the application's units ------------------------------------------------------------------------
if [ "$UNITS_CHANGED" -eq 1 ]; then
    run systemctl daemon-reload
fi
read -ra units <<<"itadesk.target $(sed -n 's/^Wants=//p' "$TMP/files/itadesk.target")"
for unit in "${units[@]}"; do
    if ! systemctl is-enabled --quiet "$unit" 2>/dev/null; then
        changed "enable $unit"
        run systemctl enable "$unit"
    fi
done
if [ "$RESTART" -eq 1 ]; then
    changed "itadesk upgrade (migrate, collectstatic, restart itadesk.target)"
    run /usr/local/bin/itadesk upgrade
elif ! systemctl is-active --quiet itadesk.target 2>/dev/null; then
    changed "start itadesk.target"
    run systemctl start itadesk.target
fi

# --- 8. Caddy ------------------------------------------------------------------------------------------
if [ "$CADDY_CHANGED" -eq 1 ]; then
    run caddy validate --adapter caddyfile --config /etc/caddy/Caddyfile
fi
if ! systemctl is-enabled --quiet caddy 2>/dev/null || ! systemctl is-active --quiet caddy 2>/dev/null; then
    changed "enable and start caddy"
    run systemctl enable --now caddy
elif [ "$CADDY_CHANGED" -eq 1 ]; then
    changed "reload caddy"
    run systemctl reload caddy
fi

# --- 9. is it up? --------------------------------------------------------------------------------------
# Straight to gunicorn (Caddy's certificate may still be on its way): /healthz as Caddy would ask.
if [ "$DRY" -eq 0 ]; then
    python3 - "$DOMAIN" <<'PY' || { echo "install: /healthz did not answer ok; see docs/deploy.md (troubleshooting)" >&2; exit 1; }
import json, sys, time, urllib.request
req = urllib.request.Request("http://127.0.0.1:8000/healthz",
                             headers={"Host": sys.argv[1], "X-Forwarded-Proto": "https"})
for attempt in range(30):
    try:
        with urllib.request.urlopen(req, timeout=5) as response:
            body = json.load(response)
            print("install: /healthz:", json.dumps(body))
            sys.exit(0)
    except Exception as exc:  # not up yet, or 503 while a dependency starts
        last = exc
        time.sleep(2)
print("install: /healthz:", last, file=sys.stderr)
sys.exit(1)
PY
fi

if [ "${#CHANGED[@]}" -eq 0 ]; then
    say "nothing to change: ITA Desk is installed and up to date"
elif [ "$DRY" -eq 1 ]; then
    say "dry run: ${#CHANGED[@]} change(s) listed above, none made"
else
    say "done (${#CHANGED[@]} change(s)). Next: sudo itadesk createsuperuser, then https://$DOMAIN/"
fi
