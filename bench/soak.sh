#!/usr/bin/env bash
# Soak test on loopback (issue 18 item 12; results in BENCHMARKS.md): mixed staff API and public
# traffic against a release build for a long while, bounded (few connections), checking that no
# request fails, that the server's memory stays flat, and that the audit chain verifies after.
#
#   bench/soak.sh [--minutes 30] [--connections 8] [--clients 200] [--bin PATH] [--postgres URL]
#
# --postgres takes an admin URL (the role needs CREATEDB): a fresh database is made and dropped.
# Prints the machine, the wrk summary with the count of failed requests, the server's resident
# memory (RSS) sampled every 30 s as a table, and `audit verify`'s verdict. Exits non-zero on any
# failed request, a server that died, or a chain that does not verify.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MINUTES=30
CONNECTIONS=8
CLIENTS=200
BIN=""
POSTGRES_ADMIN_URL=""
while [ $# -gt 0 ]; do
    case "$1" in
        --minutes) MINUTES=$2; shift 2 ;;
        --connections) CONNECTIONS=$2; shift 2 ;;
        --clients) CLIENTS=$2; shift 2 ;;
        --bin) BIN=$2; shift 2 ;;
        --postgres) POSTGRES_ADMIN_URL=$2; shift 2 ;;
        -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
        *) echo "soak.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
BIN=${BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/release/safeharbor}
[ -x "$BIN" ] || { echo "soak.sh: no binary at $BIN (cargo build --release -p safeharbor)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "soak.sh: wrk is required (apt-get install wrk)" >&2; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/safeharbor-soak.XXXXXX")
SERVER_PID=""
BENCH_DB=""
cleanup() {
    if [ -n "$SERVER_PID" ]; then kill -TERM "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    if [ -n "$BENCH_DB" ]; then
        psql "$POSTGRES_ADMIN_URL" -q -c "DROP DATABASE IF EXISTS \"$BENCH_DB\" WITH (FORCE)" >/dev/null 2>&1 || true
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT

if [ -n "$POSTGRES_ADMIN_URL" ]; then
    BENCH_DB="sh_soak_$(date +%s)_$$"
    psql "$POSTGRES_ADMIN_URL" -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$BENCH_DB\"" >/dev/null
    STORAGE=(--database-url "${POSTGRES_ADMIN_URL%/*}/$BENCH_DB" --data-dir "$TMP/keys")
    ENGINE="PostgreSQL database $BENCH_DB"
else
    STORAGE=(--data-dir "$TMP/data")
    ENGINE="SQLite in $TMP/data"
fi
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

echo "date:    $(date -u)"
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name:[[:space:]]*//p'), $(free -h | awk '/^Mem:/ {print $2}')"
echo "load:    $(uptime)"
echo "engine:  $ENGINE"
echo "binary:  $BIN"
echo "run:     ${MINUTES} min, wrk -t2 -c$CONNECTIONS, bench/soak.lua over $CLIENTS clients"

TOKEN=$("$BIN" users add "${STORAGE[@]}" --username soak.user --role case-manager | tail -n 1)
"$BIN" serve "${STORAGE[@]}" --listen "127.0.0.1:$PORT" >"$TMP/server.out" 2>"$TMP/server.log" &
SERVER_PID=$!
for _ in $(seq 1 300); do
    curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
    sleep 0.1
done
python3 "$ROOT/bench/create-clients.py" --port "$PORT" --token "$TOKEN" --count "$CLIENTS" \
    --threads 4 --out "$TMP/ids.txt" >/dev/null

rss() { awk '/^VmRSS:/ {print $2}' "/proc/$SERVER_PID/status" 2>/dev/null || echo dead; }
{
    echo "minute rss_kib"
    echo "0 $(rss)"
    for i in $(seq 1 $((MINUTES * 2))); do
        sleep 30
        echo "$(awk "BEGIN {print $i / 2}") $(rss)"
    done
} >"$TMP/rss.txt" &
SAMPLER=$!

# A wrk that fails still leaves the rest of the report to be made.
IDS_FILE="$TMP/ids.txt" BENCH_TOKEN="$TOKEN" \
    wrk -t2 "-c$CONNECTIONS" "-d${MINUTES}m" --timeout 60s -s "$ROOT/bench/soak.lua" \
    "http://127.0.0.1:$PORT" | tee "$TMP/wrk.txt" || true
wait "$SAMPLER" || true

echo
echo "server RSS (KiB), every 30 s:"
column -t "$TMP/rss.txt" | paste - - - - - -
awk 'NR > 1 && $2 != "dead" {n++; v[n] = $2; if (min == "" || $2 < min) min = $2; if ($2 > max) max = $2}
     END {printf "rss: first %d KiB, min %d, max %d, last %d; last minus the 5-minute mark: %+d KiB\n",
          v[1], min, max, v[n], v[n] - v[(n > 10 ? 11 : 1)]}' "$TMP/rss.txt"
ALIVE=1
kill -0 "$SERVER_PID" 2>/dev/null || ALIVE=0
PANICS=$(grep -c "panicked" "$TMP/server.log" || true)
echo "server alive at the end: $ALIVE; panics in its log: $PANICS; responses logged by status:"
grep -o 'status=[0-9]*' "$TMP/server.log" | sort | uniq -c
kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""

VERIFY=$("$BIN" audit verify "${STORAGE[@]}" 2>&1 | tail -n 1)
echo "audit verify: $VERIFY"

FAILED=$(sed -n 's/^soak: requests [0-9]*, failures \([0-9]*\).*/\1/p' "$TMP/wrk.txt")
[ "$ALIVE" = 1 ] && [ "$PANICS" = 0 ] && [ "${FAILED:-1}" = 0 ] && case "$VERIFY" in *unbroken*) true ;; *) false ;; esac \
    || { echo "soak: FAILED"; exit 1; }
echo "soak: passed"
