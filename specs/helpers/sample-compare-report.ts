/**
 * Hand-built CompareReports for the renderers' specs: a regression (a dropped index), an
 * improvement, other changes, unchanged cases, a comparison that stopped passing, a
 * flagged and a safe migration; and a hostile one whose every string tries to break a
 * markdown table or inject HTML.
 */
import type { CaseDiff, CaseFacts, CompareReport } from '../../harness/compare/compare-report.ts';

const facts = (p50: number, indexes: string[], seqScans: string[], buffers: number, rows = 20, sql?: string): CaseFacts => ({
  p50,
  plan: { nodes: seqScans.length ? ['Limit', 'Seq Scan'] : ['Limit', 'Index Scan'], indexes, seqScans },
  buffers,
  rows,
  ...(sql ? { sql } : {}),
});

export function unchangedCase(i: number): CaseDiff {
  const f = facts(0.2 + i / 1000, [`t${i}_pkey`], [], 4);
  return { id: `store/unchanged/case-${String(i).padStart(4, '0')}[normalized]`, workload: 'store', status: 'unchanged', base: f, head: { ...f, p50: f.p50 * 1.01 }, latency: { estimate: 1.01, low: 0.98, high: 1.04, pairs: 30, confidence: 0.95 }, findings: [] };
}

export function sampleCompareReport(): CompareReport {
  return {
    base: { ref: 'origin/main', commit: '0123456789abcdef0123456789abcdef01234567' },
    head: { ref: 'working tree', commit: 'fedcba9876543210fedcba9876543210fedcba98', dirty: true },
    workloads: ['receipts', 'store'],
    scale: 1,
    seed: 20240601,
    server: { provider: 'embedded', version: '17.10' },
    paired: true,
    latencyThreshold: 1.1,
    verdict: 'regression',
    cases: [
      unchangedCase(1),
      {
        id: 'store/catalog/recs[normalized]',
        workload: 'store',
        status: 'unchanged',
        base: facts(0.21, ['carts_user_id_idx'], [], 12),
        head: facts(3.4, [], ['carts'], 3456),
        latency: { estimate: 16.2, low: 15.1, high: 17.3, pairs: 30, confidence: 0.95 },
        findings: [
          { kind: 'buffers-up', regression: true, message: 'buffers 12 -> 3,456' },
          { kind: 'index-lost', regression: true, message: 'no longer uses carts_user_id_idx' },
          { kind: 'seq-scan-gained', regression: true, message: 'Seq Scan on carts (200,000 rows)' },
        ],
      },
      {
        id: 'receipts/index/purchase-date[btree]',
        workload: 'receipts',
        status: 'unchanged',
        base: facts(9.5, [], ['receipts'], 1376, 1),
        head: facts(0.5, ['receipts_purchase_date_idx'], [], 8, 1),
        latency: { estimate: 0.053, low: 0.05, high: 0.056, pairs: 30, confidence: 0.95 },
        findings: [
          { kind: 'index-gained', regression: false, message: 'uses receipts_purchase_date_idx' },
          { kind: 'buffers-down', regression: false, message: 'buffers 1,376 -> 8' },
        ],
      },
      {
        id: 'store/carts/items[normalized]',
        workload: 'store',
        status: 'changed',
        base: facts(0.3, ['cart_items_pkey'], [], 6, 5, 'select * from cart_items where cart_id = $1'),
        head: facts(0.31, ['cart_items_pkey'], [], 6, 5, 'select id, qty from cart_items where cart_id = $1'),
        latency: { estimate: 1.02, low: 0.97, high: 1.07, pairs: 30, confidence: 0.95 },
        findings: [{ kind: 'sql-changed', regression: false, message: 'the SQL changed' }],
      },
      { id: 'store/users/new[normalized]', workload: 'store', status: 'added', head: facts(0.4, ['users_pkey'], [], 3, 1), latency: null, findings: [{ kind: 'case-added', regression: false, message: 'new case' }] },
      unchangedCase(2),
    ],
    comparisons: [
      {
        name: 'receipts/insert: multi-row values vs single transaction',
        workload: 'receipts',
        threshold: 10,
        base: { speedup: { estimate: 15.36, low: 14.14, high: 16.69 }, verdict: 'pass', passed: true },
        head: { speedup: { estimate: 5.01, low: 4.76, high: 5.26 }, verdict: 'fail', passed: false },
        findings: [{ kind: 'comparison-failed', regression: true, message: 'passed on base, fails on head' }],
      },
      {
        name: 'receipts/date-analysis: materialized vs normalized',
        workload: 'receipts',
        threshold: 5,
        base: { speedup: { estimate: 63, low: 60, high: 66 }, verdict: 'pass', passed: true },
        head: { speedup: { estimate: 64, low: 61, high: 67 }, verdict: 'pass', passed: true },
        findings: [],
      },
    ],
    migrations: [
      {
        workload: 'store',
        file: '0004_loyalty_points.sql',
        durationMs: 1834,
        statements: 2,
        locks: [
          { table: 'users', mode: 'RowExclusiveLock', heldMs: 10, rows: 200_000, rewritten: false },
          { table: 'users', mode: 'AccessExclusiveLock', heldMs: 1790, rows: 200_000, rewritten: true },
        ],
        rowsTouched: 200_000,
        worstClientWaitMs: 1760,
        flags: ['ACCESS EXCLUSIVE on users (200,000 rows) held 1,790 ms', 'rewrites users (200,000 rows)'],
      },
      {
        workload: 'store',
        file: '0005_loyalty_points_safe.sql',
        durationMs: 950,
        statements: 3,
        locks: [{ table: 'users', mode: 'ShareUpdateExclusiveLock', heldMs: 0, rows: 200_000, rewritten: false }],
        rowsTouched: 200_000,
        worstClientWaitMs: 4,
        flags: [],
      },
    ],
    notes: ['base: 1 test failed (store/rentals: rent): shown as a note, not judged'],
    durationMs: 252_000,
  };
}

/** What an attacker can put in a case name, a message, SQL, a ref or a note. */
export const HOSTILE = "evil | <script>alert(1)</script> <img src=x onerror=alert(2)> & `tick` **bold** [link](javascript:alert(3)) </details> <!-- \n# heading\r\n| a | b |\n~~strike~~ \\| \u001b[31mred";

export function hostileCompareReport(): CompareReport {
  const report = sampleCompareReport();
  report.base.ref = `origin/${HOSTILE}`;
  report.server.version = HOSTILE;
  report.workloads = [HOSTILE];
  report.notes = [HOSTILE, `# ${HOSTILE}`];
  const regressed = report.cases[1]!;
  regressed.id = `${HOSTILE}[normalized]`;
  regressed.findings[0]!.message = HOSTILE;
  regressed.base!.plan!.indexes = [HOSTILE];
  regressed.head!.sql = HOSTILE;
  report.comparisons[0]!.name = HOSTILE;
  report.migrations[0]!.file = HOSTILE;
  report.migrations[0]!.flags = [HOSTILE];
  report.migrations[0]!.locks[1]!.table = HOSTILE;
  return report;
}
