#!/usr/bin/env bash
# Protected-read load test on loopback (BENCHMARKS.md).
#
#   bench/read-client.sh                                # SQLite in a fresh temp dir
#   bench/read-client.sh --postgres postgres://USER:PW@HOST:PORT/ADMIN_DB
#                                                       # PostgreSQL: a fresh database is created
#                                                       # from this admin URL (the role needs
#                                                       # CREATEDB) and dropped afterwards
# Options:
#   --clients N       clients to create before the run (default 1000)
#   --other-clients N more clients, in another worker's caseload (default 0): the database holds
#                     N + --clients, the measured caseload --clients
#   --staff-pages     also load the staff web pages, signed in through a sign-up link with a
#                     session cookie: GET /app/ (the caseload page), POST /app/search (a part of
#                     a name, over the whole caseload) and GET /app/clients/{id}
#   --history-years Y the clients are made by `safeharbor generate` instead, each with Y years of
#                     case work (a year: 100 notes, 60 services, 8 referrals, 4 plan reviews),
#                     assigned to the bench account, before the server starts
#   --record-service  also record services: POST /api/v1/clients/{id}/services (today, C4, 30
#                     minutes) over the clients, at --service-connections connections (default
#                     16): a write, sealed nothing, one durable commit and audit event each
#   --duration D      wrk duration per run (default 15s)
#   --connections C   wrk connections (default 64)
#   --threads T       wrk threads (default 2)
#   --port P          listen port (default: a free one)
#   --no-build        use the existing release binary
#   --bin PATH        use this binary instead (implies --no-build): to compare two builds, run
#                     them in turns, since this machine's speed drifts between runs
#   --keep            keep the temp dir (and the PostgreSQL database)
#
# What it does: builds the release binary (`cargo build --release -p safeharbor`, CARGO_TARGET_DIR
# respected), starts `safeharbor serve` on 127.0.0.1, adds a case-manager account (its token is
# the last line `users add` prints), creates the clients through POST /api/v1/clients (assigned to
# that account), then runs wrk twice:
#   1. GET /healthz                    no auth, no database, no crypto: context only, NOT the
#                                      no-audit/no-decrypt baseline (that needs a bench build)
#   2. GET /api/v1/clients/{id}        bearer auth, write transaction, key unwrap, every field
#                                      decrypted, one durable audit event committed per request
# and finally stops the server and times `safeharbor audit verify` over the resulting chain.
# Each run records `uptime` first (the machine may be shared), the server's CPU seconds and the
# machine's idle share during the run, a `top` snapshot taken mid-run, and the per-request
# server-side handler time from the request log.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

POSTGRES_ADMIN_URL=""
CLIENTS=1000
DURATION=15s
CONNECTIONS=64
THREADS=2
PORT=""
BUILD=1
KEEP=0
OTHER_CLIENTS=0
STAFF_PAGES=0
RECORD_SERVICE=0
HISTORY_YEARS=0
SERVICE_CONNECTIONS=16
BIN_OVERRIDE=""

while [ $# -gt 0 ]; do
    case "$1" in
        --postgres) POSTGRES_ADMIN_URL=$2; shift 2 ;;
        --clients) CLIENTS=$2; shift 2 ;;
        --duration) DURATION=$2; shift 2 ;;
        --connections) CONNECTIONS=$2; shift 2 ;;
        --threads) THREADS=$2; shift 2 ;;
        --port) PORT=$2; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        --bin) BIN_OVERRIDE=$2; BUILD=0; shift 2 ;;
        --keep) KEEP=1; shift ;;
        --other-clients) OTHER_CLIENTS=$2; shift 2 ;;
        --staff-pages) STAFF_PAGES=1; shift ;;
        --record-service) RECORD_SERVICE=1; shift ;;
        --history-years) HISTORY_YEARS=$2; shift 2 ;;
        --service-connections) SERVICE_CONNECTIONS=$2; shift 2 ;;
        -h|--help) sed -n '2,40p' "$0"; exit 0 ;;
        *) echo "read-client.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done

log() { printf '\n== %s\n' "$*"; }
die() { echo "read-client.sh: error: $*" >&2; exit 1; }

