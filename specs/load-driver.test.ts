/**
 * The load driver's own guarantees: histogram precision, Poisson arrivals, pgbench's
 * summary parsed, options validated, and on the run's real server: open-loop latency
 * counted from the scheduled start (a saturated server shows its queue), skipped and
 * late transactions past a latency limit, retries of 40001, errors by SQLSTATE, and a
 * caller's bug stopping the run. Light: ~4 s of single-client load on a quiet query.
 */
import { describe, expect, it } from 'vitest';
import { quantile } from '../harness/bench/statistics.ts';
import { RowRandom } from '../harness/fixtures/row-random.ts';
import { LatencyHistogram } from '../harness/load/latency-histogram.ts';
import { PoissonSchedule } from '../harness/load/poisson-schedule.ts';
import { runLoad } from '../harness/load/run-load.ts';
import { parsePgbenchOutput } from '../harness/load/run-pgbench.ts';
import { suiteServer } from '../harness/bench/suite-server.ts';

describe('load driver: pure parts', () => {
  it('the HDR histogram reports quantiles within 0.1% of the exact ones', () => {
    const random = new RowRandom().at(1, 2, 3);
    // Log-normal latencies from 0.05 ms to ~1 s: the shape of real transaction latencies.
    const values = Array.from({ length: 20_000 }, () => Math.exp(-1 + 2.5 * Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next())));
    const h = new LatencyHistogram();
    for (const v of values) h.record(v);
    const s = h.summary();
    for (const [q, got] of [[0.5, s.p50], [0.95, s.p95], [0.99, s.p99], [0.999, s.p999]] as const) {
      const exact = [...values].sort((a, b) => a - b)[Math.ceil(q * values.length) - 1]!;
      // 3 significant digits, plus the microsecond rounding of the recorded value.
      expect(Math.abs(got - exact)).toBeLessThanOrEqual(exact * 0.001 + 0.001);
    }
    expect(s.max).toBeCloseTo(Math.max(...values), 2);
    expect(s.n).toBe(values.length);
    expect(quantile(values, 0.5)).toBeGreaterThan(0);
  });

  it('Poisson arrivals have the requested mean gap and exponential spread (sd = mean)', () => {
    const schedule = new PoissonSchedule(500, new RowRandom().at(7, 0, 0));
    const times = Array.from({ length: 50_000 }, () => schedule.take());
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    const m = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - m) ** 2, 0) / gaps.length);
    expect(m).toBeGreaterThan(2 * 0.98);
    expect(m).toBeLessThan(2 * 1.02);
    expect(sd / m).toBeGreaterThan(0.97);
    expect(sd / m).toBeLessThan(1.03);
  });

  it("parses pgbench's summary, and refuses output without one", () => {
    const output = `pgbench (17.2)\ntransaction type: t.sql\nscaling factor: 1\nquery mode: prepared\nnumber of clients: 4\nnumber of threads: 2\nmaximum number of tries: 1\nduration: 2 s\nnumber of transactions actually processed: 61234\nnumber of failed transactions: 0 (0.000%)\nlatency average = 0.130 ms\ninitial connection time = 12.345 ms\ntps = 30617.123456 (without initial connection time)\n`;
    expect(parsePgbenchOutput(output)).toEqual({ tps: 30617.123456, transactions: 61234, latencyMs: 0.13 });
    expect(() => parsePgbenchOutput('pgbench: error: connection refused')).toThrow(/no summary/);
  });

  it('validates options with the option name', async () => {
    const base = { uri: 'postgres://127.0.0.1:1/none', transactions: [{ name: 'a', sql: 'SELECT 1' }] };
    await expect(runLoad({ ...base, uri: 'postgres://db.example.com:5432/x' })).rejects.toThrow(/loopback host/);
    await expect(runLoad({ ...base, clients: 0 })).rejects.toThrow(/clients must be an integer from 1 to 64/);
    await expect(runLoad({ ...base, mode: 'open' })).rejects.toThrow(/needs rate > 0/);
    await expect(runLoad({ ...base, durationMs: 0 })).rejects.toThrow(/durationMs/);
    await expect(runLoad({ ...base, transactions: [{ name: 'a' }] })).rejects.toThrow(/exactly one of sql or run/);
    await expect(runLoad({ ...base, transactions: [{ name: 'a', sql: 'SELECT 1' }, { name: 'a', sql: 'SELECT 2' }] })).rejects.toThrow(/used twice/);
  });
});

