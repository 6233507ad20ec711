# shellcheck shell=bash
# Sourced by ensure-system.sh and pg-throwaway.sh: where are PostgreSQL's server binaries?
#
# pg_bindir prints a directory holding executable `initdb` and `pg_ctl` and returns 0, or returns 1.
# It looks on PATH first (following symlinks, e.g. /usr/local/bin/initdb -> /usr/lib/postgresql/15/bin,
# so that createdb/psql from the same version are found beside them), then in Debian's versioned
# /usr/lib/postgresql/*/bin, newest first. PG_BINDIR in the environment wins if set.
pg_bindir() {
    local cand initdb
    local -a cands=()
    [ -n "${PG_BINDIR:-}" ] && cands+=("$PG_BINDIR")
    if initdb="$(command -v initdb 2>/dev/null)"; then
        cands+=("$(dirname "$(readlink -f "$initdb")")" "$(dirname "$initdb")")
    fi
    while IFS= read -r cand; do
        cands+=("$cand")
    done < <(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4,4 -rn)
    for cand in "${cands[@]}"; do
        if [ -x "$cand/initdb" ] && [ -x "$cand/pg_ctl" ]; then
            echo "$cand"
            return 0
        fi
    done
    return 1
}
