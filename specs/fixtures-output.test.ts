/**
 * No Node warning from our code reaches the user. The COPY loader once added an 'error'
 * listener to the COPY stream each time it waited for 'drain' and never removed it
 * (`MaxListenersExceededWarning ... 11 error listeners added to [CopyStreamQuery]`,
 * printed by `schemabench fixtures --scale 1`). How often a write waits depends on the
 * socket; the listeners left on the stream must not grow with the data loaded.
 */
import { EventEmitter } from 'node:events';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyText } from '../harness/fixtures/copy-loader.ts';
import { suiteServer } from '../harness/bench/suite-server.ts';
import { runCli } from './helpers/run-tsx.ts';

describe('the COPY loader', () => {
  let client: pg.Client;
  beforeAll(async () => {
    client = new pg.Client({ connectionString: suiteServer().connectionUri });
    await client.connect();
    await client.query('CREATE TEMP TABLE copy_listeners (line text)');
  });
  afterAll(() => client?.end());

  /** COPY `chunks` chunks of 64 KB (4x the stream's high-water mark); the 'error' listeners left on the stream. */
  async function errorListenersAfter(chunks: number): Promise<number> {
    let stream: EventEmitter | undefined;
    const query = client.query.bind(client) as (q: unknown) => unknown;
    const spy = { query: (q: unknown) => ((stream ??= q instanceof EventEmitter ? q : undefined), query(q)) };
    const chunk = `${'x'.repeat(1023)}\n`.repeat(64);
    const loaded = await copyText(spy as unknown as pg.Client, { table: 'copy_listeners', columns: ['line'], rows: chunks * 64 }, Array.from({ length: chunks }, () => chunk), { chunkRows: 64 });
    expect(loaded.bytes).toBe(chunks * 64 * 1024);
    return stream!.listenerCount('error');
  }

  it('leaves as many error listeners after 800 chunks as after 10, and Node warns of nothing', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    // Node's default limit, as the CLI has it (the test runner raises it in its workers).
    const limit = EventEmitter.defaultMaxListeners;
    EventEmitter.defaultMaxListeners = 10;
    try {
      const few = await errorListenersAfter(10);
      const many = await errorListenersAfter(800);
      const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM copy_listeners');
      expect(Number(rows[0]!.n)).toBe(810 * 64);
      expect(many).toBe(few);
      await new Promise((r) => setTimeout(r, 50)); // warnings are emitted on a later tick
      expect(warnings).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      EventEmitter.defaultMaxListeners = limit;
    }
  });
});

describe('schemabench fixtures output', () => {
  it('has no Node warning on stderr', async () => {
    const r = await runCli(['fixtures', '--scale', '0.05', '--provider', 'embedded'], { ...process.env, CI: '1' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/receipts\s+5,000/);
    expect(r.stderr).not.toMatch(/Warning/);
  });
});
