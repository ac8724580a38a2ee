#!/bin/sh
# Entrypoint of schemabench's locally built PostgreSQL image. It honours the same
# environment as the official image (POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB,
# PGDATA) so @testcontainers/postgresql drives it unchanged.
set -eu
: "${PGDATA:=/var/lib/postgresql/data}"
: "${POSTGRES_USER:=postgres}"
: "${POSTGRES_DB:=$POSTGRES_USER}"
if [ -z "${POSTGRES_PASSWORD:-}" ]; then
  echo "pg-entrypoint: POSTGRES_PASSWORD is required (this image never trusts TCP clients)" >&2
  exit 1
fi
[ "$#" -gt 0 ] || set -- postgres
if [ "$1" != postgres ]; then exec "$@"; fi
shift

mkdir -p "$PGDATA" /var/run/postgresql
chown postgres:postgres "$PGDATA" /var/run/postgresql
chmod 0700 "$PGDATA"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  pwfile=$(mktemp)
  printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
  chown postgres "$pwfile"
  # Local (unix socket, inside the container) is trusted for the health check;
  # every TCP client must present the password (scram-sha-256).
  runuser -u postgres -- initdb -D "$PGDATA" -U "$POSTGRES_USER" --pwfile="$pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  if [ "$POSTGRES_DB" != postgres ]; then
    db=$(printf '%s' "$POSTGRES_DB" | sed 's/"/""/g')
    echo "CREATE DATABASE \"$db\"" |
      runuser -u postgres -- postgres --single -D "$PGDATA" -j postgres >/dev/null
  fi
fi
# setpriv execs (no intermediate process): postgres is PID 1 and gets docker stop's signal.
exec setpriv --reuid=postgres --regid=postgres --init-groups postgres -D "$PGDATA" -c listen_addresses='*' "$@"
