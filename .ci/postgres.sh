# Sourced by .ci/run: a throwaway PostgreSQL cluster for the test suite.
#
#   start_postgres   installs Debian's postgresql package if absent, initdb's a cluster in a
#                    temporary folder (as the postgres user when run as root), starts it on
#                    127.0.0.1 at a free port and exports COPBOT_TEST_DATABASE_URL;
#   stop_postgres    stops it and removes the folder (safe to call twice; .ci/run traps it).

PG_TMP=""
PG_BIN=""
PG_RUN_AS=()

_pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [[ -n "$dir" && -x "$dir/initdb" ]]; then
    echo "$dir"
  elif command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
  fi
}

_pg_install() {
  echo "ci: installing PostgreSQL (Debian's postgresql package)"
  local sudo=()
  [[ $(id -u) -ne 0 ]] && sudo=(sudo)
  "${sudo[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q postgresql
}

_pg() {
  "${PG_RUN_AS[@]}" "$@"
}

start_postgres() {
  PG_BIN=$(_pg_bin)
  if [[ -z "$PG_BIN" ]]; then
    _pg_install
    PG_BIN=$(_pg_bin)
  fi
  [[ -n "$PG_BIN" ]] || { echo "ci: PostgreSQL's initdb not found after install" >&2; return 1; }

  PG_TMP=$(mktemp -d -t copbot-pg.XXXXXX)
  if [[ $(id -u) -eq 0 ]]; then
    # PostgreSQL refuses to run as root: the cluster belongs to the postgres user.
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$PG_TMP"
    PG_RUN_AS=(runuser -u postgres --)
  fi
  local port
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  _pg "$PG_BIN/initdb" -D "$PG_TMP/data" -U copbot --auth=trust -E UTF8 --locale=C.UTF-8 >"$PG_TMP/initdb.log" 2>&1 \
    || { cat "$PG_TMP/initdb.log" >&2; return 1; }
  _pg "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_TMP -c fsync=off -c max_connections=200" start >/dev/null \
    || { cat "$PG_TMP/server.log" >&2; return 1; }
  _pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U copbot copbot_test
  export COPBOT_TEST_DATABASE_URL="postgresql://copbot@127.0.0.1:$port/copbot_test"
  echo "ci: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') at $COPBOT_TEST_DATABASE_URL"
}

stop_postgres() {
  if [[ -n "$PG_TMP" && -d "$PG_TMP" ]]; then
    _pg "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_TMP"
  fi
  PG_TMP=""
  unset COPBOT_TEST_DATABASE_URL
}
