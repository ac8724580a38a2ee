/**
 * PostgreSQL's table-level lock modes as pg_locks names them, weakest first: each mode
 * conflicts with at least the modes the one before it conflicts with (the conflict
 * table of "Explicit Locking", docs 13.3.1). From SHARE on, a mode conflicts with ROW
 * EXCLUSIVE, the lock every INSERT, UPDATE, DELETE and MERGE takes: writes wait. ACCESS
 * EXCLUSIVE conflicts with ACCESS SHARE too: plain SELECTs wait.
 */
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

export type LockMode = (typeof LOCK_MODES)[number];

/** 1 (ACCESS SHARE) to 8 (ACCESS EXCLUSIVE); 0 for a name that is not a table lock mode. */
export function lockStrength(mode: string): number {
  return LOCK_MODES.indexOf(mode as LockMode) + 1;
}

/** Strength of SHARE: this mode and every stronger one block writes. */
export const BLOCKS_WRITES = lockStrength('ShareLock');
