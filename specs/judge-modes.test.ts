/**
 * One judge, two modes: the same two results judged by gate (cross-run) and compare
 * (paired) give the same deterministic findings for every mutation a change can make:
 * plans, buffers, rows, removed and added cases, a changed dataset. Only what needs the
 * mode differs: a paired latency ratio (compare), drift across runs (gate). Pure: the
 * same proof on results measured for real is in specs/compare-proof.bench.ts.
 */
import { describe, expect, it } from 'vitest';
import { judge, type JudgeInput } from '../harness/judge/judge.ts';
import type { Judgement } from '../harness/judge/judgement.ts';
import type { ResultsFile } from '../harness/results/results-schema.ts';
import { comparison, deterministicFindings, kase, results, RECS_TEST, RENT_TEST, sampleInput } from './helpers/judge-evidence.ts';




function both(base: ResultsFile, head: ResultsFile): { gate: Judgement; compare: Judgement } {
  const sides = { base: { ref: 'a', commit: '' }, head: { ref: 'b', commit: '' } };
  const paired: JudgeInput['paired'] = { tests: { base: { failed: [], passed: [] }, head: { failed: [], passed: [] } }, migrations: [], changedFiles: new Set(), overlaps: 0, tookTurns: true };
  return { gate: judge({ command: 'gate', base, head, sides }), compare: judge({ command: 'compare', base, head, sides, paired }) };
}

const BASE = () =>
  results({
    cases: [
      kase('store/carts/by-user', 'after', { indexes: ['carts_user_id_idx'], buffers: 12, side: 'base' }),
      kase('store/products/list', 'after', { indexes: ['products_pkey'], buffers: 4, side: 'base' }),
      kase('store/carts/open', 'after', { nodes: ['Limit', 'Index Scan'], indexes: ['carts_pkey'], buffers: 40, rows: 7, sql: 'select 1', side: 'base' }),
      kase('store/carts/count', 'after', { nodes: ['Aggregate', 'Index Only Scan'], indexes: ['carts_pkey'], buffers: 100, side: 'base', p50: 2 }),
    ],
    comparisons: [comparison('store/carts: index vs none', 'store/carts/count[after]', 'store/carts/by-user[after]', [9, 8, 10])],
  });

type Mutation = { name: string; mutate: (head: ResultsFile) => void; expected: string[] };

const MUTATIONS: Mutation[] = [
  {
    name: 'index dropped',
    mutate: (h) => Object.assign(h.cases[0]!, { plan: { nodes: ['Limit', 'Seq Scan'], indexes: [], seqScans: ['carts'] }, buffers: { hit: 1479, read: 0 } }),
    expected: ['index-lost regression', 'seq-scan-gained regression', 'buffers-up regression'],
  },
  {
    name: 'seq scan gained on a small table (138 rows)',
    mutate: (h) => Object.assign(h.cases[1]!, { plan: { nodes: ['Limit', 'Seq Scan'], indexes: ['products_pkey'], seqScans: ['products'] } }),
    expected: ['plan-changed change'],
  },
  {
    name: 'seq scan gained on a large table (200,000 rows)',
    mutate: (h) => Object.assign(h.cases[3]!, { plan: { nodes: ['Aggregate', 'Index Only Scan', 'Seq Scan'], indexes: ['carts_pkey'], seqScans: ['carts'] } }),
    expected: ['seq-scan-gained regression'],
  },
  { name: 'rows changed (same SQL, same data)', mutate: (h) => (h.cases[2]!.rows = 8), expected: ['rows-changed regression'] },
  { name: 'case removed', mutate: (h) => h.cases.splice(1, 1), expected: ['removed regression'] },
  { name: 'case added', mutate: (h) => h.cases.push(kase('store/users/new', 'after', { side: 'head' })), expected: ['added change'] },
  { name: 'buffers +5%', mutate: (h) => (h.cases[3]!.buffers = { hit: 105, read: 0 }), expected: [] },
  { name: 'buffers +30%', mutate: (h) => (h.cases[3]!.buffers = { hit: 130, read: 0 }), expected: ['buffers-up regression'] },
  {
    name: 'dataset changed (a table of other rows), rows changed with it',
    mutate: (h) => {
      h.fingerprint.datasets.store = 'store_4567';
      h.fingerprint.datasetDetails!.store!.rows.carts = 20_000;
      h.fingerprint.datasetDetails!.store!.checksums!.carts = 'c2';
      h.cases[2]!.rows = 3;
    },
    expected: ['dataset-changed change', 'rows-changed change'],
  },
];

