/**
 * Whether two runs were measured in the same environment. Times depend on it: a speedup
 * (a ratio of two latencies measured in one run) depends on the server, its version and
 * its settings (an embedded server with a different shared_buffers, fsync or WAL level
 * turns the same two statements into a different ratio: measured, receipts' copy vs
 * single-autocommit gave 46.43x on testcontainers in CI and 12.79x on embedded here);
 * an absolute latency depends on the machine and Node as well. A speedup also depends on
 * the CPU model when one side is a sub-millisecond statement, whose time is mostly the
 * client round trip: unchanged code gave receipts' date-analysis materialized-vs-normalized
 * 134x on an AMD EPYC CI machine and 63x on an Intel Xeon one (the view read 0.25 vs 0.47 ms,
 * the normalized query 34 vs 30 ms), both testcontainers, PostgreSQL 17.12, same settings.
 */
import type { Fingerprint } from '../results/results-schema.ts';

/** 'server': what a speedup depends on (server, settings, CPU model); 'machine': what an absolute latency depends on. */
export type EnvironmentScope = 'server' | 'machine';

/** Why two fingerprints are not the same measuring environment ([] when they are). */
export function environmentDifferences(a: Fingerprint, b: Fingerprint, scope: EnvironmentScope = 'machine'): string[] {
  const diffs: string[] = [];
  const same = (label: string, x: unknown, y: unknown) => {
    if (JSON.stringify(x) !== JSON.stringify(y)) diffs.push(`${label}: ${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
  };
  same('provider', a.postgres.provider, b.postgres.provider);
  same('postgres version', a.postgres.version, b.postgres.version);
  const settings = [...new Set([...Object.keys(a.postgres.settings), ...Object.keys(b.postgres.settings)])].sort();
  const changed = settings.filter((s) => a.postgres.settings[s] !== b.postgres.settings[s]);
  if (changed.length) diffs.push(`server settings: ${changed.map((s) => `${s} ${a.postgres.settings[s] ?? '(unset)'} vs ${b.postgres.settings[s] ?? '(unset)'}`).join(', ')}`);
  same('cpu', a.machine.cpuModel, b.machine.cpuModel);
  same('cores', a.machine.cores, b.machine.cores);
  if (scope === 'machine') same('node', a.node, b.node);
  return diffs;
}
