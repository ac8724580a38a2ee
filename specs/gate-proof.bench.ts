/**
 * Proof that the regression gate neither flakes nor misses (issue: CI regression gate).
 * It measures for real, so it runs with the benchmarks (alone on the machine):
 *  - A/A: 21 runs of unchanged cases; the gate of run 0 against each of the 20 others
 *    must pass at least 19 times;
 *  - an index the suite relies on, dropped: the gate fails naming the case, with the
 *    plan and buffer evidence;
 *  - COPY switched to batched INSERTs: the gate fails naming the comparison's speedup.
 */
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { finished } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineCase, type BenchmarkCase, type CaseContext } from '../harness/bench/benchmark-case.ts';
import type { SuiteEnvironment } from '../harness/bench/case-session.ts';
import { ResultsCollector } from '../harness/bench/results-collector.ts';
import { runComparison } from '../harness/bench/run-comparison.ts';
import { copyDataset, ensureDataset, type Dataset } from '../harness/fixtures/dataset-cache.ts';
import { judge } from '../harness/judge/judge.ts';
import { judgementText } from '../harness/judge/judgement-text.ts';
import { machineFingerprint, serverFingerprint } from '../harness/report/fingerprint.ts';
import { mergeParts } from '../harness/results/results-file.ts';
import type { Fingerprint, ResultsFile } from '../harness/results/results-schema.ts';
import { suiteServer } from '../harness/bench/suite-server.ts';
import { loadWorkload } from '../harness/workloads/load-workload.ts';

const receiptsWorkload = await loadWorkload('receipts');
/** The gate's judgement of `results` against `baseline`, as `schemabench gate` makes it. */
const gateResults = (baseline: ResultsFile, results: ResultsFile) => judge({ command: 'gate', base: baseline, head: results, sides: { base: { ref: 'baseline', commit: '' }, head: { ref: 'run', commit: '' } } });
const formatGate = (j: ReturnType<typeof gateResults>) => judgementText(j).replace(/\n {4,}/g, ' ');
import { tableColumns } from '../harness/fixtures/derived/table-columns.ts';
import { receipts } from '../schema/receipts/normalized.ts';

const SCALE = 0.2;
const quick = { rounds: 5, roundMs: 20, warmupIterations: 2 };
const ROWS = 500;

const week = { text: 'SELECT count(*), sum(total_amount) FROM receipts WHERE purchase_date BETWEEN $1 AND $2', values: ['2024-06-03', '2024-06-09'] };
const seqScan = defineCase({ name: 'gate/purchase-date', workload: 'receipts', variant: 'seq-scan', statement: week, settings: { enable_indexscan: 'off', enable_indexonlyscan: 'off', enable_bitmapscan: 'off' } });
const btree = defineCase({ ...seqScan, variant: 'btree', settings: {} });

/** receipts' columns from its Drizzle definition (plain names: no quoting needed). */
const COLUMNS = tableColumns(receipts);
const rowsOf = new WeakMap<pg.Client, string[][]>();
async function insertSetup(ctx: CaseContext) {
  await ctx.client.query('CREATE TABLE IF NOT EXISTS gate_insert (LIKE receipts INCLUDING ALL)');
  const { rows } = await ctx.client.query({ text: `SELECT ${COLUMNS.map((c) => `${c}::text`).join(', ')} FROM receipts ORDER BY id LIMIT $1`, values: [ROWS], rowMode: 'array' });
  rowsOf.set(ctx.client, rows as string[][]);
}
const COLS = COLUMNS.join(', ');
async function multiRow(ctx: CaseContext, batch: number) {
  const rows = rowsOf.get(ctx.client)!;
  for (let start = 0; start < rows.length; start += batch) {
    const part = rows.slice(start, start + batch);
    const n = COLUMNS.length;
    const tuples = part.map((_, r) => `(${Array.from({ length: n }, (__, c) => `$${r * n + c + 1}`).join(', ')})`);
    await ctx.client.query(`INSERT INTO gate_insert (${COLS}) VALUES ${tuples.join(', ')}`, part.flat());
  }
  return rows.length;
}
async function copy(ctx: CaseContext) {
  const rows = rowsOf.get(ctx.client)!;
  const stream = ctx.client.query(copyFrom(`COPY gate_insert (${COLS}) FROM STDIN`));
  stream.end(rows.map((r) => r.join('\t')).join('\n') + '\n');
  await finished(stream);
  return rows.length;
}
const insertBase = { name: 'gate/insert', workload: 'receipts', setup: insertSetup, beforeEach: (ctx: CaseContext) => ctx.client.query('TRUNCATE gate_insert').then(() => undefined) };
const multiRowCase = defineCase({ ...insertBase, variant: 'multi-row', run: (ctx) => multiRow(ctx, ROWS) });
const copyCase = defineCase({ ...insertBase, variant: 'copy', run: copy });
/** The injected regression: "COPY" that really sends batched INSERTs of 25 rows. */
const copyAsBatchedInserts = defineCase({ ...copyCase, run: (ctx) => multiRow(ctx, 25) });

