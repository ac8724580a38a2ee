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
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchProject, type ScratchProject } from './helpers/scratch-project.ts';
import type { CompareReport } from '../harness/compare/compare-report.ts';

const RUNS = Number(process.env.SCHEMABENCH_COMPARE_RUNS ?? 1);
const SCALE = '0.1';

async function compare(project: ScratchProject, args: string[]): Promise<{ code: number | null; report: CompareReport | undefined; stderr: string }> {
  const out = await project.cli(['compare', '--base', 'HEAD', '--scale', SCALE, '--json', '--out', '.schemabench/compare', ...args]);
  let report: CompareReport | undefined;
  try {
    report = JSON.parse(out.stdout) as CompareReport;
  } catch {
    report = undefined;
  }
  return { code: out.code, report, stderr: out.stderr };
}

/** A case of its own, committed on base, that head makes costlier per row without changing its plan. */
const PROOF_BENCH = `import { benchmarkSuite, defineCase } from 'schemabench';

benchmarkSuite('receipts', ({ measure }) => {
  measure(defineCase({ name: 'receipts/compare-proof/spend', workload: 'receipts', variant: 'seq-scan', statement: { text: 'SELECT count(*), sum(total_amount) FROM receipts' } }));
  measure(defineCase({ name: 'receipts/compare-proof/vendors', workload: 'receipts', variant: 'seq-scan', statement: { text: 'SELECT count(*) FROM vendors' } }));
});
`;
/**
 * Same plan (Aggregate > Seq Scan), same buffers and rows; more arithmetic per row. One `+ 0`
 * read only 1.26x through testcontainers (docs/ci.md): two make a change clear of the 1.15 bar.
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

/** Base with the proof's cases, head with one new migration; compare on a case the migration leaves alone. */
async function compareMigration(tag: string, sql: string) {
  const project = scratchProject();
  try {
    project.write('benchmarks/receipts/compare-proof.bench.ts', PROOF_BENCH);
    project.commit('a case of its own');
    addReceiptsMigration(project, tag, sql);
    return await compare(project, ['--workload', 'receipts', '--filter', 'compare-proof/vendors']);
  } finally {
    project.remove();
  }
}

/** Everything that can make a verdict: case and comparison findings, migration flags, notes. */
const summary = (r: CompareReport | undefined) =>
  r
    ? [
        ...r.cases.flatMap((c) => c.findings.map((f) => `${c.id}: ${f.kind}${f.regression ? ' (regression)' : ''}: ${f.message}`)),
        ...r.comparisons.flatMap((c) => c.findings.map((f) => `${c.name}: ${f.kind}${f.regression ? ' (regression)' : ''}: ${f.message}`)),
        ...r.migrations.map((m) => `migration ${m.file}: ${m.flags.length ? `flagged: ${m.flags.join('; ')}` : 'not flagged'}`),
        ...r.notes.map((n) => `note: ${n}`),
      ].join('\n')
    : '(no report)';

describe('schemabench compare on real changes', () => {
  it(`A/A: nothing changed exits 0 (${RUNS} run(s), at least 95%)`, async () => {
    const project = scratchProject();
    try {
      const codes: (number | null)[] = [];
      const highest: string[] = [];
      for (let i = 0; i < RUNS; i++) {
        const r = await compare(project, ['--workload', 'store', '--filter', '/catalog']);
        codes.push(r.code);
        if (r.code !== 0) console.log(`A/A run ${i + 1}: exit ${r.code}\n${summary(r.report)}\n${r.stderr.slice(-2000)}`);
        // The calibration of the latency threshold: the highest low end of any case's interval.
        const top = r.report?.cases.filter((c) => c.latency).sort((a, b) => b.latency!.low - a.latency!.low)[0];
        if (top) highest.push(`${top.latency!.low.toFixed(3)} (${top.id}, ${top.latency!.pairs} pairs)`);
      }
      console.log(`A/A: ${codes.filter((c) => c === 0).length}/${RUNS} runs exited 0; highest interval low end per run: ${highest.join(', ')}`);
      expect(codes.filter((c) => c === 0).length).toBeGreaterThanOrEqual(Math.ceil(0.95 * RUNS));
    } finally {
      project.remove();
    }
  });

  it('a schema change that drops carts_user_id_idx exits 1, naming /catalog/recs with its plan and buffers before and after', async () => {
    const project = scratchProject();
    try {
      project.edit('schema/store/normalized.ts', "(t) => [index('carts_user_id_idx').on(t.userId)],", '() => [],');
      const generated = await project.cli(['generate', '--workload', 'store']);
      expect(generated.code, generated.stderr).toBe(0);
      const r = await compare(project, ['--workload', 'store', '--filter', 'recs']);
      expect(r.code, `${summary(r.report)}\n${r.stderr.slice(-3000)}`).toBe(1);
      const recs = r.report!.cases.find((c) => c.id === 'store/endpoint/catalog/recs[after]')!;
      expect(recs.base!.plan!.indexes).toContain('carts_user_id_idx');
      expect(recs.head!.plan!.indexes).not.toContain('carts_user_id_idx');
      expect(recs.head!.plan!.seqScans).toContain('carts');
      expect(recs.head!.buffers!).toBeGreaterThan(recs.base!.buffers!);
      const lost = recs.findings.find((f) => f.kind === 'index-lost')!;
      expect(lost.regression).toBe(true);
      expect(lost.message).toMatch(/carts_user_id_idx/);
      expect(lost.message).toMatch(/buffers \d+ -> \d+/);
      console.log(summary(r.report));
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
        const spend = r.report?.cases.find((c) => c.id === 'receipts/compare-proof/spend[seq-scan]');
        expect(spend, r.stderr.slice(-3000)).toBeDefined();
        // Same plan and buffers: only the latency can tell.
        expect(spend!.findings.map((f) => f.kind).filter((k) => k !== 'sql-changed' && k !== 'latency-up')).toEqual([]);
        const l = spend!.latency!;
        ratios.push(`${l.estimate.toFixed(2)}x [${l.low.toFixed(2)}, ${l.high.toFixed(2)}]`);
        if (r.code === 1 && spend!.findings.some((f) => f.kind === 'latency-up' && f.regression)) detected++;
      }
      console.log(`latency-only change: detected in ${detected}/${RUNS} runs; head/base ${ratios.join(', ')}`);
      expect(detected).toBeGreaterThanOrEqual(Math.ceil(0.95 * RUNS));
    } finally {
      project.remove();
    }
  });

  it('a migration adding a column with a volatile default (a rewrite under ACCESS EXCLUSIVE) is flagged with its lock time: exit 1', async () => {
    const r = await compareMigration('0003_receipt_audit', 'ALTER TABLE "receipts" ADD COLUMN "audit_id" uuid DEFAULT gen_random_uuid();\n');
    expect(r.code, `${JSON.stringify(r.report?.migrations, null, 2)}\n${r.stderr.slice(-3000)}`).toBe(1);
    const [trace] = r.report!.migrations;
    expect(trace!.file).toBe('0003_receipt_audit.sql');
    const receipts = trace!.locks.find((l) => l.table === 'receipts')!;
    expect(receipts).toMatchObject({ mode: 'AccessExclusiveLock', rewritten: true });
    expect(trace!.flags.join('\n')).toMatch(/rewrites receipts \(\d+ rows\) under AccessExclusiveLock held/);
    console.log(`volatile default: ${trace!.flags.join('; ')}; worst client wait ${trace!.worstClientWaitMs.toFixed(0)} ms`);
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
  });
});
