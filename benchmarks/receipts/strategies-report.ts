/**
 * The receipts report's tables for seed 004's "Add indexes" and "Try partitioning":
 * read gain, write cost and size per index strategy (index-strategies.bench.ts,
 * index-write-cost.bench.ts) and partitioning by year (partitioning.bench.ts). Every
 * figure is in results.json: `npx schemabench run --workload receipts --filter index-strategy`
 * (or `--filter partition`) reproduces it.
 */
import { fmtInt, fmtMs, textTable, type ComparisonResult, type ResultsFile } from 'schemabench';

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
  /** The comparison's case names, baseline then candidate; `invert`: the strategy is the baseline. */
  comparison: [string, string];
  invert?: boolean;
  variant: string;
  hotColumn: string;
}

const ROWS: StrategyRow[] = [
  { label: 'btree (purchase_date)', question: 'one week', against: 'seq scan', comparison: ['receipts/index/purchase-date-week[seq-scan]', 'receipts/index/purchase-date-week[btree]'], variant: 'btree', hotColumn: 'purchase_date' },
  { label: 'BRIN, rows in date order', question: 'one week', against: 'seq scan', comparison: ['receipts/index-strategy/week-date-order[seq-scan]', 'receipts/index-strategy/week-date-order[brin]'], variant: 'brin', hotColumn: 'purchase_date' },
  { label: 'BRIN, rows in random order', question: 'one week', against: 'btree', comparison: ['receipts/index-strategy/week-random-order[brin]', 'receipts/index-strategy/week-random-order[btree]'], invert: true, variant: 'brin', hotColumn: 'purchase_date' },
  { label: 'composite (vendor_id, purchase_date, id)', question: "a vendor's latest 20", against: 'two single-column', comparison: ['receipts/index-strategy/vendor-latest[two-single-column]', 'receipts/index-strategy/vendor-latest[composite]'], variant: 'composite', hotColumn: 'purchase_date' },
  { label: 'covering INCLUDE (total_amount)', question: "a week's sum", against: 'btree', comparison: ['receipts/index-strategy/week-sum[btree]', 'receipts/index-strategy/week-sum[covering]'], variant: 'covering', hotColumn: 'total_amount' },
  { label: 'partial WHERE is_bulk', question: "a week's bulk orders", against: 'btree', comparison: ['receipts/index-strategy/week-bulk[btree]', 'receipts/index-strategy/week-bulk[partial]'], variant: 'partial', hotColumn: 'purchase_date' },
  { label: "expression date_trunc('month')", question: "a month's spend by category", against: 'btree (unusable)', comparison: ['receipts/index-strategy/month-by-category[btree]', 'receipts/index-strategy/month-by-category[expression]'], variant: 'expression', hotColumn: 'purchase_date' },
  { label: 'hash (receipt_number)', question: 'one receipt by number', against: 'btree', comparison: ['receipts/index-strategy/receipt-by-number[btree]', 'receipts/index-strategy/receipt-by-number[hash]'], variant: 'hash', hotColumn: 'receipt_number' },
];

export function strategiesReport(results: ResultsFile): string[] {
  const out: string[] = [];
  const metric = (name: string) => results.metrics.find((m) => m.name === name);
  const comparison = (baseline: string, candidate: string): ComparisonResult | undefined =>
    results.comparisons.find((c) => c.baseline === baseline && c.candidate === candidate);
  const caseOf = (id: string) => results.cases.find((c) => `${c.name}[${c.variant}]` === id);
  const buffers = (id: string) => {
    const b = caseOf(id)?.buffers;
    return b ? String(b.hit + b.read) : '-';
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
    ['one week (2024-06-03..09)', 'receipts/partition/week'],
    ['one year (2024)', 'receipts/partition/year'],
  ] as const;
  if (pruning.some(([, n]) => comparison(`${n}[plain]`, `${n}[by-year]`)) || retention('detach')) {
    out.push('\nPartitioning by year (receipts_by_year, RANGE on purchase_date)');
    out.push(
      textTable(
        [{ header: 'question' }, { header: 'plain', align: 'right' }, { header: 'by year', align: 'right' }, { header: 'gain [95% CI]', align: 'right' }, { header: 'shared buffers' }, { header: 'read (scan or index)' }],
        [
          ...pruning.map(([label, n]) => {
            const [b, c] = [`${n}[plain]`, `${n}[by-year]`];
            const mean = (id: string) => (caseOf(id) ? `${fmtMs(caseOf(id)!.latency.mean)} ms` : '-');
            const read = caseOf(c)?.plan?.seqScans.length ? caseOf(c)!.plan!.seqScans.join(', ') : (caseOf(c)?.plan?.indexes.join(', ') ?? '-');
            return [label, mean(b), mean(c), ratio(comparison(b, c)?.speedup), `${buffers(b)} -> ${buffers(c)}`, read];
          }),
          (() => {
            const n = 'receipts/partition/all-years-by-vendor';
            const [b, c] = [`${n}[partitionwise-off]`, `${n}[partitionwise-on]`];
            const mean = (id: string) => (caseOf(id) ? `${fmtMs(caseOf(id)!.latency.mean)} ms` : '-');
            return ['all years by vendor: partition-wise aggregation off -> on', mean(b), mean(c), ratio(comparison(b, c)?.speedup), `${buffers(b)} -> ${buffers(c)}`, 'all'];
          })(),
          ...(['copy', 'insert'] as const).map((m) => {
            const n = `receipts/partition/insert-${m}`;
            const [b, c] = [`${n}[by-year]`, `${n}[plain]`];
            const mean = (id: string) => (caseOf(id) ? `${fmtMs(caseOf(id)!.latency.mean)} ms` : '-');
            return [`insert 5,000 rows by ${m === 'copy' ? 'COPY' : 'batched INSERT'} (gain = plain over by year)`, mean(c), mean(b), ratio(comparison(b, c)?.speedup), '-', '-'];
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
