#!/usr/bin/env bash
# Issue 22's proof, as far as it is built (docs/production-statistics.md): receipts and store
# built at scale 10 as "production" and at 0.3 on an embedded PostgreSQL 18, production's
# snapshot captured with `schemabench stats capture`, then the column statistics of the small
# dataset against production's and every case's chosen plan at 0.3, without and with injected
# statistics, against the same case at 10. The cases' SQL comes from a `schemabench run`'s
# results.json (the SQL text does not depend on the scale): given with --results, or made here
# by a run at scale 0.1 (~7 minutes). Everything heavy runs under the machine's heavy lock.
#
#   bash scripts/proofs/production-stats.sh [--results FILE] [--designs] [--list]
#   bash scripts/proofs/production-stats.sh --short     # CI: scale 1 vs 0.1, probe queries only, no run
#
# Other options go to scripts/proofs/production-stats.ts (--workloads, --production-scale, --scale, --pg).
set -euo pipefail
cd "$(dirname "$0")/../.."
LOCK=/tmp/schemabench-heavy.lock
results=""
short=0
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --results) results="$2"; shift 2 ;;
    --short) short=1; shift ;;
    *) args+=("$1"); shift ;;
  esac
done

work=$(mktemp -d "${TMPDIR:-/tmp}/schemabench-proof-XXXXXX")
trap 'rm -rf "$work"' EXIT

if [ "$short" = 1 ]; then
  args=(--production-scale 1 --scale 0.1 "${args[@]}")
elif [ -z "$results" ]; then
  echo "running the suites once at scale 0.1 for the cases' SQL (log: $work/run.log)..." >&2
  # The run's own verdicts do not matter here (a load bar may fail at 0.1): only its results.json.
  flock "$LOCK" node bin/schemabench.mjs run --workload all --scale 0.1 --provider embedded --out "$work/run" >"$work/run.log" 2>&1 || true
  results="$work/run/results.json"
  if [ ! -f "$results" ]; then
    echo "the run wrote no results.json:" >&2
    tail -20 "$work/run.log" >&2
    exit 1
  fi
fi

flock "$LOCK" node --import tsx scripts/proofs/production-stats.ts ${results:+--results "$results"} "${args[@]}"
