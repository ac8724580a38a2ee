/**
 * Results files built by hand for the judge's specs: a fingerprint, cases, comparisons,
 * metrics and loads with only what a rule reads. `sampleJudgement()` judges a base and a
 * head that hold one of everything a reader meets: an index dropped (two cases lose it,
 * the comparison built on one fails, and so does its test: one cause), an improvement,
 * other changes, unchanged subjects, a flagged and a safe migration, a test failing on
 * both sides, a note. `hostileJudgement()` puts an attacker's text everywhere it can.
 */
import { judge, type JudgeInput } from '../../harness/judge/judge.ts';
import type { Judgement } from '../../harness/judge/judgement.ts';
import type { MigrationTrace } from '../../harness/judge/evidence.ts';
import type { Finding } from '../../harness/judge/finding.ts';
import type { CaseResult, ComparisonResult, Fingerprint, LoadResult, MetricResult, ResultsFile } from '../../harness/results/results-schema.ts';

export function fingerprint(overrides: Partial<Fingerprint> = {}): Fingerprint {
  return {
    postgres: { version: '17.10', provider: 'embedded', settings: { jit: 'off' } },
    machine: { cpuModel: 'test cpu', cores: 2, memoryGiB: 24, platform: 'linux' },
    node: 'v20.20.2',
    packages: {},
    datasets: { store: 'store_0123', receipts: 'receipts_0123' },
    datasetDetails: {
      store: { schemaHash: 'a', fixtures: '{}', rows: { carts: 200_000, users: 200_000, cart_items: 213_000, products: 138 }, checksums: { carts: 'c1', users: 'u1', cart_items: 'i1', products: 'p1' } },
      receipts: { schemaHash: 'b', fixtures: '{}', rows: { receipts: 100_000, vendors: 14 }, checksums: { receipts: 'r1', vendors: 'v1' } },
    },
    scale: 1,
    seed: 20240601,
    gitCommit: null,
    ...overrides,
  };
}

export interface CaseShape {
  workload?: string;
  scale?: number;
  p50?: number;
  indexes?: string[];
  seqScans?: string[];
  nodes?: string[];
  buffers?: number;
  rows?: number | null;
  sql?: string;
  /** Per-round medians; turns are 1, 3, 5, ... on base and 2, 4, 6, ... on head when `side` is given. */
  medians?: number[];
  side?: 'base' | 'head';
  iterations?: number;
  file?: string;
}

export function kase(name: string, variant: string, s: CaseShape = {}): CaseResult {
  const scale = s.scale ?? 1;
  const seqScans = s.seqScans ?? [];
  const medians = s.medians ?? Array.from({ length: 8 }, () => s.p50 ?? 1);
  return {
    name,
    workload: s.workload ?? 'store',
    variant,
    params: { scale },
    scale,
    cache: 'warm',
    latency: { mean: s.p50 ?? 1, p50: s.p50 ?? 1, p99: 2 * (s.p50 ?? 1), rme: 2, n: 80 },
    plan: { nodes: s.nodes ?? ['Limit', seqScans.length ? 'Seq Scan' : 'Index Scan'], indexes: s.indexes ?? [], seqScans },
    buffers: { hit: s.buffers ?? 8, read: 0 },
    rows: s.rows === undefined ? 20 : s.rows,
    ...(s.sql === undefined ? {} : { sql: s.sql }),
    rounds: {
      medians,
      ...(s.side ? { turns: medians.map((_, k) => 2 * k + (s.side === 'base' ? 1 : 2)) } : {}),
      ...(s.iterations === undefined ? {} : { iterations: s.iterations }),
    },
    ...(s.file === undefined ? {} : { file: s.file }),
  };
}

export function comparison(name: string, baseline: string, candidate: string, speedup: [number, number, number], o: { threshold?: number | null; passed?: boolean; verdict?: ComparisonResult['verdict']; workload?: string; scale?: number; failures?: string[] } = {}): ComparisonResult {
  const passed = o.passed ?? true;
  return {
    name,
    workload: o.workload ?? 'store',
    baseline,
    candidate,
    scale: o.scale ?? 1,
    speedup: { estimate: speedup[0], low: speedup[1], high: speedup[2] },
    threshold: o.threshold === undefined ? 5 : o.threshold,
    rounds: 8,
    bufferRatio: null,
    verdict: o.verdict === undefined ? (passed ? 'pass' : 'fail') : o.verdict,
    passed,
    failures: o.failures ?? (passed ? [] : [`${name}: speedup ${speedup[0]}x below the bar`]),
  };
}

