/**
 * What "production size" means for a migration forecast (migration-forecast.ts): the rows
 * per table of the workload's statistics snapshot (`schemabench stats capture`, committed
 * as fixtures/<W>/production-stats.json) — pg_class.reltuples, the planner's count as of
 * production's last VACUUM or ANALYZE — or, for a workload without one, its own rows at a
 * scale a decade past the largest traced (docs/safe-migrations.md says why a guess of
 * production's size is shown but never flags).
 */
import type { DatasetSource } from '../fixtures/dataset-source.ts';
import type { StatisticsSnapshot } from '../stats/statistics-snapshot.ts';
import type { ForecastTarget } from './migration-forecast.ts';

/** Production's rows from `snapshot` (read from `file`, as the reports name it). */
export function snapshotTarget(snapshot: StatisticsSnapshot, file: string): ForecastTarget {
  const rows = new Map<string, number>();
  // reltuples -1: never vacuumed or analyzed, the count is unknown (PostgreSQL 14+).
  for (const t of snapshot.tables) if (t.reltuples >= 0) rows.set(t.schema === 'public' ? t.name : `${t.schema}.${t.name}`, Math.round(t.reltuples));
  return { at: { source: 'snapshot', file, capturedAt: snapshot.capturedAt }, rows };
}

/** The workload's rows at `scale`, as its fixtures declare them (no row is generated). */
export function scaleTarget(workload: DatasetSource, seed: number, scale: number): ForecastTarget {
  return { at: { source: 'scale', scale }, rows: new Map(workload.tables(seed, scale).map((t) => [t.table, t.rows])) };
}

/** The scale predicted at without a snapshot: ten times the largest traced. */
export const defaultForecastScale = (scales: readonly number[]) => 10 * Math.max(...scales);
