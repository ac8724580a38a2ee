/**
 * The CI formats as the tools that read them expect: github-action-benchmark's custom
 * formats (`{ name, unit, value, range?, extra? }`, range an absolute ± in the value's
 * unit, names unique: the action keys history by name) and Bencher Metric Format (built-in
 * measures where they fit: latency in ns with bounds, throughput in rows/s, file-size).
 * Every run shape (one server, `--pg 17,18`, `--scales`), loads included, passes the
 * readers' own checks: the action's zod schema (src/extract.ts, `BenchmarkResult`) and
 * Bencher's BMF JSON schema (bencher.dev/bmf.json, with its limits on names and slugs).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tagWithVersion } from '../harness/results/tag-with-version.ts';
import { projectRoot } from '../harness/project-root.ts';
import { bencherMetricFormat, metricMeasure } from '../harness/report/bencher-format.ts';
import { githubActionBenchmarkBigger, githubActionBenchmarkSmaller } from '../harness/report/github-action-benchmark.ts';
import { mergeResults } from '../harness/results/merge-results.ts';
import type { LoadResult, ResultsFile } from '../harness/results/results-schema.ts';
import { BmfFile, GabFile, resultCount } from './helpers/ci-readers.ts';
import { SAMPLE } from './helpers/sample-results.ts';

const LOAD: LoadResult = {
  name: 'receipts/load/hot-row',
  workload: 'receipts',
  scale: 1,
  mode: 'closed',
  rate: null,
  intervalMs: 1000,
  intervals: 4,
  variants: ['hot-row', 'sharded-4'].map((variant, i) => ({
    variant,
    clients: 4,
    intervalThroughput: [100, 110, 90, 100].map((t) => t * (i + 1)),
    lockWaits: null,
    transactions: [{ name: 'all', throughput: 100 * (i + 1), latency: { mean: 2, p50: 1.5, p95: 4, p99: 9 / (i + 1), p999: 12, max: 20, n: 400 }, errors: {}, retries: 0, late: 0, skipped: 0 }],
  })),
  ratios: [
    { metric: 'throughput', transaction: 'all', numerator: 'sharded-4', denominator: 'hot-row', ratio: { estimate: 2, low: 1.8, high: 2.2 }, threshold: 1.2, verdict: 'pass', passed: true },
    { metric: 'p99', transaction: 'all', numerator: 'hot-row', denominator: 'sharded-4', ratio: { estimate: 2, low: 1.5, high: 2.6 }, threshold: null, verdict: null, passed: true },
  ],
  passed: true,
  failures: [],
};

const WITH_LOAD: ResultsFile = { ...SAMPLE, loads: [LOAD] };

/** A `run --pg 17,18` as version-matrix-run.ts writes it: each major's results tagged, then merged. */
function versionMatrixRun(): ResultsFile {
  const on = (version: string): ResultsFile => tagWithVersion({ ...WITH_LOAD, fingerprint: { ...WITH_LOAD.fingerprint, postgres: { ...WITH_LOAD.fingerprint.postgres, version } } });
  return mergeResults([on('17.10'), on('18.1')], ['pg-17/results.json', 'pg-18/results.json']);
}