export function metric(name: string, value: number, unit = 'bytes', workload = 'receipts'): MetricResult {
  return { name, workload, value, unit, scale: 1 };
}

export function load(name: string, ratio: [number, number, number], o: { threshold?: number; passed?: boolean; workload?: string } = {}): LoadResult {
  const passed = o.passed ?? true;
  return {
    name,
    workload: o.workload ?? 'store',
    scale: 1,
    mode: 'closed',
    rate: null,
    intervalMs: 1000,
    intervals: 6,
    variants: [],
    ratios: [{ metric: 'throughput', transaction: 'all', numerator: 'with', denominator: 'without', ratio: { estimate: ratio[0], low: ratio[1], high: ratio[2] }, threshold: o.threshold ?? 2, verdict: passed ? 'pass' : 'fail', passed }],
    passed,
    failures: passed ? [] : ['throughput with/without below the bar'],
  };
}

export function results(parts: { cases?: CaseResult[]; comparisons?: ComparisonResult[]; metrics?: MetricResult[]; loads?: LoadResult[]; fingerprint?: Partial<Fingerprint> }): ResultsFile {
  return { schemaVersion: 1, createdAt: '2026-12-07T00:00:00.000Z', fingerprint: fingerprint(parts.fingerprint), cases: parts.cases ?? [], comparisons: parts.comparisons ?? [], metrics: parts.metrics ?? [], loads: parts.loads ?? [] };
}

/** An unchanged store case measured on `side`. */
export const unchanged = (i: number, side: 'base' | 'head') => kase(`store/unchanged/case-${String(i).padStart(4, '0')}`, 'normalized', { p50: 0.2 + i / 1000, indexes: [`t${i}_pkey`], buffers: 4, side, medians: Array.from({ length: 8 }, (_, k) => 0.2 + i / 1000 + (k % 2) * 0.001) });

export const MIGRATIONS: MigrationTrace[] = [
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
    flags: ['rewrites users (200000 rows) under AccessExclusiveLock held 1790 ms'],
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
];

const INDEXED = { indexes: ['carts_user_id_idx'], buffers: 12 };
const SCANNED = { seqScans: ['carts'], buffers: 3456 };
const RECS = 'store/carts: index vs none';

export function sampleSides(): { base: ResultsFile; head: ResultsFile } {
  const slow = (side: 'base' | 'head') => Array.from({ length: 8 }, (_, k) => (side === 'base' ? 0.21 : 3.4) * (1 + (k % 3) * 0.01));
  const base = results({
    cases: [
      unchanged(1, 'base'),
      kase('store/carts/by-user', 'normalized', { p50: 0.21, ...INDEXED, side: 'base', medians: slow('base') }),
      kase('store/carts/by-user', 'none', { p50: 0.2, ...INDEXED, side: 'base' }),
      kase('store/carts/recent', 'normalized', { p50: 0.3, ...INDEXED, side: 'base' }),
      kase('receipts/index/purchase-date', 'btree', { workload: 'receipts', p50: 9.5, seqScans: ['receipts'], buffers: 1376, rows: 1, side: 'base', medians: Array.from({ length: 8 }, () => 9.5) }),
      kase('store/carts/items', 'normalized', { p50: 0.3, indexes: ['cart_items_pkey'], buffers: 6, rows: 5, sql: 'select * from cart_items where cart_id = $1', side: 'base' }),
      unchanged(2, 'base'),
    ],
    comparisons: [
      comparison(RECS, 'store/carts/by-user[none]', 'store/carts/by-user[normalized]', [15.36, 14.14, 16.69], { threshold: 10 }),
      comparison('receipts/date-analysis: materialized vs normalized', 'store/unchanged/case-0001[normalized]', 'store/unchanged/case-0002[normalized]', [63, 60, 66], { workload: 'store' }),
    ],
  });
  const head = results({
    cases: [
      unchanged(1, 'head'),
      kase('store/carts/by-user', 'normalized', { p50: 3.4, ...SCANNED, side: 'head', medians: slow('head') }),
      kase('store/carts/by-user', 'none', { p50: 3.4, ...SCANNED, side: 'head', medians: slow('head') }),
      kase('store/carts/recent', 'normalized', { p50: 3.1, ...SCANNED, side: 'head', medians: Array.from({ length: 8 }, () => 3.1) }),
      kase('receipts/index/purchase-date', 'btree', { workload: 'receipts', p50: 0.5, indexes: ['receipts_purchase_date_idx'], buffers: 8, rows: 1, side: 'head', medians: Array.from({ length: 8 }, () => 0.5) }),
      kase('store/carts/items', 'normalized', { p50: 0.3, indexes: ['cart_items_pkey'], buffers: 6, rows: 5, sql: 'select id, qty from cart_items where cart_id = $1', side: 'head' }),
      kase('store/users/new', 'normalized', { p50: 0.4, indexes: ['users_pkey'], buffers: 3, rows: 1, side: 'head' }),
      unchanged(2, 'head'),
    ],
    comparisons: [
      comparison(RECS, 'store/carts/by-user[none]', 'store/carts/by-user[normalized]', [1.01, 0.98, 1.04], { threshold: 10, passed: false }),
      comparison('receipts/date-analysis: materialized vs normalized', 'store/unchanged/case-0001[normalized]', 'store/unchanged/case-0002[normalized]', [64, 61, 67], { workload: 'store' }),
    ],
  });
  return { base, head };
}

