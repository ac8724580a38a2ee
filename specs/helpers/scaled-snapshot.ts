/**
 * Child process for the --plan-at proof: in the project its run descriptor names, builds a
 * workload's dataset at a small scale on an embedded PostgreSQL 18, captures its statistics
 * as `schemabench stats capture` would, and writes them scaled by a factor (row and page
 * counts, sizes) as that project's production snapshot: a production `factor` times the
 * size of the rows, without building it. Args: workload, scale, factor.
 */
import { writeFileSync } from 'node:fs';
import pg from 'pg';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { copyDataset, ensureDataset } from '../../harness/fixtures/dataset-cache.ts';
import { startPostgres } from '../../harness/postgres/start-postgres.ts';
import { projectPath } from '../../harness/project-root.ts';
import { captureStatistics } from '../../harness/stats/capture-statistics.ts';
import { defaultSnapshotPath } from '../../harness/stats/plan-at-production.ts';
import type { StatisticsSnapshot } from '../../harness/stats/statistics-snapshot.ts';
import { loadWorkload, schemaTables } from '../../harness/workloads/load-workload.ts';

const [workload, scale, factor] = process.argv.slice(2) as [string, string, string];
const k = Number(factor);
const server = await startPostgres({ provider: 'embedded', image: 'unused', databaseUrl: undefined, pgVersion: 18, log: () => undefined });
try {
  const dataset = await ensureDataset(server, { workload: await loadWorkload(workload), scale: Number(scale), seed: 20240601 });
  const copy = await copyDataset(server, dataset, 'snapshot');
  const client = new pg.Client({ connectionString: copy.uri });
  await client.connect();
  try {
    const targets = (await schemaTables(projectPath('schema', workload))).map((t) => {
      const c = getTableConfig(t);
      return { schema: c.schema ?? 'public', table: c.name, columns: c.columns.map((x) => x.name) };
    });
    const { snapshot } = await captureStatistics(client, workload, targets);
    const bytes = (b: Record<string, number>) => Object.fromEntries(Object.entries(b).map(([name, v]) => [name, v * k]));
    const scaled: StatisticsSnapshot = {
      ...snapshot,
      tables: snapshot.tables.map((t) => ({
        ...t,
        reltuples: t.reltuples * k,
        relpages: t.relpages * k,
        relallvisible: t.relallvisible * k,
        bytes: bytes(t.bytes as Record<string, number>) as typeof t.bytes,
        indexes: t.indexes.map((i) => ({ ...i, reltuples: i.reltuples * k, relpages: i.relpages * k })),
      })),
    };
    writeFileSync(defaultSnapshotPath(workload), `${JSON.stringify(scaled, null, 2)}\n`);
  } finally {
    await client.end();
    await copy.drop();
  }
} finally {
  await server.stop();
}
