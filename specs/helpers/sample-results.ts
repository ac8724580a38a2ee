/** A small results file with every section filled, and a hostile case name. */
import type { CaseResult, ResultsFile } from '../../harness/results/results-schema.ts';

export const HOSTILE = `evil/<script>alert("x")</script>'quote"`;

function caseAt(name: string, variant: string, scale: number, p50: number): CaseResult {
  return {
    name,
    workload: 'receipts',
    variant,
    params: { scale, rows: 2000 },
    scale,
    cache: 'warm',
    latency: { mean: p50 * 1.1, p50, p99: p50 * 2, rme: 3, n: 100 },
    plan: {
      nodes: ['Aggregate', 'Seq Scan'],
      indexes: [],
      seqScans: ['receipts'],
      tree: { type: 'Aggregate', rows: 1, buffers: { hit: 1376, read: 0 }, children: [{ type: 'Seq Scan', relation: 'receipts', rows: 100_000, buffers: { hit: 1376, read: 0 } }] },
    },
    buffers: { hit: 1376, read: 0 },
    rows: 1,
  };
}

export const SAMPLE: ResultsFile = {
  schemaVersion: 1,
  createdAt: '2026-11-23T12:00:00.000Z',
  fingerprint: {
    postgres: { version: '17.10', provider: 'embedded', settings: { jit: 'off' } },
    machine: { cpuModel: 'test cpu', cores: 2, memoryGiB: 24, platform: 'linux' },
    node: 'v20.20.2',
    packages: { tinybench: '6.2.3' },
    datasets: { receipts: 'receipts_0123' },
    scale: 1,
    seed: 1,
    gitCommit: null,
  },
  cases: [caseAt(HOSTILE, 'a', 0.1, 1), caseAt(HOSTILE, 'a', 1, 9.5), caseAt('receipts/index/x', 'btree', 0.1, 0.4), caseAt('receipts/index/x', 'btree', 1, 0.5)],
  comparisons: [
    { name: HOSTILE, workload: 'receipts', baseline: `${HOSTILE}[a]`, candidate: 'receipts/index/x[btree]', scale: 1, speedup: { estimate: 8, low: 7, high: 9 }, threshold: 5, rounds: 10, bufferRatio: 1.5, passed: true, failures: [] },
    { name: 'receipts/insert: copy vs unnest', workload: 'receipts', baseline: `${HOSTILE}[a]`, candidate: 'receipts/index/x[btree]', scale: 1, speedup: { estimate: 1.1, low: 0.9, high: 1.3 }, threshold: 1.2, rounds: 10, bufferRatio: null, passed: false, failures: ['too slow'] },
  ],
  metrics: [
    { name: 'receipts/storage/total-size[receipts]', workload: 'receipts', value: 19_791_872, unit: 'bytes', scale: 1, params: { rows: 100000 } },
    { name: 'receipts/safe-migration/step[naive:0006_add_consolidated_at]', workload: 'receipts', value: 120, unit: 'ms', scale: 1, params: { recipe: 'naive', step: '0006', durationMs: 180, lockModes: 'AccessExclusiveLock', accessExclusiveMs: 100, longestLockWaitMs: 100 } },
    { name: 'receipts/safe-migration/step[safe:0004_backfill]', workload: 'receipts', value: 10, unit: 'ms', scale: 1, params: { recipe: 'safe', step: '0004', durationMs: 2000, lockModes: 'RowExclusiveLock', accessExclusiveMs: 0, longestLockWaitMs: 0 } },
  ],
};

