/**
 * Normalized vs denormalized under a mixed load where vendors get renamed. Readers
 * fetch a receipt with its vendor's name (normalized: receipts joined to vendors by
 * primary key; denormalized: one row of receipts_wide). A rename is one row of
 * vendors in the normalized model; in the denormalized one it rewrites every row of
 * that vendor in receipts_wide (~1/14 of 100k rows, found by a sequential scan: no
 * index on vendor_name) and holds their row locks until commit, so two renames of the
 * same vendor queue. Mix: 95% reads, 5% renames; 4 clients, closed loop. A rename
 * toggles the name between X and "X (renamed)"; teardown restores the names.
 */
import { benchmarkSuite, calibrated, type LoadVariant } from 'schemabench';

const CLIENTS = 4;
const SUFFIX = ' (renamed)';

function model(name: 'normalized' | 'denormalized'): LoadVariant {
  const vendors: { id: number; name: string }[] = [];
  let receipts = 0;
  const read =
    name === 'normalized'
      ? 'SELECT r.id, v.name, r.total_amount FROM receipts r JOIN vendors v ON v.id = r.vendor_id WHERE r.id = $1'
      : 'SELECT id, vendor_name, total_amount FROM receipts_wide WHERE id = $1';
  const rename =
    name === 'normalized'
      ? 'UPDATE vendors SET name = CASE WHEN name = $2 THEN $3 ELSE $2 END WHERE id = $1'
      : 'UPDATE receipts_wide SET vendor_name = CASE WHEN vendor_name = $1 THEN $2 ELSE $1 END WHERE vendor_name IN ($1, $2)';
  return {
    name,
    transactions: [
      { name: 'read', weight: 19, sql: read, params: ({ random }) => [random.int(1, receipts)] },
      {
        name: 'rename',
        weight: 1,
        sql: rename,
        params: ({ random }) => {
          const v = random.pick(vendors);
          return name === 'normalized' ? [v.id, v.name, v.name + SUFFIX] : [v.name, v.name + SUFFIX];
        },
      },
    ],
    async setup(client) {
      vendors.push(...(await client.query<{ id: number; name: string }>('SELECT id, name FROM vendors ORDER BY id')).rows);
      receipts = (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM receipts')).rows[0]!.n;
    },
    async teardown(client) {
      const table = name === 'normalized' ? 'vendors' : 'receipts_wide';
      const column = name === 'normalized' ? 'name' : 'vendor_name';
      await client.query(`UPDATE ${table} SET ${column} = left(${column}, -$1::int) WHERE ${column} LIKE $2`, [SUFFIX.length, `%${SUFFIX}`]);
    },
  };
}

benchmarkSuite('receipts', ({ load }) => {
  load({
    name: 'receipts/load/vendor-rename',
    clients: CLIENTS,
    intervalMs: 500,
    intervals: 6,
    variants: [model('normalized'), model('denormalized')],
    // Bars calibrated (calibration.json). The readers of the denormalized table are not
    // blocked (MVCC): they lose CPU to the renames' scans, which varies with the neighbours.
    ratios: [
      { metric: 'throughput', numerator: 'normalized', denominator: 'denormalized', atLeast: calibrated() },
      { metric: 'p99', transaction: 'read', numerator: 'denormalized', denominator: 'normalized', atLeast: calibrated() },
      { metric: 'throughput', transaction: 'rename', numerator: 'normalized', denominator: 'denormalized' },
    ],
  });
});
