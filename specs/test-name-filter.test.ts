/**
 * What --filter TEXT selects (harness/cli/test-name-filter.ts), on the full names vitest
 * matches its -t pattern against: `<workload> [scale=S] <test name> [scale=S]`, as
 * benchmark-suite.ts names them. TEXT is plain text, case-sensitive, looked for in the test
 * name only: `[` — in every name's [scale=...] — selected every test before.
 */
import { describe, expect, it } from 'vitest';
import { testNamePattern } from '../harness/cli/test-name-filter.ts';

const NAMES = [
  'receipts [scale=0.1] receipts/index/purchase-date-week: btree vs seq-scan [scale=0.1]',
  'receipts [scale=0.1] receipts/insert/single[normalized] [scale=0.1]',
  'receipts [scale=0.1] receipts/scale-curves/by-vendor[seq-scan] grows with scale (0.1, 0.3)',
  'store [scale=0.1] store/load/checkout [scale=0.1] (skipped: the load driver loads loopback servers only)',
  'a test of its own, outside benchmarkSuite',
];
const selected = (text: string) => NAMES.filter((n) => new RegExp(testNamePattern(text)).test(n)).map((n) => NAMES.indexOf(n));

describe('--filter TEXT', () => {
  it('selects the tests whose name contains TEXT', () => {
    expect(selected('receipts/index')).toEqual([0]);
    expect(selected('btree vs')).toEqual([0]);
    expect(selected('store/load/checkout')).toEqual([3]);
    expect(selected('of its own')).toEqual([4]);
  });

  it('takes TEXT as text: pattern characters match themselves', () => {
    expect(selected('[normalized]')).toEqual([1]);
    expect(selected('single[')).toEqual([1]);
    expect(selected('receipts.index')).toEqual([]);
    expect(selected('(0.1, 0.3)')).toEqual([2]);
  });

  it('does not look into the [scale=...] every name carries: `[` selects only names with brackets of their own', () => {
    expect(selected('[')).toEqual([1, 2]);
    expect(selected('[scale=0.1]')).toEqual([]);
    expect(selected('scale=')).toEqual([]);
    expect(selected('scale')).toEqual([2]);
    expect(selected('skipped')).toEqual([]);
  });

  it('is case-sensitive', () => {
    expect(selected('Btree')).toEqual([]);
    expect(selected('A test')).toEqual([]);
  });
});
