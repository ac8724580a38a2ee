/**
 * Issue 22's migration proof: a change's migration traced on receipts at 0.1, 0.3 and 1 the
 * way compare traces it (harness/compare/forecast-migrations.ts: two runs per scale, four
 * application clients, the lock sampler), predicted at scale 10 (1,000,000 receipts), then
 * measured at scale 10 (`--runs` times, each on a fresh copy) and printed side by side with
 * the error of the prediction against the median measured (target: within 35%). Two
 * migrations: a rewrite (ADD COLUMN ... DEFAULT gen_random_uuid(), a volatile default) and a
 * batched backfill (the column added nullable, then ten UPDATEs of a tenth of the rows each);
 * and a CREATE INDEX, whose SHARE lock is brief at 10,000 rows and is not at a million.
 * For comparison, a power law fitted on log-log axes to the same points (scale-fit.ts).
 * Run it through scripts/proofs/migration-forecast.sh (the heavy lock).
 *
 *   node --import tsx scripts/proofs/migration-forecast.ts [--scales 0.1,0.3,1] [--at 10] [--runs 3] [--cycles 1] [--pg 17]
 */
import { parseArgs } from 'node:util';
import { growthExponent } from '../../harness/bench/scale-fit.ts';
import { forecastMigrations } from '../../harness/compare/forecast-migrations.ts';
import { scaleTarget } from '../../harness/compare/forecast-target.ts';
import { holdMs } from '../../harness/compare/migration-forecast.ts';
import { traceMigrations } from '../../harness/compare/trace-migrations.ts';
import { parseForecastScales, parseScale } from '../../harness/config.ts';
import { copyDataset, ensureDataset } from '../../harness/fixtures/dataset-cache.ts';
import { predicted, type CostForecast, type ForecastPoint } from '../../harness/judge/evidence.ts';
import { startEmbedded } from '../../harness/postgres/embedded-provider.ts';
import { strongestLocks } from '../../harness/judge/strongest-locks.ts';
import { loadWorkload } from '../../harness/workloads/load-workload.ts';

const { values } = parseArgs({
  options: {
    scales: { type: 'string', default: '0.1,0.3,1' },
    at: { type: 'string', default: '10' },
    runs: { type: 'string', default: '3' },
    cycles: { type: 'string', default: '1' },
    seed: { type: 'string', default: '20240601' },
    pg: { type: 'string', default: '17' },
  },
});
const scales = parseForecastScales(values.scales)!;
const at = parseScale(values.at);
const runs = Number(values.runs);
const cycles = Number(values.cycles);
const seed = Number(values.seed);
const out = (line = '') => process.stdout.write(`${line}\n`);
const note = (line: string) => process.stderr.write(`${line}\n`);
const BREAK = '\n--> statement-breakpoint\n';

const MIGRATIONS = [
  { name: 'rewrite (volatile default)', file: { file: '0003_receipt_audit.sql', sql: 'ALTER TABLE "receipts" ADD COLUMN "audit_id" uuid DEFAULT gen_random_uuid();' } },
  {
    name: 'batched backfill (10 batches)',
    file: { file: '0003_receipt_audit.sql', sql: ['ALTER TABLE "receipts" ADD COLUMN "audit_id" uuid;', ...Array.from({ length: 10 }, (_, k) => `UPDATE "receipts" SET "audit_id" = gen_random_uuid() WHERE "id" % 10 = ${k};`)].join(BREAK) },
  },
  { name: 'CREATE INDEX (not concurrently)', file: { file: '0003_receipt_total_idx.sql', sql: 'CREATE INDEX "receipts_total_amount_idx" ON "receipts" ("total_amount");' } },
];

