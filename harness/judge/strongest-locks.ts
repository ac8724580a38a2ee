/**
 * The strongest lock a migration took on each table. PostgreSQL's table-level lock modes,
 * weakest to strongest (each conflicts with at least the modes the one before it does:
 * ACCESS EXCLUSIVE, the last, blocks even plain SELECTs), as pg_locks.mode names them.
 */
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
 * One lock per table: the strongest mode seen, held for the longest time seen in that mode;
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
    byTable.set(lock.table, {
      table: lock.table,
      mode: stronger ? lock.mode : seen.mode,
      heldMs: stronger ? lock.heldMs : sameMode ? Math.max(seen.heldMs, lock.heldMs) : seen.heldMs,
      rows: Math.max(seen.rows, lock.rows),
      rewritten: seen.rewritten || lock.rewritten,
    });
  }
  return [...byTable.values()].sort((a, b) => strength(b.mode) - strength(a.mode) || b.heldMs - a.heldMs || a.table.localeCompare(b.table));
}

/** Tables a migration rewrote (their relfilenode changed). */
export const rewrittenTables = (m: MigrationTrace) => strongestLocks(m.locks).filter((l) => l.rewritten).map((l) => l.table);
