/** Child process for the determinism spec: prints {table: sha256 of its COPY text} for argv seed, scale. */
import { createHash } from 'node:crypto';
import { copyChunks } from '../../harness/fixtures/copy-loader.ts';
import { receiptsTables } from '../../fixtures/receipts/receipts-tables.ts';

const [seed, scale] = process.argv.slice(2).map(Number) as [number, number];
const sums: Record<string, string> = {};
for (const table of receiptsTables(seed, scale)) {
  const hash = createHash('sha256');
  for (const chunk of copyChunks(table)) hash.update(chunk);
  sums[table.table] = hash.digest('hex').slice(0, 16);
}
process.stdout.write(`${JSON.stringify(sums)}\n`);
