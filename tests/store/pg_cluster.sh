#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests (the ctest fixture `pg_cluster`, tests/CMakeLists.txt).
#   pg_cluster.sh start DIR PORT   initdb in DIR/data, start it on the unix socket DIR/.s.PGSQL.PORT
#   pg_cluster.sh stop DIR         stop it and remove DIR
# The server listens on no TCP address, only on its socket in DIR, so the port cannot clash with
# another server. Its superuser is `whereabouts`, trust authentication, fsync off (throwaway).
# initdb refuses to run as root: as root the cluster runs as the `postgres` system user (else
# `nobody`). Exit status non-zero, with the server's log, when the cluster cannot start.
set -euo pipefail

cmd=${1:?usage: pg_cluster.sh start DIR PORT | stop DIR}
dir=${2:?usage: pg_cluster.sh start DIR PORT | stop DIR}
port=${3:-5432}

bindir=""
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r) \
  "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")"; do
  if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then bindir=$d; break; fi
done

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    local user=postgres
    id -u postgres >/dev/null 2>&1 || user=nobody
    runuser -u "$user" -- "$@"
  else
    "$@"
  fi
}

stop_cluster() {
  if [ -n "$bindir" ] && [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "$cmd" in
  start)
    if [ -z "$bindir" ]; then
      echo "pg_cluster: no PostgreSQL server binaries (initdb, pg_ctl) found" >&2
      exit 1
    fi
    stop_cluster  # a cluster left behind by an interrupted run
    mkdir -p "$dir"
    chmod 700 "$dir"
    if [ "$(id -u)" -eq 0 ]; then
      owner=postgres
      id -u postgres >/dev/null 2>&1 || owner=nobody
      chown "$owner" "$dir"
    fi
    if ! as_owner "$bindir/initdb" -D "$dir/data" -U whereabouts --auth=trust -E UTF8 \
      --no-locale --no-sync >"$dir/initdb.log" 2>&1; then
      echo "pg_cluster: initdb failed:" >&2
      cat "$dir/initdb.log" >&2
      exit 1
    fi
    if ! as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/data/server.log" -w -t 60 \
      -o "-c listen_addresses='' -k $dir -p $port -c fsync=off -c full_page_writes=off -c max_connections=40 -c shared_buffers=32MB" \
      start >/dev/null; then
      echo "pg_cluster: the server did not start:" >&2
      cat "$dir/data/server.log" >&2 || true
      exit 1
    fi
    echo "pg_cluster: PostgreSQL ($("$bindir/postgres" --version)) on socket $dir port $port"
    ;;
  stop)
    stop_cluster
    ;;
  *)
    echo "usage: pg_cluster.sh start DIR PORT | stop DIR" >&2
    exit 2
    ;;
esac
