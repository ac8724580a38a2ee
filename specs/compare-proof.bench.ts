/**
 * `schemabench compare` judged on real changes, in a scratch git repository made of this
 * project's own files (specs/helpers/scratch-project.ts): base is its first commit, head
 * its working tree after the change. Each run starts its own server, as a user's would.
 *
 * SCHEMABENCH_COMPARE_RUNS repeats the A/A and latency proofs (default 1 in CI;
 * scripts/compare/proofs.sh runs 20 and prints the figures in docs/ci.md). Required:
 * A/A exits 0 in at least 95% of the runs, the CPU change (1.5x through testcontainers,
 * more on embedded) is detected in 95%.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rowsSnapshot } from './helpers/sample-snapshot.ts';
import { scratchProject, type ScratchProject } from './helpers/scratch-project.ts';
import { judge } from '../harness/judge/judge.ts';
import { regressionCount, type Judgement } from '../harness/judge/judgement.ts';
import { deterministicFindings } from './helpers/judge-evidence.ts';
import { loadResults } from '../harness/results/load-results.ts';
import { PACKAGE_ROOT } from '../harness/package-root.ts';
import { describeRun, runEnvironment } from '../harness/run-descriptor.ts';
import { collect, spawnTsx } from './helpers/run-tsx.ts';

const RUNS = Number(process.env.SCHEMABENCH_COMPARE_RUNS ?? 1);
const SCALE = '0.1';
/**
 * The A/A run: in CI the store /catalog cases at 0.1; scripts/compare/proofs.sh runs both
 * workloads at 0.3 with every load benchmark (SCHEMABENCH_COMPARE_AA=all@0.3).
 */
const [AA_WORKLOAD = 'store', AA_SCALE = SCALE] = (process.env.SCHEMABENCH_COMPARE_AA ?? '').split('@').filter(Boolean);
const AA_FILTER = process.env.SCHEMABENCH_COMPARE_AA ? [] : ['--filter', '/catalog'];
/** A folder: each A/A run's judgement (compare --json) and both sides' results are kept there, to study the latency rule's calibration. */
const KEEP = process.env.SCHEMABENCH_COMPARE_KEEP;

async function compare(project: ScratchProject, args: string[], scale = SCALE): Promise<{ code: number | null; report: Judgement | undefined; stderr: string }> {
  const out = await project.cli(['compare', '--base', 'HEAD', '--scale', scale, '--json', '--out', '.schemabench/compare', ...args]);
  let report: Judgement | undefined;
  try {
    report = JSON.parse(out.stdout) as Judgement;
  } catch {
    report = undefined;
  }
  return { code: out.code, report, stderr: out.stderr };
}



/** A case of its own, committed on base, that head makes costlier per row without changing its plan. */
const PROOF_BENCH = `import { benchmarkSuite, defineCase } from 'schemabench';

benchmarkSuite('receipts', ({ measure }) => {
  measure(defineCase({ name: 'receipts/compare-proof/spend', workload: 'receipts', variant: 'seq-scan', statement: { text: 'SELECT count(*), sum(total_amount) FROM receipts CROSS JOIN generate_series(1, 4)' } }));
  measure(defineCase({ name: 'receipts/compare-proof/vendors', workload: 'receipts', variant: 'seq-scan', statement: { text: 'SELECT count(*) FROM vendors' } }));
});
`;
/**
 * Same plan (Aggregate over receipts and a 4-row series), same buffers and rows; more
 * arithmetic per row. One `+ 0` read only 1.26x through testcontainers (docs/ci.md): two make
 * a change clear of the 1.15 bar. Each receipt summed four times keeps the case above 1 ms on
 * a fast CPU too, where a case under it is judged as round trips (a 2x bar).
 */
const COSTLIER = `sum(total_amount + 0 + 0)`;

