#!/usr/bin/env bash
# A PostgreSQL server schemabench did not start, reached as a role without superuser:
# the shape of a managed server. Debian's server package (bookworm: PostgreSQL 15) runs
# a cluster of its own as a system service (pg_ctlcluster, the postgresql@V-NAME unit),
# listening on 127.0.0.1 only, password (scram-sha-256) authentication over TCP.
#
#   eval "$(bash scripts/ci/managed-server.sh start)"   # prints the variables to export
#   bash scripts/ci/managed-server.sh stop               # stops the service, drops the cluster
#
# start creates:
#   - role schemabench_ci: LOGIN CREATEDB, not superuser, random password
#     -> SCHEMABENCH_MANAGED_URL
#   - role schemabench_nocreatedb: LOGIN only -> SCHEMABENCH_MANAGED_NOCREATEDB_URL
#   - two databases that must survive every schemabench command untouched, with rows:
#     app_production (owned by postgres) and ci_role_app (owned by schemabench_ci)
#     -> SCHEMABENCH_MANAGED_WITNESS=app_production,ci_role_app
# Needs root and Debian's apt mirror (installs postgresql when pg_ctlcluster is missing).
# The cluster is ours (name schemabench_ci): the package's own `main` cluster and any
# other cluster on the machine are left alone.
set -euo pipefail
cluster=schemabench_ci
action=${1:-}

pg_major() { ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -n1; }

case "$action" in
start)
  if ! command -v pg_ctlcluster >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq postgresql >/dev/null
  fi
  version=$(pg_major)
  [ -n "$version" ] || { echo "managed-server: no PostgreSQL server package installed" >&2; exit 1; }
  # A port nobody listens on (the package's own cluster may hold 5432).
  port=${SCHEMABENCH_MANAGED_PORT:-$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}
  if pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$version $cluster"; then
    pg_dropcluster --stop "$version" "$cluster" >/dev/null
  fi
  # Peer auth on the unix socket for the postgres OS user (setup below), passwords on TCP.
  pg_createcluster "$version" "$cluster" --port "$port" --start-conf manual -- \
    --auth-local=peer --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  conf=/etc/postgresql/$version/$cluster/conf.d
  mkdir -p "$conf"
  # Loopback only: the server is never reachable from another machine.
  printf "listen_addresses = '127.0.0.1'\n" >"$conf/schemabench-listen.conf"
  pg_ctlcluster "$version" "$cluster" start

  password=$(head -c 24 /dev/urandom | base64 | tr -d '/+=' | head -c 32)
  other=$(head -c 24 /dev/urandom | base64 | tr -d '/+=' | head -c 32)
  sql() { runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$port" "$@" >/dev/null; }
  sql -d postgres -v pw="$password" -v other="$other" <<'SQL'
CREATE ROLE schemabench_ci LOGIN CREATEDB NOSUPERUSER PASSWORD :'pw';
CREATE ROLE schemabench_nocreatedb LOGIN NOSUPERUSER NOCREATEDB PASSWORD :'other';
CREATE DATABASE app_production OWNER postgres;
CREATE DATABASE ci_role_app OWNER schemabench_ci;
SQL
  for db in app_production ci_role_app; do
    sql -d "$db" <<'SQL'
CREATE TABLE orders (id int PRIMARY KEY, customer text NOT NULL, total numeric(12, 2) NOT NULL);
INSERT INTO orders SELECT g, 'customer ' || g, g * 1.25 FROM generate_series(1, 1000) g;
GRANT SELECT ON orders TO schemabench_ci;
SQL
  done
  sql -d ci_role_app -c 'ALTER TABLE orders OWNER TO schemabench_ci'
  echo "export SCHEMABENCH_MANAGED_URL='postgres://schemabench_ci:$password@127.0.0.1:$port/postgres'"
  echo "export SCHEMABENCH_MANAGED_NOCREATEDB_URL='postgres://schemabench_nocreatedb:$other@127.0.0.1:$port/postgres'"
  echo "export SCHEMABENCH_MANAGED_WITNESS='app_production,ci_role_app'"
  echo "echo 'managed server: PostgreSQL $version cluster $cluster on 127.0.0.1:$port (role schemabench_ci: CREATEDB, not superuser)' >&2"
  ;;
stop)
  version=$(pg_major)
  if [ -n "$version" ] && pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -qx "$version $cluster"; then
    pg_dropcluster --stop "$version" "$cluster"
  fi
  ;;
*)
  echo "usage: bash scripts/ci/managed-server.sh start|stop" >&2
  exit 2
  ;;
esac
