/**
 * The load driver: `clients` connections run a weighted mix of transactions against
 * one database for `durationMs` (or until `maxTransactions`), then stop by themselves.
 *
 * - closed loop (default): a client sends its next transaction as soon as the previous
 *   one ends: the server's maximum throughput at this concurrency.
 * - open loop: each client follows its own Poisson schedule (rate / clients, like
 *   pgbench --rate) and a transaction's latency is measured from its *scheduled* start:
 *   when the server stalls, the queue that builds up is in the figures (no
 *   "coordinated omission"). With `latencyLimitMs`, a transaction whose client is free
 *   only after scheduled + limit is skipped, and a completed one over the limit is late
 *   (pgbench --latency-limit).
 *
 * Per transaction type: completed count, HDR latency histogram, errors by SQLSTATE,
 * retries of serialization failures and deadlocks. An error thrown by the caller's own
 * code (no SQLSTATE) is a bug, not a measurement: it stops the run and is rethrown.
 */
import pg from 'pg';
import { RowRandom, WeightedIndex } from '../fixtures/row-random.ts';
import { LatencyHistogram } from './latency-histogram.ts';
import type { LoadTransaction, TransactionContext } from './load-transaction.ts';
import { LockWaitSampler } from './lock-wait-sampler.ts';
import { isLoopbackUri } from './loopback.ts';
import { PoissonSchedule } from './poisson-schedule.ts';
import { RETRYABLE_SQLSTATES, sqlstateOf } from '../postgres/sqlstate.ts';

export type LoadMode = 'closed' | 'open';

export interface LoadOptions {
  /** Database to load; connections go to this URI only (a loopback server in the suite). */
  uri: string;
  /** The mix. */
  transactions: readonly LoadTransaction[];
  /** Client connections, each running one transaction at a time. @default 4 */
  clients?: number;
  /** @default 'closed' */
  mode?: LoadMode;
  /** Open loop: target rate of all clients together, transactions per second. Required when mode is 'open'. */
  rate?: number;
  /** How long clients start new transactions, ms (1 .. 600,000). @default 2000 */
  durationMs?: number;
  /** Stop starting transactions after this many, all clients together. @default Infinity */
  maxTransactions?: number;
  /** Open loop: skip/late threshold, ms (pgbench --latency-limit). @default undefined (none) */
  latencyLimitMs?: number;
  /** Seed of the clients' PRNG streams (client i draws from stream (seed, i)). @default 1 */
  seed?: number;
  /** Reruns of one transaction after 40001/40P01 before it counts as an error. @default 5 */
  maxRetries?: number;
  /** `SET` for every client connection. @default {} */
  settings?: Record<string, string>;
  /** A server-side bound on any one statement, ms: nothing can hang the run. @default 60000 */
  statementTimeoutMs?: number;
  /** Work repeated in a loop, each on its own connection, while the clients run (a REFRESH, a batch job). @default [] */
  background?: readonly ((client: pg.Client) => Promise<unknown>)[];
  /** Sample the sessions waiting on locks every 10 ms. @default false */
  sampleLockWaits?: boolean;
}

export interface TransactionStats {
  name: string;
  completed: number;
  histogram: LatencyHistogram;
  errors: Map<string, number>;
  retries: number;
  late: number;
  skipped: number;
}

export interface LoadRun {
  mode: LoadMode;
  clients: number;
  /** From the first start to the last completion, ms. */
  elapsedMs: number;
  /** Per transaction type, in the order of the mix. */
  transactions: TransactionStats[];
  /** Open loop: time between scheduled and actual start, over all transactions. */
  scheduleLag: LatencyHistogram;
  /** Mean sessions waiting on a lock, when sampled. */
  lockWaits: number | null;
  /** Completed transactions of all types. */
  completed: number;
}

const STREAM = 0x10ad;

function checkOptions(o: LoadOptions) {
  const clients = o.clients ?? 4;
  const mode = o.mode ?? 'closed';
  const durationMs = o.durationMs ?? 2000;
  // N clients at full speed is a stress test: only ever against a server on this machine.
  if (!isLoopbackUri(o.uri)) throw new RangeError('load: uri must name a loopback host (127.0.0.1, ::1, localhost): the driver loads servers on this machine only');
  if (!Number.isInteger(clients) || clients < 1 || clients > 64) throw new RangeError(`load: clients must be an integer from 1 to 64 (got ${o.clients})`);
  if (mode !== 'closed' && mode !== 'open') throw new RangeError(`load: mode must be 'closed' or 'open' (got ${JSON.stringify(o.mode)})`);
  if (!(durationMs > 0 && durationMs <= 600_000)) throw new RangeError(`load: durationMs must be > 0 and <= 600000 (got ${o.durationMs})`);
  if (mode === 'open' && !(o.rate! > 0)) throw new RangeError(`load: mode 'open' needs rate > 0 transactions per second (got ${o.rate})`);
  if (o.latencyLimitMs !== undefined && !(o.latencyLimitMs > 0)) throw new RangeError(`load: latencyLimitMs must be > 0 (got ${o.latencyLimitMs})`);
  if (!o.transactions.length) throw new RangeError('load: transactions must name at least one transaction');
  const names = new Set<string>();
  for (const t of o.transactions) {
    if (names.has(t.name)) throw new RangeError(`load: transaction name ${JSON.stringify(t.name)} is used twice`);
    names.add(t.name);
    if (!t.sql === !t.run) throw new RangeError(`load: transaction ${JSON.stringify(t.name)} needs exactly one of sql or run`);
  }
  return { clients, mode, durationMs, maxTransactions: o.maxTransactions ?? Infinity, maxRetries: o.maxRetries ?? 5, seed: o.seed ?? 1 };
}

