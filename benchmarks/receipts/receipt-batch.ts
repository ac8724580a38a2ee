/**
 * A batch of receipts rows as an application would send them (text values), and the
 * two ways the write-cost suites load it: COPY, and batched INSERT ... SELECT FROM
 * unnest(arrays) (12 array parameters per statement whatever the row count).
 */
import { finished } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

const COLUMNS = ['id', 'receipt_number', 'vendor_id', 'product_id', 'job_site_id', 'date_key', 'purchase_date', 'quantity', 'unit_price', 'total_amount', 'payment_method', 'is_bulk'];
const TYPES = ['bigint', 'text', 'integer', 'integer', 'integer', 'integer', 'date', 'integer', 'numeric', 'numeric', 'text', 'boolean'];
const columnList = COLUMNS.map((c) => pg.escapeIdentifier(c)).join(', ');

/** The index of total_amount in a batch row. */
export const TOTAL_AMOUNT = COLUMNS.indexOf('total_amount');

/** The first `rows` receipts by id, as text. */
export async function readBatch(client: pg.Client, rows: number): Promise<string[][]> {
  const { rows: batch } = await client.query({
    text: `SELECT ${COLUMNS.map((c) => `${pg.escapeIdentifier(c)}::text`).join(', ')} FROM receipts ORDER BY id LIMIT $1`,
    values: [rows],
    rowMode: 'array',
  });
  if (batch.length !== rows) throw new Error(`receipts has ${batch.length} rows, the batch needs ${rows}`);
  return batch as string[][];
}

/** COPY the batch into `table` (an already quoted identifier). */
export async function copyBatch(client: pg.Client, table: string, rows: string[][]): Promise<void> {
  const stream = client.query(copyFrom(`COPY ${table} (${columnList}) FROM STDIN`));
  stream.end(rows.map((row) => row.join('\t')).join('\n') + '\n');
  await finished(stream);
}

/** INSERT the batch into `table` (quoted), `perStatement` rows per statement, in one transaction. */
export async function insertBatch(client: pg.Client, table: string, rows: string[][], perStatement = 1_000): Promise<void> {
  const unnest = TYPES.map((t, i) => `$${i + 1}::${t}[]`).join(', ');
  await client.query('BEGIN');
  try {
    for (let at = 0; at < rows.length; at += perStatement) {
      const batch = rows.slice(at, at + perStatement);
      await client.query(`INSERT INTO ${table} (${columnList}) SELECT * FROM unnest(${unnest})`, COLUMNS.map((_, c) => batch.map((row) => row[c])));
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}
