/**
 * The gate's command line: exit 0 when nothing changed, 1 on a regression (named, with
 * the evidence), 2 on bad input (missing, corrupt or incomparable files), one line each.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ResultsFile } from '../harness/results/results-schema.ts';
import { runCli } from './helpers/run-tsx.ts';
import { SAMPLE } from './helpers/sample-results.ts';

const dir = mkdtempSync(join(tmpdir(), 'schemabench-gate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};
/** SAMPLE with every comparison passing (a comparison that failed in its run is a regression by itself). */
const clone = (): ResultsFile => {
  const c = JSON.parse(JSON.stringify(SAMPLE)) as ResultsFile;
  for (const comparison of c.comparisons) Object.assign(comparison, { passed: true, failures: [] });
  return c;
};
const gate = (baseline: string, results: string, ...extra: string[]) => runCli(['gate', '--baseline', baseline, '--results', results, ...extra]);

describe('schemabench gate', () => {
  const good = file('good.json', clone());

  it('passes unchanged results (exit 0)', async () => {
    const r = await gate(good, good);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/verdict: PASS/);
  });

  it('fails a changed plan, more buffers and a missing case (exit 1), naming each', async () => {
    const changed = clone();
    changed.cases[3]!.plan = { nodes: ['Aggregate', 'Seq Scan'], indexes: ['other_idx'], seqScans: [] };
    changed.cases[2]!.buffers = { hit: 5000, read: 0 };
    changed.cases.splice(0, 1);
    const r = await gate(good, file('changed.json', changed));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/REGRESSION\s+plan\s+receipts\/index\/x\[btree\] @ scale 1\s+plan changed: Aggregate > Seq Scan \[\]\s+->\s+Aggregate > Seq Scan \[other_idx\]/);
    expect(r.stdout).toMatch(/REGRESSION\s+buffers\s+receipts\/index\/x\[btree\] @ scale 0\.1\s+shared buffers 1376 -> 5000/);
    expect(r.stdout).toMatch(/REGRESSION\s+missing\s+evil\/<script>.*\[a\] @ scale 0\.1\s+case in the baseline, not in the results/);
    expect(r.stdout).toMatch(/verdict: REGRESSION \(3\)/);
  });

  it('skips speedups and latencies measured on another CPU model, saying why', async () => {
    const other = clone();
    other.fingerprint.machine.cpuModel = 'another cpu';
    other.comparisons[0]!.speedup = { estimate: 2, low: 1.8, high: 2.2 };
    other.cases[3]!.latency.p50 = 50;
    const r = await gate(good, file('other.json', other));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/skipped: speedups of \d+ comparisons?: measured on different servers \(cpu: "test cpu" vs "another cpu"\)/);
    expect(r.stdout).toMatch(/skipped: absolute latencies of 4 cases: the measuring environments differ \(cpu: "test cpu" vs "another cpu"\)/);
    expect(r.stdout).not.toMatch(/speedup\s+evil|latency\s+receipts/);
  });

  it('fails a comparison that failed its own assertion in the run', async () => {
    const r = await gate(good, file('sample.json', SAMPLE));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/REGRESSION\s+failed\s+receipts\/insert: copy vs unnest @ scale 1\s+failed in the run: too slow/);
  });

  it('reports an inconclusive verdict: information when the estimate held, a regression when it dropped', async () => {
    const held = clone();
    Object.assign(held.comparisons[0]!, { verdict: 'inconclusive', speedup: { estimate: 7, low: 4, high: 12 }, rounds: 20 });
    const r = await gate(good, file('inconclusive-held.json', held));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/INFO\s+inconclusive\s+evil.*inconclusive in the run \(20 rounds\): speedup 8\.00x \[7\.00, 9\.00\] -> 7\.00x \[4\.00, 12\.00\], estimate still clears its bar/);
    // A wide interval that still overlaps the baseline's must not hide a halved speedup.
    const dropped = clone();
    Object.assign(dropped.comparisons[0]!, { verdict: 'inconclusive', speedup: { estimate: 3.5, low: 1, high: 12 }, rounds: 20 });
    const d = await gate(good, file('inconclusive-dropped.json', dropped));
    expect(d.code).toBe(1);
    expect(d.stdout).toMatch(/REGRESSION\s+inconclusive\s+evil.*-> 3\.50x \[1\.00, 12\.00\], the estimate lost more than 50%/);
  });

  it('reports a new case without failing', async () => {
    const grown = clone();
    grown.cases.push({ ...grown.cases[3]!, name: 'receipts/new/case' });
    const r = await gate(good, file('grown.json', grown));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/INFO\s+new\s+receipts\/new\/case\[btree\] @ scale 1/);
  });

  /** SAMPLE's btree case as measured with its index, and the store workload beside receipts. */
  const withIndex = (): ResultsFile => {
    const c = clone();
    c.cases[3]!.plan = { nodes: ['Aggregate', 'Index Only Scan'], indexes: ['receipts_purchase_date_idx'], seqScans: [] };
    c.cases[3]!.buffers = { hit: 12, read: 0 };
    c.fingerprint.datasetDetails = { receipts: { schemaHash: 'a'.repeat(64), fixtures: '[1,{}]', rows: { receipts: 100_000, stores: 50 } } };
    return c;
  };
  const changedDataset = (c: ResultsFile, rows: Record<string, number>, hash = 'b'.repeat(64)) => {
    c.fingerprint.datasets = { receipts: 'receipts_ffff' };
    c.fingerprint.datasetDetails = { receipts: { schemaHash: hash, fixtures: '[1,{}]', rows } };
    return c;
  };

  it('changed dataset, index dropped: compares the cases anyway and fails naming the plan and buffers before and after (exit 1)', async () => {
    const dropped = changedDataset(withIndex(), { receipts: 100_000, stores: 50 });
    dropped.cases[3]!.plan = { nodes: ['Aggregate', 'Seq Scan'], indexes: [], seqScans: ['receipts'] };
    dropped.cases[3]!.buffers = { hit: 1376, read: 0 };
    const r = await gate(file('with-index.json', withIndex()), file('dropped.json', dropped));
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/dataset: the receipts dataset changed \(receipts_0123 -> receipts_ffff\): schema hash aaaaaaaaaaaa -> bbbbbbbbbbbb; plans, buffers and rows compared/);
    expect(r.stdout).toMatch(
      /REGRESSION\s+plan\s+receipts\/index\/x\[btree\] @ scale 1\s+plan changed: Aggregate > Index Only Scan \[receipts_purchase_date_idx\]\s+->\s+Aggregate > Seq Scan \[\] \(lost index receipts_purchase_date_idx; new seq scan on receipts; the receipts dataset changed\)/,
    );
    expect(r.stdout).toMatch(/REGRESSION\s+buffers\s+receipts\/index\/x\[btree\] @ scale 1\s+shared buffers 12 -> 1376/);
    expect(r.stdout).toMatch(/verdict: REGRESSION \(2\)/);
    const out = join(dir, 'dropped-report');
    const withReport = await runCli(['gate', '--baseline', file('with-index.json', withIndex()), '--results', file('dropped.json', dropped), '--report', out], { ...process.env, GITHUB_STEP_SUMMARY: '' });
    expect(withReport.code).toBe(1);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/_dataset: the receipts dataset changed \(receipts\\_0123 -&gt; receipts\\_ffff\): schema hash aaaaaaaaaaaa -&gt; bbbbbbbbbbbb; plans, buffers and rows compared_/);
  });

  it('changed dataset, an unrelated new table and its case: passes, saying how the dataset changed (exit 0)', async () => {
    const grown = changedDataset(withIndex(), { receipts: 100_000, stores: 50, loyalty_cards: 2000 });
    grown.cases.push({ ...grown.cases[3]!, name: 'receipts/loyalty/lookup', plan: { nodes: ['Index Scan'], indexes: ['loyalty_cards_pkey'], seqScans: [] } });
    const r = await gate(file('with-index.json', withIndex()), file('grown-table.json', grown));
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/dataset: the receipts dataset changed \(receipts_0123 -> receipts_ffff\): schema hash aaaaaaaaaaaa -> bbbbbbbbbbbb; new table loyalty_cards \(2000 rows\)/);
    expect(r.stdout).toMatch(/INFO\s+new\s+receipts\/loyalty\/lookup\[btree\] @ scale 1/);
    expect(r.stdout).toMatch(/verdict: PASS/);
  });

  it('changed dataset against a baseline without dataset details: still compared, saying what is unknown', async () => {
    const old = withIndex();
    delete old.fingerprint.datasetDetails;
    const dropped = changedDataset(withIndex(), { receipts: 100_000, stores: 50 });
    dropped.cases[3]!.plan = { nodes: ['Aggregate', 'Seq Scan'], indexes: [], seqScans: ['receipts'] };
    const r = await gate(file('old.json', old), file('dropped-2.json', dropped));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/the receipts dataset changed \(receipts_0123 -> receipts_ffff\): the baseline recorded no schema hash, fixtures or row counts/);
    expect(r.stdout).toMatch(/REGRESSION\s+plan\s+receipts\/index\/x\[btree\] @ scale 1/);
  });

  it('another provider: skips speedups with the reason (one line), passes unchanged plans (exit 0)', async () => {
    const other = clone();
    other.fingerprint.postgres = { version: '17.12 (Debian 17.12-0+deb13u1)', provider: 'testcontainers', settings: { jit: 'off', shared_buffers: '512MB' } };
    for (const c of other.comparisons) c.speedup = { estimate: c.speedup.estimate / 3, low: c.speedup.low / 3, high: c.speedup.high / 3 };
    const r = await gate(good, file('provider.json', other));
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(
      /skipped: speedups of 2 comparisons: measured on different servers \(provider: "embedded" vs "testcontainers"; postgres version: "17\.10" vs "17\.12 \(Debian 17\.12-0\+deb13u1\)"; server settings: shared_buffers \(unset\) vs 512MB\)/,
    );
    expect(r.stdout.match(/skipped: speedups/g)).toHaveLength(1);
    expect(r.stdout).not.toMatch(/speedup\s+evil/);
    expect(r.stdout).toMatch(/verdict: PASS/);
  });

  it('another provider: an inconclusive verdict is listed as information, not compared (exit 0)', async () => {
    const other = clone();
    other.fingerprint.postgres = { ...other.fingerprint.postgres, provider: 'testcontainers' };
    Object.assign(other.comparisons[0]!, { verdict: 'inconclusive', speedup: { estimate: 2, low: 1, high: 12 }, rounds: 20 });
    const r = await gate(good, file('provider-inconclusive.json', other));
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/INFO\s+inconclusive\s+evil.*inconclusive in the run \(20 rounds\): speedup 2\.00x \[1\.00, 12\.00\]; not compared with the baseline \(another server\)/);
    expect(r.stdout).toMatch(/skipped: speedups of 2 comparisons: measured on different servers \(provider: "embedded" vs "testcontainers"\)/);
  });

  it('the same provider: a halved speedup still fails (exit 1)', async () => {
    const halved = clone();
    halved.comparisons[0]!.speedup = { estimate: 3.5, low: 3.2, high: 3.8 };
    const r = await gate(good, file('halved.json', halved));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/REGRESSION\s+speedup\s+evil.*speedup 8\.00x \[7\.00, 9\.00\] -> 3\.50x \[3\.20, 3\.80\]/);
    expect(r.stdout).not.toMatch(/skipped: speedups/);
  });

  it('judges only the workloads the results cover, saying which were not judged', async () => {
    const both = clone();
    both.fingerprint.datasets = { receipts: 'receipts_0123', store: 'store_0123' };
    both.cases.push({ ...both.cases[3]!, workload: 'store', name: 'store/catalog/recs' });
    both.comparisons.push({ ...both.comparisons[0]!, workload: 'store', name: 'store/catalog: a vs b' });
    const r = await gate(file('both.json', both), good);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/not judged: workload store: not in the results \(1 case, 1 comparison, 0 metrics of the baseline not judged\)/);
    expect(r.stdout).not.toMatch(/missing/);
  });

  it('a run without the scaling cases at other scales: those are missing, not bad input (exit 1)', async () => {
    const filtered = clone();
    filtered.cases = filtered.cases.filter((c) => c.scale === 1);
    filtered.comparisons = [];
    filtered.metrics = [];
    const r = await gate(good, file('filtered.json', filtered));
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/REGRESSION\s+missing\s+receipts\/index\/x\[btree\] @ scale 0\.1\s+case in the baseline, not in the results/);
  });

  it('another seed stays bad input even when the dataset changed (exit 2)', async () => {
    const seed = changedDataset(clone(), { receipts: 1 });
    seed.fingerprint.seed = 7;
    const r = await gate(good, file('seed.json', seed));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/baseline seed 1 vs results seed 7/);
  });

  it('--report DIR writes report.md and report.html with the verdict first, and appends report.md to $GITHUB_STEP_SUMMARY', async () => {
    const summary = join(dir, 'step-summary.md');
    writeFileSync(summary, 'earlier step\n');
    const changed = clone();
    changed.cases[2]!.buffers = { hit: 5000, read: 0 };
    const out = join(dir, 'gated');
    const r = await runCli(['gate', '--baseline', good, '--results', file('gated.json', changed), '--report', out], { ...process.env, GITHUB_STEP_SUMMARY: summary });
    expect(r.code).toBe(1);
    const { readFileSync } = await import('node:fs');
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toMatch(/^## schemabench: REGRESSION\n/);
    expect(md).toMatch(/gate against .*good\.json: REGRESSION, 1 regression, 0 improvements, 0 new/);
    expect(md).toMatch(/\| \*\*regression\*\* \| buffers \| receipts\/index\/x\\\[btree\\\] @ scale 0\.1 \| shared buffers 1376 -&gt; 5000/);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(/<section class="verdict fail"><h2>REGRESSION<\/h2>/);
    expect(readFileSync(summary, 'utf8')).toBe(`earlier step\n${md.trimEnd()}\n\n`);
  });

  const BAD: [string, () => string[], RegExp][] = [
    ['a missing file', () => [join(dir, 'nope.json'), good], /--baseline .*nope\.json: no such file/],
    ['corrupt JSON', () => [file('corrupt.json', '{"schemaVersion": 1, "cases": ['), good], /--baseline .*corrupt\.json: not valid JSON/],
    ['another schema version', () => [file('v2.json', { ...clone(), schemaVersion: 2 }), good], /results schemaVersion 2; this schemabench reads 1/],
    ['not a results file', () => [file('other.json', { hello: 'world' }), good], /not a schemabench results file/],
    ['another scale', () => [good, file('scale.json', { ...clone(), fingerprint: { ...clone().fingerprint, scale: 10 }, cases: clone().cases.map((c) => ({ ...c, scale: c.scale * 10 })) })], /baseline was measured at scale 0\.1,1, results at scale 1,10/],
    ['no scale in common', () => [good, file('scale-2.json', { ...clone(), cases: clone().cases.map((c) => ({ ...c, scale: c.scale * 3 })) })], /baseline was measured at scale 0\.1,1, results at scale 0\.3.*,3/],
    ['no workload in common', () => [good, file('store.json', { ...clone(), fingerprint: { ...clone().fingerprint, datasets: { store: 'store_0123' } }, cases: [], comparisons: [], metrics: [] })], /no workload in common: the baseline has receipts, the results store/],
    ['no --results', () => [good], /--results FILE is required/],
  ];
  it.each(BAD)('%s: exit 2 with a one-line error', async (_name, files, message) => {
    const [baseline, results] = files();
    const r = await runCli(['gate', '--baseline', baseline!, ...(results ? ['--results', results] : [])]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });
});

