#!/usr/bin/env bash
# Starts (or stops) throwaway Redis, PostgreSQL and MariaDB servers on loopback for the test suite.
#   source .ci/services.sh start DIR   → exports TEST_REDIS_URL, TEST_PG_DSN, TEST_MYSQL_DSN
#   bash .ci/services.sh stop DIR      → stops them by their pid files
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

free_port() {
  node -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })"
}

start_services() {
  local dir=$1
  mkdir -p "$dir/redis" "$dir/pg" "$dir/mysql"
  local REDIS_PORT PG_PORT MYSQL_PORT
  REDIS_PORT=${TEST_REDIS_PORT:-$(free_port)}
  PG_PORT=${TEST_PG_PORT:-$(free_port)}
  MYSQL_PORT=${TEST_MYSQL_PORT:-$(free_port)}

  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --dir "$dir/redis" \
    --pidfile "$dir/redis/redis.pid" --save '' --appendonly no --logfile "$dir/redis/redis.log"

  chown -R postgres "$dir/pg"
  runuser -u postgres -- "$PG_BIN/initdb" -D "$dir/pg/data" -U postgres -A trust -E UTF8 --no-sync >"$dir/pg/initdb.log"
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir/pg/data" -w -l "$dir/pg/pg.log" \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $dir/pg -c fsync=off -c max_connections=300" start >/dev/null

  mariadb-install-db --no-defaults --user=root --datadir="$dir/mysql/data" \
    --auth-root-authentication-method=normal --skip-test-db >"$dir/mysql/install.log" 2>&1
  mariadbd --no-defaults --user=root --datadir="$dir/mysql/data" --socket="$dir/mysql/s.sock" \
    --pid-file="$dir/mysql/m.pid" --bind-address=127.0.0.1 --port="$MYSQL_PORT" \
    --skip-name-resolve --skip-log-bin --max-connections=500 >"$dir/mysql/mysqld.log" 2>&1 &
  for _ in $(seq 1 100); do
    mariadb-admin --no-defaults --socket="$dir/mysql/s.sock" -uroot ping >/dev/null 2>&1 && break
    sleep 0.2
  done
  mariadb --no-defaults --socket="$dir/mysql/s.sock" -uroot -e \
    "CREATE USER IF NOT EXISTS 'chat'@'127.0.0.1' IDENTIFIED BY 'chat'; GRANT ALL ON *.* TO 'chat'@'127.0.0.1'; CREATE DATABASE IF NOT EXISTS chat_api;"

  export TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
  export TEST_PG_DSN="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
  export TEST_MYSQL_DSN="chat:chat@tcp(127.0.0.1:$MYSQL_PORT)/chat_api"
}

stop_services() {
  local dir=$1
  [ -f "$dir/redis/redis.pid" ] && kill "$(cat "$dir/redis/redis.pid")" 2>/dev/null || true
  [ -f "$dir/pg/data/postmaster.pid" ] &&
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir/pg/data" -m fast stop >/dev/null 2>&1 || true
  [ -f "$dir/mysql/m.pid" ] && kill "$(cat "$dir/mysql/m.pid")" 2>/dev/null || true
  return 0
}

case "${1:-}" in
  start) start_services "$2" ;;
  stop) stop_services "$2" ;;
  *) echo "usage: services.sh start|stop DIR" >&2; return 2 2>/dev/null || exit 2 ;;
esac
