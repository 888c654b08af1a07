#!/usr/bin/env bash
# The HTTP API under load (not part of ctest; builds nothing): a demo register, one case officer
# signed in with curl (session cookie + CSRF token), `whereabouts serve` on a free loopback port,
# and wrk (Debian's 4.1: no fixed rate, so a fixed number of connections) for DURATION each
# against: GET /api/v1/health (the baseline), GET a person, a search, the figures, and a write
# (POST /api/v1/persons, a new person each time). Prints requests/s, p50 and p99 latency, non-2xx
# answers, and each endpoint's requests/s as a fraction of the health baseline of the same run.
#
# Then the same endpoints paced at about RATE requests/s in all (each connection waits
# CONNECTIONS/RATE s between its requests: wrk's delay()), the load of the target "p99 < 50 ms at
# 500 requests/s", printing the rate achieved and p50/p99.
#
#   bench/bench_server.sh [BINARY] [DURATION] [CONNECTIONS] [SERVER_THREADS] [RATE]
#   defaults: build/src/cli/whereabouts 10s 8 8 500
set -euo pipefail
BIN=${1:-build/src/cli/whereabouts}
DURATION=${2:-10s}
CONNECTIONS=${3:-8}
SERVER_THREADS=${4:-8}
RATE=${5:-500}
for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "bench_server: needs $tool (Debian: apt-get install $tool)" >&2; exit 2; }
done
[ -x "$BIN" ] || { echo "bench_server: no binary $BIN (build it first: scripts/build)" >&2; exit 2; }

DIR=$(mktemp -d /tmp/wb-bench-server.XXXXXX)
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  rm -rf "$DIR"
}
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
DB="$DIR/r.db"
PASSWORD="bench password long enough"
"$BIN" demo --db "$DB" >"$DIR/demo.log" 2>&1 || { cat "$DIR/demo.log"; exit 1; }
printf '%s\n' "$PASSWORD" | "$BIN" user add bench --role case_officer --db "$DB" >"$DIR/user.log" 2>&1 \
  || { cat "$DIR/user.log"; exit 1; }
"$BIN" serve --db "$DB" --listen "127.0.0.1:$PORT" --threads "$SERVER_THREADS" >"$DIR/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do
  curl -sf -o /dev/null "$BASE/api/v1/health" && break
  sleep 0.1
done
curl -sf -o /dev/null "$BASE/api/v1/health" || { cat "$DIR/server.log"; echo "bench_server: the server did not start" >&2; exit 1; }

# Sign in: the cookie from the jar, the CSRF token from the body.
curl -sf -c "$DIR/jar" -H 'Content-Type: application/json' \
  --data "{\"username\":\"bench\",\"password\":\"$PASSWORD\"}" "$BASE/api/v1/session" >"$DIR/login.json"
SESSION=$(awk '$6 == "__Host-wb_session" { print $7 }' "$DIR/jar")
CSRF=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["csrf_token"])' "$DIR/login.json")
[ -n "$SESSION" ] || { echo "bench_server: no session cookie" >&2; exit 1; }
AUTH=(-H "Cookie: __Host-wb_session=$SESSION" -H "X-CSRF-Token: $CSRF")

# A person to read, and a search that finds some (the first three letters of its family name).
curl -sf "${AUTH[@]}" "$BASE/api/v1/persons?limit=1" >"$DIR/first.json"
read -r PERSON QUERY < <(python3 -c '
import json,sys; p=json.load(open(sys.argv[1]))["persons"][0]
print(p["id"], (p["family_name"] or p["given_name"])[:3])' "$DIR/first.json")
QUERY_ENC=$(python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$QUERY")

cat >"$DIR/write.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"family_name":"Benchmark","given_name":"Write","sex":"female","reason":"bench_server.sh"}'
LUA

# Figures computed afresh: a different past date each request (the server keeps the figures of
# only a few (date, chain head) pairs, so nearly every one is computed).
cat >"$DIR/fresh.lua" <<'LUA'
request = function()
  local d = string.format("2020-%02d-%02d", math.random(1, 12), math.random(1, 28))
  return wrk.format(nil, "/api/v1/figures?as_of=" .. d)
end
LUA

# wrk --latency: "Requests/sec: N", "50% 1.23ms", "99% 4.56ms", "Non-2xx or 3xx responses: N".
run() {
  local name=$1
  shift
  wrk -t 2 -c "$CONNECTIONS" -d "$DURATION" --latency "${AUTH[@]}" "$@" >"$DIR/$name.txt" 2>&1 || true
  local rps p50 p99 bad
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$DIR/$name.txt")
  p50=$(awk '$1 == "50%" { print $2 }' "$DIR/$name.txt")
  p99=$(awk '$1 == "99%" { print $2 }' "$DIR/$name.txt")
  bad=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$DIR/$name.txt")
  echo "$name ${rps:-0} ${p50:-?} ${p99:-?} ${bad:-0}" >>"$DIR/results"
}
: >"$DIR/results"
run health "$BASE/api/v1/health"
run person "$BASE/api/v1/persons/$PERSON"
run search "$BASE/api/v1/persons?q=$QUERY_ENC&limit=50"
run figures "$BASE/api/v1/figures"
run fresh -s "$DIR/fresh.lua" "$BASE/api/v1/figures"
run write -s "$DIR/write.lua" "$BASE/api/v1/persons"

echo "whereabouts serve ($SERVER_THREADS threads), wrk 2 threads x $CONNECTIONS connections, $DURATION each, $(nproc) CPUs"
awk 'NR == 1 { base = $2 }
     { printf "%-8s %10.1f req/s  p50 %-9s p99 %-9s non-2xx %-6s %6.3f x health\n", $1, $2, $3, $4, $5, (base > 0 ? $2 / base : 0) }' \
  "$DIR/results"

# Paced: about RATE requests/s in all.
DELAY_MS=$(( CONNECTIONS * 1000 / RATE ))
printf 'function delay() return %d end\n' "$DELAY_MS" >"$DIR/pace.lua"
{ cat "$DIR/write.lua"; cat "$DIR/pace.lua"; } >"$DIR/write-paced.lua"
mv "$DIR/results" "$DIR/results-saturated"
: >"$DIR/results"
run health -s "$DIR/pace.lua" "$BASE/api/v1/health"
run person -s "$DIR/pace.lua" "$BASE/api/v1/persons/$PERSON"
run search -s "$DIR/pace.lua" "$BASE/api/v1/persons?q=$QUERY_ENC&limit=50"
run figures -s "$DIR/pace.lua" "$BASE/api/v1/figures"
run write -s "$DIR/write-paced.lua" "$BASE/api/v1/persons"
echo "paced: each of $CONNECTIONS connections waits ${DELAY_MS} ms between requests (about $RATE req/s in all)"
awk '{ printf "%-8s %10.1f req/s  p50 %-9s p99 %-9s non-2xx %-6s\n", $1, $2, $3, $4, $5 }' "$DIR/results"
echo "(figures: GET /api/v1/figures, kept for the current chain head; fresh: ?as_of= a random 2020 date, computed)"
echo "(person: GET /api/v1/persons/$PERSON; search: GET /api/v1/persons?q=$QUERY; write: POST /api/v1/persons)"
