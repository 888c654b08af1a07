#!/usr/bin/env bash
# nginx (deploy/nginx/whereabouts.conf) in front of the real `whereabouts serve`: HTTP redirects to
# HTTPS, HTTPS reaches the server (health, sign-in with its cookie), a body over 1 MiB gets 413 as
# problem+json, HSTS is sent, TLS below 1.2 is refused. nginx runs as the invoking user (root or
# not) with its own prefix, pid, logs and temp folders in a temp dir that is removed at the end.
#
#   nginx_test.sh WHEREABOUTS_BINARY CONF
# Exit 77 (skipped) without nginx, openssl or curl, or with a binary that has no `serve`/`user`.
set -u
BIN=${1:?usage: nginx_test.sh WHEREABOUTS_BINARY CONF}
CONF=${2:?usage: nginx_test.sh WHEREABOUTS_BINARY CONF}

NGINX=$(command -v nginx || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true)
for tool in openssl curl; do
  command -v "$tool" >/dev/null || { echo "SKIP: no $tool"; exit 77; }
done
[ -n "$NGINX" ] || { echo "SKIP: no nginx (Debian: nginx-light)"; exit 77; }
[ -x "$BIN" ] || { echo "SKIP: no binary $BIN"; exit 77; }
"$BIN" serve --help >/dev/null 2>&1 || { echo "SKIP: $BIN has no serve"; exit 77; }
"$BIN" user --help >/dev/null 2>&1 || { echo "SKIP: $BIN has no user command"; exit 77; }

DIR=$(mktemp -d /tmp/wb-nginx-test.XXXXXX)
SERVER_PID=""
NGINX_PID=""
cleanup() {
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  rm -rf "$DIR"
}
trap cleanup EXIT

FAILS=0
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
pass() { echo "ok: $*"; }
dump_logs() {
  for f in "$DIR"/logs/error.log "$DIR"/server.log; do
    [ -s "$f" ] && { echo "--- $f"; tail -n 30 "$f"; }
  done
}

# A free TCP port on loopback (bind to 0 and ask; a race with other processes is unlikely).
free_port() {
  if command -v python3 >/dev/null; then
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
  else
    local p
    while :; do
      p=$((20000 + RANDOM % 40000))
      (echo >"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
    done
  fi
}
UP=$(free_port)
HTTP=$(free_port)
HTTPS=$(free_port)

# A self-signed certificate for localhost.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$DIR/key.pem" -out "$DIR/cert.pem" >/dev/null 2>&1 || { echo "FAIL: openssl req"; exit 1; }

# The register, its first account, and the server on a free loopback port.
DB="$DIR/r.db"
PASSWORD="correct horse battery staple"
"$BIN" demo --db "$DB" >"$DIR/demo.log" 2>&1 || { cat "$DIR/demo.log"; echo "FAIL: demo"; exit 1; }
printf '%s\n' "$PASSWORD" | "$BIN" user add admin --role administrator --db "$DB" \
  >"$DIR/user.log" 2>&1 || { cat "$DIR/user.log"; echo "FAIL: user add"; exit 1; }
"$BIN" serve --db "$DB" --listen "127.0.0.1:$UP" --threads 2 >"$DIR/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do
  curl -s -o /dev/null "http://127.0.0.1:$UP/api/v1/health" && break
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 0.1
done
curl -s -o /dev/null "http://127.0.0.1:$UP/api/v1/health" || { dump_logs; echo "FAIL: the server did not start"; exit 1; }

# The shipped config with the placeholders filled, loopback ports, no IPv6 listeners (the test
# machine may have none), inside a main config whose every path lies in $DIR.
mkdir -p "$DIR/logs" "$DIR/temp"
sed -e "s#__SERVER_NAME__#localhost#g" -e "s#__CERT__#$DIR/cert.pem#g" -e "s#__KEY__#$DIR/key.pem#g" \
    -e "s#listen 443 ssl#listen 127.0.0.1:$HTTPS ssl#" -e "s#listen 80;#listen 127.0.0.1:$HTTP;#" \
    -e '/listen \[::\]/d' -e "s#server 127.0.0.1:8080;#server 127.0.0.1:$UP;#" \
    "$CONF" >"$DIR/whereabouts.conf"
{
  # As root, workers would run as nobody, who may not enter $DIR (mode 700).
  [ "$(id -u)" = 0 ] && echo "user root;"
  cat <<CONF
worker_processes 1;
pid $DIR/nginx.pid;
error_log $DIR/logs/error.log warn;
events { worker_connections 64; }
http {
    default_type application/octet-stream;
    access_log $DIR/logs/access.log;
    client_body_temp_path $DIR/temp/body;
    proxy_temp_path $DIR/temp/proxy;
    fastcgi_temp_path $DIR/temp/fastcgi;
    uwsgi_temp_path $DIR/temp/uwsgi;
    scgi_temp_path $DIR/temp/scgi;
    include $DIR/whereabouts.conf;
}
CONF
} >"$DIR/nginx.conf"
"$NGINX" -t -p "$DIR" -c "$DIR/nginx.conf" -e "$DIR/logs/error.log" >"$DIR/nginx-t.log" 2>&1 \
  || { cat "$DIR/nginx-t.log"; echo "FAIL: nginx -t"; exit 1; }
"$NGINX" -p "$DIR" -c "$DIR/nginx.conf" -e "$DIR/logs/error.log" -g "daemon off;" &
NGINX_PID=$!
CURL=(curl -s --cacert "$DIR/cert.pem" --resolve "localhost:$HTTPS:127.0.0.1" --max-time 10)
BASE="https://localhost:$HTTPS"
for _ in $(seq 100); do
  "${CURL[@]}" -o /dev/null "$BASE/api/v1/health" && break
  sleep 0.1
done

# 1. HTTP redirects to HTTPS.
out=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$HTTP/api/v1/health?x=1")
case "$out" in
  "301 https://"*"/api/v1/health?x=1") pass "http redirects to https ($out)" ;;
  *) fail "http -> https redirect: got '$out'" ;;