describe('the same evidence, judged by gate (cross-run) and compare (paired)', () => {
  for (const m of MUTATIONS) {
    it(`${m.name}: the same deterministic findings in both modes`, () => {
      const base = BASE();
      const head = structuredClone(base);
      for (const c of head.cases) c.rounds!.turns = c.rounds!.turns!.map((t) => t + 1);
      m.mutate(head);
      const { gate, compare } = both(base, head);
      expect(deterministicFindings(gate)).toEqual(deterministicFindings(compare));
      expect(deterministicFindings(gate).map((f) => f.replace(/^.*?: (\S+ \S+):.*$/, '$1')).sort()).toEqual([...m.expected].sort());
      // The verdict follows the findings in both modes.
      const regression = m.expected.some((e) => e.endsWith('regression'));
      expect([gate.verdict, compare.verdict]).toEqual(regression ? ['regression', 'regression'] : ['pass', 'pass']);
    });
  }

  it('latency-only 1.5x (same plan, buffers and rows): a regression paired, not across runs', () => {
    const base = BASE();
    const head = structuredClone(base);
    const slow = head.cases[3]!;
    slow.rounds = { medians: slow.rounds!.medians.map((m, k) => m * (1.5 + (k % 2) * 0.02)), turns: slow.rounds!.turns!.map((t) => t + 1) };
    slow.latency.p50 = 3;
    const { gate, compare } = both(base, head);
    expect(deterministicFindings(gate)).toEqual(deterministicFindings(compare));
    expect(compare.findings.map((f) => `${f.kind} ${f.severity}`)).toEqual(['latency-up regression']);
    expect(compare.verdict).toBe('regression');
    // Across runs, 1.5x of a median is within what two runs on a shared machine move (maxLatencyRatio 2).
    expect(gate.verdict).toBe('pass');
  });
});