for tool in curl python3 wrk; do
    if ! command -v "$tool" >/dev/null; then
        if [ "$tool" = wrk ] && command -v apt-get >/dev/null; then
            echo "wrk is missing; installing the Debian package" >&2
            apt-get install -y wrk >/dev/null || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
        else
            die "$tool is required"
        fi
    fi
done
if [ -n "$POSTGRES_ADMIN_URL" ] && ! command -v psql >/dev/null; then
    die "psql is required for --postgres"
fi

TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
BIN=${BIN_OVERRIDE:-$TARGET_DIR/release/safeharbor}

if [ "$BUILD" = 1 ]; then
    log "build: nice -n 10 cargo build --release -p safeharbor"
    nice -n 10 cargo build --release -p safeharbor
fi
[ -x "$BIN" ] || die "no binary at $BIN"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/safeharbor-bench.XXXXXX")
SERVER_PID=""
BENCH_DB=""

stop_server() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 100); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$SERVER_PID" 2>/dev/null; then
            echo "server did not stop after TERM; killing it" >&2
            kill -KILL "$SERVER_PID" 2>/dev/null || true
        fi
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
}

cleanup() {
    stop_server
    if [ "$KEEP" = 1 ]; then
        echo "kept $TMP${BENCH_DB:+ and database $BENCH_DB}" >&2
        return
    fi
    if [ -n "$BENCH_DB" ]; then
        psql "$POSTGRES_ADMIN_URL" -q -v ON_ERROR_STOP=1 \
            -c "DROP DATABASE IF EXISTS \"$BENCH_DB\" WITH (FORCE)" >/dev/null 2>&1 \
            || echo "could not drop database $BENCH_DB" >&2
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -z "$PORT" ]; then
    PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
fi
URL=http://127.0.0.1:$PORT

if [ -n "$POSTGRES_ADMIN_URL" ]; then
    BENCH_DB="sh_bench_$(date +%s)_$$"
    psql "$POSTGRES_ADMIN_URL" -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$BENCH_DB\"" >/dev/null
    DATABASE_URL=$(python3 - "$POSTGRES_ADMIN_URL" "$BENCH_DB" <<'EOF'
import sys
from urllib.parse import urlsplit, urlunsplit
parts = urlsplit(sys.argv[1])
print(urlunsplit(parts._replace(path="/" + sys.argv[2])))
EOF
)
    mkdir -p "$TMP/keys"
    STORAGE=(--database-url "$DATABASE_URL" --data-dir "$TMP/keys")
    ENGINE="PostgreSQL ($(psql "$DATABASE_URL" -Atc 'show server_version') database $BENCH_DB, synchronous_commit=$(psql "$DATABASE_URL" -Atc 'show synchronous_commit'), fsync=$(psql "$DATABASE_URL" -Atc 'show fsync'))"
else
    mkdir -p "$TMP/data"
    STORAGE=(--data-dir "$TMP/data")
    ENGINE="SQLite (WAL, synchronous=FULL) in $TMP/data"
fi

log "machine"
echo "date:    $(date -u)"
echo "nproc:   $(nproc)"
echo "cpu:     $(lscpu | sed -n 's/^Model name:[[:space:]]*//p')"
echo "memory:  $(free -h | awk '/^Mem:/ {print $2}')"
echo "kernel:  $(uname -sr)"
echo "rustc:   $(rustc --version)"
echo "wrk:     $(wrk --version 2>&1 | head -1 | awk '{print $1, $2}')"
echo "engine:  $ENGINE"
echo "binary:  $BIN"
echo "tmp fs:  $(df -hT "$TMP" | awk 'NR == 2 {print $1, $2}')"

log "fsync probe: 200 x (4 KiB write + fsync) in $TMP"
python3 - "$TMP/fsync-probe" <<'EOF'
import os, sys, time
path = sys.argv[1]
fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
samples = []
for i in range(200):
    os.pwrite(fd, os.urandom(4096), (i % 16) * 4096)
    t = time.perf_counter()
    os.fsync(fd)
    samples.append(time.perf_counter() - t)
