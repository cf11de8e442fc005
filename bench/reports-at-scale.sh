#!/usr/bin/env bash
# Reports over a million synthetic clients (BENCHMARKS.md, issue 16).
#
#   bench/reports-at-scale.sh                        # SQLite in a fresh temp dir
#   bench/reports-at-scale.sh --postgres postgres://USER:PW@HOST:PORT/ADMIN_DB
#                                                    # PostgreSQL: a fresh database is created from
#                                                    # this admin URL (CREATEDB) and dropped after
# Options:
#   --clients N      synthetic clients to load (default 1000000)
#   --seed S         their seed (default 1)
#   --last-day D     the last day of their histories (default 2026-11-30), so that every run
#                    loads the same records
#   --quarter Q      the federal fiscal quarter reported (default FY2026-Q4, July to September
#                    2026); its whole fiscal year (FY2026, from October 2025) is reported too
#   --runs R         times each report is made (default 3)
#   --no-build       use the existing release binary
#   --bin FILE       use this binary instead (another build, to compare); implies --no-build
#   --keep           keep the temp dir (and the PostgreSQL database)
#   --data-dir DIR   use this instance instead of a fresh one: the load is skipped when it already
#                    has clients (a set loaded before, to time the reports again)
#   --database-url URL  with --data-dir: the instance's PostgreSQL database, used as it is
#
# What it does: builds the release binary, loads the clients with `safeharbor synthetic` under
# /usr/bin/time (wall time and the loader's peak memory; PostgreSQL's own memory is not in it),
# then makes each report (dashboard, ovc-ht, voca, otip) --runs times for the quarter and for its
# whole fiscal year, each as `safeharbor report ... --mode public
# --format json`: a whole command, from start to the file written, as an operator runs it.
# Last, bench/duckdb-served.py dumps the report columns to Parquet and times the OVC and VOCA
# reports' main aggregate over the same rows in DuckDB (installed into a virtual environment
# under the build cache from bench/requirements.txt); its count of people must equal the
# report's.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

POSTGRES_ADMIN_URL=""
CLIENTS=1000000
SEED=1
LAST_DAY=2026-11-30
QUARTER=FY2026-Q4
RUNS=3
BUILD=1
KEEP=0
EXISTING_DIR=""
EXISTING_URL=""
BIN=""

die() { echo "reports-at-scale: $*" >&2; exit 1; }
log() { printf '\n== %s\n' "$*"; }

while [ $# -gt 0 ]; do
    case $1 in
        --postgres) POSTGRES_ADMIN_URL=$2; shift 2 ;;
        --clients) CLIENTS=$2; shift 2 ;;
        --seed) SEED=$2; shift 2 ;;
        --last-day) LAST_DAY=$2; shift 2 ;;
        --quarter) QUARTER=$2; shift 2 ;;
        --runs) RUNS=$2; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        --bin) BIN=$2; BUILD=0; shift 2 ;;
        --keep) KEEP=1; shift ;;
        --data-dir) EXISTING_DIR=$2; shift 2 ;;
        --database-url) EXISTING_URL=$2; shift 2 ;;
        *) die "unknown option $1 (see the comment at the top)" ;;
    esac
done
command -v /usr/bin/time >/dev/null || die "/usr/bin/time is required (apt-get install time)"
if [ -n "$POSTGRES_ADMIN_URL" ] && ! command -v psql >/dev/null; then
    die "psql is required for --postgres"
fi

TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
BIN=${BIN:-$TARGET_DIR/release/safeharbor}
if [ "$BUILD" = 1 ]; then
    log "build: nice -n 10 cargo build --release -p safeharbor"
    nice -n 10 cargo build --release -p safeharbor
