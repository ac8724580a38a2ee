/**
 * The version matrix without a server: option parsing (one-line errors, exit 2),
 * version-aware plan expectations, profile settings a major lacks, tagging and merging
 * results of several majors, and the matrix report (decision changes first, escaped).
 * The same path on real servers: version-matrix-run.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { checkPlan, expectationFor, type PlanExpectation } from '../harness/bench/plan-expectation.ts';
import type { PlanSummary } from '../harness/bench/explain-plan.ts';
import { pgVersionsOption } from '../harness/cli/version-matrix-run.ts';
import { tagWithVersion } from '../harness/results/tag-with-version.ts';
import { profileForMajor, type ProfileSetting } from '../harness/postgres/benchmark-profile.ts';
import { imageForMajor, majorOf, parsePgMajors } from '../harness/postgres/postgres-versions.ts';
import { versionMatrix, versionMatrixHtml, versionMatrixMarkdown, versionMatrixText } from '../harness/report/version-matrix.ts';
import { mergeResults } from '../harness/results/merge-results.ts';
import type { CaseResult, ComparisonResult, ResultsFile } from '../harness/results/results-schema.ts';
import { runCli } from './helpers/run-tsx.ts';
import { HOSTILE, SAMPLE } from './helpers/sample-results.ts';

const plan = (indexes: string[], seqScans: string[]): PlanSummary => ({
  mode: 'chosen',
  nodes: ['Aggregate', seqScans.length ? 'Seq Scan' : 'Bitmap Heap Scan'],
  relations: ['receipts'],
  indexes,
  seqScans,
  rows: 1,
  buffers: { hit: 100, read: 0 },
  executionMs: 1,
  tree: { type: 'Aggregate', rows: 1 },
});

describe('--pg and SCHEMABENCH_PG_VERSIONS', () => {
  it('parses majors 14-18 in the order given and refuses anything else', () => {
    expect(parsePgMajors('14,15,16,17,18')).toEqual([14, 15, 16, 17, 18]);
    expect(parsePgMajors('18, 17')).toEqual([18, 17]);
    expect(() => parsePgMajors('13,17')).toThrow(/--pg must be PostgreSQL majors from 14, 15, 16, 17, 18 \(got "13"\)/);
    expect(() => parsePgMajors('17,17')).toThrow(/lists a major twice/);
    expect(pgVersionsOption(undefined, { SCHEMABENCH_PG_VERSIONS: '17,18' })).toEqual([17, 18]);
    expect(pgVersionsOption(undefined, {})).toBeUndefined();
    expect(() => pgVersionsOption(undefined, { SCHEMABENCH_PG_VERSIONS: '17,x' })).toThrow(/^SCHEMABENCH_PG_VERSIONS must be/);
  });

  it('names the image of a major and reads the major of a server_version', () => {
    expect(imageForMajor('postgres:17', 18)).toBe('postgres:18');
    expect(imageForMajor('schemabench/postgres:17', 14)).toBe('schemabench/postgres:14');
    expect(imageForMajor('registry.local:5000/pg', 16)).toBe('registry.local:5000/pg:16');
    expect(majorOf('15.18 (Debian 15.18-0+deb12u1)')).toBe(15);
    expect(majorOf('18.4')).toBe(18);
  });

  it.concurrent.each([
    { name: '--pg 13', args: ['--pg', '13'], message: /--pg must be PostgreSQL majors from 14/ },
    { name: '--pg with the url provider', args: ['--pg', '17,18', '--provider', 'url'], message: /--pg starts one server per version; the url provider/ },
    { name: '--pg with --scales', args: ['--pg', '17,18', '--scales', '0.1,1'], message: /give --pg or --scales, not both/ },
  ])('run, $name: exit 2 with one line, before any server starts', async ({ args, message }) => {
    const result = await runCli(['run', ...args], { ...process.env, DATABASE_URL: 'postgres://u:secret@127.0.0.1:1/db' });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('version-aware plan expectations', () => {
  const expectation: PlanExpectation = { seqScanOn: 'receipts', fromVersion: { 18: { usesIndex: 'receipts_vendor_date_idx', noSeqScanOn: 'receipts' } } };

  it('applies the entry of the greatest major not above the server, else the base', () => {
    expect(expectationFor(expectation, 14)).toEqual({ seqScanOn: 'receipts' });
    expect(expectationFor(expectation, 17)).toEqual({ seqScanOn: 'receipts' });
    expect(expectationFor(expectation, 18)).toEqual({ usesIndex: 'receipts_vendor_date_idx', noSeqScanOn: 'receipts', mode: undefined });
    expect(expectationFor({ mode: 'usable', fromVersion: { 15: { usesIndex: 'a' }, 17: { usesIndex: 'b' } } }, 16)).toEqual({ usesIndex: 'a', mode: 'usable' });
  });

  it('fails a plan that does not match its version, and passes one that does', () => {
    const seq = plan([], ['receipts']);
    const idx = plan(['receipts_vendor_date_idx'], []);
    expect(checkPlan('c', seq, expectationFor(expectation, 17))).toEqual([]);
    expect(checkPlan('c', idx, expectationFor(expectation, 18))).toEqual([]);
    expect(checkPlan('c', seq, expectationFor(expectation, 18))).toEqual([
      expect.stringMatching(/c should use index receipts_vendor_date_idx/),
      expect.stringMatching(/c should not Seq Scan receipts/),
    ]);
    expect(checkPlan('c', idx, expectationFor(expectation, 17))).toEqual([expect.stringMatching(/c should Seq Scan receipts/)]);
  });
});

describe('profile settings a major lacks', () => {
  it('leaves them out with a reason naming the setting and the major that added it', () => {
    const profile: ProfileSetting[] = [
      { name: 'jit', value: 'off', why: 'x' },
      { name: 'io_method', value: 'sync', why: 'y', since: 18 },
    ];
    expect(profileForMajor(18, profile)).toEqual({ settings: profile, skipped: [] });
    expect(profileForMajor(17, profile)).toEqual({
      settings: [profile[0]],
      skipped: ['io_method=sync skipped: PostgreSQL 17 has no such setting (added in 18)'],
    });
  });
});

/** One major's results, as a run on that server writes them (not yet tagged). */
function runOn(version: string, candidate: Pick<CaseResult, 'plan' | 'buffers'>, speedup: ComparisonResult['speedup']): ResultsFile {
  const base = SAMPLE.cases[2]!;
  const seq: CaseResult = { ...base, name: 'w/q', variant: 'seq-scan', scale: 1 };
  const cand: CaseResult = { ...base, ...candidate, name: 'w/q', variant: 'composite', scale: 1 };
  const same: CaseResult = { ...base, name: HOSTILE, variant: 'same', scale: 1 };
  return {
    ...SAMPLE,
    fingerprint: { ...SAMPLE.fingerprint, postgres: { ...SAMPLE.fingerprint.postgres, version } },
    cases: [same, seq, cand],
    comparisons: [
      { name: HOSTILE, workload: 'receipts', baseline: `${HOSTILE}[same]`, candidate: `${HOSTILE}[same]`, scale: 1, speedup: { estimate: 1, low: 0.95, high: 1.05 }, threshold: null, rounds: 10, bufferRatio: 1, passed: true, failures: [] },
      { name: 'w/q: composite vs seq-scan', workload: 'receipts', baseline: 'w/q[seq-scan]', candidate: 'w/q[composite]', scale: 1, speedup, threshold: null, rounds: 10, bufferRatio: null, passed: true, failures: [] },
    ],
    metrics: [],
    skipped: version.startsWith('16') ? [{ name: 'w/q[cold] [scale=1]', workload: 'receipts', scale: 1, reason: 'cold cache needs pg_buffercache_evict(), added in PostgreSQL 17; this server is 16.14' }] : undefined,
  };
}

