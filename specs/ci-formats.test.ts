/**
 * The CI formats as the tools that read them expect: github-action-benchmark's custom
 * formats (`{ name, unit, value, range?, extra? }`, range an absolute ± in the value's
 * unit, names unique: the action keys history by name) and Bencher Metric Format (built-in
 * measures where they fit: latency in ns with bounds, throughput in rows/s, file-size).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../harness/project-root.ts';
import { bencherMetricFormat } from '../harness/report/bencher-format.ts';
import { githubActionBenchmarkBigger, githubActionBenchmarkSmaller } from '../harness/report/github-action-benchmark.ts';
import type { ResultsFile } from '../harness/results/results-schema.ts';
import { SAMPLE } from './helpers/sample-results.ts';

describe('github-action-benchmark', () => {
  it('latency in ms with an absolute range; speedups in x with the interval half-width', () => {
    const smaller = githubActionBenchmarkSmaller(SAMPLE);
    expect(smaller).toHaveLength(4);
    // mean 0.55 ms, rme 3%: ± 0.0165 ms.
    expect(smaller.find((e) => e.name === 'receipts/index/x[btree] (scale 1)')).toMatchObject({ unit: 'ms', value: 0.55, range: '± 0.0165' });
    expect(githubActionBenchmarkBigger(SAMPLE)[0]).toMatchObject({ unit: 'x', value: 8, range: '± 1' });
    for (const e of [...smaller, ...githubActionBenchmarkBigger(SAMPLE)]) expect(e.range).toMatch(/^± \d+(\.\d+)?(e-?\d+)?$/);
  });
});

describe('Bencher Metric Format', () => {
  it('latency in ns with bounds, throughput in rows/s when the case knows its rows, shared buffers', () => {
    const bmf = bencherMetricFormat(SAMPLE);
    expect(bmf['receipts/index/x[btree] (scale 1)']).toEqual({
      latency: { value: 550_000, lower_value: 533_500, upper_value: 566_500 },
      // 2000 rows per run, 0.55 ms per run.
      throughput: { value: (2000 * 1000) / 0.55 },
      'shared-buffers': { value: 1376 },
    });
    expect(bmf['receipts/storage/total-size[receipts] (scale 1)']).toEqual({ 'file-size': { value: 19_791_872 } });
    expect(bmf['receipts/safe-migration/step[safe:0004_backfill] (scale 1)']).toEqual({ 'duration-ms': { value: 10 } });
  });

  it('a case without rows per run: runs-per-second, not throughput', () => {
    const r = JSON.parse(JSON.stringify(SAMPLE)) as ResultsFile;
    delete r.cases[0]!.params.rows;
    const entry = bencherMetricFormat(r)[`${r.cases[0]!.name}[a] (scale 0.1)`]!;
    expect(entry.throughput).toBeUndefined();
    expect(entry['runs-per-second']!.value).toBeCloseTo(1000 / 1.1, 6);
  });

  it('one key per result of the committed baseline: nothing overwritten', () => {
    const baseline = JSON.parse(readFileSync(join(projectRoot(), 'benchmarks', 'baseline.json'), 'utf8')) as ResultsFile;
    const results = baseline.cases.length + baseline.comparisons.length + baseline.metrics.length;
    const keys = Object.keys(bencherMetricFormat(baseline)).length;
    const names = new Set(githubActionBenchmarkSmaller(baseline).map((e) => e.name)).size;
    // The committed baseline predates the rename of the store's index-fix candidates
    // ([after] -> [after-fix]): it still holds 3 duplicate cases until it is regenerated.
    const duplicates = baseline.cases.length - new Set(baseline.cases.map((c) => `${c.name}[${c.variant}]@${c.scale}`)).size;
    expect([keys, names]).toEqual([results - duplicates, baseline.cases.length - duplicates]);
  });
});
