#!/usr/bin/env bash
# Issue 22's migration proof (docs/safe-migrations.md, "Migration cost at production size"):
# a rewrite (volatile default), a batched backfill and a CREATE INDEX traced on receipts at 0.1, 0.3 and 1
# the way `schemabench compare` traces a change's migrations, predicted at scale 10 with a 95%
# prediction interval, then measured at scale 10 and printed with the error of the
# prediction (target: within 35%). Everything runs under the machine's heavy lock.
#
#   bash scripts/proofs/migration-forecast.sh [--runs 3] [--cycles 1] [--scales 0.1,0.3,1] [--at 10] [--pg 17]
set -euo pipefail
cd "$(dirname "$0")/../.."
flock /tmp/schemabench-heavy.lock node --import tsx scripts/proofs/migration-forecast.ts "$@"
