/**
 * What `schemabench stats capture` does once its arguments are checked (stats-command.ts):
 * a statistics snapshot of a workload's tables (the Drizzle
 * tables of schema/<workload>/) from the server in DATABASE_URL, written to a file the
 * team commits. It reads catalogs only (pg_class, pg_stats, pg_stats_ext), in one
 * read-only transaction: no row of a table, nothing written on the server.
 */
import { relative } from 'node:path';
import { getTableConfig } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { resolveConfig } from '../config.ts';
import { UsageError } from '../errors.ts';
import { checkFileDestination, writeDestination } from '../output-destination.ts';
import { describeUri, probeUrl } from '../postgres/url-provider.ts';
import { projectPath } from '../project-root.ts';
import { fmtInt, textTable } from '../report/text-table.ts';
import { captureStatistics, type CaptureTarget } from '../stats/capture-statistics.ts';
import { redactSnapshot } from '../stats/redact-snapshot.ts';
import { validateStatisticsSnapshot, type StatisticsSnapshot } from '../stats/statistics-snapshot.ts';
import { columnsOutOfOrder } from '../stats/token-order.ts';
import { checkWorkloadName, schemaTables } from '../workloads/load-workload.ts';
import type { StatsValues } from './stats-command.ts';

/** The workload's tables as the schema declares them: schema, name, columns. */
async function workloadTargets(workload: string): Promise<CaptureTarget[]> {
  const tables = await schemaTables(projectPath('schema', workload));
  if (!tables.length) throw new UsageError(`schema/${workload}/ exports no Drizzle table`);
  return tables.map((t) => {
    const config = getTableConfig(t);
    return { schema: config.schema ?? 'public', table: config.name, columns: config.columns.map((c) => c.name) };
  });
}

function writeSnapshot(path: string, snapshot: StatisticsSnapshot): void {
  // The snapshot written must be one every reader accepts.
  const checked = validateStatisticsSnapshot(snapshot);
  if (!checked.ok) throw new Error(`stats capture produced an invalid snapshot at ${checked.problem}`);
  writeDestination('--out', path, `${JSON.stringify(snapshot, null, 2)}\n`);
}

function summary(snapshot: StatisticsSnapshot): string {
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  return textTable(
    [{ header: 'table' }, { header: 'reltuples', align: 'right' }, { header: 'relpages', align: 'right' }, { header: 'MB', align: 'right' }, { header: 'columns', align: 'right' }, { header: 'MCV lists', align: 'right' }, { header: 'histograms', align: 'right' }, { header: 'extended', align: 'right' }],
    snapshot.tables.map((t) => [
      t.name,
      fmtInt(t.reltuples),
      fmtInt(t.relpages),
      mb(t.bytes.total),
      String(t.columns.length),
      String(t.columns.filter((c) => c.most_common_vals).length),
      String(t.columns.filter((c) => c.histogram_bounds).length),
      String(t.extended.length),
    ]),
  );
}

/** A path under the working directory relative to it, any other absolute. */
const shown = (path: string) => (relative(process.cwd(), path).startsWith('..') ? path : relative(process.cwd(), path));

/** `schemabench stats capture` with its arguments checked (stats-command.ts) and the project's config applied. */
export async function captureSnapshot(values: StatsValues): Promise<number> {
  const workload = checkWorkloadName(values.workload);
  // Checked before the server is read (output-destination.ts, the check every writer makes).
  const out = checkFileDestination('--out', values.out ?? projectPath('fixtures', workload, 'production-stats.json'));
  const url = resolveConfig().databaseUrl;
  if (!url) throw new UsageError('stats capture reads the server in DATABASE_URL (postgres://user:pass@host:port/database, a role that may SELECT the tables)');
  await probeUrl(url, { needCreateDb: false });
  const targets = await workloadTargets(workload);

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let snapshot: StatisticsSnapshot;
  try {
    const captured = await captureStatistics(client, workload, targets);
    snapshot = captured.snapshot;
    if (values.redact) {
      const redacted = redactSnapshot(snapshot, captured.columns);
      const collations = new Map([...captured.columns].map(([key, c]) => [key, c.collate]));
      const outOfOrder = await columnsOutOfOrder(client, redacted.tokens, collations);
      snapshot = { ...redacted.snapshot, redaction: { ...redacted.snapshot.redaction!, orderNotPreserved: outOfOrder } };
      for (const key of outOfOrder) process.stderr.write(`schemabench: warning: ${key}: its collation sorts the tokens differently from the values (recorded in redaction.orderNotPreserved)\n`);
    }
  } finally {
    await client.end();
  }
  writeSnapshot(out, snapshot);
  process.stdout.write(`${summary(snapshot)}\n\n`);
  const redaction = snapshot.redaction ? `, redacted (${snapshot.redaction.tokenized.length} columns tokenized, ${snapshot.redaction.removed.length} removed)` : '';
  process.stdout.write(`statistics of ${snapshot.tables.length} tables from PostgreSQL ${snapshot.server.version} at ${describeUri(url)}${redaction} written to ${shown(out)}\n`);
  return 0;
}
