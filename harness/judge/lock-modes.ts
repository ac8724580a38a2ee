/**
 * How strong a table lock is, on PostgreSQL's order (LOCK_MODES, weakest first: each mode
 * conflicts with at least the modes the one before it conflicts with, "Explicit Locking",
 * docs 13.3.1). From SHARE on, a mode conflicts with ROW EXCLUSIVE, the lock every INSERT,
 * UPDATE, DELETE and MERGE takes: writes wait. ACCESS EXCLUSIVE conflicts with ACCESS
 * SHARE too: plain SELECTs wait.
 */
import { LOCK_MODES } from './strongest-locks.ts';

export { LOCK_MODES };

/** 1 (ACCESS SHARE) to 8 (ACCESS EXCLUSIVE); 0 for a name that is not a table lock mode. */
export function lockStrength(mode: string): number {
  return LOCK_MODES.indexOf(mode as (typeof LOCK_MODES)[number]) + 1;
}

/** Strength of SHARE: this mode and every stronger one block writes. */
export const BLOCKS_WRITES = lockStrength('ShareLock');
