/**
 * The receipts report's tables for seed 004's "Add indexes" and "Try partitioning":
 * read gain, write cost and size per index strategy (index-strategies.bench.ts,
 * index-write-cost.bench.ts) and partitioning by year (partitioning.bench.ts). Every
 * figure is in results.json: `npx schemabench run --workload receipts --filter index-strategy`
 * (or `--filter partition`) reproduces it.
 */
import { fmtInt, fmtMs, lookupResults, textTable, type BenchmarkCase, type ResultsFile } from 'schemabench';
import { INDEX_IMPACT } from './index-impact-cases.ts';
import * as strategy from './index-strategy-cases.ts';
import { PARTITION } from './partition-cases.ts';

const size = (bytes: number | undefined) =>
  bytes === undefined ? '-' : bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;
const ratio = (s: { estimate: number; low: number; high: number } | undefined, invert = false) => {
  if (!s) return '-';
  const [e, l, h] = invert ? [1 / s.estimate, 1 / s.high, 1 / s.low] : [s.estimate, s.low, s.high];
  return `${e.toFixed(2)}x [${l.toFixed(2)}-${h.toFixed(2)}]`;
};

interface StrategyRow {
  label: string;
  question: string;
  against: string;
  /** The comparison's cases, baseline then candidate; `invert`: the strategy is the baseline. */
  comparison: [BenchmarkCase, BenchmarkCase];
  invert?: boolean;
  variant: string;
  hotColumn: string;
}

const ROWS: StrategyRow[] = [
  { label: 'btree (purchase_date)', question: 'one week', against: 'seq scan', comparison: [INDEX_IMPACT.random.seqScan, INDEX_IMPACT.random.btree], variant: 'btree', hotColumn: 'purchase_date' },
  { label: 'BRIN, rows in date order', question: 'one week', against: 'seq scan', comparison: [strategy.seqDated, strategy.brinDated], variant: 'brin', hotColumn: 'purchase_date' },
  { label: 'BRIN, rows in random order', question: 'one week', against: 'btree', comparison: [strategy.brinRandom, strategy.btreeRandom], invert: true, variant: 'brin', hotColumn: 'purchase_date' },
  { label: 'composite (vendor_id, purchase_date, id)', question: "a vendor's latest 20", against: 'two single-column', comparison: [strategy.twoSingles, strategy.composite], variant: 'composite', hotColumn: 'purchase_date' },
  { label: 'covering INCLUDE (total_amount)', question: "a week's sum", against: 'btree', comparison: [strategy.plainWeek, strategy.covering], variant: 'covering', hotColumn: 'total_amount' },
  { label: 'partial WHERE is_bulk', question: "a week's bulk orders", against: 'btree', comparison: [strategy.fullBulk, strategy.partial], variant: 'partial', hotColumn: 'purchase_date' },
  { label: "expression date_trunc('month')", question: "a month's spend by category", against: 'btree (unusable)', comparison: [strategy.plainMonth, strategy.expression], variant: 'expression', hotColumn: 'purchase_date' },
  { label: 'hash (receipt_number)', question: 'one receipt by number', against: 'btree', comparison: [strategy.btreeNumber, strategy.hashNumber], variant: 'hash', hotColumn: 'receipt_number' },
];

