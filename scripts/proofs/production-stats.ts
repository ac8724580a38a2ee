/**
 * Issue 22's proof, as far as it is built: builds each workload at the production scale
 * (10) and the small scale (0.3) on one embedded PostgreSQL 18, captures production's
 * snapshot with `schemabench stats capture`, generates the small scale's rows from that
 * snapshot (scale 0.3 / 10 of its row counts, as `fixtures --stats` does), then prints
 *   - the column statistics of the rows generated from the snapshot against production's
 *     (the tolerances of compare-column-statistics.ts), and of the workload's own
 *     generator at the small scale for comparison,
 *   - every case's chosen plan on the small dataset, without and with injected production
 *     statistics, matched against the same case at production scale,
 *   - with --designs, the same match for every design tried (plan-designs.ts), with the
 *     seq-scan estimate of the biggest table and what each design costs.
 * Run it through scripts/proofs/production-stats.sh (the heavy lock, a results.json).
 *
 *   node --import tsx scripts/proofs/production-stats.ts [--results FILE] [--workloads receipts,store]
 *     [--production-scale 10] [--scale 0.3] [--pg 18] [--designs] [--list]
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import type pg from 'pg';
import { copyDataset, ensureDataset, type Dataset } from '../../harness/fixtures/dataset-cache.ts';
import { PACKAGE_ROOT } from '../../harness/package-root.ts';
import { startEmbedded } from '../../harness/postgres/embedded-provider.ts';
import { serverOsUser } from '../../harness/postgres/os-user.ts';
import type { PgServer } from '../../harness/postgres/pg-server.ts';
import { withConnection } from '../../harness/postgres/with-connection.ts';
import type { ResultsFile } from '../../harness/results/results-schema.ts';
import { compareColumnStatistics } from '../../harness/stats/compare-column-statistics.ts';
import { injectionUnavailable } from '../../harness/stats/inject-statistics.ts';
import { casesWithSql, differingPlans, matchPlans, type PlanCase, type PlanMatchSummary } from '../../harness/stats/plan-match.ts';
import { planShape } from '../../harness/stats/plan-shape.ts';
import { readStatisticsSnapshot, type StatisticsSnapshot } from '../../harness/stats/statistics-snapshot.ts';
import { systemTempDir } from '../../harness/system-temp-dir.ts';
import { loadWorkload } from '../../harness/workloads/load-workload.ts';
import { DESIGNS, type Design, type DesignContext } from './plan-designs.ts';
import { probeQueries } from './probe-queries.ts';

const { values } = parseArgs({
  options: {
    results: { type: 'string' },
    workloads: { type: 'string', default: 'receipts,store' },
    'production-scale': { type: 'string', default: '10' },
    scale: { type: 'string', default: '0.3' },
    seed: { type: 'string', default: '20240601' },
    pg: { type: 'string', default: '18' },
    designs: { type: 'boolean', default: false },
    list: { type: 'boolean', default: false },
  },
});
// A results.json of a `schemabench run`: its cases carry their SQL. Without one, only the probe queries are planned.
const results: ResultsFile | undefined = values.results ? (JSON.parse(readFileSync(values.results, 'utf8')) as ResultsFile) : undefined;
const productionScale = Number(values['production-scale']);
const scale = Number(values.scale);
const seed = Number(values.seed);
const out = (line = '') => process.stdout.write(`${line}\n`);
const note = (line: string) => process.stderr.write(`${line}\n`);
const pct = (n: number, d: number) => (d ? `${Math.round((100 * n) / d)}%` : '-');

async function cli(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  await promisify(execFile)(process.execPath, [join(PACKAGE_ROOT, 'bin', 'schemabench.mjs'), ...args], { cwd: PACKAGE_ROOT, env: { ...process.env, ...env } });
}

async function capture(workload: string, uri: string, file: string): Promise<StatisticsSnapshot> {
  await cli(['stats', 'capture', '--workload', workload, '--out', file], { DATABASE_URL: uri });
  return readStatisticsSnapshot(file);
}

function columnFigures(workload: string, production: StatisticsSnapshot, generated: StatisticsSnapshot, own: StatisticsSnapshot): void {
  const r = compareColumnStatistics(production, generated);
  out(`${workload}: columns within all tolerances, generated from production's snapshot at scale ${scale} vs ${productionScale}: ${r.within} of ${r.columns.length} (${pct(r.within, r.columns.length)}; target 95%)`);
  out('  (null_frac within 0.02, n_distinct within 10%, top-10 MCV overlap >= 8 with frequencies within 20%, correlation within 0.1)');
  for (const c of r.columns.filter((x) => x.misses.length)) out(`  ${c.table}.${c.column}: ${c.misses.join('; ')}`);
  if (r.missing.length) out(`  no statistics in the generated dataset: ${r.missing.join(', ')}`);
  const o = compareColumnStatistics(production, own);
  out(`${workload}: the same with the workload's own generator at scale ${scale} (no snapshot): ${o.within} of ${o.columns.length} (${pct(o.within, o.columns.length)})`);
}

/** The biggest table's `SELECT *` estimate: rows and total cost. */
async function seqEstimate(uri: string, table: string): Promise<string> {
  return withConnection(uri, async (c) => {
    const shape = await planShape(c, `SELECT * FROM "${table.replace(/"/g, '""')}"`);
    return `${Math.round(shape.rows).toLocaleString('en-US')} / ${Math.round(shape.cost).toLocaleString('en-US')}`;
  });
}

