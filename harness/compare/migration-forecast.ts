/**
 * A migration file's cost at production size, from its traces on base's dataset at
 * several scales (forecast-migrations.ts runs them): per file its duration and rows
 * written against the rows of every table it locked, and per table the hold of its
 * strongest lock against that table's rows, each fitted (harness/bench/cost-fit.ts: a
 * fixed part plus a part proportional to the rows) and predicted at
 * production's rows with a 95% prediction interval. Production's rows are a statistics
 * snapshot's reltuples per table, or, without one, the workload's rows at a scale.
 *
 * What is not predicted says why: a file that failed (or was not attempted) at some
 * scale, a table production does not have, a table whose rows did not change with the
 * scale (a lookup table: one size tells nothing about another).
 */
import { fitCost, predictCost } from '../bench/cost-fit.ts';
import type { CostForecast, ForecastPoint, LockForecast, MigrationForecast, MigrationTrace, TableLock } from '../judge/evidence.ts';
import { lockStrength } from '../judge/lock-modes.ts';
import { strongestLocks } from '../judge/strongest-locks.ts';

/** What "production size" is for a workload. */
export interface ForecastTarget {
  at: MigrationForecast['at'];
  /** Rows per table at production size, named as traces name tables (bare in `public`). */
  rows: ReadonlyMap<string, number>;
}

/** The traces of one run of a workload's new files at one scale. */
export interface TracedRun {
  scale: number;
  traces: MigrationTrace[];
}

/** Confidence of every prediction interval. */
export const FORECAST_CONFIDENCE = 0.95;
/**
 * A table whose rows were the same at every scale is predicted as measured only when
 * production's rows are within this factor of them: one size tells nothing about growth.
 */
const SAME_SIZE = 2;

/** How long a lock was held, as a number to fit: the sampled stretch or the bound, the longer (both are ms). */
export const holdMs = (lock: Pick<TableLock, 'heldMs' | 'heldAtMostMs'>) => Math.max(lock.heldMs, lock.heldAtMostMs ?? 0);

/** The fit of `points` predicted at `rows` (null: production's size is unknown, with why). */
function forecastCost(points: ForecastPoint[], rows: number | null, unknown: string, whole = false): CostForecast {
  if (rows === null) return { points, rows, unavailable: unknown };
  if (points.length < 2) return { points, rows, unavailable: `${points.length} run${points.length === 1 ? '' : 's'}: a fit needs two` };
  const sizes = new Set(points.map((p) => p.rows));
  const [only] = sizes;
  if (sizes.size === 1 && only! > 0 && (rows > only! * SAME_SIZE || rows < only! / SAME_SIZE)) {
    return { points, rows, unavailable: `${only} rows at every scale, ${rows} at production size: one size tells nothing about growth` };
  }
  const fit = fitCost(points);
  const p = predictCost(fit, sizes.size === 1 ? only! : rows, FORECAST_CONFIDENCE);
  // Counted rows are whole numbers.
  const round = (x: number) => (whole && Number.isFinite(x) ? Math.round(x) : x);
  return { points, rows, estimate: round(p.estimate), low: round(p.low), high: round(p.high), confidence: p.confidence, fixed: fit.fixed, perRow: fit.perRow, spread: fit.spread, df: fit.df };
}

/** Production's rows of `tables` summed; null with the first table production lacks. */
function targetRows(target: ForecastTarget, tables: string[]): { rows: number | null; missing?: string } {
  let sum = 0;
  for (const t of tables) {
    const n = target.rows.get(t);
    if (n === undefined) return { rows: null, missing: t };
    sum += n;
  }
  return { rows: sum };
}

const where = (target: ForecastTarget) => (target.at.source === 'snapshot' ? `the statistics snapshot ${target.at.file}` : `the workload at scale ${target.at.scale}`);

