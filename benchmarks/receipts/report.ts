/**
 * Seed 004's result tables, filled with what this run measured, next to the figures
 * the seed's demo printed (labelled as the seed's claim: a different machine, data and
 * method). Rendered by `schemabench run` from results.json; every figure here is in
 * results.json and reproducible with `npm run bench` (or `schemabench run --scale F`).
 */
import { fmtInt, fmtMs, lookupResults, textTable, type BenchmarkCase, type ResultsFile } from 'schemabench';
import { INDEX_IMPACT } from './index-impact-cases.ts';
import { INSERT_ROWS, ROWS_PER_ITERATION } from './insert-methods-cases.ts';
import { refreshConcurrently, refreshPlain } from './matview-cases.ts';
import { MIGRATION } from './migration-cases.ts';
import { QUERY_TYPES } from './query-performance-cases.ts';
import { strategiesReport } from './strategies-report.ts';

const mb = (bytes: number) => (bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`);
const x = (s: { estimate: number; low: number; high: number } | undefined) => (s ? `${s.estimate.toFixed(1)}x [${s.low.toFixed(1)}-${s.high.toFixed(1)}]` : '-');
const ms = (v: number | undefined) => (v === undefined ? '-' : `${fmtMs(v)} ms`);

export default function receiptsSeedReport(results: ResultsFile): string {
  // Results are found by the case objects the benchmarks measure: a rename changes both.
  const find = lookupResults(results);
  const mean = (c: BenchmarkCase) => find.case(c)?.latency.mean;
  const { comparison, metric } = find;
  const scale = results.fingerprint.scale;
  const out: string[] = [`\nSeed 004 tables, measured (scale ${scale}; receipts ${fmtInt(100_000 * scale)}) vs the seed's claim (100k receipts)`];

  out.push('\nQuery Performance');
  out.push(
    textTable(
      [{ header: 'Query Type' }, { header: 'Normalized', align: 'right' }, { header: 'Denormalized', align: 'right' }, { header: 'Mat. View', align: 'right' }, { header: 'MV speedup [95% CI]', align: 'right' }, { header: 'denorm vs norm', align: 'right' }, { header: 'seed: norm / MV / speedup' }],
      QUERY_TYPES.map(({ label, seed, cases: v }) => [
        label,
        ms(mean(v.normalized)),
        ms(mean(v.denormalized)),
        ms(mean(v.materialized)),
        x(comparison(v.normalized, v.materialized)?.speedup),
        x(comparison(v.normalized, v.denormalized)?.speedup),
        seed,
      ]),
    ),
  );

  // The profile decides what a commit costs: 'benchmark' (no WAL flush) or 'durable' (one flush per commit).
  out.push(`\nInsert Performance (server profile: ${results.fingerprint.postgres.profile ?? 'benchmark'})`);
  out.push(
    textTable(
      [{ header: 'Method' }, { header: 'Rows/Second', align: 'right' }, { header: 'Time for 100k', align: 'right' }, { header: 'seed: rows/s, time for 100k' }],
      INSERT_ROWS.map(({ case: c, label, seed }) => {
        const m = mean(c);
        const rowsPerSec = m === undefined ? undefined : ROWS_PER_ITERATION / (m / 1000);
        return [label, rowsPerSec === undefined ? '-' : fmtInt(rowsPerSec), rowsPerSec === undefined ? '-' : `${(100_000 / rowsPerSec).toFixed(2)} s`, seed];
      }),
    ),
  );

  out.push('\nIndex Impact (one week of purchase_date)');
  const index = (sides: { seqScan: BenchmarkCase; btree: BenchmarkCase }, label: string) => {
    const c = comparison(sides.seqScan, sides.btree);
    const buf = (side: BenchmarkCase) => {
      const b = find.case(side)?.buffers;
      return b ? String(b.hit + b.read) : '-';
    };
    return [label, ms(mean(sides.seqScan)), ms(mean(sides.btree)), x(c?.speedup), `${buf(sides.seqScan)} -> ${buf(sides.btree)}`];
  };
  out.push(
    textTable(
      [{ header: 'Rows' }, { header: 'Sequential scan', align: 'right' }, { header: 'Index scan', align: 'right' }, { header: 'speedup [95% CI]', align: 'right' }, { header: 'shared buffers' }],
      [
        index(INDEX_IMPACT.random, 'random order'),
        index(INDEX_IMPACT.clustered, 'date order (CLUSTER)'),
        ['seed (claim)', '2000 ms', '15 ms', '130x', '-'],
      ],
    ),
  );
  const indexSize = metric('receipts/index/purchase-date-size[btree]');
  out.push(`index size: ${indexSize ? mb(indexSize.value) : '-'} (seed: "6 MB additional storage")`);
  out.push(...strategiesReport(results));

  out.push('\nMigration Performance (tax_amount on every receipt)');
  const rewrite = (variant: string) => {
    const m = metric(`receipts/migration/rewrites[${variant}]`);
    return m ? (m.value ? 'yes' : 'no') : '-';
  };
  const rows = (c: BenchmarkCase) => {
    const r = find.case(c)?.rows;
    return r ? fmtInt(r) : '-';
  };
  const m = MIGRATION;
  out.push(
    textTable(
      [{ header: 'Step' }, { header: 'time', align: 'right' }, { header: 'rows', align: 'right' }, { header: 'table rewrite' }, { header: 'seed (claim)' }],
      [
        ['add nullable column', ms(mean(m.addColumn)), '-', rewrite('add-nullable-column'), 'instant'],
        ['backfill, one UPDATE', ms(mean(m.backfillOne)), rows(m.backfillOne), 'no', '~2 s'],
        [`backfill, batches of ${fmtInt(Number(m.backfillBatches.params?.batchRows))}`, ms(mean(m.backfillBatches)), rows(m.backfillBatches), 'no', '-'],
        ['SET NOT NULL', ms(mean(m.notNullPlain)), '-', 'no', '~1 s (adding constraint)'],
        ['CHECK NOT VALID + VALIDATE + SET NOT NULL', ms(mean(m.notNullCheck)), '-', 'no', '-'],
        ['ADD COLUMN ... DEFAULT random()', '-', '-', rewrite('add-volatile-default'), '-'],
      ],
    ),
  );
  const bad = metric('receipts/migration/bad-approach[sqlstate-23502]');
  out.push(`bad approach (ADD COLUMN ... NOT NULL, no default): ${bad ? (bad.value ? 'fails with SQLSTATE 23502, table unchanged' : 'did NOT fail as expected') : '-'} (seed: "Fails!")`);

  out.push('\nMaterialized Views');
  const blocked = (v: string) => {
    const m = metric(`receipts/matview/reader-blocked[${v}]`);
    return m ? (m.value ? 'blocked' : 'not blocked') : '-';
  };
  const wait = (v: string) => ms(metric(`receipts/matview/longest-reader-wait[${v}]`)?.value);
  out.push(
    textTable(
      [{ header: 'Refresh (3 views)' }, { header: 'time', align: 'right' }, { header: 'readers' }, { header: 'longest reader wait', align: 'right' }, { header: 'seed (claim)' }],
      [
        ['REFRESH', ms(mean(refreshPlain)), blocked('plain'), wait('plain'), '500 ms'],
        ['REFRESH CONCURRENTLY', ms(mean(refreshConcurrently)), blocked('concurrently'), wait('concurrently'), '-'],
      ],
    ),
  );

  const steps = results.metrics.filter((m) => m.name.startsWith('receipts/safe-migration/step['));
  if (steps.length) {
    out.push('\nSafe Schema Migration under load (vendor consolidation; 4 application clients; last repetition)');
    out.push(
      textTable(
        [{ header: 'recipe' }, { header: 'step' }, { header: 'status' }, { header: 'lock modes on legacy_receipts' }, { header: 'ACCESS EXCL. held', align: 'right' }, { header: 'longest client wait', align: 'right' }, { header: 'client p99', align: 'right' }, { header: 'rewrite' }, { header: 'rows', align: 'right' }, { header: 'time', align: 'right' }],
        steps.map((m) => {
          const p = m.params ?? {};
          const ae = Number(p.accessExclusiveMs);
          return [String(p.recipe), String(p.step), String(p.status), String(p.lockModes), ae ? `${ae} ms` : '< 5 ms', ms(m.value), ms(Number(p.p99Ms)), p.rewrite ? 'yes' : 'no', fmtInt(Number(p.rows)), ms(Number(p.durationMs))];
        }),
      ),
    );
    const line = (label: string, key: string, ratioKey: string, required: string) => {
      const ratio = metric(`receipts/safe-migration/${ratioKey}`);
      const worst = (r: string) => metric(`receipts/safe-migration/${key}[${r}]`)?.value;
      if (!ratio) return;
      out.push(
        `${label}: naive ${ms(worst('naive'))}, safe ${ms(worst('safe'))}; naive / safe ${ratio.value.toFixed(1)}x ` +
          `[${Number(ratio.params?.low).toFixed(1)}-${Number(ratio.params?.high).toFixed(1)}] (${required})`,
      );
    };
    line('worst client lock wait (5 ms floor)', 'worst-lock-wait', 'worst-lock-wait-ratio', 'required >= 5x');
    line('worst client operation', 'worst-client-wait', 'worst-wait-ratio', 'reported');
  }

  out.push('\nStorage Size');
  const SEED_SIZES: Record<string, string> = { receipts: '12 MB (18 MB with indexes)', inventory: '8 MB, 3 indexes', market_valuations: '2 MB', dim_date: '512 KB', vendors: '8 KB' };
  const tables = results.metrics.filter((m) => m.name.startsWith('receipts/storage/total-size['));
  out.push(
    textTable(
      [{ header: 'Table' }, { header: 'Rows', align: 'right' }, { header: 'Size', align: 'right' }, { header: 'With indexes', align: 'right' }, { header: 'seed (claim)' }],
      tables.map((t) => {
        const table = t.name.slice('receipts/storage/total-size['.length, -1);
        return [table, fmtInt(Number(t.params?.rows ?? 0)), mb(metric(`receipts/storage/table-size[${table}]`)?.value ?? 0), mb(t.value), SEED_SIZES[table] ?? '-'];
      }),
    ),
  );
  const n = metric('receipts/storage/receipts-model-size[normalized]');
  const d = metric('receipts/storage/receipts-model-size[denormalized]');
  const ratio = metric('receipts/storage/vendor-name-ratio');
  out.push(`receipts, normalized (receipts + dimensions) vs denormalized (receipts_wide): ${n ? mb(n.value) : '-'} vs ${d ? mb(d.value) : '-'} (seed: ~45 MB vs ~120 MB for its whole database)`);
  out.push(`vendor name repeated in every row vs vendor_id + vendors: ${ratio ? `${ratio.value.toFixed(1)}x more bytes` : '-'} (seed: "25x smaller")`);
  return out.join('\n');
}