async function connect(uri: string, name: string, settings: Record<string, string>): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: uri, application_name: name.slice(0, 63) });
  // A server-side error on an idle connection (terminated backend) must not crash the process.
  client.on('error', () => undefined);
  await client.connect();
  for (const [key, value] of Object.entries(settings)) await client.query('SELECT set_config($1, $2, false)', [key, value]);
  return client;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runLoad(options: LoadOptions): Promise<LoadRun> {
  const { clients: clientCount, mode, durationMs, maxTransactions, maxRetries, seed } = checkOptions(options);
  const settings = { statement_timeout: String(options.statementTimeoutMs ?? 60_000), ...options.settings };
  const mix = options.transactions;
  const weights = new WeightedIndex(mix.map((t) => t.weight ?? 1));
  const stats: TransactionStats[] = mix.map((t) => ({ name: t.name, completed: 0, histogram: new LatencyHistogram(), errors: new Map(), retries: 0, late: 0, skipped: 0 }));
  const scheduleLag = new LatencyHistogram();

  const clients: pg.Client[] = [];
  const background: pg.Client[] = [];
  let sampler: LockWaitSampler | undefined;
  let started = 0;
  let failure: unknown;
  let running = true;
  try {
    for (let i = 0; i < clientCount; i++) clients.push(await connect(options.uri, `schemabench load client ${i}`, settings));
    for (let i = 0; i < (options.background?.length ?? 0); i++) background.push(await connect(options.uri, `schemabench load background ${i}`, settings));
    if (options.sampleLockWaits) {
      sampler = new LockWaitSampler(options.uri);
      await sampler.start();
    }

    const execute = async (index: number, ctx: TransactionContext): Promise<boolean> => {
      const tx = mix[index]!;
      const s = stats[index]!;
      for (let attempt = 0; ; attempt++) {
        try {
          if (tx.sql) await ctx.client.query({ name: `schemabench_load_${index}`, text: tx.sql, values: tx.params?.(ctx) ?? [] });
          else await tx.run!(ctx);
          return true;
        } catch (error) {
          const state = sqlstateOf(error);
          if (state === 'client') throw error;
          // The transaction is aborted server-side; end it so the connection is usable again.
          if (tx.run) await ctx.client.query('ROLLBACK');
          if (RETRYABLE_SQLSTATES.has(state) && attempt < maxRetries) {
            s.retries++;
            continue;
          }
          s.errors.set(state, (s.errors.get(state) ?? 0) + 1);
          return false;
        }
      }
    };

    const t0 = performance.now();
    const end = t0 + durationMs;
    let lastDone = t0;
    const stopped = () => !running || failure !== undefined;
    const loops = clients.map(async (client, clientIndex) => {
      const random = new RowRandom().at(seed, STREAM, clientIndex);
      const schedule = mode === 'open' ? new PoissonSchedule(options.rate! / clientCount, random, t0) : undefined;
      const ctx: TransactionContext = { client, random, clientIndex, iteration: 0 };
      try {
        for (;;) {
          let start = performance.now();
          const scheduled = schedule ? schedule.take() : start;
          if (scheduled >= end || start >= end || started >= maxTransactions || stopped()) break;
          const index = weights.draw(random);
          if (schedule) {
            if (scheduled > start) {
              await sleep(scheduled - start);
              // Other clients ran meanwhile: the count may be reached, or the run failed.
              if (started >= maxTransactions || stopped()) break;
            }
            start = performance.now();
            if (options.latencyLimitMs !== undefined && start - scheduled > options.latencyLimitMs) {
              stats[index]!.skipped++;
              continue;
            }
            scheduleLag.record(Math.max(0, start - scheduled));
          }
          started++;
          const ok = await execute(index, ctx);
          ctx.iteration++;
          const done = performance.now();
          lastDone = Math.max(lastDone, done);
          if (!ok) continue;
          const latency = done - scheduled;
          const s = stats[index]!;
          s.completed++;
          s.histogram.record(latency);
          if (options.latencyLimitMs !== undefined && schedule && latency > options.latencyLimitMs) s.late++;
        }
      } catch (error) {
        failure ??= error;
      }
    });
    const backgroundLoops = background.map(async (client, i) => {
      try {
        while (!stopped() && performance.now() < end) await options.background![i]!(client);
      } catch (error) {
        failure ??= error;
      }
    });
    await Promise.all(loops);
    running = false;
    await Promise.all(backgroundLoops);
    const lockWaits = sampler ? await sampler.stop() : null;
    sampler = undefined;
    if (failure !== undefined) throw failure;
    return {
      mode,
      clients: clientCount,
      // Stopped by the count: the run ended with its last transaction; else at the deadline or after it.
      elapsedMs: (started >= maxTransactions ? lastDone : Math.max(lastDone, end)) - t0,
      transactions: stats,
      scheduleLag,
      lockWaits,
      completed: stats.reduce((a, s) => a + s.completed, 0),
    };
  } finally {
    running = false;
    await sampler?.stop().catch(() => undefined);
    await Promise.all([...clients, ...background].map((c) => c.end().catch(() => undefined)));
  }
}
