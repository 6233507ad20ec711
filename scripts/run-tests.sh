#!/usr/bin/env bash
# Lint, then the pytest suite on SQLite and on a throwaway PostgreSQL cluster: every test that touches the database
# runs on both, every other test in one of the two runs (tests/runs.py).
#
#   scripts/run-tests.sh [PYTEST_ARG...]     # usually via `make test`; args go to both pytest runs
#
# Expects the venv to be ready (`make venv-test`). Environment knobs:
#   VENV=.venv                      which virtualenv to use
#   TEST_DBS="sqlite postgres"      which runs to do (CI always does both)
#   TEST_PARALLEL=1                 run them side by side (0: one after the other, live output)
# Every step runs even if an earlier one failed; the exit status is non-zero if any step failed.
# pytest's exit code 5 ("no tests collected") counts as a failure.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="${VENV:-.venv}"
PY="$VENV/bin/python"
TEST_DBS="${TEST_DBS:-sqlite postgres}"

export DJANGO_ALLOW_ASYNC_UNSAFE=true
export PYTHAINLP_OFFLINE=1
export PYTHONDONTWRITEBYTECODE=1
# Each run knows which runs this one is part of: with both, a test whose outcome cannot depend on the database
# runs in one of them only (tests/runs.py).
export ITADESK_TEST_RUNS="$TEST_DBS"

for tool in python ruff pytest; do
    if [ ! -x "$VENV/bin/$tool" ]; then
        echo "run-tests: $VENV/bin/$tool missing; run 'make venv-test' first" >&2
        exit 1
    fi
done

# Each run gets its own empty var dir (secret key, Huey's job queue, uploads), so tests never see
# or touch a developer's var/ and the two runs share nothing.
VAR_DIRS=()
cleanup() {
    local d pid
    for pid in $(jobs -p); do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
    for d in "${VAR_DIRS[@]}"; do rm -rf "$d"; done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

describe() { # describe EXIT_CODE -> words
    case "$1" in
        0) echo "passed" ;;
        1) echo "FAILED (tests failed)" ;;
        2) echo "FAILED (interrupted or collection errors)" ;;
        3) echo "FAILED (internal error)" ;;
        4) echo "FAILED (usage error)" ;;
        5) echo "FAILED (no tests collected)" ;;
        *) echo "FAILED (exit code $1)" ;;
    esac
}

SUMMARY=()
OVERALL=0
record() { # record NAME EXIT_CODE SECONDS [WORDS]
    SUMMARY+=("$(printf '%-11s %s in %ss' "$1:" "${4:-$(describe "$2")}" "$3")")
    if [ "$2" -ne 0 ]; then OVERALL=1; fi
}

START=$SECONDS

echo "== ruff check =="
t=$SECONDS
rc=0
"$VENV/bin/ruff" check . || rc=$?
if [ "$rc" -eq 0 ]; then words="passed"; else words="FAILED (lint errors, exit code $rc)"; fi
record ruff "$rc" $((SECONDS - t)) "$words"

# The database runs share nothing (own var dir, own PostgreSQL cluster on a free port, free ports for
# live servers), so by default they run side by side and their logs are printed, whole and in order,
# as each finishes: on two cores that takes about 40 % off the wall time. TEST_PARALLEL=0 runs them
# one after the other with live output.
run_db() { # run_db DB VARDIR [PYTEST_ARG...] -> pytest's exit code
    local db="$1" vardir="$2"
    shift 2
    case "$db" in
        sqlite) env -u DATABASE_URL ITADESK_VAR_DIR="$vardir" "$VENV/bin/pytest" "$@" ;;
        postgres) ITADESK_VAR_DIR="$vardir" PYTHON="$PY" bash scripts/pg-throwaway.sh "$VENV/bin/pytest" "$@" ;;
        *) echo "run-tests: unknown database '$db' in TEST_DBS" >&2; return 4 ;;
    esac
}
label() { case "$1" in sqlite) echo SQLite ;; postgres) echo PostgreSQL ;; *) echo "$1" ;; esac; }

declare -A PIDS=() LOGS=() STARTED=()
for db in $TEST_DBS; do
    vardir="$(mktemp -d "${TMPDIR:-/tmp}/itadesk-var.XXXXXX")"
    VAR_DIRS+=("$vardir")
    if [ "${TEST_PARALLEL:-1}" = "1" ]; then
        LOGS[$db]="$vardir/pytest.log"
        STARTED[$db]=$SECONDS
        run_db "$db" "$vardir" "$@" >"${LOGS[$db]}" 2>&1 &
        PIDS[$db]=$!
        echo "== tests on $(label "$db") started (log printed when it ends) =="
    else
        echo
        echo "== tests on $(label "$db") =="
        t=$SECONDS
        rc=0
        run_db "$db" "$vardir" "$@" || rc=$?
        record "$(label "$db")" "$rc" $((SECONDS - t))
    fi
done
for db in $TEST_DBS; do
    [ -n "${PIDS[$db]:-}" ] || continue
    rc=0
    wait "${PIDS[$db]}" || rc=$?
    echo
    echo "== tests on $(label "$db") =="
    cat "${LOGS[$db]}"
    record "$(label "$db")" "$rc" $((SECONDS - STARTED[$db]))
done

echo
echo "== summary =="
for line in "${SUMMARY[@]}"; do echo "  $line"; done
if [ "$OVERALL" -eq 0 ]; then
    echo "make test: ALL PASSED in $((SECONDS - START))s"
else
    echo "make test: FAILED in $((SECONDS - START))s"
fi
exit "$OVERALL"