esac

# 2. HTTPS reaches the server: health is 200 JSON, with HSTS.
code=$("${CURL[@]}" -D "$DIR/h.txt" -o "$DIR/b.txt" -w '%{http_code}' "$BASE/api/v1/health")
if [ "$code" = 200 ] && grep -qi '^content-type: application/json' "$DIR/h.txt" &&
   grep -Eq '"status": ?"ok"' "$DIR/b.txt"; then
  pass "GET /api/v1/health through nginx: 200 $(cat "$DIR/b.txt")"
else
  fail "GET /api/v1/health through nginx: $code $(cat "$DIR/b.txt")"
fi
if grep -qi '^strict-transport-security: max-age=[1-9]' "$DIR/h.txt"; then
  pass "Strict-Transport-Security present"
else
  fail "no Strict-Transport-Security header"; cat "$DIR/h.txt"
fi

# 3. Sign-in through nginx: 201 and the __Host- session cookie comes through.
code=$("${CURL[@]}" -D "$DIR/h2.txt" -o "$DIR/b2.txt" -w '%{http_code}' \
  -H 'Content-Type: application/json' \
  --data "{\"username\":\"admin\",\"password\":\"$PASSWORD\"}" "$BASE/api/v1/session")
if [ "$code" = 201 ] && grep -qi '^set-cookie: __Host-wb_session=.*HttpOnly.*Secure.*SameSite=Strict' "$DIR/h2.txt"; then
  pass "POST /api/v1/session through nginx: 201 with the session cookie"
else
  fail "POST /api/v1/session through nginx: $code $(cat "$DIR/b2.txt")"
fi

# 4. A body over 1 MiB is refused by nginx with 413, as problem+json; the server never sees it.
head -c $((1024 * 1024 + 100)) /dev/zero | tr '\0' 'a' >"$DIR/big.txt"
code=$("${CURL[@]}" -D "$DIR/h3.txt" -o "$DIR/b3.txt" -w '%{http_code}' \
  -H 'Content-Type: application/json' --data-binary "@$DIR/big.txt" "$BASE/api/v1/persons")
if [ "$code" = 413 ] && grep -qi '^content-type: application/problem+json' "$DIR/h3.txt"; then
  pass "a 1 MiB + 100 B body: 413 problem+json"
else
  fail "a body over 1 MiB: $code $(head -c 200 "$DIR/b3.txt")"
fi

# 5. TLS 1.2 is accepted, TLS 1.1 is not.
if "${CURL[@]}" -o /dev/null --tlsv1.2 --tls-max 1.2 "$BASE/api/v1/health"; then
  pass "TLS 1.2 accepted"
else
  fail "TLS 1.2 refused"
fi
if "${CURL[@]}" -o /dev/null --tlsv1.1 --tls-max 1.1 "$BASE/api/v1/health" 2>/dev/null; then
  fail "TLS 1.1 accepted"
else
  pass "TLS 1.1 refused"
fi

if [ "$FAILS" -gt 0 ]; then
  dump_logs
  echo "$FAILS check(s) failed"
  exit 1
fi
echo "all nginx checks passed"
