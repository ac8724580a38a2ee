#!/usr/bin/env bash
# The proofs of `schemabench compare` with repetitions (issue 10): A/A (nothing changed)
# must exit 0 in at least 19 of 20 runs, a 1.5x CPU change in one case must be detected in
# at least 19 of 20. CI runs each once (npm test); this runs RUNS (default 20) and prints
# the figures quoted in docs/ci.md. About 25 s per A/A run and 20 s per latency run.
#   bash scripts/compare/proofs.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS="${1:-20}"
SCHEMABENCH_COMPARE_RUNS="$RUNS" npx vitest run --project benchmarks specs/compare-proof.bench.ts -t 'A/A|latency-only'
