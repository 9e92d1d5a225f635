#!/usr/bin/env bash
# Starts a throwaway PostgreSQL for the store tests and prints `export STACKWISE_TEST_POSTGRES_URL=...`,
# for `eval "$(.ci/postgres.sh)"`. Idempotent: a second run reuses the running server. Installs the Debian
# `postgresql` package when run as root and it is missing. When no server can be started it prints nothing
# and exits 0, so the Postgres tests are skipped with their reason. All progress goes to stderr.
set -uo pipefail

DATA_DIR="${STACKWISE_PG_DIR:-/tmp/stackwise-postgres}"
PORT="${STACKWISE_PG_PORT:-54329}"
DB=stackwise_test

give_up() {
    echo "postgres.sh: $1; the Postgres store tests will be skipped" >&2
    exit 0
}

if [[ -n "${STACKWISE_TEST_POSTGRES_URL:-}" ]]; then
    printf 'export STACKWISE_TEST_POSTGRES_URL=%q\n' "$STACKWISE_TEST_POSTGRES_URL"
    exit 0
fi

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

BIN="$(pg_bin)"
if [[ -z "$BIN" && "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    echo "postgres.sh: installing postgresql" >&2
    export DEBIAN_FRONTEND=noninteractive
    { apt-get install -y -qq postgresql || { apt-get update -qq && apt-get install -y -qq postgresql; }; } >&2 2>&1
    BIN="$(pg_bin)"
fi
[[ -x "$BIN/pg_ctl" ]] || give_up "no PostgreSQL server binaries found"

# initdb and postgres refuse to run as root: run them as the postgres user the package creates.
if [[ "$(id -u)" == 0 ]]; then
    id postgres >/dev/null 2>&1 || give_up "running as root but there is no postgres user"
    as_db() { runuser -u postgres -- "$@"; }
    mkdir -p "$DATA_DIR" && chown postgres: "$DATA_DIR" && chmod 700 "$DATA_DIR" || give_up "cannot create $DATA_DIR"
else
    as_db() { "$@"; }
    mkdir -p "$DATA_DIR" && chmod 700 "$DATA_DIR" || give_up "cannot create $DATA_DIR"
fi

if ! as_db "$BIN/pg_ctl" status -D "$DATA_DIR" >/dev/null 2>&1; then
    if [[ ! -f "$DATA_DIR/PG_VERSION" ]]; then
        as_db "$BIN/initdb" -D "$DATA_DIR" -U postgres --auth=trust --encoding=UTF8 --no-locale >&2 \
            || give_up "initdb failed"
    fi
    as_db "$BIN/pg_ctl" -D "$DATA_DIR" -l "$DATA_DIR/server.log" -w -t 60 start \
        -o "-p $PORT -k $DATA_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off" >&2 \
        || give_up "the server did not start (see $DATA_DIR/server.log)"
fi

psql_db() { as_db "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -tAq "$@"; }
psql_db -c "SELECT 1" >/dev/null 2>&1 || give_up "a server runs in $DATA_DIR but not on 127.0.0.1:$PORT"
if [[ "$(psql_db -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != 1 ]]; then
    psql_db -c "CREATE DATABASE $DB" >&2 || give_up "cannot create database $DB"
fi

echo "export STACKWISE_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:$PORT/$DB"
