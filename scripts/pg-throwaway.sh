#!/usr/bin/env bash
# Run a command against a brand-new, throwaway PostgreSQL cluster, then destroy the cluster.
#
#   scripts/pg-throwaway.sh COMMAND [ARG...]
#
# The cluster lives in a `mktemp -d` directory, listens on 127.0.0.1 only, on a free port picked
# by Python, with its unix socket inside that directory (so it never clashes with a system
# PostgreSQL). Authentication is `trust`; the superuser is `postgres`. A database named
# ${PG_DBNAME:-itadesk} is created, and COMMAND runs with
#   DATABASE_URL=postgres://postgres@127.0.0.1:PORT/itadesk   (plus PGHOST/PGPORT/PGUSER)
# The script exits with COMMAND's exit status. A trap stops the server and removes the directory
# on every exit path (success, failure, Ctrl-C, TERM).
#
# initdb refuses to run as root, so when we are root the server tools run as the existing
# `postgres` system user (via runuser) and the directory is chowned to it. As a normal user they
# run as that user. Binaries are found on PATH or under /usr/lib/postgresql/*/bin (scripts/pg-bin.sh).
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARG...]" >&2
    exit 2
fi

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/pg-bin.sh
. "$ROOT/scripts/pg-bin.sh"

BIN="$(pg_bindir)" || {
    echo "pg-throwaway: initdb/pg_ctl not found (run scripts/ensure-system.sh)" >&2
    exit 1
}
DBNAME="${PG_DBNAME:-itadesk}"
PYTHON="${PYTHON:-python3}"

AS=()
if [ "$(id -u)" -eq 0 ]; then
    if ! id postgres >/dev/null 2>&1; then
        echo "pg-throwaway: running as root but there is no 'postgres' user to run initdb as" >&2
        exit 1
    fi
    AS=(runuser -u postgres --)
fi

TMP="$(mktemp -d "${TMPDIR:-/tmp}/itadesk-pg.XXXXXX")"
DATA="$TMP/data"
LOG="$TMP/server.log"
STARTED=0
CHILD=""

cleanup() {
    local rc=$?
    trap - EXIT INT TERM HUP
    if [ -n "$CHILD" ] && kill -0 "$CHILD" 2>/dev/null; then
        kill -TERM "$CHILD" 2>/dev/null || true
        wait "$CHILD" 2>/dev/null || true
    fi
    # Check the pid file rather than STARTED: a signal may arrive while `pg_ctl start` is running.
    if [ "$STARTED" -eq 1 ] || [ -f "$DATA/postmaster.pid" ]; then
        # `fast` disconnects clients and shuts down cleanly; fall back to `immediate` if it hangs.
        (cd "$TMP" && "${AS[@]}" "$BIN/pg_ctl" -D "$DATA" -m fast -t 20 -w stop >/dev/null 2>&1) ||
            (cd "$TMP" && "${AS[@]}" "$BIN/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1) || true
    fi
    rm -rf "$TMP"
    exit "$rc"
}
trap cleanup EXIT
# Ctrl-C reaches COMMAND too (same process group): let it finish its own teardown first.
# TERM/HUP may be sent to this script alone: pass them on (cleanup does that).
on_int() {
    if [ -n "$CHILD" ]; then wait "$CHILD" 2>/dev/null || true; fi
    exit 130
}
trap on_int INT
trap 'exit 143' TERM
trap 'exit 129' HUP

if [ "${#AS[@]}" -gt 0 ]; then
    chown postgres: "$TMP"
fi
chmod 700 "$TMP"

# Run the server tools from inside the temp dir: the postgres user may not be allowed into $PWD.
pg() { (cd "$TMP" && "${AS[@]}" "$@"); }

pg "$BIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 --no-sync >/dev/null ||
    pg "$BIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C --no-sync >/dev/null

# Ask the kernel for a free loopback port. (A tiny race with other processes is possible; if the
# server fails to start we retry with a new port.)
free_port() {
    "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Settings for a disposable test server: no durability needed.
OPTS="-c listen_addresses=127.0.0.1 -c unix_socket_directories=$TMP -c fsync=off"
OPTS="$OPTS -c synchronous_commit=off -c full_page_writes=off -c max_connections=50"
for attempt in 1 2 3; do
    PORT="$(free_port)"
    if pg "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -o "$OPTS -p $PORT" -w -t 30 start >/dev/null; then
        STARTED=1
        break
    fi
    echo "pg-throwaway: server did not start on port $PORT (attempt $attempt); log:" >&2
    tail -n 20 "$LOG" >&2 || true
done
if [ "$STARTED" -ne 1 ]; then
    exit 1
fi

if [ -x "$BIN/createdb" ]; then
    pg "$BIN/createdb" -h "$TMP" -p "$PORT" -U postgres "$DBNAME"
else
    "$PYTHON" - "$PORT" "$DBNAME" <<'PY'
import sys

import psycopg

with psycopg.connect(host="127.0.0.1", port=sys.argv[1], user="postgres", dbname="postgres",
                     autocommit=True) as conn:
    conn.execute(f'CREATE DATABASE "{sys.argv[2]}"')
PY
fi

echo "pg-throwaway: PostgreSQL $("$BIN/pg_ctl" --version | awk '{print $3}') on 127.0.0.1:$PORT (dir $TMP)"
export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/$DBNAME"
export PGHOST=127.0.0.1 PGPORT="$PORT" PGUSER=postgres PGDATABASE="$DBNAME"

# Not `exec`: the cleanup must run after COMMAND ends. COMMAND runs in the background with `wait`
# so that a TERM sent to this script is handled at once rather than after COMMAND finishes;
# `<&0` keeps its stdin (e.g. for `pytest --pdb`), which bash would otherwise point at /dev/null,
# and `env --default-signal` undoes bash's SIGINT/SIGQUIT ignoring for background commands, so
# Ctrl-C still reaches COMMAND (Python would not even install its KeyboardInterrupt handler).
env --default-signal=INT,QUIT "$@" <&0 &
CHILD=$!
rc=0
wait "$CHILD" || rc=$?
CHILD=""
exit "$rc"
