/**
 * Samples how many sessions of one database wait on a heavyweight lock (a row lock
 * held by another transaction shows as wait_event_type 'Lock', event 'transactionid'
 * or 'tuple'), every `everyMs`, on its own connection. The mean over the samples is
 * the average number of clients queued on locks while the load ran.
 */
import pg from 'pg';

export class LockWaitSampler {
  private samples = 0;
  private waiting = 0;
  private running = false;
  private loop: Promise<void> | undefined;
  private client: pg.Client | undefined;

  constructor(
    private readonly uri: string,
    private readonly everyMs = 10,
  ) {}

  async start(): Promise<void> {
    this.client = new pg.Client({ connectionString: this.uri, application_name: 'schemabench lock-wait sampler' });
    await this.client.connect();
    this.running = true;
    const client = this.client;
    this.loop = (async () => {
      while (this.running) {
        const { rows } = await client.query<{ n: number }>({
          name: 'schemabench_lock_waits',
          text: "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()",
        });
        this.samples++;
        this.waiting += rows[0]!.n;
        await new Promise((r) => setTimeout(r, this.everyMs));
      }
    })();
  }

  /** Stop and return the mean number of sessions waiting on a lock. */
  async stop(): Promise<number> {
    this.running = false;
    try {
      await this.loop;
    } finally {
      await this.client?.end();
    }
    return this.samples ? this.waiting / this.samples : 0;
  }
}