os.close(fd)
os.unlink(path)
samples.sort()
ms = lambda s: f"{s * 1000:.3f} ms"
print(f"fsync: mean {ms(sum(samples) / len(samples))}, p50 {ms(samples[100])}, p99 {ms(samples[197])}, "
      f"max {ms(samples[-1])} (ceiling for one-commit-at-a-time: ~{len(samples) / sum(samples):.0f}/s)")
EOF

log "account: safeharbor users add --username bench.user --role case-manager"
USERS_OUT=$("$BIN" users add "${STORAGE[@]}" --username bench.user --role case-manager)
TOKEN=$(printf '%s\n' "$USERS_OUT" | tail -n 1)
printf '%s\n' "$USERS_OUT" | head -n 1
[ -n "$TOKEN" ] || die "users add printed no token"

if [ "$HISTORY_YEARS" -gt 0 ]; then
    log "clients: safeharbor generate --clients $CLIENTS --years $HISTORY_YEARS --assign-to bench.user"
    /usr/bin/time -f "generate: %e s, peak memory %M KiB" \
        "$BIN" generate "${STORAGE[@]}" --clients "$CLIENTS" --years "$HISTORY_YEARS" \
        --assign-to bench.user >"$TMP/ids.txt"
fi

log "server: safeharbor serve ${STORAGE[*]} --listen 127.0.0.1:$PORT"
"$BIN" serve "${STORAGE[@]}" --listen "127.0.0.1:$PORT" >"$TMP/server.out" 2>"$TMP/server.log" &
SERVER_PID=$!
for _ in $(seq 1 300); do
    if curl -fsS "$URL/healthz" >/dev/null 2>&1; then break; fi
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$TMP/server.log" >&2; die "server exited"; }
    sleep 0.1
done
curl -fsS "$URL/healthz" >/dev/null || die "server did not answer /healthz"
# The account's sign-up link (printed by users add), for --staff-pages.
SIGN_UP=$(printf '%s\n' "$USERS_OUT" | grep -o '/login/setup/sht_[A-Za-z0-9_-]*' | head -n 1)
echo "server pid $SERVER_PID, $(head -n 1 "$TMP/server.out")"

if [ "$HISTORY_YEARS" = 0 ]; then
    log "create $CLIENTS clients through POST /api/v1/clients"
    python3 "$ROOT/bench/create-clients.py" --port "$PORT" --token "$TOKEN" --count "$CLIENTS" \
        --threads 8 --out "$TMP/ids.txt"
fi
if [ "$OTHER_CLIENTS" -gt 0 ]; then
    log "create $OTHER_CLIENTS more clients in another worker's caseload"
    OTHER_TOKEN=$("$BIN" users add "${STORAGE[@]}" --username bench.other --role case-manager | tail -n 1)
    python3 "$ROOT/bench/create-clients.py" --port "$PORT" --token "$OTHER_TOKEN" \
        --count "$OTHER_CLIENTS" --threads 8 --out "$TMP/other-ids.txt"
fi
FIRST_ID=$(head -n 1 "$TMP/ids.txt")
STATUS=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$URL/api/v1/clients/$FIRST_ID")
[ "$STATUS" = 200 ] || die "a test read of client $FIRST_ID answered $STATUS"

clk_tck=$(getconf CLK_TCK)
# CPU seconds (user + system) the server has used so far.
server_cpu() { awk -v hz="$clk_tck" '{print ($14 + $15) / hz}' "/proc/$SERVER_PID/stat"; }
# "busy idle" jiffies of the whole machine.
machine_cpu() { awk '/^cpu / {idle = $5 + $6; busy = 0; for (i = 2; i <= NF; i++) busy += $i; print busy - idle, idle}' /proc/stat; }

