/**
 * Merging results of shards, scales or server versions: same seed required; the first
 * file's fingerprint is kept. A result's key includes its scale and, in a version
 * matrix, its server version (`pgVersion`), so the same case on 17 and 18 stays twice.
 */
import { UsageError } from '../errors.ts';
import type { ResultsFile } from './results-schema.ts';

export function mergeResults(files: ResultsFile[]): ResultsFile {
  const [first, ...rest] = files;
  if (!first) throw new UsageError('merge: nothing to merge');
  for (const f of rest) {
    if (f.fingerprint.seed !== first.fingerprint.seed) throw new UsageError(`merge: seeds differ (${first.fingerprint.seed} vs ${f.fingerprint.seed})`);
  }
  const unique = <T>(items: T[], key: (t: T) => string) => [...new Map(items.map((i) => [key(i), i])).values()];
  const pg = (r: { pgVersion?: string }) => (r.pgVersion === undefined ? '' : `@pg${r.pgVersion}`);
  const skipped = files.flatMap((f) => f.skipped ?? []);
  const servers = files.flatMap((f) => f.servers ?? []);
  return {
    ...first,
    createdAt: new Date().toISOString(),
    fingerprint: { ...first.fingerprint, datasets: Object.assign({}, ...files.map((f) => f.fingerprint.datasets)) },
    cases: unique(files.flatMap((f) => f.cases), (c) => `${c.name}[${c.variant}]@${c.scale}${pg(c)}`),
    comparisons: unique(files.flatMap((f) => f.comparisons), (c) => `${c.name}@${c.scale}${pg(c)}`),
    metrics: unique(files.flatMap((f) => f.metrics ?? []), (m) => `${m.name}@${m.scale}${pg(m)}`),
    ...(skipped.length ? { skipped: unique(skipped, (s) => `${s.name}@${s.scale}${pg(s)}`) } : {}),
    ...(servers.length ? { servers: unique(servers, (s) => `${s.provider} ${s.version}`) } : {}),
  };
}