describe('verdicts and causes', () => {
  it('one dropped index is one regression: the cases that lost it, the comparison built on them and its test share the cause', () => {
    const j = judge(sampleInput());
    const index = j.groups.find((g) => g.cause.startsWith('index carts_user_id_idx'))!;
    expect(index.severity).toBe('regression');
    expect(index.findings.map((f) => `${f.subject.type} ${f.subject.id}`)).toEqual(
      expect.arrayContaining(['case store/carts/by-user[normalized]', 'case store/carts/by-user[none]', 'comparison store/carts: index vs none', `test ${RECS_TEST}`]),
    );
    // The flagged migration is the other regression.
    expect(j.groups.filter((g) => g.severity === 'regression').map((g) => g.cause)).toEqual([index.cause, 'migration store/0004_loyalty_points.sql']);
    expect(j.verdict).toBe('regression');
  });

  it('a test that fails because the index is gone, and what it no longer measured, join the index\'s cause', () => {
    const input = sampleInput();
    const gone = comparison('store/index-fix/carts: carts_user_id_idx', 'store/carts/fix[before]', 'store/carts/fix[after]', [20, 18, 22], { threshold: 8 });
    input.base.comparisons.push(gone);
    input.base.cases.push(kase('store/carts/fix', 'before', { seqScans: ['carts'], buffers: 3000, side: 'base' }), kase('store/carts/fix', 'after', { ...{ indexes: ['carts_user_id_idx'] }, buffers: 12, side: 'base' }));
    const test = `store [scale=1] ${gone.name} [scale=1]`;
    input.paired!.tests.base.passed.push(test);
    input.paired!.tests.head.failed.push(test);
    input.paired!.tests.head.messages = { [test]: 'Error: store/carts/fix[before]: setup failed: index "carts_user_id_idx" does not exist' };
    const j = judge(input);
    const index = j.groups.find((g) => g.cause.startsWith('index carts_user_id_idx'))!;
    expect(index.findings.map((f) => `${f.subject.type} ${f.subject.id} ${f.kind}`)).toEqual(
      expect.arrayContaining([`test ${test} test-failed`, `comparison ${gone.name} removed`, 'case store/carts/fix[before] removed', 'case store/carts/fix[after] removed']),
    );
    expect(j.groups.filter((g) => g.severity === 'regression')).toHaveLength(2);
  });

  it('a head whose tests fail is never a PASS: FAILING when they failed on base too, exit 1', () => {
    const { base } = sampleInput();
    const input: JudgeInput = { ...sampleInput(), head: structuredClone(base), paired: { ...sampleInput().paired!, migrations: [] } };
    for (const c of input.head.cases) c.rounds!.turns = c.rounds!.turns!.map((t) => t + 1);
    input.paired!.tests = { base: { failed: [RENT_TEST], passed: [] }, head: { failed: [RENT_TEST], passed: [] } };
    const j = judge(input);
    expect(j.verdict).toBe('failing');
    expect(j.alreadyFailing).toEqual([RENT_TEST]);
    input.paired!.tests.head.failed = [];
    expect(judge(input).verdict).toBe('pass');
  });

  it('a comparison failing in both files is FAILING in the gate too, not a pass', () => {
    const base = BASE();
    base.comparisons[0] = comparison('store/carts: index vs none', 'store/carts/count[after]', 'store/carts/by-user[after]', [1, 0.9, 1.1], { passed: false });
    const { gate, compare } = both(base, structuredClone(base));
    expect([gate.verdict, compare.verdict]).toEqual(['failing', 'failing']);
  });

  it('measurements that overlapped: no verdict, unless a deterministic finding decides', () => {
    const input = sampleInput();
    input.paired!.overlaps = 3;
    expect(judge(input).verdict).toBe('regression');
    const calm: JudgeInput = { ...input, head: structuredClone(input.base), paired: { ...input.paired!, migrations: [], tests: { base: { failed: [], passed: [] }, head: { failed: [], passed: [] } } } };
    for (const c of calm.head.cases) c.rounds!.turns = c.rounds!.turns!.map((t) => t + 1);
    const j = judge(calm);
    expect(j.verdict).toBe('no-verdict');
    expect(j.findings.map((f) => f.kind)).toContain('measurements-overlapped');
  });

  it('a case removed by the change (its benchmark file edited) is evidence; one that disappeared is a regression', () => {
    const base = BASE();
    for (const c of base.cases) c.file = 'benchmarks/store/carts.bench.ts';
    const head = structuredClone(base);
    for (const c of head.cases) c.rounds!.turns = c.rounds!.turns!.map((t) => t + 1);
    head.cases.splice(1, 1);
    const paired = (changed: string[]): JudgeInput['paired'] => ({ tests: { base: { failed: [], passed: [] }, head: { failed: [], passed: [] } }, migrations: [], changedFiles: new Set(changed), overlaps: 0, tookTurns: true });
    const sides = { base: { ref: 'a', commit: '' }, head: { ref: 'b', commit: '' } };
    expect(judge({ command: 'compare', base, head, sides, paired: paired(['benchmarks/store/carts.bench.ts']) }).verdict).toBe('pass');
    expect(judge({ command: 'compare', base, head, sides, paired: paired([]) }).verdict).toBe('regression');
  });

  it('iterations that differ between the sides are reported, and that case is not paired', () => {
    const base = BASE();
    const head = structuredClone(base);
    for (const c of head.cases) c.rounds!.turns = c.rounds!.turns!.map((t) => t + 1);
    base.cases[3]!.rounds!.iterations = 40;
    head.cases[3]!.rounds!.iterations = 41;
    const { compare } = both(base, head);
    expect(compare.findings.map((f) => f.kind)).toEqual(['iterations-differ']);
    expect(compare.cases.find((c) => c.subject.id === 'store/carts/count[after]')!.latency).toBeNull();
    expect(compare.notes.filter((n) => n.startsWith('latency not judged'))).toEqual([]);
  });

  it('a case whose rounds ran too many turns apart is not paired, and the note says so', () => {
    const base = BASE();
    const head = structuredClone(base);
    // Head one turn behind base on every case but one, five turns behind on that one (the sides fell out of step).
    head.cases.forEach((c, k) => (c.rounds!.turns = c.rounds!.turns!.map((t) => t + (k === 2 ? 5 : 1))));
    const { compare } = both(base, head);
    expect(compare.cases.filter((c) => c.latency === null).map((c) => c.subject.id)).toEqual(['store/carts/open[after]']);
    expect(compare.notes).toContain('latency not judged for 1 of 4 cases: fewer than 4 of their rounds ran within 3 turns of the other side\'s (store/carts/open[after])');
    expect(compare.verdict).toBe('pass');
  });
});

describe('plans made with production statistics', () => {
  it('are never paired with plans of the dataset\'s own statistics: a changed dataset, rows evidence', () => {
    const base = BASE();
    const head = structuredClone(base);
    for (const c of head.cases) c.rounds!.turns = c.rounds!.turns!.map((t) => t + 1);
    head.fingerprint.datasetDetails!.store!.plannedWith = { snapshot: 'abcdef0123456789', capturedAt: '2026-12-01T00:00:00Z' };
    head.cases[2]!.rows = 3;
    const { gate, compare } = both(base, head);
    for (const j of [gate, compare]) {
      expect(j.datasets.map((d) => d.workload)).toEqual(['store']);
      expect(j.findings.find((f) => f.kind === 'dataset-changed')!.message).toMatch(/planned with the dataset's own statistics -> production statistics abcdef0123456789/);
      expect(j.findings.find((f) => f.kind === 'rows-changed')!.severity).toBe('change');
    }
  });
});