# run NAME URL_PATH [wrk args...]: one bounded wrk run with accounting around it.
run() {
    local name=$1 path=$2
    shift 2
    log "$name"
    echo "uptime before: $(uptime)"
    local log_lines_before cpu_before machine_before
    log_lines_before=$(wc -l <"$TMP/server.log")
    cpu_before=$(server_cpu)
    machine_before=$(machine_cpu)
    echo "command: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency $* $URL$path"
    (
        sleep 7
        echo "--- top, mid-run (second frame of top -b -n2 -d1) ---" >"$TMP/top.txt"
        top -b -n2 -d1 -w 200 | awk '/^top -/ {frame++} frame == 2' | head -n 14 >>"$TMP/top.txt"
    ) &
    local top_pid=$!
    wrk "-t$THREADS" "-c$CONNECTIONS" "-d$DURATION" --latency "$@" "$URL$path" | tee "$TMP/wrk.txt"
    wait "$top_pid" 2>/dev/null || true
    local cpu_after machine_after
    cpu_after=$(server_cpu)
    machine_after=$(machine_cpu)
    cat "$TMP/top.txt"
    local requests
    requests=$(awk '/requests in/ {print $1}' "$TMP/wrk.txt")
    LAST_REQUESTS=$requests
    LAST_RATE=$(awk '/^Requests\/sec:/ {print $2}' "$TMP/wrk.txt")
    # The wrk script's own count (every status but 200: a 303 to /login counts too), else wrk's.
    LAST_NON2XX=$(awk '/^non-200 responses:/ {print $3}' "$TMP/wrk.txt")
    [ -n "$LAST_NON2XX" ] || LAST_NON2XX=$(awk '/^  Non-2xx or 3xx responses:/ {print $5}' "$TMP/wrk.txt")
    LAST_NON2XX=${LAST_NON2XX:-0}
    awk -v b="$cpu_before" -v a="$cpu_after" -v n="$requests" -v mb="$machine_before" -v ma="$machine_after" -v cores="$(nproc)" 'BEGIN {
        split(mb, x, " "); split(ma, y, " ");
        busy = y[1] - x[1]; idle = y[2] - x[2];
        printf "server CPU: %.2f s for %d requests = %.1f us/request; machine busy %.0f%% of %d cores during the run\n",
            a - b, n, (n > 0 ? (a - b) * 1e6 / n : 0), 100 * busy / (busy + idle), cores }'
    echo "server log, this run (status counts and mean handler time by route):"
    tail -n "+$((log_lines_before + 1))" "$TMP/server.log" | awk '
        / request / {
            route = ""; status = ""; micros = 0
            for (i = 1; i <= NF; i++) {
                if ($i ~ /^route=/) route = substr($i, 7)
                if ($i ~ /^status=/) status = substr($i, 8)
                if ($i ~ /^micros=/) micros = substr($i, 8)
            }
            key = route " status=" status; count[key]++; total[key] += micros
        }
        / (WARN|ERROR) / { problems++ ; if (problems <= 5) print "  " $0 }
        END {
            for (k in count) printf "  %s: %d requests, mean %.0f us in the handler\n", k, count[k], total[k] / count[k]
            if (problems > 0) printf "  %d WARN/ERROR lines\n", problems
        }'
    echo "uptime after: $(uptime)"
}

# check_run NAME: fails the summary if the last run completed nothing or answered anything but
# what it expects (200, or the wrk script's BENCH_STATUS).
check_run() {
    if [ "${LAST_REQUESTS:-0}" = 0 ]; then
        echo "$1 FAILED: no request completed in $DURATION (the server stalled)"
        return 1
    elif [ "$LAST_NON2XX" != 0 ]; then
        echo "$1 FAILED: $LAST_NON2XX responses were not the status expected"
        return 1
    fi
}

run "baseline for context: GET /healthz (no auth, no database, no crypto)" /healthz
HEALTHZ_RATE=$LAST_RATE
IDS_FILE="$TMP/ids.txt" BENCH_TOKEN="$TOKEN" \
    run "protected read: GET /api/v1/clients/{id} over $CLIENTS clients" "" -s "$ROOT/bench/read-client.lua"
READ_RATE=$LAST_RATE
READ_OK=1
check_run "PROTECTED READ" || READ_OK=0

SERVICE_OK=1
if [ "$RECORD_SERVICE" = 1 ]; then
    TODAY=$(date -u +%F)
    READ_CONNECTIONS=$CONNECTIONS
    CONNECTIONS=$SERVICE_CONNECTIONS
    IDS_FILE="$TMP/ids.txt" BENCH_TOKEN="$TOKEN" BENCH_SUFFIX=/services BENCH_STATUS=201 \
        BENCH_JSON="{\"delivered_on\": \"$TODAY\", \"code\": \"C4\", \"minutes\": 30}" \
        run "record a service: POST /api/v1/clients/{id}/services over $CLIENTS clients" "" \
        -s "$ROOT/bench/read-client.lua"
    CONNECTIONS=$READ_CONNECTIONS
    SERVICE_RATE=$LAST_RATE
    SERVICE_P99=$(awk '$1 == "99%" {print $2}' "$TMP/wrk.txt")
    check_run "RECORD A SERVICE" || SERVICE_OK=0