describe('regression gate on real measurements', () => {
  const server = suiteServer();
  let dataset: Dataset;
  let fingerprint: Omit<Fingerprint, 'datasets'>;
  const drops: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    dataset = await ensureDataset(server, { workload: receiptsWorkload, scale: SCALE, seed: server.seed });
    fingerprint = { postgres: await serverFingerprint(server.connectionUri, server.provider), ...machineFingerprint(), scale: SCALE, seed: server.seed };
  });
  afterAll(async () => {
    for (const d of drops) await d();
  });

  async function environment(mutate?: (c: pg.Client) => Promise<void>): Promise<SuiteEnvironment> {
    const copyDb = await copyDataset(server, dataset, 'gatespec');
    drops.push(copyDb.drop);
    if (mutate) {
      const c = new pg.Client({ connectionString: copyDb.uri });
      await c.connect();
      await mutate(c).finally(() => c.end());
    }
    return { uri: copyDb.uri, scale: SCALE, seed: server.seed };
  }

  async function run(env: SuiteEnvironment, cases: { index: [BenchmarkCase, BenchmarkCase]; insert: [BenchmarkCase, BenchmarkCase] }): Promise<ResultsFile> {
    const collector = new ResultsCollector('benchmarks/harness/gate.bench.ts', 'receipts');
    collector.datasetKey = dataset.key;
    // The runs record what they measure; a failed assertion inside is the gate's business.
    await runComparison({ baseline: cases.index[0], candidate: cases.index[1], measure: quick }, env, collector).catch(() => undefined);
    await runComparison({ baseline: cases.insert[0], candidate: cases.insert[1], measure: quick }, env, collector).catch(() => undefined);
    return mergeParts([{ file: collector.file, workload: 'receipts', datasetKey: dataset.key, cases: collector.cases, comparisons: collector.comparisons, metrics: [] }], fingerprint);
  }

  const unchanged = { index: [seqScan, btree] as [BenchmarkCase, BenchmarkCase], insert: [multiRowCase, copyCase] as [BenchmarkCase, BenchmarkCase] };
  let baseline: ResultsFile;

  it('passes an A/A comparison (unchanged code) in at least 19 of 20 runs', async () => {
    const env = await environment();
    // One run to warm the copy's pages and the server's caches, as any CI job's first suite does.
    await run(env, unchanged);
    baseline = await run(env, unchanged);
    let passed = 0;
    const failures: string[] = [];
    for (let i = 0; i < 20; i++) {
      const report = gateResults(baseline, await run(env, unchanged));
      if (report.verdict === 'pass') passed++;
      else failures.push(formatGate(report));
    }
    console.log(`A/A: the gate passed ${passed}/20 runs${failures.length ? `; failures:\n${failures.join('\n')}` : ''}`);
    expect(passed).toBeGreaterThanOrEqual(19);
  });

  it('fails when an index the suite relies on is dropped, naming the case and its plan and buffers', async () => {
    const env = await environment((c) => c.query('DROP INDEX receipts_purchase_date_idx').then(() => undefined));
    const report = gateResults(baseline, await run(env, unchanged));
    expect(report.verdict).toBe('regression');
    const text = formatGate(report);
    // One cause: the index the case no longer uses, with its plan and buffers before and after.
    expect(text).toMatch(/REGRESSION {2}index receipts_purchase_date_idx no longer used \(receipts, scale 0\.2\)/);
    expect(text).toMatch(/case gate\/purchase-date\[btree\]: no longer uses receipts_purchase_date_idx.*shared buffers [\d,]+ -> [\d,]+/);
    expect(text).toMatch(/indexes receipts_purchase_date_idx -> none; seq scans none -> receipts; plan .* -> .*Seq Scan/);
  });

  it('fails when COPY is switched to batched INSERTs, naming the comparison and its speedup', async () => {
    const env = await environment();
    const report = gateResults(baseline, await run(env, { ...unchanged, insert: [multiRowCase, copyAsBatchedInserts] }));
    expect(report.verdict).toBe('regression');
    // Batched INSERTs of 25 rows against one multi-row INSERT: below 1x in earlier runs, 1.01x [0.74, 1.37]
    // measured with a CPU hog (issue 16); the baseline is ~3x, so the drop is caught either way.
    expect(formatGate(report)).toMatch(/comparison gate\/insert: copy vs multi-row: speedup \d+\.\d+x \[[\d.]+, [\d.]+\] -> [01]\.\d+x/);
  });
});
