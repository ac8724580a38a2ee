/**
 * A bound on how long each table lock of a migration was held, from the migration
 * connection's own reads of its locks (own-table-locks.ts). A lock first read after a
 * statement was not held before that statement began (a table lock, once taken, is kept
 * to the end of the transaction, so an earlier read would have shown it), and it was
 * released when the transaction ended: it was held at most from the statement's start
 * to the moment COMMIT (or ROLLBACK) answered. Per table: the strongest mode read, and
 * the longest such bound of a hold in that mode.
 */
import { lockStrength } from '../judge/lock-modes.ts';
import type { OwnLock } from './own-table-locks.ts';

export interface HeldLock extends OwnLock {
  /** Upper bound of the longest hold of `mode`, ms: statement start to transaction end. */
  heldAtMostMs: number;
}

export class HeldLocks {
  /** The open transaction's locks: per table the strongest mode, since the start of the statement that first showed it. */
  private open = new Map<number, OwnLock & { since: number }>();
  private ended = new Map<number, HeldLock>();

  /** The locks read after a statement that began at `since` (performance.now()). */
  seen(locks: readonly OwnLock[], since: number): void {
    for (const lock of locks) {
      const known = this.open.get(lock.oid);
      if (!known || lockStrength(lock.mode) > lockStrength(known.mode)) this.open.set(lock.oid, { ...lock, since });
      // A table the transaction renamed is named as it is now.
      else known.table = lock.table;
    }
  }

  /** The transaction ended, its answer received at `at`: every lock it held is released. */
  released(at: number): void {
    for (const { oid, table, mode, since } of this.open.values()) {
      const hold: HeldLock = { oid, table, mode, heldAtMostMs: at - since };
      const before = this.ended.get(oid);
      const stronger = !before || lockStrength(mode) > lockStrength(before.mode);
      if (stronger || (mode === before.mode && hold.heldAtMostMs > before.heldAtMostMs)) this.ended.set(oid, hold);
      else before.table = table;
    }
    this.open.clear();
  }

  /** Per table, the strongest mode held and the bound of its longest hold. */
  get locks(): HeldLock[] {
    return [...this.ended.values()];
  }
}