function lockForecast(table: string, runs: { scale: number; trace: MigrationTrace }[], target: ForecastTarget, notes: string[]): LockForecast {
  const seen = runs.map(({ scale, trace }) => ({ scale, lock: strongestLocks(trace.locks).find((l) => l.table === table) }));
  const mode = seen.reduce((m, s) => (s.lock && lockStrength(s.lock.mode) > lockStrength(m) ? s.lock.mode : m), '');
  const modes = new Set(seen.map((s) => s.lock?.mode ?? 'none'));
  if (modes.size > 1) notes.push(`${table}: the strongest lock differed between runs (${[...modes].join(', ')}): fitted on the ${mode} runs`);
  const points = seen.filter((s) => s.lock?.mode === mode).map((s) => ({ scale: s.scale, rows: s.lock!.rows, value: holdMs(s.lock!) }));
  // A table empty at every scale (created by the change, or never loaded) is empty in production too.
  const empty = points.every((p) => p.rows === 0);
  const rows = empty ? 0 : (target.rows.get(table) ?? null);
  return { table, mode, rewritten: seen.some((s) => s.lock?.rewritten), held: forecastCost(points, rows, `${where(target)} has no table ${table}`) };
}

/** Why `file` has no trace in `run`, or its trace. */
function traceIn(run: TracedRun, file: string): MigrationTrace | string {
  const trace = run.traces.find((t) => t.file === file);
  if (!trace) return `not attempted at scale ${run.scale}: an earlier file failed there`;
  if (trace.error !== undefined) return `failed at scale ${run.scale}: ${trace.error}`;
  return trace;
}

/** The forecast of `file` from every run; its quantities unavailable, with why, when a run has no trace of it. */
export function migrationForecast(file: string, runs: TracedRun[], target: ForecastTarget): MigrationForecast {
  const scales = [...new Set(runs.map((r) => r.scale))].sort((a, b) => a - b);
  const forecast: MigrationForecast = {
    at: target.at,
    scales,
    runs: scales.length ? Math.round(runs.length / scales.length) : 0,
    duration: { points: [], rows: null, unavailable: '' },
    rowsTouched: { points: [], rows: null, unavailable: '' },
    locks: [],
    rewrites: [],
    notes: [],
  };
  const traced = runs.map((run) => ({ scale: run.scale, trace: traceIn(run, file) }));
  const failed = traced.find((t) => typeof t.trace === 'string');
  if (failed) {
    forecast.duration = { points: [], rows: null, unavailable: failed.trace as string };
    forecast.rowsTouched = { points: [], rows: null, unavailable: failed.trace as string };
    return forecast;
  }
  const ok = traced as { scale: number; trace: MigrationTrace }[];
  // The tables the file's work is about: every table it locked that had rows at some scale.
  const tables = [...new Set(ok.flatMap(({ trace }) => trace.locks.filter((l) => l.rows > 0).map((l) => l.table)))].sort();
  const rowsOf = (trace: MigrationTrace) => tables.reduce((n, t) => n + (strongestLocks(trace.locks).find((l) => l.table === t)?.rows ?? 0), 0);
  const { rows, missing } = targetRows(target, tables);
  const unknown = `${where(target)} has no table ${missing}`;
  forecast.duration = forecastCost(ok.map(({ scale, trace }) => ({ scale, rows: rowsOf(trace), value: trace.durationMs })), rows, unknown);
  forecast.rowsTouched = forecastCost(ok.map(({ scale, trace }) => ({ scale, rows: rowsOf(trace), value: trace.rowsTouched })), rows, unknown, true);
  const locked = [...new Set(ok.flatMap(({ trace }) => trace.locks.map((l) => l.table)))];
  forecast.locks = locked
    .map((t) => lockForecast(t, ok, target, forecast.notes))
    .sort((a, b) => lockStrength(b.mode) - lockStrength(a.mode) || a.table.localeCompare(b.table));
  forecast.rewrites = forecast.locks.filter((l) => l.rewritten).map((l) => ({ table: l.table, rows: l.held.rows }));
  return forecast;
}