fi
[ -x "$BIN" ] || die "no binary at $BIN"
# The fiscal year of the quarter: FY2026 runs from 2025-10-01 to 2026-09-30.
FISCAL_YEAR=${QUARTER%%-*}
FISCAL_YEAR=${FISCAL_YEAR#FY}
YEAR_FROM=$((FISCAL_YEAR - 1))-10-01
YEAR_TO=$FISCAL_YEAR-09-30

VENV=${BENCH_VENV:-${CARGO_TARGET_DIR:-/var/cache/safeharbor-target}/bench-venv}
if ! "$VENV/bin/python" -c 'import duckdb' 2>/dev/null; then
    log "installing DuckDB into $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q -r bench/requirements.txt
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/safeharbor-scale.XXXXXX")
BENCH_DB=""
cleanup() {
    if [ "$KEEP" = 1 ]; then
        echo "kept $TMP${BENCH_DB:+ and database $BENCH_DB}" >&2
        return
    fi
    if [ -n "$BENCH_DB" ]; then
        psql "$POSTGRES_ADMIN_URL" -q -c "DROP DATABASE IF EXISTS \"$BENCH_DB\" WITH (FORCE)" \
            >/dev/null 2>&1 || echo "could not drop database $BENCH_DB" >&2
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -n "$EXISTING_DIR" ]; then
    KEEP=1
    if [ -n "$EXISTING_URL" ]; then
        STORAGE=(--database-url "$EXISTING_URL" --data-dir "$EXISTING_DIR")
        DUCK_SOURCE=(--postgres "$EXISTING_URL")
        ENGINE="PostgreSQL $(psql "$EXISTING_URL" -Atc 'show server_version'), an existing database"
        LOADED=$(psql "$EXISTING_URL" -Atc 'SELECT count(*) FROM clients' 2>/dev/null || echo 0)
    else
        STORAGE=(--data-dir "$EXISTING_DIR")
        DUCK_SOURCE=(--sqlite "$EXISTING_DIR/records.sqlite")
        ENGINE="SQLite in $EXISTING_DIR"
        LOADED=$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM clients").fetchone()[0])' "$EXISTING_DIR/records.sqlite" 2>/dev/null || echo 0)
    fi
elif [ -n "$POSTGRES_ADMIN_URL" ]; then
    BENCH_DB="sh_scale_$(date +%s)_$$"
    psql "$POSTGRES_ADMIN_URL" -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$BENCH_DB\"" >/dev/null
    DATABASE_URL=$(python3 -c 'import sys; from urllib.parse import urlsplit, urlunsplit; p = urlsplit(sys.argv[1]); print(urlunsplit(p._replace(path="/" + sys.argv[2])))' "$POSTGRES_ADMIN_URL" "$BENCH_DB")
    mkdir -p "$TMP/keys"
    STORAGE=(--database-url "$DATABASE_URL" --data-dir "$TMP/keys")
    DUCK_SOURCE=(--postgres "$DATABASE_URL")
    ENGINE="PostgreSQL $(psql "$DATABASE_URL" -Atc 'show server_version'), database $BENCH_DB"
else
    STORAGE=(--data-dir "$TMP/data")
    DUCK_SOURCE=(--sqlite "$TMP/data/records.sqlite")
    ENGINE="SQLite in $TMP/data"
fi

log "machine"
echo "date:    $(date -u)"
echo "cpu:     $(nproc) x $(lscpu | sed -n 's/^Model name:[[:space:]]*//p')"
echo "memory:  $(free -h | awk '/^Mem:/ {print $2}')"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg)"
echo "engine:  $ENGINE"
echo "binary:  $BIN, built $(date -u -r "$BIN" '+%F %T UTC')"
echo "commit:  $(git rev-parse --short HEAD)$(git diff --quiet || echo ' (with changes)')"

if [ "${LOADED:-0}" -gt 0 ]; then
    log "load: skipped, the instance already holds $LOADED clients"
else
    log "load: safeharbor synthetic --clients $CLIENTS --seed $SEED --last-day $LAST_DAY"
    /usr/bin/time -f 'wall %e s, peak memory %M KB' -o "$TMP/load.time" \
        "$BIN" synthetic --clients "$CLIENTS" --seed "$SEED" --last-day "$LAST_DAY" "${STORAGE[@]}" \
        | head -1
    cat "$TMP/load.time"
fi
if [ "${DUCK_SOURCE[0]}" = --sqlite ]; then
    du -sh "$(dirname "${DUCK_SOURCE[1]}")" | awk '{print "on disk: " $1}'
else
    psql "${DUCK_SOURCE[1]}" -Atc "SELECT 'on disk: ' || pg_size_pretty(pg_database_size(current_database()))"
fi

# seconds a command took, to the millisecond
timed() {
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null
    end=$(date +%s%N)
    awk -v ns=$((end - start)) 'BEGIN { printf "%.3f", ns / 1e9 }'
}

log "reports ($RUNS runs each; seconds)"
printf '| report | period | %s |\n' "$(seq -s ' | ' 1 "$RUNS" | sed 's/[0-9]\+/run &/g')"
printf '|---|---|%s\n' "$(printf -- '---|%.0s' $(seq 1 "$RUNS"))"
for report in dashboard ovc-ht voca otip; do
    for period in quarter year; do
        if [ "$period" = quarter ]; then
            SPAN=(--quarter "$QUARTER")
        else
            SPAN=(--from "$YEAR_FROM" --to "$YEAR_TO")
        fi
        row="| $report | ${SPAN[*]} |"
        for _ in $(seq 1 "$RUNS"); do
            row="$row $(timed "$BIN" report "$report" "${STORAGE[@]}" "${SPAN[@]}" \
                --mode public --format json --out "$TMP/report.json") |"
        done
        echo "$row"
    done
done

log "the same aggregate in DuckDB, from a Parquet dump (fiscal year)"
"$BIN" report ovc-ht "${STORAGE[@]}" --from "$YEAR_FROM" --to "$YEAR_TO" --mode exact \
    --signed-off-by synthetic.supervisor --format json --out "$TMP/exact.json"
python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); print("report people served:", r["tables"][0]["totals"]["all"])' "$TMP/exact.json"
"$VENV/bin/python" bench/duckdb-served.py "${DUCK_SOURCE[@]}" --from "$YEAR_FROM" \
    --to "$YEAR_TO" --year-from "$YEAR_FROM" --runs "$RUNS"