describe('schemabench merge', () => {
  it('merges shards into one results file, and refuses shards of different seeds (exit 2)', async () => {
    const all = clone();
    const a = { ...clone(), cases: all.cases.slice(0, 2), comparisons: all.comparisons.slice(0, 1), metrics: [] };
    const b = { ...clone(), cases: all.cases.slice(2), comparisons: all.comparisons.slice(1) };
    const details = { schemaHash: 'c'.repeat(64), fixtures: '[2,{}]', rows: { receipts: 100 } };
    b.fingerprint = { ...b.fingerprint, datasets: { ...b.fingerprint.datasets, store: 'store_0123' }, datasetDetails: { store: details } };
    const out = join(dir, 'merged.json');
    const r = await runCli(['merge', '--out', out, file('a.json', a), file('b.json', b)]);
    expect(r.code, r.stderr).toBe(0);
    const merged = JSON.parse((await import('node:fs')).readFileSync(out, 'utf8')) as ResultsFile;
    expect([merged.cases.length, merged.comparisons.length, merged.metrics.length]).toEqual([4, 2, 3]);
    expect(merged.fingerprint.datasetDetails).toEqual({ store: details });
    const same = await gate(file('all.json', all), out);
    expect(same.code, same.stdout).toBe(0);
    const otherSeed = { ...b, fingerprint: { ...b.fingerprint, seed: 99 } };
    const bad = await runCli(['merge', '--out', out, file('a2.json', a), file('b2.json', otherSeed)]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/merge: seeds differ \(1 vs 99\)/);
  });

  it('refuses a name measured in two files (exit 2), naming both', async () => {
    const all = clone();
    const a = file('dup-a.json', { ...all, cases: all.cases.slice(0, 3) });
    const b = file('dup-b.json', { ...all, cases: all.cases.slice(2), comparisons: [], metrics: [] });
    const r = await runCli(['merge', '--out', join(dir, 'dup.json'), a, b]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/merge: case receipts\/index\/x\[btree\] at scale 0\.1 is measured in both .*dup-a\.json and .*dup-b\.json/);
  });
});
