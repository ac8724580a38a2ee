/**
 * N application clients running their own loop of short operations against the
 * database while something else (a migration step) runs. Every operation's start and
 * latency is kept, so the time a step made the application wait can be read per step
 * window. Loops are bounded: they stop when told, or after `maxMs` at the latest.
 */
import pg from 'pg';
import { quantile } from '../bench/statistics.ts';

export type Operation = (client: pg.Client, clientIndex: number, iteration: number) => Promise<unknown>;

export interface LoadWindowStats {
  operations: number;
  errors: number;
  /** Longest single operation, ms: the longest a client was kept waiting. */
  longestMs: number;
  p50Ms: number;
  p99Ms: number;
}

interface Sample {
  start: number;
  ms: number;
  ok: boolean;
}

export class ApplicationLoad {
  private clients: pg.Client[] = [];
  private samples: Sample[] = [];
  private running = false;
  private loops: Promise<void>[] = [];
  /** Each client's operation in progress (undefined between operations). */
  private inFlight: (Promise<unknown> | undefined)[] = [];
  readonly errors: string[] = [];

  constructor(
    private readonly uri: string,
    private readonly operations: Operation[],
    private readonly clientCount = 4,
    /** Pause between one client's operations, ms: an application, not a stress test. */
    private readonly thinkMs = 2,
    private readonly maxMs = 600_000,
  ) {}

  /** The first 20 error messages are kept: enough to say what went wrong, bounded under a storm. */
  private recordError(error: Error): void {
    if (this.errors.length < 20) this.errors.push(error.message);
  }

  async start(): Promise<void> {
    this.clients = Array.from({ length: this.clientCount }, (_, i) => new pg.Client({ connectionString: this.uri, application_name: `schemabench app client ${i}` }));
    // A session the server ends between two operations (a terminated backend, a restart) makes
    // pg emit 'error' on the idle client; without a listener that is an uncaught exception.
    // It is an application error like any other: counted, and the next operation fails.
    for (const c of this.clients) c.on('error', (error) => this.recordError(error));
    await Promise.all(this.clients.map((c) => c.connect()));
    this.running = true;
    const deadline = performance.now() + this.maxMs;
    this.loops = this.clients.map(async (client, index) => {
      for (let i = 0; this.running && performance.now() < deadline; i++) {
        const op = this.operations[i % this.operations.length]!;
        const start = performance.now();
        let ok = true;
        try {
          await (this.inFlight[index] = op(client, index, i));
        } catch (error) {
          ok = false;
          this.recordError(error as Error);
        } finally {
          this.inFlight[index] = undefined;
        }
        this.samples.push({ start, ms: performance.now() - start, ok });
        if (this.thinkMs > 0) await new Promise((r) => setTimeout(r, this.thinkMs));
      }
    });
  }

  /**
   * Resolves when every operation in progress at the call has finished (failed ones
   * included); operations started after the call are not waited for. After a change to
   * what the operations do (a new release of the application), this is the moment no
   * operation of the old behaviour is left: an autocommitted statement has committed
   * before its client gets the answer.
   */
  async settle(): Promise<void> {
    await Promise.allSettled(this.inFlight.filter((p) => p !== undefined));
  }

  /** Operations that overlapped [from, to] (performance.now() times). */
  window(from: number, to: number): LoadWindowStats {
    const inside = this.samples.filter((s) => s.start <= to && s.start + s.ms >= from);
    const ms = inside.map((s) => s.ms);
    return {
      operations: inside.length,
      errors: inside.filter((s) => !s.ok).length,
      longestMs: ms.length ? Math.max(...ms) : 0,
      p50Ms: ms.length ? quantile(ms, 0.5) : 0,
      p99Ms: ms.length ? quantile(ms, 0.99) : 0,
    };
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
    await Promise.all(this.clients.map((c) => c.end()));
  }
}
