/**
 * Seed 004's three query types, each asked of the normalized schema (live joins), the
 * denormalized wide table and the materialized views: the cases of
 * query-performance.bench.ts, in a module of their own so that the report finds their
 * results by the case objects.
 */
import { defineCase, type BenchmarkCase } from 'schemabench';
import { monthlySpend, spendByCategorySiteVendor, spendByVendor } from '../../schema/receipts/read-model.ts';

type ReadModel = typeof spendByVendor | typeof spendByCategorySiteVendor | typeof monthlySpend;
type Variant = 'normalized' | 'denormalized' | 'materialized';

function variants(name: string, query: ReadModel): Record<Variant, BenchmarkCase> {
  const make = (variant: Variant) => defineCase({ name, variant, statement: ({ db }) => query[variant](db) });
  return { normalized: make('normalized'), denormalized: make('denormalized'), materialized: make('materialized') };
}

/** Each query type: its label and the seed's figures (normalized / MV / speedup) for the report, and its cases. */
export const QUERY_TYPES = [
  { label: 'Simple Aggregation', seed: '85 ms / 28 ms / 3.0x', cases: variants('receipts/query/simple-aggregation', spendByVendor) },
  { label: 'Complex Join (5 tables)', seed: '320 ms / 95 ms / 3.4x', cases: variants('receipts/query/complex-join-5-tables', spendByCategorySiteVendor) },
  { label: 'Date Analysis', seed: '180 ms / 60 ms / 3.0x', cases: variants('receipts/query/date-analysis', monthlySpend) },
];
