/**
 * ApplicationLoad.settle(): the moment no operation of the old behaviour is left. It waits
 * for every operation in progress when it is called, and for none started after (issue 16:
 * an old-release INSERT still in flight when the backfill started was left without
 * vendor_id).
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ApplicationLoad, type Operation } from '../harness/migrate/application-load.ts';
import { suiteServer } from '../harness/bench/suite-server.ts';
import { until } from './helpers/cli-process.ts';

describe('application load', () => {
  it('settle() waits for the operations in flight at the call, not for later ones', async () => {
    const release = { current: 'old' as 'old' | 'new' };
    const ops: { release: 'old' | 'new'; start: number; end: number }[] = [];
    // Client 0's old operation lasts 400 ms, the others' 50 ms, and new ones 2 s: at the
    // switch (100 ms) clients 1 and 2 finish their old operation and start new ones, which
    // end long after client 0's old one (a stalled busy machine included). settle() must
    // resolve between the two. Client 0's old operation also ends only once a new one has
    // started, so a stalled machine cannot let settle() resolve before any new one started.
    const op: Operation = async (c, client) => {
      const record = { release: release.current, start: performance.now(), end: 0 };
      ops.push(record);
      await c.query('SELECT pg_sleep($1)', [record.release === 'new' ? 2 : client === 0 ? 0.4 : 0.05]);
      if (record.release === 'old' && client === 0) await until(() => ops.some((o) => o.release === 'new'), 30_000);
      record.end = performance.now();
    };
    const load = new ApplicationLoad(suiteServer().connectionUri, [op], 3);
    await load.start();
    let settledAt = 0;
    try {
      await new Promise((r) => setTimeout(r, 100));
      release.current = 'new';
      await load.settle();
      settledAt = performance.now();
    } finally {
      await load.stop();
    }
    expect(load.errors).toEqual([]);
    const old = ops.filter((o) => o.release === 'old');
    const later = ops.filter((o) => o.release === 'new');
    expect(old.every((o) => o.end > 0 && o.end <= settledAt)).toBe(true);
    // New operations were running when settle() resolved, and it did not wait for them.
    expect(later.filter((o) => o.start < settledAt).length).toBeGreaterThanOrEqual(1);
    expect(later.every((o) => o.end > settledAt)).toBe(true);
  });

  it('a session the server ends between operations is an application error, not a crash', async () => {
    const op: Operation = (c) => c.query('SELECT 1');
    // Long pauses between operations: the backend is ended while its client is idle.
    const load = new ApplicationLoad(suiteServer().connectionUri, [op], 2, 300);
    const admin = new pg.Client({ connectionString: suiteServer().connectionUri });
    await admin.connect();
    try {
      await load.start();
      await new Promise((r) => setTimeout(r, 100));
      const { rows } = await admin.query<{ ended: boolean }>("SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE application_name = 'schemabench app client 1' AND datname = current_database()");
      expect(rows).toEqual([{ ended: true }]);
      // Its next operation (300 ms later, or later on a busy machine) finds the session gone.
      await until(() => load.errors.some((e) => /not queryable/.test(e)), 10_000);
    } finally {
      await load.stop();
      await admin.end();
    }
    expect(load.errors[0]).toMatch(/terminating connection/);
    // Its next operations failed too, and were counted.
    expect(load.errors.some((e) => /not queryable/.test(e))).toBe(true);
  });
});
