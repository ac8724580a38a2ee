/**
 * The CI files' readers, as they check what they read: github-action-benchmark v1.22's zod
 * schema of custom files (its src/extract.ts, `BenchmarkResult`, as it is) and Bencher's BMF
 * JSON schema (bencher.dev/bmf.json) with its documented limits: benchmark names up to 1024
 * characters, measure slugs up to 64.
 */
import { z } from 'zod';
import type { ResultsFile } from '../../harness/results/results-schema.ts';

export const GabFile = z.array(z.object({ name: z.coerce.string(), value: z.coerce.number(), range: z.coerce.string().optional(), unit: z.coerce.string(), extra: z.coerce.string().optional() }));

export const BmfFile = z.record(
  z.string().min(1).max(1024),
  z.record(z.string().regex(/^[a-z0-9-]{1,64}$/), z.object({ value: z.number(), lower_value: z.number().optional(), upper_value: z.number().optional() }).strict()),
);

/** Results of every kind a run holds, each a series (a Bencher key) of its own. */
export const resultCount = (r: ResultsFile) => r.cases.length + r.comparisons.length + r.metrics.length + (r.loads ?? []).reduce((n, l) => n + l.variants.length + l.ratios.length, 0);
