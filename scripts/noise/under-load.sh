#!/usr/bin/env bash
# Runs a benchmark command N times while a CPU hog competes for the machine, and counts
# how many runs passed: the proof that verdicts hold on a busy machine (issue 16).
#
#   flock /tmp/schemabench-heavy.lock scripts/noise/under-load.sh [RUNS] [-- COMMAND...]
#
#   RUNS      how many runs (default 5)
#   COMMAND   what to run (default: npm run bench). Examples:
#               scripts/noise/under-load.sh 5 -- npx schemabench run --workload all --scale 0.3
#               scripts/noise/under-load.sh 5 -- npx vitest run --project benchmarks specs/gate-proof.bench.ts
#
# The hog is one busy process per core minus one (at least one), started here and
# killed on exit, Ctrl-C or TERM (trap), and bounded in time by `timeout` so it dies
# even if this script is killed with SIGKILL (UNDER_LOAD_MAX_SECONDS, default 7200).
# For each run it prints the exit code, the wall time, the load average and the run's
# noise line from results.json (each run's output: .schemabench/under-load/<time>/run-i.log);
# the last line is "under load: P of N runs passed".
# Exit code 0 when every run passed, 1 otherwise, 2 for bad arguments.
set -uo pipefail
cd "$(dirname "$0")/../.."

runs=5
if [ $# -gt 0 ] && [ "$1" != "--" ]; then runs=$1; shift; fi
if ! [[ "$runs" =~ ^[1-9][0-9]*$ ]]; then echo "under-load: RUNS must be a positive integer (got '$runs')" >&2; exit 2; fi
if [ $# -gt 0 ] && [ "$1" = "--" ]; then shift; fi
if [ $# -eq 0 ]; then set -- npm run bench; fi

max_seconds=${UNDER_LOAD_MAX_SECONDS:-7200}
if ! [[ "$max_seconds" =~ ^[1-9][0-9]*$ ]]; then echo "under-load: UNDER_LOAD_MAX_SECONDS must be a positive integer (got '$max_seconds')" >&2; exit 2; fi
cores=$(nproc)
hogs=$(( cores > 1 ? cores - 1 : 1 ))
pids=()
stop_hogs() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  pids=()
}
trap 'stop_hogs' EXIT
trap 'stop_hogs; exit 130' INT
trap 'stop_hogs; exit 143' TERM

for _ in $(seq 1 "$hogs"); do
  # A pure CPU spin in its own process: no I/O, no memory; `timeout` bounds it.
  timeout "$max_seconds" bash -c 'while :; do :; done' &
  pids+=($!)
done
echo "under-load: $hogs busy process(es) on $cores cores (pids ${pids[*]}), $runs run(s) of: $*"

results=${SCHEMABENCH_OUT:-.schemabench/latest}/results.json
logs=.schemabench/under-load/$(date +%Y%m%d-%H%M%S)
mkdir -p "$logs"
passed=0
for i in $(seq 1 "$runs"); do
  rm -f "$results"
  started=$(date +%s)
  load_before=$(cut -d' ' -f1 /proc/loadavg)
  "$@" > "$logs/run-$i.log" 2>&1
  code=$?
  seconds=$(( $(date +%s) - started ))
  noise=$(node -e '
    try {
      const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      const n = r.fingerprint.noise;
      const label = (c) => (c.threshold === null ? "reported" : c.verdict || (c.passed ? "pass" : "fail")) + (c.passed ? "" : " (test failed)");
      const v = (r.comparisons || []).reduce((a, c) => ((a[label(c)] = (a[label(c)] || 0) + 1), a), {});
      console.log(n ? `round-to-round sd ${n.roundSpread}, verdicts ${JSON.stringify(v)}` : "no noise recorded");
    } catch { console.log("no results.json"); }' "$results" 2>/dev/null)
  [ "$code" -eq 0 ] && passed=$((passed + 1))
  echo "run $i/$runs: exit $code, ${seconds} s, load $load_before -> $(cut -d' ' -f1 /proc/loadavg); $noise (log $logs/run-$i.log)"
done
stop_hogs
echo "under load: $passed of $runs runs passed"
[ "$passed" -eq "$runs" ]
