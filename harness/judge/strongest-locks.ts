/**
 * The strongest lock a migration took on each table. PostgreSQL's table-level lock modes,
 * weakest to strongest (each conflicts with at least the modes the one before it does:
 * ACCESS EXCLUSIVE, the last, blocks even plain SELECTs), as pg_locks.mode names them.
 */
import { fmtInt } from '../report/text-table.ts';
import type { MigrationTrace, TableLock } from './evidence.ts';

export const LOCK_MODES = [
  'AccessShareLock',
  'RowShareLock',
  'RowExclusiveLock',
  'ShareUpdateExclusiveLock',
  'ShareLock',
  'ShareRowExclusiveLock',
  'ExclusiveLock',
  'AccessExclusiveLock',
] as const;

/** An unknown mode sorts below every known one (shown, never taken for the strongest). */
const strength = (mode: string) => LOCK_MODES.indexOf(mode as (typeof LOCK_MODES)[number]);

/**
 * One lock per table: the strongest mode seen, held for the longest time seen in that mode
 * (and the bound of its longest hold);
 * rewritten when any statement rewrote it; rows as recorded (the largest). Strongest first.
 */
export function strongestLocks(locks: TableLock[]): TableLock[] {
  const byTable = new Map<string, TableLock>();
  for (const lock of locks) {
    const seen = byTable.get(lock.table);
    if (!seen) {
      byTable.set(lock.table, { ...lock });
      continue;
    }
    const stronger = strength(lock.mode) > strength(seen.mode);
    const sameMode = lock.mode === seen.mode;
    const merged: TableLock = {
      table: lock.table,
      mode: stronger ? lock.mode : seen.mode,
      heldMs: stronger ? lock.heldMs : sameMode ? Math.max(seen.heldMs, lock.heldMs) : seen.heldMs,
      rows: Math.max(seen.rows, lock.rows),
      rewritten: seen.rewritten || lock.rewritten,
    };
    // A bound covers the longest hold only when every hold of the mode had one.
    const [a, b] = [seen.heldAtMostMs, lock.heldAtMostMs];
    const bound = stronger ? b : !sameMode ? a : a === undefined || b === undefined ? undefined : Math.max(a, b);
    if (bound !== undefined) merged.heldAtMostMs = bound;
    byTable.set(lock.table, merged);
  }
  return [...byTable.values()].sort((a, b) => strength(b.mode) - strength(a.mode) || b.heldMs - a.heldMs || a.table.localeCompare(b.table));
}

/** Tables a migration rewrote (their relfilenode changed). */
export const rewrittenTables = (m: MigrationTrace) => strongestLocks(m.locks).filter((l) => l.rewritten).map((l) => l.table);

/**
 * How long a table lock was held, as the reports print it: `< 5 ms` when its bound is
 * under the sampler's interval (or only one sample saw it, with no bound); the sampler's
 * stretch when it saw one (`1,790 ms`: short by up to an interval at each end); else the
 * bound, rounded up (`≤ 12 ms`: the sampler missed a hold that was not that brief).
 */
export function holdText(lock: Pick<TableLock, 'heldMs' | 'heldAtMostMs'>, intervalMs = 5): string {
  const brief = `< ${Math.max(1, intervalMs)} ms`;
  const bound = lock.heldAtMostMs;
  if (bound !== undefined && bound < intervalMs) return brief;
  if (lock.heldMs >= 1) return `${fmtInt(lock.heldMs)} ms`;
  return bound === undefined ? brief : `≤ ${fmtInt(Math.ceil(bound))} ms`;
}
