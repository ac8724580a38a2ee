/**
 * What `schemabench fixtures` does once its arguments are checked (fixtures-command.ts):
 * start a server, build a workload's dataset, print what was loaded (rows, checksum, time
 * per table), the load rate next to the raw COPY rate of the same rows, and the
 * workload's statistics block; then stop and clean up. Loaded only then: it brings pg and drizzle.
 */
import { relative } from 'node:path';
import pg from 'pg';
import { resolveConfig } from '../config.ts';
import type { BulkLoadReport } from '../fixtures/bulk-load.ts';
import { copyDataset, ensureDataset } from '../fixtures/dataset-cache.ts';
import { measureCopyRate } from '../fixtures/copy-rate.ts';
import { startPostgres } from '../postgres/start-postgres.ts';
import { fmtInt, fmtMs, textTable } from '../report/text-table.ts';
import { loadWorkload, workloadNames } from '../workloads/load-workload.ts';
import type { FixturesValues } from './fixtures-command.ts';
import { Progress } from './progress.ts';

interface TableLine {
  table: string;
  rows: number;
  checksum?: string;
  ms?: number;
}

/** A cached dataset's tables: rows counted in the copy, checksum and time from its build record when there is one. */
async function cachedTables(uri: string, names: string[], build: BulkLoadReport | undefined): Promise<TableLine[]> {
  const client = new pg.Client({ connectionString: uri });
  await client.connect();
  try {
    const lines: TableLine[] = [];
    for (const table of names) {
      const { rows } = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${pg.escapeIdentifier(table)}`);
      const recorded = build?.tables.find((t) => t.table === table);
      lines.push({ table, rows: Number(rows[0]!.n), ...(recorded ? { checksum: recorded.checksum, ms: recorded.ms } : {}) });
    }
    return lines;
  } finally {
    await client.end();
  }
}

/** `schemabench fixtures` with its arguments checked (fixtures-command.ts) and the project's config applied. */
export async function showDataset(values: FixturesValues): Promise<number> {
  const config = resolveConfig({ scale: values.scale, seed: values.seed, provider: values.provider });
  // Default: the project's first workload by name.
  const workload = await loadWorkload(values.workload ?? workloadNames()[0] ?? '', values.stats !== undefined ? { statisticsSnapshot: values.stats } : {});
  // --json: stdout carries only the JSON document; progress lines are not printed.
  const out = values.json ? () => undefined : (line = '') => process.stdout.write(`${line}\n`);
  const progress = values.json ? new Progress(process.stderr, true) : new Progress();

  // The provider registers the server with the CLI's shutdown from the moment it starts it (shutdown.ts).
  const server = await startPostgres({ ...config, log: (l) => progress.line(l) });
  try {
    out(`${workload.name} dataset: scale ${config.scale}, seed ${config.seed}`);
    const snapshot = workload.statisticsSnapshot;
    if (snapshot) out(`from statistics snapshot ${relative(process.cwd(), snapshot.file) || snapshot.file} (captured ${snapshot.capturedAt}, sha256 ${snapshot.hash}): scale ${config.scale} of its row counts`);
    const started = performance.now();
    const dataset = await ensureDataset(
      server,
      { workload, scale: config.scale, seed: config.seed },
      {
        onPhase: (phase) => progress.line(`  ${phase}...`),
        onProgress: ({ table, rowsDone, rows }) => progress.update(`  loading ${table.padEnd(18)} ${Progress.bar(rowsDone, rows)} ${fmtInt(rowsDone)}/${fmtInt(rows)}`),
      },
    );
    const buildMs = performance.now() - started;
    progress.done();
    await using copy = await copyDataset(server, dataset, 'fixtures');
    out(`dataset key ${dataset.key}`);
    // A url server keeps built datasets: this one may have been built by an earlier run.
    const report = dataset.built ?? dataset.cached?.build;
    const tables = dataset.built ? dataset.built.tables : await cachedTables(copy.uri, workload.tables(config.seed, config.scale).map((t) => t.table), report);
    if (!dataset.built) out(`cached on this server, built ${dataset.cached?.builtAt ?? 'by an earlier run'}: rows counted now, checksums and times from that build`);
    out();
    out(
      textTable(
        [{ header: 'table' }, { header: 'rows', align: 'right' }, { header: 'checksum' }, { header: 'copy ms', align: 'right' }, { header: 'rows/s', align: 'right' }],
        tables.map((t) => [t.table, fmtInt(t.rows), t.checksum ?? '-', t.ms === undefined ? '-' : fmtMs(t.ms), t.ms === undefined ? '-' : fmtInt(t.rows / (t.ms / 1000))]),
      ),
    );
    const rows = tables.reduce((n, t) => n + t.rows, 0);
    out();
    if (report) {
      const p = report.phases;
      out(`${dataset.built ? 'total' : 'when built'}: ${fmtInt(rows)} rows generated, loaded, indexed and analyzed in ${fmtMs(report.totalMs)} ms (${fmtInt(rows / (report.totalMs / 1000))} rows/s)`);
      out(`  phases: copy+analyze ${fmtMs(p.copyAnalyze)} ms, indexes+keys ${fmtMs(p.indexes)} ms, foreign keys ${fmtMs(p.foreignKeys)} ms, views ${fmtMs(p.views)} ms`);
    } else {
      out(`total: ${fmtInt(rows)} rows (cached; build times were not recorded)`);
    }
    out(`  ${dataset.built ? 'with migrations' : 'this run (cache lookup and copy)'}: ${fmtMs(buildMs)} ms; peak RSS of this process: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);

    const largest = workload.tables(config.seed, config.scale).reduce((a, b) => (b.rows * b.columns.length > a.rows * a.columns.length ? b : a));
    const rate = await measureCopyRate(copy.uri, largest);
    out(
      `  generator vs raw COPY (${rate.table}, ${fmtInt(rate.rows)} rows, alone): generated ${fmtInt(rate.generatedRowsPerSec)} rows/s, ` +
        `raw COPY ${fmtInt(rate.rawRowsPerSec)} rows/s (${Math.round((100 * rate.generatedRowsPerSec) / rate.rawRowsPerSec)}%)`,
    );

    const client = new pg.Client({ connectionString: copy.uri });
    await client.connect();
    const stats = await workload.statistics(client).finally(() => client.end());
    if (values.json) {
      process.stdout.write(
        `${JSON.stringify({ workload: workload.name, scale: config.scale, seed: config.seed, provider: server.provider, datasetKey: dataset.key, statisticsSnapshot: snapshot ?? null, cached: dataset.built ? false : { builtAt: dataset.cached?.builtAt ?? null }, tables, phases: report?.phases ?? null, totalMs: report?.totalMs ?? null, buildMs, copyRate: rate, statistics: stats, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }, null, 2)}\n`,
      );
    }
    out();
    out('DATABASE STATISTICS');
    out('='.repeat(40));
    for (const s of stats) out(`${s.label.padEnd(22)}${s.value.padStart(18)}`);

    if (values.keep) {
      out();
      out(`server kept running (${server.provider}); dataset copy: ${copy.uri}`);
      out('press Ctrl-C to stop it and remove everything');
      await new Promise(() => undefined);
    }
    return 0;
  } finally {
    await server.stop();
  }
}
