/** Child process for determinism specs: prints {table: sha256 of its COPY text} for argv workload, seed, scale. */
import { createHash } from 'node:crypto';
import { copyChunks } from '../../harness/fixtures/copy-loader.ts';
import { loadWorkload } from '../../harness/workloads/load-workload.ts';

const [workload, seed, scale] = process.argv.slice(2) as [string, string, string];
const sums: Record<string, string> = {};
for (const table of (await loadWorkload(workload)).tables(Number(seed), Number(scale))) {
  const hash = createHash('sha256');
  for (const chunk of copyChunks(table)) hash.update(chunk);
  sums[table.table] = hash.digest('hex').slice(0, 16);
}
process.stdout.write(`${JSON.stringify(sums)}\n`);
