/** Merging results of shards: same seed and scale required; the first file's fingerprint is kept. */
import { UsageError } from '../errors.ts';
import type { ResultsFile } from './results-schema.ts';

export function mergeResults(files: ResultsFile[]): ResultsFile {
  const [first, ...rest] = files;
  if (!first) throw new UsageError('merge: nothing to merge');
  for (const f of rest) {
    if (f.fingerprint.seed !== first.fingerprint.seed) throw new UsageError(`merge: seeds differ (${first.fingerprint.seed} vs ${f.fingerprint.seed})`);
  }
  const unique = <T>(items: T[], key: (t: T) => string) => [...new Map(items.map((i) => [key(i), i])).values()];
  return {
    ...first,
    createdAt: new Date().toISOString(),
    fingerprint: { ...first.fingerprint, datasets: Object.assign({}, ...files.map((f) => f.fingerprint.datasets)) },
    cases: unique(files.flatMap((f) => f.cases), (c) => `${c.name}[${c.variant}]@${c.scale}`),
    comparisons: unique(files.flatMap((f) => f.comparisons), (c) => `${c.name}@${c.scale}`),
    metrics: unique(files.flatMap((f) => f.metrics ?? []), (m) => `${m.name}@${m.scale}`),
    loads: unique(files.flatMap((f) => f.loads ?? []), (l) => `${l.name}@${l.scale}`),
  };
}