/** Add a migration file to receipts the way drizzle-kit would: the SQL and its journal entry. */
function addReceiptsMigration(project: ScratchProject, tag: string, sql: string): void {
  const journalFile = 'migrations/receipts/meta/_journal.json';
  const journal = JSON.parse(readFileSync(join(project.dir, journalFile), 'utf8')) as { entries: { idx: number; when: number }[] };
  const last = journal.entries.at(-1)!;
  journal.entries.push({ idx: last.idx + 1, version: '7', when: last.when + 1000, tag, breakpoints: true } as never);
  project.write(journalFile, `${JSON.stringify(journal, null, 2)}\n`);
  project.write(`migrations/receipts/${tag}.sql`, sql);
}

/** Base with the proof's cases, head with one new migration (and a statistics snapshot when given); compare on a case the migration leaves alone. */
async function compareMigration(tag: string, sql: string, snapshot?: string) {
  const project = scratchProject();
  try {
    project.write('benchmarks/receipts/compare-proof.bench.ts', PROOF_BENCH);
    project.commit('a case of its own');
    addReceiptsMigration(project, tag, sql);
    if (snapshot) project.write('fixtures/receipts/production-stats.json', snapshot);
    return await compare(project, ['--workload', 'receipts', '--filter', 'compare-proof/vendors']);
  } finally {
    project.remove();
  }
}

/** Everything that can make a verdict: the findings by cause, migration flags, notes. */
const summary = (r: Judgement | undefined) =>
  r
    ? [
        `verdict ${r.verdict}, overlaps ${r.overlaps}`,
        ...r.groups.flatMap((g) => [`${g.severity} ${g.cause}`, ...g.findings.map((f) => `  ${f.subject.type} ${f.subject.id}: ${f.kind}: ${f.message}`)]),
        ...r.migrations.map((m) => `migration ${m.file}: ${m.flags.length ? `flagged: ${m.flags.join('; ')}` : 'not flagged'}`),
        ...r.notes.map((n) => `note: ${n}`),
      ].join('\n')
    : '(no report)';