describe('load driver on a real server', () => {
  const uri = () => suiteServer().connectionUri;
  const sleep20 = { name: 'sleep-20ms', sql: 'SELECT pg_sleep(0.02)' };

  it('open loop: a saturated server shows its queue (latency from the scheduled start); closed loop does not', async () => {
    // One client serves at most ~50 tx/s of 20 ms each; 100 tx/s are scheduled.
    const open = await runLoad({ uri: uri(), clients: 1, mode: 'open', rate: 100, durationMs: 1000, transactions: [sleep20] });
    const closed = await runLoad({ uri: uri(), clients: 1, durationMs: 600, transactions: [sleep20] });
    const o = open.transactions[0]!.histogram.summary();
    const c = closed.transactions[0]!.histogram.summary();
    expect(c.p50).toBeGreaterThanOrEqual(20);
    // By construction, whatever the machine: arrivals are a seeded Poisson stream of 100/s (the
    // same every run: 82 in the second, the 25th at 352 ms, the 49th at 637 ms). One client
    // doing >= 20 ms each starts at most 49 of them, and the last one started ends at or after
    // the deadline: its latency is >= 363 ms. Quiet, the median is ~185 ms; with >= 20
    // completions it cannot be under 101 ms (a stall late in the second lowers it: fewer finish).
    expect(o.max).toBeGreaterThan(300);
    expect(o.p50).toBeGreaterThan(100);
    // No queue in a closed loop: its median is the statement's time, below the open loop's wait
    // (not a fixed bound: a busy machine adds its wake-up delay to each statement).
    expect(c.p50).toBeLessThan(o.p50);
    expect(open.scheduleLag.summary().max).toBeGreaterThan(200);
  });

  it('open loop with a latency limit: late ones counted, hopeless ones skipped', async () => {
    const run = await runLoad({ uri: uri(), clients: 1, mode: 'open', rate: 100, latencyLimitMs: 60, durationMs: 1000, transactions: [sleep20] });
    const t = run.transactions[0]!;
    expect(t.skipped).toBeGreaterThan(10);
    expect(t.late).toBeGreaterThan(0);
    // 82 arrivals (the seeded stream above); those scheduled while the last transaction runs
    // past the deadline are not counted. Quiet, ~72-76 are; a 0.4 s stall there leaves ~42.
    expect(t.completed + t.skipped).toBeGreaterThan(40);
  });

  it('retries serialization failures, counts other errors by SQLSTATE, rethrows a caller bug', async () => {
    const failedOnce = new Set<string>();
    const run = await runLoad({
      uri: uri(),
      clients: 2,
      maxTransactions: 40,
      durationMs: 5000,
      transactions: [
        {
          name: 'conflicting',
          async run({ client, clientIndex, iteration }) {
            const key = `${clientIndex}:${iteration}`;
            await client.query('BEGIN');
            if (!failedOnce.has(key)) {
              failedOnce.add(key);
              await client.query("DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '40001'; END $$");
            }
            await client.query('COMMIT');
          },
        },
        { name: 'bad', sql: 'SELECT 1 / $1::int', params: () => [0] },
      ],
    });
    const [conflicting, bad] = run.transactions;
    expect(conflicting!.completed).toBeGreaterThan(0);
    expect(conflicting!.retries).toBe(conflicting!.completed);
    expect(conflicting!.errors.size).toBe(0);
    expect(bad!.completed).toBe(0);
    expect(Object.fromEntries(bad!.errors)).toEqual({ '22012': 40 - conflicting!.completed });
    await expect(runLoad({ uri: uri(), clients: 1, durationMs: 1000, transactions: [{ name: 'bug', run: async () => { throw new Error('pool used up'); } }] })).rejects.toThrow('pool used up');
  });
});
