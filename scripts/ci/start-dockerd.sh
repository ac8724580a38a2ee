#!/usr/bin/env bash
# Starts Debian's dockerd in the background for CI and prints its PID on stdout.
# Published ports bind to 127.0.0.1 only (--ip): a test server is never reachable
# from outside this machine. Stop it with: kill "$(cat "$SCHEMABENCH_DOCKERD_PIDFILE")".
set -euo pipefail
log=${SCHEMABENCH_DOCKERD_LOG:-/tmp/schemabench-dockerd.log}
if docker info >/dev/null 2>&1; then
  echo "a Docker engine already answers; not starting another" >&2
  exit 0
fi
dockerd --ip 127.0.0.1 >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  if docker info >/dev/null 2>&1; then echo "$pid"; exit 0; fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.2
done
echo "dockerd did not come up; its log:" >&2
tail -n 30 "$log" >&2
kill "$pid" 2>/dev/null || true
exit 1
