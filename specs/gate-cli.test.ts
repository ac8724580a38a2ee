/**
 * The gate's command line: exit 0 when nothing regressed, 1 on a regression (named by its
 * cause, with the evidence), 2 on bad input (missing, corrupt or incomparable files), one
 * line each. The rules themselves are the judge's (specs/judge-modes.test.ts); here, what
 * the gate adds across runs (speedup drift, servers and machines that differ, workloads not
 * judged) and what the command writes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { judge } from '../harness/judge/judge.ts';
import { judgementText } from '../harness/judge/judgement-text.ts';
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
/** The gate's terminal text, judged in this process (the rules are pure). */
const judged = (baseline: ResultsFile, results: ResultsFile, latency: 'auto' | 'off' = 'auto') => {
  const j = judge({ command: 'gate', base: baseline, head: results, sides: { base: { ref: 'baseline.json', commit: '' }, head: { ref: 'results.json', commit: '' } }, latency });
  return { j, text: judgementText(j).replace(/\n {4,}/g, ' ') };
};

describe('schemabench gate', () => {
  const good = file('good.json', clone());

  it('passes unchanged results (exit 0), fails a regression (exit 1) naming its cause', async () => {
    const same = await gate(good, good);
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout.split('\n')[0]).toBe('schemabench gate: PASS; nothing changed');
    const changed = clone();
    changed.cases[3]!.plan = { nodes: ['Aggregate', 'Seq Scan'], indexes: ['other_idx'], seqScans: [] };
    changed.cases[2]!.buffers = { hit: 5000, read: 0 };
    changed.cases.splice(0, 1);
    const r = await gate(good, file('changed.json', changed));
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe('schemabench gate: REGRESSION (2); 1 improvement');
    const text = r.stdout.replace(/\n {4,}/g, ' ');
    expect(text).toMatch(/REGRESSION {2}case receipts\/index\/x\[btree\] \(receipts, scale 0\.1\)\n {2}case receipts\/index\/x\[btree\]: shared buffers 1,376 -> 5,000/);
    expect(text).toMatch(/REGRESSION {2}case evil\/<script>.*\[a\] \(receipts, scale 0\.1\)\n {2}case evil.*: case measured before, not now: coverage dropped/);
    expect(text).toMatch(/improvement {2}case receipts\/index\/x\[btree\] \(receipts, scale 1\)\n {2}case receipts\/index\/x\[btree\]: now uses other_idx/);
  });

  it('skips speedups and latencies measured on another CPU model, saying why', () => {
    const other = clone();
    other.fingerprint.machine.cpuModel = 'another cpu';
    other.comparisons[0]!.speedup = { estimate: 2, low: 1.8, high: 2.2 };
    other.cases[3]!.latency.p50 = 50;
    const { j, text } = judged(clone(), other);
    expect(j.verdict).toBe('pass');
    expect(text).toMatch(/note: skipped: speedups of 2 comparisons: measured on different servers \(cpu: "test cpu" vs "another cpu"\)/);
    expect(text).toMatch(/note: skipped: absolute latencies of 4 cases: the measuring environments differ \(cpu: "test cpu" vs "another cpu"\)/);
  });

  it('a comparison that failed its own assertion in the run is a regression; failing in both files too, it is FAILING', () => {
    const { j, text } = judged(clone(), SAMPLE);
    expect(j.verdict).toBe('regression');
    expect(text).toMatch(/comparison receipts\/insert: copy vs unnest: passed before, fails now: too slow/);
    expect(judged(SAMPLE, SAMPLE).j.verdict).toBe('failing');
  });

  it('an inconclusive verdict is always listed; a regression when its estimate lost more than half the baseline', () => {
    const held = clone();
    Object.assign(held.comparisons[0]!, { verdict: 'inconclusive', speedup: { estimate: 7, low: 4, high: 12 }, rounds: 20 });
    const h = judged(clone(), held);
    expect(h.j.verdict).toBe('pass');
    expect(h.text).toMatch(/\n {2}comparison evil.*: inconclusive: 7\.00x \[4\.00, 12\.00\] straddles its bar >= 5\.00x \(before 8\.00x \[7\.00, 9\.00\], pass\)/);
    // A wide interval that still overlaps the baseline's must not hide a halved speedup.
    const dropped = clone();
    Object.assign(dropped.comparisons[0]!, { verdict: 'inconclusive', speedup: { estimate: 3.5, low: 1, high: 12 }, rounds: 20 });
    const d = judged(clone(), dropped);
    expect(d.j.verdict).toBe('regression');
    expect(d.text).toMatch(/speedup 8\.00x \[7\.00, 9\.00\] -> 3\.50x \[1\.00, 12\.00\]: lost more than 50%/);
  });

  /** SAMPLE's btree case as measured with its index. */
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

  it('changed dataset, index dropped: the cases compared anyway, one regression naming plan and buffers before and after (exit 1, --report too)', async () => {
    const dropped = changedDataset(withIndex(), { receipts: 100_000, stores: 50 });
    dropped.cases[3]!.plan = { nodes: ['Aggregate', 'Seq Scan'], indexes: [], seqScans: ['receipts'] };
    dropped.cases[3]!.buffers = { hit: 1376, read: 0 };
    const out = join(dir, 'dropped-report');
    const r = await runCli(['gate', '--baseline', file('with-index.json', withIndex()), '--results', file('dropped.json', dropped), '--report', out], { ...process.env, GITHUB_STEP_SUMMARY: '' });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe('schemabench gate: REGRESSION (1); 1 other change');
    const text = r.stdout.replace(/\n {4,}/g, ' ');
    expect(text).toMatch(/REGRESSION {2}index receipts_purchase_date_idx no longer used \(receipts, scale 1\)/);
    expect(text).toMatch(/no longer uses receipts_purchase_date_idx; sequential scan of receipts \(100,000 rows\); shared buffers 12 -> 1,376/);
    expect(text).toMatch(/changed {2}dataset receipts changed\n {2}dataset receipts: the receipts dataset changed \(receipts_0123 -> receipts_ffff\): schema hash aaaaaaaaaaaa -> bbbbbbbbbbbb; plans, buffers and rows compared/);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/\| \*\*regression\*\* \| index receipts\\_purchase\\_date\\_idx no longer used \(receipts, scale 1\) \|/);
  });

  it('changed dataset, an unrelated new table and its case: passes, saying how the dataset changed', () => {
    const grown = changedDataset(withIndex(), { receipts: 100_000, stores: 50, loyalty_cards: 2000 });
    grown.cases.push({ ...grown.cases[3]!, name: 'receipts/loyalty/lookup', plan: { nodes: ['Index Scan'], indexes: ['loyalty_cards_pkey'], seqScans: [] } });
    const { j, text } = judged(withIndex(), grown);
    expect(j.verdict).toBe('pass');
    expect(text).toMatch(/the receipts dataset changed \(receipts_0123 -> receipts_ffff\): schema hash aaaaaaaaaaaa -> bbbbbbbbbbbb; new table loyalty_cards \(2000 rows\)/);
    expect(text).toMatch(/case receipts\/loyalty\/lookup\[btree\]: new case: not measured before/);
  });

  it('changed dataset against a baseline without dataset details: still compared, saying what is unknown', () => {
    const old = withIndex();
    delete old.fingerprint.datasetDetails;
    const dropped = changedDataset(withIndex(), { receipts: 100_000, stores: 50 });
    dropped.cases[3]!.plan = { nodes: ['Aggregate', 'Seq Scan'], indexes: [], seqScans: ['receipts'] };
    const { j, text } = judged(old, dropped);
    expect(j.verdict).toBe('regression');
    expect(text).toMatch(/the receipts dataset changed \(receipts_0123 -> receipts_ffff\): the baseline recorded no schema hash, fixtures or row counts/);
  });

  it('another provider: speedups skipped with the reason (one line), unchanged plans pass; an inconclusive verdict still listed', () => {
    const other = clone();
    other.fingerprint.postgres = { version: '17.12 (Debian 17.12-0+deb13u1)', provider: 'testcontainers', settings: { jit: 'off', shared_buffers: '512MB' } };
    for (const c of other.comparisons) c.speedup = { estimate: c.speedup.estimate / 3, low: c.speedup.low / 3, high: c.speedup.high / 3 };
    const { j, text } = judged(clone(), other);
    expect(j.verdict).toBe('pass');
    expect(text).toMatch(
      /skipped: speedups of 2 comparisons: measured on different servers \(provider: "embedded" vs "testcontainers"; postgres version: "17\.10" vs "17\.12 \(Debian 17\.12-0\+deb13u1\)"; server settings: shared_buffers \(unset\) vs 512MB\)/,
    );
    expect(text.match(/skipped: speedups/g)).toHaveLength(1);
    Object.assign(other.comparisons[0]!, { verdict: 'inconclusive', speedup: { estimate: 2, low: 1, high: 12 }, rounds: 20 });
    expect(judged(clone(), other).text).toMatch(/comparison evil.*: inconclusive: 2\.00x \[1\.00, 12\.00\] straddles its bar/);
  });

  it('the same provider: a halved speedup fails', () => {
    const halved = clone();
    halved.comparisons[0]!.speedup = { estimate: 3.5, low: 3.2, high: 3.8 };
    const { j, text } = judged(clone(), halved);
    expect(j.verdict).toBe('regression');
    expect(text).toMatch(/speedup 8\.00x \[7\.00, 9\.00\] -> 3\.50x \[3\.20, 3\.80\]: lost more than 50%/);
    expect(text).not.toMatch(/skipped: speedups/);
  });

  it('judges only the workloads the results cover, saying which were not judged', () => {
    const both = clone();
    both.fingerprint.datasets = { receipts: 'receipts_0123', store: 'store_0123' };
    both.cases.push({ ...both.cases[3]!, workload: 'store', name: 'store/catalog/recs' });
    both.comparisons.push({ ...both.comparisons[0]!, workload: 'store', name: 'store/catalog: a vs b', baseline: 'store/catalog/recs[btree]', candidate: 'store/catalog/recs[btree]' });
    const { j, text } = judged(both, clone());
    expect(j.verdict).toBe('pass');
    expect(text).toMatch(/not judged: workload store is not in the results \(1 case, 1 comparison, 0 metrics of the baseline\)/);
    expect(text).not.toMatch(/coverage dropped/);
  });

  it('a run without the scaling cases at other scales: those are removed, a regression, not bad input', () => {
    const filtered = clone();
    filtered.cases = filtered.cases.filter((c) => c.scale === 1);
    filtered.comparisons = [];
    filtered.metrics = [];
    const { j, text } = judged(clone(), filtered);
    expect(j.verdict).toBe('regression');
    expect(text).toMatch(/case receipts\/index\/x\[btree\]: case measured before, not now: coverage dropped/);
  });

  it('--report DIR writes report.md and report.html with the verdict first, and appends report.md to $GITHUB_STEP_SUMMARY; --markdown FILE', async () => {
    const summary = join(dir, 'step-summary.md');
    writeFileSync(summary, 'earlier step\n');
    const changed = clone();
    changed.cases[2]!.buffers = { hit: 5000, read: 0 };
    const out = join(dir, 'gated');
    const markdown = join(dir, 'gate.md');
    const r = await runCli(['gate', '--baseline', good, '--results', file('gated.json', changed), '--report', out, '--markdown', markdown], { ...process.env, GITHUB_STEP_SUMMARY: summary });
    expect(r.code).toBe(1);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toMatch(/^## schemabench: REGRESSION\n/);
    expect(md).toMatch(/gate against .*good\.json: REGRESSION \(1\)/);
    expect(md).toMatch(/\| \*\*regression\*\* \| case receipts\/index\/x\\\[btree\\\] \(receipts, scale 0\.1\) \| case receipts\/index\/x\\\[btree\\\]: shared buffers 1,376 -&gt; 5,000/);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(/<section class="verdict fail"><h2>REGRESSION<\/h2>/);
    expect(readFileSync(markdown, 'utf8')).toMatch(/^<!-- schemabench-gate -->\n## ❌ schemabench gate: REGRESSION \(1\)/);
    expect(readFileSync(summary, 'utf8').startsWith(`earlier step\n${md.trimEnd()}\n\n`)).toBe(true);
  });

  const BAD: [string, () => string[], RegExp][] = [
    ['a missing file', () => [join(dir, 'nope.json'), good], /--baseline .*nope\.json: no such file/],
    ['corrupt JSON', () => [file('corrupt.json', '{"schemaVersion": 1, "cases": ['), good], /--baseline .*corrupt\.json: not valid JSON/],
    ['another schema version', () => [file('v2.json', { ...clone(), schemaVersion: 2 }), good], /results schemaVersion 2; this schemabench reads 1/],
    ['not a results file', () => [file('other.json', { hello: 'world' }), good], /not a schemabench results file/],
    ['a name measured twice', () => [file('twice.json', { ...clone(), cases: [...clone().cases, clone().cases[0]!] }), good], /case evil.*\[a\] at scale 0\.1 is measured twice in/],
    ['a comparison of a case the file lacks', () => [good, file('dangling.json', { ...clone(), comparisons: [{ ...clone().comparisons[0]!, candidate: 'gone[x]' }] })], /comparison .* names case gone\[x\], which the file does not have/],
    ['another scale', () => [good, file('scale.json', { ...clone(), fingerprint: { ...clone().fingerprint, scale: 10 }, cases: clone().cases.map((c) => ({ ...c, scale: c.scale * 10 })), comparisons: clone().comparisons.map((c) => ({ ...c, scale: 10 })) })], /baseline was measured at scale 0\.1,1, results at scale 1,10/],
    ['another seed', () => [good, file('seed.json', { ...clone(), fingerprint: { ...clone().fingerprint, seed: 7 } })], /baseline seed 1 vs results seed 7/],
    ['no workload in common', () => [good, file('store.json', { ...clone(), fingerprint: { ...clone().fingerprint, datasets: { store: 'store_0123' } }, cases: [], comparisons: [], metrics: [] })], /no workload in common: the baseline has receipts, the results store/],
    ['no --results', () => [good], /--results FILE is required/],
  ];
  it.concurrent.each(BAD)('%s: exit 2 with a one-line error', async (_name, files, message) => {
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
    const a = { ...clone(), cases: all.cases.slice(0, 2), comparisons: [], metrics: [] };
    const b = { ...clone(), cases: all.cases.slice(2), comparisons: all.comparisons.slice(0, 0) };
    const details = { schemaHash: 'c'.repeat(64), fixtures: '[2,{}]', rows: { receipts: 100 } };
    b.fingerprint = { ...b.fingerprint, datasets: { ...b.fingerprint.datasets, store: 'store_0123' }, datasetDetails: { store: details } };
    const out = join(dir, 'merged.json');
    const r = await runCli(['merge', '--out', out, file('a.json', a), file('b.json', b)]);
    expect(r.code, r.stderr).toBe(0);
    const merged = JSON.parse(readFileSync(out, 'utf8')) as ResultsFile;
    expect([merged.cases.length, merged.comparisons.length, merged.metrics.length]).toEqual([4, 0, 3]);
    expect(merged.fingerprint.datasetDetails).toEqual({ store: details });
    const otherSeed = { ...b, fingerprint: { ...b.fingerprint, seed: 99 } };
    const bad = await runCli(['merge', '--out', out, file('a2.json', a), file('b2.json', otherSeed)]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/merge: seeds differ \(1 vs 99\)/);
  });

  it('refuses a name measured in two files (exit 2), naming both', async () => {
    const all = clone();
    const a = file('dup-a.json', { ...all, cases: all.cases.slice(0, 3), comparisons: [] });
    const b = file('dup-b.json', { ...all, cases: all.cases.slice(2), comparisons: [], metrics: [] });
    const r = await runCli(['merge', '--out', join(dir, 'dup.json'), a, b]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/merge: case receipts\/index\/x\[btree\] at scale 0\.1 is measured in both .*dup-a\.json and .*dup-b\.json/);
  });
});
