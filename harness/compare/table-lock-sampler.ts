/**
 * Samples, from its own connection and every `intervalMs`, the table locks one backend
 * (the migration's) holds on every user table, and which application clients wait on a
 * lock. A lock on an index is counted on its table (pg_index.indrelid): a CREATE INDEX
 * locks the table it indexes. Per table it keeps the strongest mode seen and, for each
 * strength, the longest contiguous stretch during which a mode at least that strong was
 * seen held (first sample to last: a lock seen once counts 0 ms).
 *
 * What sampling cannot see: a lock held for less than the interval may be missed, and a
 * stretch is short by up to one interval at each end. Two holds are told apart by the
 * holder's transaction (pg_locks.virtualtransaction), so statements committed one by
 * one never add up to one long hold, however close together they run. Relations
 * created by the migration's still-open transaction are invisible to this connection
 * (MVCC) and not counted; they had no rows to block.
 *
 * Only indexes that existed when sampling started count on their table. PostgreSQL makes
 * a committing transaction visible before it releases its locks (CommitTransaction:
 * ProcArrayEndTransaction, then the locks), so a sample can see an index the transaction
 * just created, and the ACCESS EXCLUSIVE lock on it that CREATE INDEX takes, while the
 * table itself only ever had SHARE. The migration's own reads (own-table-locks.ts) name
 * a strong lock on such an index when a later statement takes one.
 */
import pg from 'pg';
import { BLOCKS_WRITES, LOCK_MODES, lockStrength } from '../judge/lock-modes.ts';
import { TABLE_NAME, USER_TABLE } from './user-tables.ts';

export interface SampledLock {
  /** pg_class oid of the table (a table renamed by the migration keeps it). */
  oid: number;
  /** Its name at the last sample that saw it (bare in `public`, `schema.table` elsewhere). */
  table: string;
  /** Strongest mode seen held. */
  mode: string;
  /** Longest contiguous time `mode` was seen held, ms. */
  heldMs: number;
  /** Longest contiguous time a mode of SHARE or stronger (writes wait) was seen held, ms; 0 when none was seen. */
  blocksWritesMs: number;
}

export interface LockSample {
  locks: SampledLock[];
  /** Longest contiguous time one application client was seen waiting on a lock (wait_event_type 'Lock'), ms. */
  longestClientLockWaitMs: number;
  samples: number;
  intervalMs: number;
}

const SAMPLE = `
  SELECT (SELECT json_agg(json_build_object('oid', x.oid, 'table', x.name, 'mode', x.mode, 'tx', x.tx))
            FROM (SELECT DISTINCT c.oid::int AS oid, ${TABLE_NAME} AS name, l.mode, l.virtualtransaction AS tx
                    FROM pg_locks l
                    JOIN pg_class r ON r.oid = l.relation
                    LEFT JOIN pg_index i ON i.indexrelid = r.oid AND i.indexrelid = ANY($3::oid[])
                    JOIN pg_class c ON c.oid = coalesce(i.indrelid, r.oid)
                    JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE l.pid = $1 AND l.granted AND l.locktype = 'relation'
                     AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                     AND ${USER_TABLE}) x) AS locks,
         (SELECT array_agg(pid) FROM pg_stat_activity
           WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> $1
             AND application_name LIKE $2) AS waiting`;

interface SeenLock {
  oid: number;
  table: string;
  mode: string;
  /** The holder's virtual transaction id: one per transaction of the backend. */
  tx: string;
}

interface TableRun {
  table: string;
  strongest: number;
  /** Index = strength: when the current stretch at that strength or stronger began. */
  since: (number | undefined)[];
  longest: number[];
}

export class TableLockSampler {
  private readonly client: pg.Client;
  private running = false;
  private loop: Promise<void> | undefined;
  private failure: Error | undefined;
  private tables = new Map<number, TableRun>();
  private waitingSince = new Map<number, number>();
  private longestWait = 0;
  private samples = 0;
  private lastTx: string | undefined;