describe('every run shape passes the readers and keeps one series per result', () => {
  const shapes: [string, ResultsFile][] = [
    ['one server', WITH_LOAD],
    ['run --pg 17,18', versionMatrixRun()],
  ];
  it.each(shapes)('%s', (_shape, results) => {
    const smaller = GabFile.parse(JSON.parse(JSON.stringify(githubActionBenchmarkSmaller(results))));
    const bigger = GabFile.parse(JSON.parse(JSON.stringify(githubActionBenchmarkBigger(results))));
    const bmf = BmfFile.parse(JSON.parse(JSON.stringify(bencherMetricFormat(results))));
    // The action keys history by name within a file: no two entries share one.
    for (const file of [smaller, bigger]) expect(new Set(file.map((e) => e.name)).size).toBe(file.length);
    // Latencies and load p99s (smaller); speedups, load throughputs and load ratios (bigger).
    const loads = results.loads ?? [];
    expect(smaller).toHaveLength(results.cases.length + loads.reduce((n, l) => n + l.variants.length, 0));
    expect(bigger).toHaveLength(results.comparisons.length + loads.reduce((n, l) => n + l.variants.length + l.ratios.length, 0));
    // Bencher: one key per result (a load variant's throughput and p99 share its key), none overwritten.
    expect(Object.keys(bmf)).toHaveLength(resultCount(results));
    for (const measures of Object.values(bmf)) {
      for (const m of Object.values(measures)) {
        if (m.lower_value !== undefined) expect(m.lower_value).toBeLessThanOrEqual(m.value);
        if (m.upper_value !== undefined) expect(m.upper_value).toBeGreaterThanOrEqual(m.value);
      }
    }
  });

  it('--pg 17,18: the major in every name, the same names as one server otherwise', () => {
    const matrix = versionMatrixRun();
    const names = githubActionBenchmarkSmaller(matrix).map((e) => e.name);
    expect(names).toContain('receipts/index/x[btree] (scale 1, PostgreSQL 17)');
    expect(names).toContain('receipts/index/x[btree] (scale 1, PostgreSQL 18)');
    expect(names.filter((n) => !/, PostgreSQL 1[78]\)$/.test(n))).toEqual([]);
    expect(Object.keys(bencherMetricFormat(matrix))).toContain('receipts/load/hot-row[sharded-4] (scale 1, PostgreSQL 18)');
    // One server: names as before (a one-major --pg run too), so the history goes on.
    expect(githubActionBenchmarkSmaller(WITH_LOAD)[3]!.name).toBe('receipts/index/x[btree] (scale 1)');
    expect(githubActionBenchmarkSmaller(tagWithVersion(WITH_LOAD))[3]!.name).toBe('receipts/index/x[btree] (scale 1)');
  });

  it('loads: throughput with its interval over the measured intervals, p99, and ratios with their bounds', () => {
    const bmf = bencherMetricFormat(WITH_LOAD);
    const sharded = bmf['receipts/load/hot-row[sharded-4] (scale 1)']!;
    // Intervals 200, 220, 180, 200 tx/s: mean 200, sd 16.33, t(0.975, 3) = 3.182: ± 25.98.
    expect(sharded.throughput!.value).toBe(200);
    expect(sharded.throughput!.upper_value! - 200).toBeCloseTo(25.98, 1);
    expect(sharded['latency-p99']).toEqual({ value: 4.5 });
    expect(bmf['receipts/load/hot-row: throughput sharded-4 / hot-row (all) (scale 1)']).toEqual({ 'load-ratio': { value: 2, lower_value: 1.8, upper_value: 2.2 } });
    const bigger = githubActionBenchmarkBigger(WITH_LOAD);
    expect(bigger.find((e) => e.name === 'receipts/load/hot-row[sharded-4] throughput (scale 1)')).toMatchObject({ unit: 'tx/s', value: 200, range: expect.stringMatching(/^± 25\.98/) });
    expect(githubActionBenchmarkSmaller(WITH_LOAD).find((e) => e.name === 'receipts/load/hot-row[hot-row] p99 (scale 1)')).toMatchObject({ unit: 'ms', value: 9 });
  });

  it('every Bencher measure written is one docs/ci.md documents', () => {
    const docs = readFileSync(join(projectRoot(), 'docs', 'ci.md'), 'utf8');
    const documented = new Set([...docs.matchAll(/^\| `([a-z0-9-]+)`/gm)].map((m) => m[1]!));
    const baseline = JSON.parse(readFileSync(join(projectRoot(), 'benchmarks', 'baseline.json'), 'utf8')) as ResultsFile;
    const units = new Set(['bytes', 'ms', 'ratio', 'bool', 'rows', 'statements', 'transactions', 'bytes/row', ...baseline.metrics.map((m) => m.unit)]);
    const written = new Set([...Object.values(bencherMetricFormat(versionMatrixRun())).flatMap((m) => Object.keys(m)), ...[...units].map(metricMeasure)]);
    expect([...written].filter((slug) => !documented.has(slug))).toEqual([]);
  });
});

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
    const withoutLoads = { ...baseline, loads: [] };
    const loadsOnly = { ...baseline, cases: [], comparisons: [], metrics: [] };
    const keys = (r: ResultsFile) => Object.keys(bencherMetricFormat(r)).length;
    const names = (r: ResultsFile) => new Set(githubActionBenchmarkSmaller(r).map((e) => e.name)).size;
    expect(new Set(baseline.cases.map((c) => `${c.name}[${c.variant}]@${c.scale}`)).size).toBe(baseline.cases.length);
    expect(baseline.loads?.length ?? 0).toBeGreaterThan(0);
    // One key per case, comparison and metric; the loads' keys (variants, ratios) beside them, none shared.
    expect(keys(withoutLoads)).toBe(results);
    expect(keys(baseline)).toBe(results + keys(loadsOnly));
    expect(names(baseline)).toBe(baseline.cases.length + names(loadsOnly));
  });
});