fi

STAFF_OK=1
if [ "$STAFF_PAGES" = 1 ]; then
    log "sign in through the sign-up link (bench/sign-in.py)"
    [ -n "$SIGN_UP" ] || die "users add printed no sign-up link"
    COOKIE=$(python3 "$ROOT/bench/sign-in.py" --port "$PORT" --link "$SIGN_UP" \
        --password "bench harbor lantern quarry orchard")
    echo "signed in; session cookie ${COOKIE%%=*}=..."
    BENCH_COOKIE="$COOKIE" BENCH_PATH=/app/ IDS_FILE="" \
        run "staff page: GET /app/ (my caseload: $CLIENTS clients, the newest 25 listed)" "" \
        -s "$ROOT/bench/read-client.lua"
    CASELOAD_RATE=$LAST_RATE
    CASELOAD_P99=$(awk '$1 == "99%" {print $2}' "$TMP/wrk.txt")
    check_run "CASELOAD PAGE" || STAFF_OK=0
    # The search opens the whole caseload (every name decrypted) to match any part of a name.
    CSRF=$(curl -fsS -H "Cookie: $COOKIE" "$URL/app/" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
    [ -n "$CSRF" ] || die "no form token on /app/"
    BENCH_COOKIE="$COOKIE" BENCH_PATH=/app/search IDS_FILE="" BENCH_METHOD=POST \
        BENCH_BODY="csrf=$CSRF&name=Ana+1" BENCH_ORIGIN="$URL" \
        run "staff search: POST /app/search for 'Ana 1' (part of a name) in my caseload of $CLIENTS" "" \
        -s "$ROOT/bench/read-client.lua"
    SEARCH_RATE=$LAST_RATE
    SEARCH_P99=$(awk '$1 == "99%" {print $2}' "$TMP/wrk.txt")
    check_run "SEARCH" || STAFF_OK=0
    BENCH_COOKIE="$COOKIE" BENCH_PATH=/app/clients/ IDS_FILE="$TMP/ids.txt" \
        run "staff page: GET /app/clients/{id} (details, cases, needs, the history's newest 30) over $CLIENTS clients" "" \
        -s "$ROOT/bench/read-client.lua"
    CLIENT_PAGE_RATE=$LAST_RATE
    CLIENT_PAGE_P99=$(awk '$1 == "99%" {print $2}' "$TMP/wrk.txt")
    check_run "CLIENT PAGE" || STAFF_OK=0
fi

log "stop the server"
stop_server
tail -n 3 "$TMP/server.log" | grep -E 'WARN|ERROR' || echo "server stopped cleanly"

log "audit verify: time safeharbor audit verify"
echo "uptime before: $(uptime)"
time "$BIN" audit verify "${STORAGE[@]}"

log "summary"
echo "healthz:        $HEALTHZ_RATE requests/s (context only)"
echo "protected read: $READ_RATE requests/s ($(if [ "$READ_OK" = 1 ]; then echo "all 200"; else echo "FAILED, see above"; fi))"
if [ "$RECORD_SERVICE" = 1 ]; then
    echo "record service: $SERVICE_RATE requests/s at $SERVICE_CONNECTIONS connections, p99 $SERVICE_P99"
fi
if [ "$STAFF_PAGES" = 1 ]; then
    echo "caseload page:  $CASELOAD_RATE requests/s, p99 $CASELOAD_P99"
    echo "name search:    $SEARCH_RATE requests/s, p99 $SEARCH_P99"
    echo "client page:    $CLIENT_PAGE_RATE requests/s, p99 $CLIENT_PAGE_P99"
fi
[ "$READ_OK" = 1 ] && [ "$SERVICE_OK" = 1 ] && [ "$STAFF_OK" = 1 ]
