/** Merging results of shards or scales: same seed required, names unique; the first file's fingerprint is kept. */
import { UsageError } from '../errors.ts';
import type { ResultsFile } from './results-schema.ts';
import { assertUniqueNames } from './unique-names.ts';

/** `sources` names each file in errors (its path); by default its position. */
export function mergeResults(files: ResultsFile[], sources: string[] = files.map((_, i) => `results file ${i + 1}`)): ResultsFile {
  const [first, ...rest] = files;
  if (!first) throw new UsageError('merge: nothing to merge');
  for (const f of rest) {
    if (f.fingerprint.seed !== first.fingerprint.seed) throw new UsageError(`merge: seeds differ (${first.fingerprint.seed} vs ${f.fingerprint.seed})`);
  }
  try {
    assertUniqueNames(files.map((f, i) => ({ source: sources[i]!, ...f })));
  } catch (error) {
    throw new UsageError(`merge: ${(error as Error).message}`);
  }
  const details = Object.assign({}, ...files.map((f) => f.fingerprint.datasetDetails ?? {}));
  return {
    ...first,
    createdAt: new Date().toISOString(),
    fingerprint: {
      ...first.fingerprint,
      datasets: Object.assign({}, ...files.map((f) => f.fingerprint.datasets)),
      ...(Object.keys(details).length ? { datasetDetails: details } : {}),
    },
    cases: files.flatMap((f) => f.cases),
    comparisons: files.flatMap((f) => f.comparisons),
    metrics: files.flatMap((f) => f.metrics),
    loads: files.flatMap((f) => f.loads ?? []),
  };
}