export function strategiesReport(results: ResultsFile): string[] {
  const out: string[] = [];
  // Results are found by the case objects the benchmarks measure: a rename changes both.
  const find = lookupResults(results);
  const { metric, comparison } = find;
  const buffers = (c: BenchmarkCase) => {
    const b = find.case(c)?.buffers;
    return b ? String(b.hit + b.read) : '-';
  };
  const mean = (c: BenchmarkCase) => {
    const r = find.case(c);
    return r ? `${fmtMs(r.latency.mean)} ms` : '-';
  };
  const cost = (method: string, variant: string) => {
    const m = metric(`receipts/index-strategy/write-cost[${method}:${variant}]`);
    return m ? ratio({ estimate: m.value, low: Number(m.params?.low), high: Number(m.params?.high) }) : '-';
  };
  const walPerRow = (variant: string) => {
    const m = metric(`receipts/index-strategy/wal-per-row[${variant}]`);
    const bare = metric('receipts/index-strategy/wal-per-row[none]');
    return m && bare ? `${Math.round(m.value)} (+${Math.round(m.value - bare.value)})` : '-';
  };
  const hot = (variant: string, column: string) => {
    const m = metric(`receipts/index-strategy/hot-share[${variant}:${column}]`);
    return m ? `${Math.round(m.value * 100)}% (${column})` : '-';
  };

  if (ROWS.some((r) => comparison(...r.comparison) || metric(`receipts/index-strategy/size[${r.variant}]`))) {
    out.push('\nIndex strategies: read gain, write cost, size');
    out.push(
      textTable(
        [
          { header: 'index' },
          { header: 'question' },
          { header: 'vs' },
          { header: 'read gain [95% CI]', align: 'right' },
          { header: 'shared buffers' },
          { header: 'size', align: 'right' },
          { header: 'COPY cost [95% CI]', align: 'right' },
          { header: 'INSERT cost [95% CI]', align: 'right' },
          { header: 'WAL B/row', align: 'right' },
          { header: 'HOT updates kept' },
        ],
        ROWS.map((r) => {
          const [b, c] = r.comparison;
          return [
            r.label,
            r.question,
            r.against,
            ratio(comparison(b, c)?.speedup, r.invert),
            r.invert ? `${buffers(c)} -> ${buffers(b)}` : `${buffers(b)} -> ${buffers(c)}`,
            size(metric(`receipts/index-strategy/size[${r.variant}]`)?.value),
            cost('copy', r.variant),
            cost('insert', r.variant),
            walPerRow(r.variant),
            hot(r.variant, r.hotColumn),
          ];
        }),
      ),
    );
    const copyNone = metric('receipts/index-strategy/write-cost[copy:none]');
    const insertNone = metric('receipts/index-strategy/write-cost[insert:none]');
    out.push(
      `write cost = time to load the same ${fmtInt(Number(copyNone?.params?.rows ?? 5000))} rows with the index / without it (primary key only: ` +
        `${fmtInt(Number(copyNone?.params?.rowsPerSecond ?? 0))} rows/s by COPY, ${fmtInt(Number(insertNone?.params?.rowsPerSecond ?? 0))} rows/s by batched INSERT); ` +
        'HOT updates kept: share of an UPDATE of that column that stayed heap-only (fillfactor 90). Heap of the copy: ' +
        size(metric('receipts/index-strategy/size[table]')?.value) + '.',
    );
  }

  const retention = (approach: string) => metric(`receipts/partition/retention[${approach}]`);
  const pruning = [
    ['one week (2024-06-03..09)', PARTITION.week],
    ['one year (2024)', PARTITION.year],
  ] as const;
  if (pruning.some(([, p]) => comparison(p.plain, p.byYear)) || retention('detach')) {
    out.push('\nPartitioning by year (receipts_by_year, RANGE on purchase_date)');
    out.push(
      textTable(
        [{ header: 'question' }, { header: 'plain', align: 'right' }, { header: 'by year', align: 'right' }, { header: 'gain [95% CI]', align: 'right' }, { header: 'shared buffers' }, { header: 'read (scan or index)' }],
        [
          ...pruning.map(([label, { plain: b, byYear: c }]) => {
            const plan = find.case(c)?.plan;
            const read = plan?.seqScans.length ? plan.seqScans.join(', ') : (plan?.indexes.join(', ') ?? '-');
            return [label, mean(b), mean(c), ratio(comparison(b, c)?.speedup), `${buffers(b)} -> ${buffers(c)}`, read];
          }),
          (() => {
            const { off: b, on: c } = PARTITION.allYears;
            return ['all years by vendor: partition-wise aggregation off -> on', mean(b), mean(c), ratio(comparison(b, c)?.speedup), `${buffers(b)} -> ${buffers(c)}`, 'all'];
          })(),
          ...(['copy', 'insert'] as const).map((m) => {
            const { byYear: b, plain: c } = PARTITION.insert[m];
            return [`insert ${fmtInt(Number(b.params?.rows))} rows by ${m === 'copy' ? 'COPY' : 'batched INSERT'} (gain = plain over by year)`, mean(c), mean(b), ratio(comparison(b, c)?.speedup), '-', '-'];
          }),
        ],
      ),
    );
    const d = retention('detach');
    const x = retention('delete');
    if (d && x) {
      out.push(
        textTable(
          [{ header: 'remove 2023' }, { header: 'time (median)', align: 'right' }, { header: 'WAL', align: 'right' }, { header: 'locks taken' }, { header: 'ACCESS EXCL. seen on readers\' table', align: 'right' }, { header: 'reader lock wait', align: 'right' }, { header: 'longest read', align: 'right' }],
          [
            ['DETACH PARTITION CONCURRENTLY + DROP', d, 'detach'] as const,
            ['DELETE ... WHERE (plain table)', x, 'delete'] as const,
          ].map(([label, m]) => [
            label,
            `${fmtMs(m.value)} ms`,
            size(Number(m.params?.walBytes)),
            String(m.params?.lockModes ?? '-'),
            `${m.params?.accessExclusiveMs} ms`,
            `${m.params?.readerLockWaitMs} ms`,
            `${m.params?.readerLongestMs} ms`,
          ]),
        ),
      );
      const t = metric('receipts/partition/retention-time-ratio');
      const w = metric('receipts/partition/retention-wal-ratio');
      if (d.params?.readerDuringDetachMs !== undefined) out.push(`a reader of 2024 that started while DETACH CONCURRENTLY waited for an older transaction: ${typeof d.params.readerDuringDetachMs === 'number' ? `${d.params.readerDuringDetachMs} ms` : d.params.readerDuringDetachMs}`);
      if (t && w) out.push(`DELETE / DETACH+DROP: time ${ratio({ estimate: t.value, low: Number(t.params?.low), high: Number(t.params?.high) })}, WAL ${w.value.toFixed(0)}x (wal_level=minimal, full_page_writes=off: a production server writes more for the DELETE)`);
    }
  }
  return out;
}
