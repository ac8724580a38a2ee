#!/usr/bin/env bash
# The proofs of `schemabench compare` with repetitions (issues 10 and 21):
#  - A/A (nothing changed) of receipts and store at scale 0.3, every benchmark including the
#    load benchmarks: exit 0 in at least 19 of 20 runs, and no measurement of one side
#    overlapping one of the other in any run (each run prints its count and load ratios);
#  - a 1.5x CPU change in one case (scale 0.1) detected in at least 19 of 20.
# CI runs each once on a small filter (npm test); this runs RUNS (default 20) and prints the
# figures quoted in docs/ci.md. Run it alone on the machine (it measures):
#   flock /tmp/schemabench-heavy.lock bash scripts/compare/proofs.sh [RUNS]
# SCHEMABENCH_COMPARE_KEEP=DIR keeps each A/A run's judgement (compare --json) and both sides'
# results.json in DIR (scripts/compare/latency-family.ts re-judges their latencies).
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS="${1:-20}"
# One A/A run of all at 0.3 takes ~500 s: the benchmarks project's 900 s per test would stop RUNS > 1.
SCHEMABENCH_COMPARE_RUNS="$RUNS" SCHEMABENCH_COMPARE_AA="${SCHEMABENCH_COMPARE_AA:-all@0.3}" npx vitest run --project benchmarks --testTimeout=$((RUNS * 900000)) specs/compare-proof.bench.ts -t 'A/A|latency-only'