export const RECS_TEST = `store [scale=1] ${RECS} [scale=1]`;
export const RENT_TEST = 'store [scale=1] store/rentals: rent [scale=1]';

export function sampleInput(): JudgeInput {
  const { base, head } = sampleSides();
  return {
    command: 'compare',
    base,
    head,
    sides: { base: { ref: 'origin/main', commit: '0123456789abcdef0123456789abcdef01234567' }, head: { ref: 'working tree', commit: 'fedcba9876543210fedcba9876543210fedcba98', dirty: true } },
    rules: { latencyThreshold: 1.1 },
    paired: {
      tests: { base: { failed: [RENT_TEST], passed: [RECS_TEST] }, head: { failed: [RECS_TEST, RENT_TEST], passed: [] } },
      migrations: structuredClone(MIGRATIONS),
      changedFiles: new Set(),
      overlaps: 0,
      tookTurns: true,
    },
    notes: ['base: a note for the reader'],
    durationMs: 252_000,
  };
}

export const sampleJudgement = (): Judgement => judge(sampleInput());

/** What an attacker can put in a case name, a message, SQL, a ref or a note. */
export const HOSTILE = "evil | <script>alert(1)</script> <img src=x onerror=alert(2)> & `tick` **bold** [link](javascript:alert(3)) </details> <!-- \n# heading\r\n| a | b |\n~~strike~~ \\| \u001b[31mred @octocat #12 GH-7";

export function hostileJudgement(): Judgement {
  const input = sampleInput();
  input.sides.base.ref = `origin/${HOSTILE}`;
  for (const side of [input.base, input.head]) {
    side.fingerprint.postgres.version = HOSTILE;
    const c = side.cases[1]!;
    c.name = HOSTILE;
    c.plan!.indexes = c.plan!.indexes.length ? [HOSTILE] : [];
    c.sql = `${HOSTILE} ${side === input.head ? 'head' : 'base'}`;
    side.comparisons[0]!.candidate = `${HOSTILE}[normalized]`;
    side.comparisons[0]!.name = HOSTILE;
  }
  input.notes = [HOSTILE, `# ${HOSTILE}`];
  input.paired!.migrations[0]!.file = HOSTILE;
  input.paired!.migrations[0]!.flags = [HOSTILE];
  input.paired!.migrations[0]!.locks[1]!.table = HOSTILE;
  return judge(input);
}

/** Kinds that only one mode can see (paired: latency ratio, tests, migrations, turns; cross-run: drift). */
export const MODE_ONLY = new Set<Finding['kind']>(['latency-up', 'latency-down', 'speedup-dropped', 'speedup-rose', 'load-ratio-dropped', 'test-failed', 'migration-flagged', 'measurements-overlapped', 'iterations-differ']);

/** The findings both modes must agree on, one sortable line each. */
export const deterministicFindings = (j: Judgement) =>
  j.findings
    .filter((f) => !MODE_ONLY.has(f.kind))
    .map((f) => `${f.subject.type} ${f.subject.id}: ${f.kind} ${f.severity}: ${f.message}`)
    .sort();
