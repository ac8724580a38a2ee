/**
 * Seed 004, "Materialized Views Trade Refresh for Speed": what a refresh costs, plain
 * vs CONCURRENTLY, and what each does to readers. A plain REFRESH takes ACCESS
 * EXCLUSIVE on the view (readers wait for the whole refresh); CONCURRENTLY takes
 * EXCLUSIVE (readers go on; writers and other refreshes wait), needs a unique index
 * (migration 0001), and costs more: it computes the new result and merges the diff.
 */
import pg from 'pg';
import { benchmarkSuite, type MetricInput, withConnection } from 'schemabench';
import { refreshConcurrently, refreshPlain, VIEWS } from './matview-cases.ts';

const VIEW = 'mv_spend_by_category_site_vendor';

async function connect(uri: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: uri });
  await client.connect();
  return client;
}

/**
 * While `refresher` holds the refresh's lock (refresh done, transaction still open),
 * can a reader with lock_timeout=200ms read the view? Deterministic: it depends on
 * the lock mode only.
 */
async function readerBlocked(uri: string, concurrently: boolean): Promise<boolean> {
  const [refresher, reader] = await Promise.all([connect(uri), connect(uri)]);
  try {
    await refresher.query('BEGIN');
    await refresher.query(`REFRESH MATERIALIZED VIEW ${concurrently ? 'CONCURRENTLY ' : ''}${VIEW}`);
    await reader.query("SET lock_timeout = '200ms'");
    const outcome = await reader.query(`SELECT count(*) FROM ${VIEW}`).then(
      () => 'read',
      (e: { code?: string }) => e.code,
    );
    await refresher.query('COMMIT');
    if (outcome !== 'read' && outcome !== '55P03') throw new Error(`reader failed with SQLSTATE ${outcome}`);
    return outcome === '55P03';
  } finally {
    await Promise.all([refresher.end(), reader.end()]);
  }
}

/** Longest wait of a reader polling the view while a refresh runs (ms). */
async function longestReaderWait(uri: string, concurrently: boolean): Promise<number> {
  const [refresher, reader] = await Promise.all([connect(uri), connect(uri)]);
  try {
    let done = false;
    let longest = 0;
    const poll = (async () => {
      while (!done) {
        const started = performance.now();
        await reader.query(`SELECT sum(total_spent) FROM ${VIEW}`);
        longest = Math.max(longest, performance.now() - started);
      }
    })();
    await new Promise((r) => setTimeout(r, 20));
    for (let i = 0; i < 3; i++) await refresher.query(`REFRESH MATERIALIZED VIEW ${concurrently ? 'CONCURRENTLY ' : ''}${VIEW}`);
    done = true;
    await poll;
    return longest;
  } finally {
    await Promise.all([refresher.end(), reader.end()]);
  }
}

benchmarkSuite('receipts', ({ compare, inspect }) => {
  // Reported: CONCURRENTLY computes the full result and then diffs it into the view.
  compare({ baseline: refreshConcurrently, candidate: refreshPlain, measure: { rounds: 5, roundMs: 200, minIterations: 1 } });

  inspect('receipts/matview/readers-during-refresh', async ({ uri }, record, check) => {
    const plainBlocks = await readerBlocked(uri, false);
    const concurrentBlocks = await readerBlocked(uri, true);
    const waits = { plain: await longestReaderWait(uri, false), concurrently: await longestReaderWait(uri, true) };
    const metrics: MetricInput[] = [
      { name: 'receipts/matview/reader-blocked[plain]', value: Number(plainBlocks), unit: 'bool' },
      { name: 'receipts/matview/reader-blocked[concurrently]', value: Number(concurrentBlocks), unit: 'bool' },
      { name: 'receipts/matview/longest-reader-wait[plain]', value: waits.plain, unit: 'ms' },
      { name: 'receipts/matview/longest-reader-wait[concurrently]', value: waits.concurrently, unit: 'ms' },
    ];
    metrics.forEach(record);
    check(plainBlocks, 'a plain REFRESH should block readers (ACCESS EXCLUSIVE), but the reader read');
    check(!concurrentBlocks, 'REFRESH ... CONCURRENTLY should not block readers (EXCLUSIVE), but the reader timed out');
  });

  inspect('receipts/matview/storage', ({ uri }, record) =>
    withConnection(uri, async (client) => {
      for (const view of VIEWS) {
        const { rows } = await client.query<{ bytes: string; rows: string }>(
          `SELECT pg_total_relation_size($1::regclass)::text AS bytes, (SELECT count(*) FROM ${pg.escapeIdentifier(view)})::text AS rows`,
          [view],
        );
        record({ name: `receipts/matview/size[${view}]`, value: Number(rows[0]!.bytes), unit: 'bytes', params: { rows: Number(rows[0]!.rows) } });
      }
    }),
  );
});
