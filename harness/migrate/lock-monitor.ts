/**
 * Samples pg_locks and pg_stat_activity from its own connection while a step runs:
 * which lock modes the migration's backend holds on a table, the longest stretch it
 * was seen holding ACCESS EXCLUSIVE (the mode that blocks even plain SELECTs), and the
 * longest stretch any application backend was seen waiting for a lock. Sampling every
 * few milliseconds misses what lasts less than that: a reported 0 means "shorter than
 * the sampling interval", which is the point.
 */
import pg from 'pg';

export interface LockReport {
  modes: string[];
  /** Longest contiguous time ACCESS EXCLUSIVE was observed, ms (0: never seen). */
  accessExclusiveMs: number;
  /** Longest contiguous time one application backend was seen waiting on a lock, ms. */
  longestLockWaitMs: number;
  samples: number;
  intervalMs: number;
}

export class LockMonitor {
  private client: pg.Client;
  private running = false;
  private loop: Promise<void> | undefined;
  private modes = new Set<string>();
  private aeSince: number | undefined;
  private aeLongest = 0;
  private samples = 0;
  private waitingSince = new Map<number, number>();
  private longestWait = 0;

  /** `applicationName`: a LIKE pattern naming the application's connections. */
  constructor(
    uri: string,
    private readonly table: string,
    private readonly applicationName = 'schemabench app client%',
    private readonly intervalMs = 5,
  ) {
    this.client = new pg.Client({ connectionString: uri, application_name: 'schemabench lock monitor' });
  }

  async connect(): Promise<void> {
    await this.client.connect();
  }

  /** Start sampling the locks `pid` holds on the table. */
  start(pid: number): void {
    this.modes = new Set();
    this.aeSince = undefined;
    this.aeLongest = 0;
    this.samples = 0;
    this.waitingSince = new Map();
    this.longestWait = 0;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const { rows } = await this.client.query<{ modes: string[] | null; waiting: number[] | null }>(
          `SELECT (SELECT array_agg(mode) FROM pg_locks
                    WHERE pid = $1 AND granted AND locktype = 'relation' AND relation = to_regclass($2)) AS modes,
                  (SELECT array_agg(pid) FROM pg_stat_activity
                    WHERE wait_event_type = 'Lock' AND pid <> $1 AND application_name LIKE $3) AS waiting`,
          [pid, this.table, this.applicationName],
        );
        const now = performance.now();
        this.samples++;
        const modes = rows[0]!.modes ?? [];
        modes.forEach((m) => this.modes.add(m));
        const waiting = new Set(rows[0]!.waiting ?? []);
        for (const [p, since] of this.waitingSince) {
          if (!waiting.has(p)) this.waitingSince.delete(p);
          else this.longestWait = Math.max(this.longestWait, now - since);
        }
        for (const p of waiting) if (!this.waitingSince.has(p)) this.waitingSince.set(p, now);
        if (modes.includes('AccessExclusiveLock')) {
          this.aeSince ??= now;
          this.aeLongest = Math.max(this.aeLongest, now - this.aeSince);
        } else {
          this.aeSince = undefined;
        }
        await new Promise((r) => setTimeout(r, this.intervalMs));
      }
    })();
  }

  async stop(): Promise<LockReport> {
    this.running = false;
    await this.loop;
    return { modes: [...this.modes].sort(), accessExclusiveMs: this.aeLongest, longestLockWaitMs: this.longestWait, samples: this.samples, intervalMs: this.intervalMs };
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}