const ms = (v: number) => (!Number.isFinite(v) ? '∞' : v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v).toLocaleString('en-US')} ms`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (predictedValue: number, measured: number) => `${predictedValue >= measured ? '+' : ''}${Math.round((100 * (predictedValue - measured)) / measured)}%`;

/** The power law through the same points, at `rows`. */
function powerLaw(points: ForecastPoint[], rows: number): number {
  const k = growthExponent(points.map((p) => ({ scale: p.rows, value: p.value })));
  const mx = points.reduce((s, p) => s + Math.log(p.rows), 0) / points.length;
  const my = points.reduce((s, p) => s + Math.log(Math.max(p.value, 1e-9)), 0) / points.length;
  return Math.exp(my + k * (Math.log(rows) - mx));
}

/** Prints a prediction against the runs measured; `target`: the 35% target applies (durations). */
function report(label: string, f: CostForecast, measured: number[], target: boolean): boolean {
  if (!predicted(f)) {
    out(`  ${label}: not predicted (${f.unavailable})`);
    return false;
  }
  const byScale = scales.map((s) => `${s}: ${f.points.filter((p) => p.scale === s).map((p) => ms(p.value)).join(', ')}`).join('; ');
  const m = median(measured);
  const within = Math.abs(f.estimate - m) / m <= 0.35;
  const inside = measured.filter((v) => v >= f.low && v <= f.high).length;
  out(`  ${label}`);
  out(`    fitted points   ${byScale}`);
  out(`    predicted at ${at} ${ms(f.estimate)} [${ms(f.low)}, ${ms(f.high)}] (fixed ${ms(f.fixed)} + ${(f.perRow * 1000).toFixed(3)} ms per 1,000 rows; spread ${(f.spread * 100).toFixed(0)}%, ${f.df} df)`);
  out(`    measured at ${at}  ${measured.map(ms).join(', ')}: median ${ms(m)}; ${inside} of ${measured.length} inside the interval`);
  out(`    error           ${pct(f.estimate, m)}${target ? (within ? ' (within 35%)' : ' (NOT within 35%)') : ''}; a power law on the same points: ${ms(powerLaw(f.points, f.rows))} (${pct(powerLaw(f.points, f.rows), m)})`);
  return within;
}

const server = await startEmbedded({ major: Number(values.pg) });
try {
  const workload = await loadWorkload('receipts');
  const datasets = new Map<number, Awaited<ReturnType<typeof ensureDataset>>>();
  const dataset = async (scale: number) => {
    if (!datasets.has(scale)) {
      note(`building receipts at scale ${scale}...`);
      datasets.set(scale, await ensureDataset(server, { workload, scale, seed }));
    }
    return datasets.get(scale)!;
  };
  const target = scaleTarget(workload, seed, at);
  out(`receipts on embedded PostgreSQL ${values.pg}: traced at ${scales.join(', ')} (2 runs each, 4 clients), predicted at ${at} (${target.rows.get('receipts')!.toLocaleString('en-US')} receipts), measured at ${at} ${runs} times; 95% prediction intervals`);
  const verdicts: boolean[] = [];
  for (let cycle = 1; cycle <= cycles; cycle++) {
    for (const m of MIGRATIONS) {
      const forecast = (await forecastMigrations({ workload: 'receipts', files: [m.file], scales, target, copyAt: async (s) => copyDataset(server, await dataset(s), 'forecast'), log: note })).get(m.file.file)!;
      const measured: { durationMs: number; hold: number }[] = [];
      for (let r = 0; r < runs; r++) {
        note(`measuring ${m.name} at scale ${at} (${r + 1} of ${runs})...`);
        await using copy = await copyDataset(server, await dataset(at), 'measured');
        const [trace] = await traceMigrations({ uri: copy.uri, workload: 'receipts', files: [m.file] });
        if (trace!.error) throw new Error(`${m.name} failed at scale ${at}: ${trace!.error}`);
        const lock = strongestLocks(trace!.locks).find((l) => l.table === 'receipts')!;
        measured.push({ durationMs: trace!.durationMs, hold: holdMs(lock) });
      }
      out();
      out(`${m.name}${cycles > 1 ? `, cycle ${cycle}` : ''}:`);
      verdicts.push(report('duration', forecast.duration, measured.map((x) => x.durationMs), true));
      const lock = forecast.locks.find((l) => l.table === 'receipts')!;
      report(`receipts ${lock.mode} held`, lock.held, measured.map((x) => x.hold), false);
      out(`  rows touched predicted ${predicted(forecast.rowsTouched) ? forecast.rowsTouched.estimate.toLocaleString('en-US') : '-'}`);
    }
  }
  out();
  out(`durations within 35% of the measured median: ${verdicts.filter(Boolean).length} of ${verdicts.length}`);
} finally {
  await server.stop();
}
