/**
 * Merging results of shards, scales or server versions: same seed required, names unique;
 * the first file's fingerprint is kept. A result's key includes its scale and, in a version
 * matrix, its server version (`pgVersion`), so the same case on 17 and 18 is kept twice.
 */
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
  // A skip is not a measurement: the same skip in two shards is one line. A server is
  // listed once per provider and version.
  const unique = <T>(items: T[], key: (t: T) => string) => [...new Map(items.map((i) => [key(i), i])).values()];
  const pg = (r: { pgVersion?: string }) => (r.pgVersion === undefined ? '' : `@pg${r.pgVersion}`);
  const skipped = files.flatMap((f) => f.skipped ?? []);
  const servers = files.flatMap((f) => f.servers ?? []);
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
    ...(skipped.length ? { skipped: unique(skipped, (s) => `${s.name}@${s.scale}${pg(s)}`) } : {}),
    ...(servers.length ? { servers: unique(servers, (s) => `${s.provider} ${s.version}`) } : {}),
    ...(files.some((f) => f.measurements?.length) ? { measurements: files.flatMap((f) => f.measurements ?? []) } : {}),
  };
}