  /**
   * @param uri the migrated database
   * @param applicationName LIKE pattern naming the application clients' connections
   * @param intervalMs pause between samples @default 5
   */
  constructor(
    uri: string,
    private readonly applicationName = 'schemabench app client%',
    readonly intervalMs = 5,
  ) {
    if (!(intervalMs >= 0)) throw new Error(`intervalMs must be a number >= 0 (got ${intervalMs})`);
    this.client = new pg.Client({ connectionString: uri, application_name: 'schemabench lock sampler' });
    this.client.on('error', () => undefined);
  }

  /** Samples recorded since start(). */
  get sampleCount(): number {
    return this.samples;
  }

  async connect(): Promise<void> {
    await this.client.connect();
  }

  /** Start sampling the locks backend `pid` holds, once the indexes that exist now are read. */
  async start(pid: number): Promise<void> {
    const { rows: indexes } = await this.client.query<{ oid: number }>('SELECT indexrelid::int AS oid FROM pg_index');
    const known = indexes.map((i) => i.oid);
    this.tables = new Map();
    this.waitingSince = new Map();
    this.longestWait = 0;
    this.samples = 0;
    this.lastTx = undefined;
    this.failure = undefined;
    this.running = true;
    this.loop = (async () => {
      try {
        while (this.running) {
          const { rows } = await this.client.query<{ locks: SeenLock[] | null; waiting: number[] | null }>({
            name: 'schemabench_table_lock_sample',
            text: SAMPLE,
            values: [pid, this.applicationName, known],
          });
          this.record(performance.now(), rows[0]!.locks ?? [], rows[0]!.waiting ?? []);
          await new Promise((r) => setTimeout(r, this.intervalMs));
        }
      } catch (error) {
        // Kept for stop(): a rejection nobody awaits yet would be reported as unhandled.
        this.failure = error as Error;
      }
    })();
  }

  private record(now: number, locks: SeenLock[], waiting: number[]): void {
    this.samples++;
    // A lock seen in two samples is one hold only if the same transaction held it both
    // times: statements committed one by one, back to back, release and retake theirs.
    const tx = locks[0]?.tx;
    if (tx !== undefined && tx !== this.lastTx) for (const run of this.tables.values()) run.since = [];
    if (tx !== undefined) this.lastTx = tx;
    const strength = new Map<number, number>();
    for (const { oid, table, mode } of locks) {
      strength.set(oid, Math.max(strength.get(oid) ?? 0, lockStrength(mode)));
      const run = this.tables.get(oid);
      if (run) run.table = table;
      else this.tables.set(oid, { table, strongest: 0, since: [], longest: Array<number>(LOCK_MODES.length + 1).fill(0) });
    }
    for (const [oid, run] of this.tables) {
      const level = strength.get(oid) ?? 0;
      run.strongest = Math.max(run.strongest, level);
      for (let s = 1; s <= LOCK_MODES.length; s++) {
        if (s <= level) {
          run.since[s] ??= now;
          run.longest[s] = Math.max(run.longest[s]!, now - run.since[s]!);
        } else {
          run.since[s] = undefined;
        }
      }
    }
    const nowWaiting = new Set(waiting);
    for (const [pid, since] of this.waitingSince) {
      if (nowWaiting.has(pid)) this.longestWait = Math.max(this.longestWait, now - since);
      else this.waitingSince.delete(pid);
    }
    for (const pid of nowWaiting) if (!this.waitingSince.has(pid)) this.waitingSince.set(pid, now);
  }

  /** Stop sampling; what was seen since start(). Throws if a sample failed. */
  async stop(): Promise<LockSample> {
    this.running = false;
    await this.loop;
    if (this.failure) throw new Error(`lock sampler: ${this.failure.message}`);
    const locks = [...this.tables]
      .filter(([, run]) => run.strongest > 0)
      .map(([oid, run]) => ({
        oid,
        table: run.table,
        mode: LOCK_MODES[run.strongest - 1]!,
        heldMs: run.longest[run.strongest]!,
        blocksWritesMs: run.strongest >= BLOCKS_WRITES ? run.longest[BLOCKS_WRITES]! : 0,
      }))
      .sort((a, b) => a.table.localeCompare(b.table));
    return { locks, longestClientLockWaitMs: this.longestWait, samples: this.samples, intervalMs: this.intervalMs };
  }

  async close(): Promise<void> {
    this.running = false;
    await this.loop;
    await this.client.end().catch(() => undefined);
  }
}
