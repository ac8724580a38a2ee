/**
 * Write amplification: every secondary index is one more B-tree to insert into (and
 * WAL to write) for every row. Writers insert receipts in batches of 10 into twin
 * tables of receipts (a copy of its 100k rows, primary key only) that carry 0, 1, 3
 * or 5 secondary indexes; 4 clients, closed loop, variants interleaved.
 */
import pg from 'pg';
import { benchmarkSuite, calibrated, type LoadVariant } from 'schemabench';

const CLIENTS = 4;
const BATCH = 10;
/** Secondary indexes, in the order they are added (the first k for k indexes). */
const INDEXED = ['vendor_id', 'purchase_date', 'product_id', 'job_site_id', 'total_amount'];
const COLUMNS = ['id', 'receipt_number', 'vendor_id', 'product_id', 'job_site_id', 'date_key', 'purchase_date', 'quantity', 'unit_price', 'total_amount', 'payment_method', 'is_bulk'];
const TYPES = ['bigint', 'text', 'integer', 'integer', 'integer', 'integer', 'date', 'integer', 'numeric', 'numeric', 'text', 'boolean'];
/** Ids of inserted rows start far above the generated ones (100k per scale unit). */
const FIRST_ID = 1_000_000_000;

function twin(indexes: number): LoadVariant {
  const table = pg.escapeIdentifier(`load_twin_${indexes}`);
  const source: string[][] = [];
  let next = FIRST_ID;
  const insert = `INSERT INTO ${table} (${COLUMNS.map((c) => pg.escapeIdentifier(c)).join(', ')}) SELECT * FROM unnest(${TYPES.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})`;
  return {
    name: `${indexes}-indexes`,
    transactions: [
      {
        name: 'insert-10',
        sql: insert,
        params: ({ random }) => {
          const rows = Array.from({ length: BATCH }, () => random.pick(source));
          const ids = rows.map(() => next++);
          return COLUMNS.map((_, c) => (c === 0 ? ids : c === 1 ? ids.map((id) => `L-${id}`) : rows.map((r) => r[c])));
        },
      },
    ],
    async setup(client) {
      await client.query(`DROP TABLE IF EXISTS ${table}`);
      await client.query(`CREATE TABLE ${table} AS SELECT * FROM receipts`);
      await client.query(`ALTER TABLE ${table} ADD PRIMARY KEY (id)`);
      for (const column of INDEXED.slice(0, indexes)) await client.query(`CREATE INDEX ON ${table} (${pg.escapeIdentifier(column)})`);
      await client.query(`VACUUM ANALYZE ${table}`);
      const { rows } = await client.query({ text: `SELECT ${COLUMNS.map((c) => `${pg.escapeIdentifier(c)}::text`).join(', ')} FROM receipts ORDER BY id LIMIT 1000`, rowMode: 'array' });
      source.push(...(rows as string[][]));
    },
    async teardown(client) {
      await client.query(`DROP TABLE IF EXISTS ${table}`);
    },
  };
}

benchmarkSuite('receipts', ({ load }) => {
  load({
    name: 'receipts/load/write-amplification',
    clients: CLIENTS,
    intervalMs: 300,
    intervals: 8,
    warmupMs: 200,
    variants: [twin(0), twin(1), twin(3), twin(5)],
    // Writers' rows/s with 0 vs k indexes: each index adds an insertion per row. Asserted at
    // 5 indexes (calibrated, calibration.json); 1 and 3 are reported.
    ratios: [
      { metric: 'throughput', numerator: '0-indexes', denominator: '1-indexes' },
      { metric: 'throughput', numerator: '0-indexes', denominator: '3-indexes' },
      { metric: 'throughput', numerator: '0-indexes', denominator: '5-indexes', atLeast: calibrated() },
    ],
  });
});