describe('results of several majors', () => {
  const seqPlan = { plan: { nodes: ['Aggregate', 'Seq Scan'], indexes: [], seqScans: ['receipts'] }, buffers: { hit: 1376, read: 0 } };
  const idxPlan = { plan: { nodes: ['Aggregate', 'Bitmap Heap Scan'], indexes: ['receipts_vendor_date_idx'], seqScans: [] }, buffers: { hit: 919, read: 0 } };
  const merged = mergeResults([
    tagWithVersion(runOn('16.14', seqPlan, { estimate: 1, low: 0.97, high: 1.03 })),
    tagWithVersion(runOn('17.10', seqPlan, { estimate: 1.01, low: 0.98, high: 1.04 })),
    tagWithVersion(runOn('18.4', idxPlan, { estimate: 4.7, low: 4, high: 5.4 })),
  ]);

  it('keeps every case once per version, tagged, with each server recorded', () => {
    expect(merged.cases).toHaveLength(9);
    expect(merged.comparisons).toHaveLength(6);
    expect(new Set(merged.cases.map((c) => c.pgVersion))).toEqual(new Set(['16.14', '17.10', '18.4']));
    expect(merged.servers!.map((s) => s.version)).toEqual(['16.14', '17.10', '18.4']);
    expect(merged.skipped).toEqual([expect.objectContaining({ pgVersion: '16.14', reason: expect.stringMatching(/PostgreSQL 17/) })]);
  });

  it('puts the rows where a decision changes first and says what changes', () => {
    const m = versionMatrix(merged)!;
    expect(m.majors).toEqual([16, 17, 18]);
    expect(m.comparisons.map((r) => [r.label, r.rank])).toEqual([
      ['w/q: composite vs seq-scan [scale=1]', 0],
      [`${HOSTILE} [scale=1]`, 2],
    ]);
    expect(m.comparisons[0]!.changes).toEqual([
      'verdict: 16 no clear difference / 17 no clear difference / 18 faster',
      'candidate plan: 16 seq scan receipts / 17 seq scan receipts / 18 index receipts_vendor_date_idx',
    ]);
    expect(m.cases[0]!.label).toBe('w/q[composite] [scale=1]');
    expect(m.cases[0]!.changes).toEqual([
      'plan: 16 seq scan receipts / 17 seq scan receipts / 18 index receipts_vendor_date_idx',
      'shared buffers: 16 1,376 / 17 1,376 / 18 919',
    ]);
    expect(m.skipped).toEqual([{ major: 16, name: 'w/q[cold] [scale=1]', reason: expect.stringMatching(/this server is 16\.14/) }]);
  });

  it('renders the matrix in the terminal, report.md and report.html, escaping names', () => {
    const text = versionMatrixText(merged);
    expect(text).toMatch(/Version matrix \(PostgreSQL 16, 17, 18\)/);
    expect(text.indexOf('w/q: composite vs seq-scan')).toBeLessThan(text.indexOf(HOSTILE));
    expect(text).toMatch(/4\.70x \[4\.00, 5\.40\]\s+CHANGES/);
    expect(text).toMatch(/PostgreSQL 16: w\/q\[cold\] \[scale=1\]: cold cache needs/);
    const md = versionMatrixMarkdown(merged);
    expect(md).toMatch(/\| PostgreSQL 16 \| PostgreSQL 17 \| PostgreSQL 18 \| change \|/);
    expect(md).not.toContain('<script>');
    const html = versionMatrixHtml(merged);
    expect(html).toContain('<section id="version-matrix">');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
  });

  it('is empty for a run on one version (older results files stay valid)', () => {
    expect(versionMatrix(SAMPLE)).toBeUndefined();
    expect(versionMatrixText(SAMPLE)).toBe('');
    expect(versionMatrixMarkdown(SAMPLE)).toBe('');
  });
});