describe('schemabench compare on real changes', () => {
  it(`A/A: nothing changed exits 0, no measurements overlapped (${RUNS} run(s) of ${AA_WORKLOAD} at scale ${AA_SCALE}, at least 95%)`, async () => {
    const project = scratchProject();
    if (KEEP) mkdirSync(KEEP, { recursive: true });
    try {
      const codes: (number | null)[] = [];
      const highest: string[] = [];
      for (let i = 0; i < RUNS; i++) {
        // Nothing changed: --all, or compare would measure nothing (affected-files.ts).
        const r = await compare(project, ['--all', '--workload', AA_WORKLOAD, ...AA_FILTER], AA_SCALE);
        codes.push(r.code);
        if (KEEP) {
          writeFileSync(join(KEEP, `aa-run-${i + 1}.json`), `${JSON.stringify(r.report ?? null)}\n`);
          for (const side of ['base', 'head']) cpSync(join(project.dir, '.schemabench', 'compare', side, 'results.json'), join(KEEP, `aa-run-${i + 1}-${side}.json`));
        }
        if (r.code !== 0) console.log(`A/A run ${i + 1}: exit ${r.code}\n${summary(r.report)}\n${r.stderr.slice(-2000)}`);
        // Every measurement held its turn: none overlapped the other side's (loads included).
        const loads = (r.report?.loads ?? []).map((l) => `\n  ${l.subject.id}: ${(l.head?.ratios ?? []).map((x) => `${x.label} ${x.ratio.estimate.toFixed(2)}x [${x.ratio.low.toFixed(2)}, ${x.ratio.high.toFixed(2)}]`).join('; ')}`);
        console.log(`A/A run ${i + 1}: exit ${r.code}, overlapping measurements ${r.report?.overlaps}, ${loads.length} loads${loads.join('')}`);
        expect(r.report?.overlaps, summary(r.report)).toBe(0);
        // The calibration of the latency threshold: the highest low end of any case's interval.
        const top = r.report?.cases.filter((c) => c.latency).sort((a, b) => b.latency!.low - a.latency!.low)[0];
        if (top) highest.push(`${top.latency!.low.toFixed(3)} (${top.subject.id}, ${top.latency!.pairs} pairs)`);
      }
      console.log(`A/A: ${codes.filter((c) => c === 0).length}/${RUNS} runs exited 0; highest interval low end per run: ${highest.join(', ')}`);
      expect(codes.filter((c) => c === 0).length).toBeGreaterThanOrEqual(Math.ceil(0.95 * RUNS));
    } finally {
      project.remove();
    }
  });

  it('a schema change that drops carts_user_id_idx exits 1 with one grouped regression naming /catalog/recs, its plan and buffers; gate agrees on the same results', async () => {
    const project = scratchProject();
    try {
      project.edit('schema/store/normalized.ts', "(t) => [index('carts_user_id_idx').on(t.userId)],", '() => [],');
      const generated = await project.cli(['generate', '--workload', 'store']);
      expect(generated.code, generated.stderr).toBe(0);
      const r = await compare(project, ['--workload', 'store', '--filter', 'recs']);
      expect(r.code, `${summary(r.report)}\n${r.stderr.slice(-3000)}`).toBe(1);
      const recs = r.report!.cases.find((c) => c.subject.id === 'store/endpoint/catalog/recs[after]')!;
      expect(recs.base!.plan!.indexes).toContain('carts_user_id_idx');
      expect(recs.head!.plan!.indexes).not.toContain('carts_user_id_idx');
      expect(recs.head!.plan!.seqScans).toContain('carts');
      expect(recs.head!.buffers!).toBeGreaterThan(recs.base!.buffers!);
      const lost = recs.findings.find((f) => f.kind === 'index-lost')!;
      expect(lost.severity).toBe('regression');
      expect(lost.message).toMatch(/carts_user_id_idx/);
      expect(lost.evidence.join('; ')).toMatch(/buffers [\d,]+ -> [\d,]+/);
      // One thing went wrong: the cases that lost the index, the comparison and its test are one regression.
      expect(regressionCount(r.report!), summary(r.report)).toBe(1);
      expect(r.report!.groups[0]!.cause).toMatch(/^index carts_user_id_idx no longer used \(store, scale 0\.1\)$/);
      expect(r.report!.overlaps).toBe(0);
      // The same two results judged by gate (cross-run): the same deterministic findings.
      const [base, head] = ['base', 'head'].map((side) => loadResults(join(project.dir, '.schemabench/compare', side, 'results.json'), side)) as [ReturnType<typeof loadResults>, ReturnType<typeof loadResults>];
      const gate = judge({ command: 'gate', base, head, sides: { base: { ref: 'base', commit: '' }, head: { ref: 'head', commit: '' } } });
      expect(deterministicFindings(gate)).toEqual(deterministicFindings(r.report!));
      expect(gate.verdict).toBe('regression');
      console.log(summary(r.report));
    } finally {
      project.remove();
    }
  });

  it('a head that adds a comparison before existing ones: the existing cases agree on iterations, the new one is added; a test failing on both sides is FAILING, not PASS', async () => {
    const project = scratchProject();
    try {
      const suite = (extra: string) => `import { benchmarkSuite, defineCase } from 'schemabench';
import { expect } from 'vitest';

const vendors = defineCase({ name: 'receipts/agree/vendors', workload: 'receipts', variant: 'count', statement: { text: 'SELECT count(*) FROM vendors' } });
const spend = defineCase({ name: 'receipts/agree/spend', workload: 'receipts', variant: 'sum', statement: { text: 'SELECT sum(total_amount) FROM receipts' } });
const first = defineCase({ name: 'receipts/agree/first', workload: 'receipts', variant: 'min', statement: { text: 'SELECT min(id) FROM receipts' } });

benchmarkSuite('receipts', ({ compare, inspect }) => {
${extra}  compare({ name: 'receipts/agree: spend vs vendors', baseline: spend, candidate: vendors, sameAnswer: false });
  compare({ name: 'receipts/agree: first vs vendors', baseline: first, candidate: vendors, sameAnswer: false });
  inspect('receipts/agree/always-failing', async () => {
    expect(1, 'a test that fails on base and on head').toBe(2);
  });
});
`;
      project.write('benchmarks/receipts/agree.bench.ts', suite(''));
      project.commit('two comparisons and a failing test');
      project.write('benchmarks/receipts/agree.bench.ts', suite(`  compare({ name: 'receipts/agree: a new one first', baseline: spend, candidate: first, sameAnswer: false });\n`));
      const r = await compare(project, ['--workload', 'receipts', '--filter', 'receipts/agree']);
      const report = r.report!;
      expect(report, r.stderr.slice(-3000)).toBeDefined();
      expect(r.code, summary(report)).toBe(1);
      expect(report.verdict, summary(report)).toBe('failing');
      expect(report.alreadyFailing.join('\n')).toMatch(/receipts\/agree\/always-failing/);
      // Iterations are agreed by the case's label, not by the order of calls: the same on both sides.
      for (const id of ['receipts/agree/vendors[count]', 'receipts/agree/spend[sum]']) {
        const c = report.cases.find((x) => x.subject.id === id)!;
        expect(c.base!.iterations, id).toBeGreaterThan(0);
        expect(c.head!.iterations, id).toBe(c.base!.iterations);
      }
      expect(report.findings.filter((f) => f.kind === 'iterations-differ')).toEqual([]);
      expect(report.comparisons.find((c) => c.subject.id === 'receipts/agree: a new one first')!.status).toBe('added');
      expect(report.overlaps).toBe(0);
    } finally {
      project.remove();
    }
  });

  it('a fixtures change with no version bumped (a helper module the fixtures import): compare builds a new dataset and reports it per table', async () => {
    const project = scratchProject();
    try {
      project.write('benchmarks/receipts/compare-proof.bench.ts', PROOF_BENCH);
      project.commit('a case of its own');
      // 12 job sites -> 11: only people-and-sites.ts changes, imported by the receipts generator.
      project.edit('fixtures/receipts/people-and-sites.ts', 'export const JOB_SITE_COUNT = 12;', 'export const JOB_SITE_COUNT = 11;');
      const r = await compare(project, ['--workload', 'receipts', '--filter', 'compare-proof/vendors']);
      const report = r.report!;
      expect(report, r.stderr.slice(-3000)).toBeDefined();
      const [dataset] = report.datasets;
      expect(dataset?.workload, summary(report)).toBe('receipts');
      expect(dataset!.content).toBe('changed');
      expect(dataset!.before).not.toBe(dataset!.after);
      expect(dataset!.changes.join('; ')).toMatch(/source fixtures\/receipts\/people-and-sites\.ts changed/);
      const sites = dataset!.tables.find((t) => t.table === 'job_sites')!;
      expect([sites.before!.rows, sites.after!.rows]).toEqual([12, 11]);
      expect(report.findings.find((f) => f.kind === 'dataset-changed')!.message).toMatch(/job_sites rows 12 -> 11/);
    } finally {
      project.remove();
    }
  });

  it('a change that regresses only at production size is flagged with --plan-at production, and not without it (PostgreSQL 18)', async () => {
    const project = scratchProject();
    try {
      // Sorting every receipt by product: at 0.1 (10k rows) a Sort over a Seq Scan, whatever the
      // indexes; at 1,000x the rows the planner walks receipts_product_id_idx instead (Incremental Sort).
      project.write(
        'benchmarks/receipts/production-plan.bench.ts',
        `import { benchmarkSuite, defineCase } from 'schemabench';\n\nbenchmarkSuite('receipts', ({ measure }) => {\n  measure(defineCase({ name: 'receipts/production/by-product', workload: 'receipts', variant: 'sorted', statement: { text: 'SELECT id FROM receipts ORDER BY product_id, id' } }));\n});\n`,
      );
      // Production: this dataset's own statistics at 1,000 times its rows and pages (no such build here).
      const snapshot = await collect(spawnTsx(join(PACKAGE_ROOT, 'specs/helpers/scaled-snapshot.ts'), ['receipts', SCALE, '1000'], { ...process.env, ...runEnvironment(describeRun({}, {}, project.dir)) }));
      expect(snapshot.code, snapshot.stderr).toBe(0);
      project.commit('a production snapshot and a case that sorts receipts');
      addReceiptsMigration(project, '0003_drop_product_index', 'DROP INDEX "receipts_product_id_idx";\n');
      // Embedded: CI's Docker engine has an image of 17 only (no registry to pull 18 from). No
      // migration forecast: it is judged by its own proofs, and here it extrapolates DROP INDEX's
      // few-ms holds at 10k-100k rows to the snapshot's 10M, where a busy machine's noise made a
      // slope that flagged both runs on CI (341 ms [136, 858]).
      const args = ['--pg', '18', '--provider', 'embedded', '--forecast-scales', 'off', '--workload', 'receipts', '--filter', 'receipts/production'];
      const production = await compare(project, [...args, '--plan-at', 'production']);
      const report = production.report!;
      expect(production.code, `${summary(report)}\n${production.stderr.slice(-3000)}`).toBe(1);
      const sorted = report.cases.find((c) => c.subject.id === 'receipts/production/by-product[sorted]')!;
      expect(sorted.base!.plan!.indexes).toContain('receipts_product_id_idx');
      expect(sorted.findings.map((f) => `${f.kind} ${f.severity}`)).toContain('seq-scan-gained regression');
      const plain = await compare(project, args);
      expect(plain.code, `${summary(plain.report)}\n${plain.stderr.slice(-3000)}`).toBe(0);
      const unchanged = plain.report!.cases.find((c) => c.subject.id === 'receipts/production/by-product[sorted]')!;
      expect(unchanged.base!.plan!.indexes).toEqual([]);
      console.log(`production-only regression: with --plan-at production ${summary(report)}\nwithout: exit ${plain.code}, plan ${unchanged.head!.plan!.nodes.join(' > ')}`);
    } finally {
      project.remove();
    }
  });

  it(`a latency-only change (more CPU per row, same plan and buffers) exits 1 (${RUNS} run(s), at least 95%)`, async () => {
    const project = scratchProject();
    try {
      project.write('benchmarks/receipts/compare-proof.bench.ts', PROOF_BENCH);
      project.commit('a case of its own');
      project.edit('benchmarks/receipts/compare-proof.bench.ts', 'sum(total_amount)', COSTLIER);
      let detected = 0;
      const ratios: string[] = [];
      for (let i = 0; i < RUNS; i++) {
        const r = await compare(project, ['--workload', 'receipts', '--filter', 'compare-proof']);
        const spend = r.report?.cases.find((c) => c.subject.id === 'receipts/compare-proof/spend[seq-scan]');
        expect(spend, r.stderr.slice(-3000)).toBeDefined();
        // Same plan and buffers: only the latency can tell.
        expect(spend!.findings.map((f) => f.kind).filter((k) => k !== 'sql-changed' && k !== 'latency-up')).toEqual([]);
        const l = spend!.latency!;
        ratios.push(`${l.estimate.toFixed(2)}x [${l.low.toFixed(2)}, ${l.high.toFixed(2)}] (base p50 ${spend!.base!.p50.toFixed(2)} ms)`);
        if (r.code === 1 && spend!.findings.some((f) => f.kind === 'latency-up' && f.severity === 'regression')) detected++;
      }
      console.log(`latency-only change: detected in ${detected}/${RUNS} runs; head/base ${ratios.join(', ')}`);
      expect(detected).toBeGreaterThanOrEqual(Math.ceil(0.95 * RUNS));
    } finally {
      project.remove();
    }
  });

  it('a migration adding a column with a volatile default (a rewrite under ACCESS EXCLUSIVE) is flagged with its lock time: exit 1', async () => {
    const r = await compareMigration('0003_receipt_audit', 'ALTER TABLE "receipts" ADD COLUMN "audit_id" uuid DEFAULT gen_random_uuid();\n', JSON.stringify(rowsSnapshot({ receipts: 1_000_000 })));
    expect(r.code, `${JSON.stringify(r.report?.migrations, null, 2)}\n${r.stderr.slice(-3000)}`).toBe(1);
    const [trace] = r.report!.migrations;
    expect(trace!.file).toBe('0003_receipt_audit.sql');
    const receipts = trace!.locks.find((l) => l.table === 'receipts')!;
    expect(receipts).toMatchObject({ mode: 'AccessExclusiveLock', rewritten: true });
    expect(trace!.flags.join('\n')).toMatch(/rewrites receipts \(\d+ rows\) under AccessExclusiveLock held/);
    console.log(`volatile default: ${trace!.flags.join('; ')}; worst client wait ${trace!.worstClientWaitMs.toFixed(0)} ms`);
    // Traced again at 0.1, 0.3 and 1, twice each, and predicted at production's 1,000,000 receipts (the snapshot's reltuples).
    const forecast = trace!.forecast!;
    expect(forecast).toMatchObject({ at: { source: 'snapshot', file: 'fixtures/receipts/production-stats.json' }, scales: [0.1, 0.3, 1], runs: 2, rewrites: [{ table: 'receipts', rows: 1_000_000 }] });
    expect(forecast.duration.points.map((p) => p.rows).sort((a, b) => a - b)).toEqual([10_000, 10_000, 30_000, 30_000, 100_000, 100_000]);
    expect(forecast.locks[0]).toMatchObject({ table: 'receipts', mode: 'AccessExclusiveLock', held: { rows: 1_000_000 } });
    // A rewrite of 1,000,000 rows holds ACCESS EXCLUSIVE far past migrationLockMs (100 ms) even at its interval's low end.
    expect(trace!.flags.join('\n')).toMatch(/at production size \(receipts 1,000,000 rows\): predicted to hold AccessExclusiveLock on receipts for /);
    console.log(`volatile default at production size: ${JSON.stringify(forecast.locks[0]!.held)}`);
  });

  it('the same change written safely (nullable column, batched backfill) is not flagged: exit 0', async () => {
    const batches = [0, 1, 2, 3].map((k) => `UPDATE "receipts" SET "audit_id" = gen_random_uuid() WHERE "id" % 4 = ${k};`);
    const r = await compareMigration('0003_receipt_audit', ['ALTER TABLE "receipts" ADD COLUMN "audit_id" uuid;', ...batches].join('\n--> statement-breakpoint\n'));
    expect(r.code, `${JSON.stringify(r.report?.migrations, null, 2)}\n${summary(r.report)}\n${r.stderr.slice(-3000)}`).toBe(0);
    const [trace] = r.report!.migrations;
    expect(trace!.flags).toEqual([]);
    const receipts = trace!.locks.find((l) => l.table === 'receipts')!;
    expect(receipts.rewritten).toBe(false);
    // Every row backfilled, batch by batch.
    expect(trace!.rowsTouched).toBe(receipts.rows);
    console.log(`safe backfill: ${trace!.statements} statements, ${trace!.rowsTouched} rows, ${trace!.durationMs.toFixed(0)} ms, worst client wait ${trace!.worstClientWaitMs.toFixed(0)} ms`);
    // No snapshot: predicted at scale 10 (ten times the largest traced), shown and never flagged; every row backfilled there too.
    expect(trace!.forecast).toMatchObject({ at: { source: 'scale', scale: 10 }, rewrites: [], rowsTouched: { estimate: 1_000_000, low: 1_000_000, high: 1_000_000 } });
  });
});