async function databaseMb(uri: string): Promise<string> {
  return withConnection(uri, async (c) => ((await c.query<{ b: string }>('SELECT pg_database_size(current_database()) AS b')).rows[0]!.b as unknown as number / 1048576).toFixed(0));
}

interface Built {
  production: Dataset;
  small: Dataset;
  productionUri: string;
}

/** Compared cases whose top node's row estimate is within 10% of production's. */
function rowsWithin(summary: PlanMatchSummary): number {
  return summary.cases.filter((c) => c.reference && c.candidate && Math.abs(c.candidate.rows - c.reference.rows) <= 0.1 * c.reference.rows).length;
}

async function planFigures(server: PgServer, workload: string, built: Built, snapshot: StatisticsSnapshot, designs: Design[], cases: PlanCase[], context: DesignContext): Promise<void> {
  const biggest = [...snapshot.tables].sort((a, b) => b.relpages - a.relpages)[0]!.name;
  const probes = probeQueries(snapshot);
  out(`${workload}: chosen plans (node types, indexes) at scale ${scale} vs the same statement at scale ${productionScale}: ${cases.length} benchmark cases with SQL, ${probes.length} probe queries`);
  out(`  ${'design'.padEnd(17)} ${'cases match'.padEnd(13)} ${'probes match'.padEnd(13)} ${'probe rows'.padEnd(11)} ${'prepare s'.padStart(9)} ${'MB'.padStart(6)}  ${biggest} SELECT * rows / cost (production ${await seqEstimate(built.productionUri, biggest)})`);
  for (const design of designs) {
    const copy = await copyDataset(server, design.from === 'production' ? built.production : built.small, design.name);
    try {
      const started = performance.now();
      await design.prepare(copy.uri, context);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const match = (list: PlanCase[]) => withConnection(built.productionUri, (r: pg.Client) => withConnection(copy.uri, (k) => matchPlans(r, k, list)));
      const [onCases, onProbes] = [await match(cases), await match(probes)];
      const rate = (m: PlanMatchSummary) => `${m.matched}/${m.compared} ${pct(m.matched, m.compared)}`;
      const rows = `${rowsWithin(onProbes)}/${onProbes.compared}`;
      out(`  ${design.name.padEnd(17)} ${rate(onCases).padEnd(13)} ${rate(onProbes).padEnd(13)} ${rows.padEnd(11)} ${seconds.padStart(9)} ${(await databaseMb(copy.uri)).padStart(6)}  ${await seqEstimate(copy.uri, biggest)}`);
      if (values.list) for (const line of [...differingPlans(onCases), ...differingPlans(onProbes)]) out(`      ${line}`);
      if (design === designs[0]) for (const c of [...onCases.cases, ...onProbes.cases].filter((x) => x.error)) out(`      not compared: ${c.id}: ${c.error}`);
    } finally {
      await copy.drop();
    }
  }
  out('    probe rows: probes whose top-node row estimate is within 10% of production\'s');
  for (const d of designs) out(`    ${d.name}: ${d.what}`);
}

const server = await startEmbedded({ major: Number(values.pg) });
const scratch = mkdtempSync(join(systemTempDir(), 'schemabench-proof-'));
chmodSync(scratch, 0o755);
try {
  const unavailable = await withConnection(server.adminUri, injectionUnavailable);
  if (unavailable) out(`note: ${unavailable}`);
  const chosen = values.designs ? DESIGNS : DESIGNS.filter((d) => d.name === 'none' || (!unavailable && d.name === 'rows+page-costs'));
  for (const name of values.workloads.split(',')) {
    const workload = await loadWorkload(name);
    note(`building ${name} at scale ${productionScale} and ${scale} on PostgreSQL ${values.pg}...`);
    const production = await ensureDataset(server, { workload, scale: productionScale, seed });
    const small = await ensureDataset(server, { workload, scale, seed });
    await using prodCopy = await copyDataset(server, production, 'production');
    await using smallCopy = await copyDataset(server, small, 'small');
    const productionFile = join(scratch, `${name}-production.json`);
    const snapshot = await capture(name, prodCopy.uri, productionFile);
    const smallSnapshot = await capture(name, smallCopy.uri, join(scratch, `${name}-small.json`));
    // The small scale generated from production's snapshot: scale is then the fraction of its row counts.
    note(`generating ${name} from production's snapshot at ${scale / productionScale} of its rows...`);
    const fromSnapshot = await ensureDataset(server, { workload: await loadWorkload(name, { statisticsSnapshot: productionFile }), scale: scale / productionScale, seed });
    await using generatedCopy = await copyDataset(server, fromSnapshot, 'generated');
    const generatedSnapshot = await capture(name, generatedCopy.uri, join(scratch, `${name}-generated.json`));
    out();
    columnFigures(name, snapshot, generatedSnapshot, smallSnapshot);
    out();
    const cases = results ? casesWithSql(results).filter((c) => c.id.startsWith(`${name}/`)) : [];
    await planFigures(server, name, { production, small, productionUri: prodCopy.uri }, snapshot, unavailable ? chosen.filter((d) => d.name === 'none') : chosen, cases, { snapshot, scratch, serverUser: serverOsUser() });
  }
  out();
  out('measured elsewhere: compare --plan-at production (specs/compare-proof.bench.ts), migration cost at production size (scripts/proofs/migration-forecast.sh)');
} finally {
  await server.stop();
  rmSync(scratch, { recursive: true, force: true });
}
