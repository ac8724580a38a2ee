/**
 * Seed 004, "Normalization Saves Space" vs query speed: the same questions asked of
 * the normalized schema (joins), the denormalized wide table and the materialized
 * views. Answers are checked equal before anything is timed.
 */
import { defineCase } from '../../harness/bench/benchmark-case.ts';
import { benchmarkSuite } from '../../harness/bench/benchmark-suite.ts';
import { spendByVendor } from '../../schema/receipts/read-model.ts';

const normalized = defineCase({
  name: 'receipts/query/spend-by-vendor',
  workload: 'receipts',
  variant: 'normalized',
  statement: ({ db }) => spendByVendor.normalized(db),
});
const denormalized = defineCase({ ...normalized, variant: 'denormalized', statement: ({ db }) => spendByVendor.denormalized(db) });

benchmarkSuite('receipts', ({ compare }) => {
  // Reported both ways, no threshold: which one wins depends on row width vs join cost.
  compare({ baseline: normalized, candidate: denormalized });
  compare({ baseline: denormalized, candidate: normalized });
});
