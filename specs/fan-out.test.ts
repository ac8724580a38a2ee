/**
 * The pieces derived references are laid out with (harness/fixtures/derived/): a row
 * permutation is a bijection computed both ways, and a fan-out gives every parent one
 * child while there are enough, skews the rest, and lists the children of a parent back.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SKEW, FanOut, fanOutWeights, type ReferenceDistribution } from '../harness/fixtures/derived/fan-out.ts';
import { RowPermutation } from '../harness/fixtures/derived/row-permutation.ts';

const fanOut = (parents: number, children: number, distribution?: ReferenceDistribution) =>
  FanOut.weighted(children, fanOutWeights(parents, distribution, () => new RowPermutation(parents, 7, 1)), new RowPermutation(children, 7, 2));

/** Children per parent, counted from parentOf. */
const counts = (fan: FanOut) => {
  const n = new Array<number>(fan.parents).fill(0);
  for (let i = 0; i < fan.children; i++) n[fan.parentOf(i)]!++;
  return n;
};

describe('RowPermutation', () => {
  it('is a bijection of [0, n) whose inverse undoes it, for sizes around powers of two', () => {
    for (const n of [1, 2, 3, 4, 5, 31, 32, 33, 1000, 65_537]) {
      const p = new RowPermutation(n, 42, 9);
      const seen = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const y = p.forward(i);
        expect(y >= 0 && y < n && !seen[y], `n=${n} i=${i} -> ${y}`).toBe(true);
        seen[y] = 1;
        if (p.inverse(y) !== i) expect.fail(`n=${n}: inverse(forward(${i})) = ${p.inverse(y)}`);
      }
    }
  });

  it('leaves no order: neighbouring rows land far apart, and another key gives another order', () => {
    const n = 10_000;
    const p = new RowPermutation(n, 42, 9);
    const q = new RowPermutation(n, 42, 10);
    let near = 0;
    let same = 0;
    for (let i = 0; i + 1 < n; i++) {
      if (Math.abs(p.forward(i + 1) - p.forward(i)) < n / 100) near++;
      if (p.forward(i) === q.forward(i)) same++;
    }
    // Random placement puts a neighbour within n/100 about 2% of the time.
    expect(near / n).toBeLessThan(0.05);
    expect(same).toBeLessThan(10);
  });
});

describe('FanOut', () => {
  it('gives every parent a child while children are at least as many, each child one parent, and lists them back', () => {
    for (const [parents, children] of [[1, 5], [7, 7], [50, 2000], [1000, 4000]] as const) {
      for (const distribution of [undefined, 'uniform', { zipf: 1.2 }] as const) {
        const fan = fanOut(parents, children, distribution);
        const n = counts(fan);
        expect(n.filter((c) => c === 0), `${parents}/${children} ${JSON.stringify(distribution)}`).toEqual([]);
        expect(n.reduce((a, b) => a + b, 0)).toBe(children);
        for (let k = 0; k < parents; k++) {
          expect(fan.size(k)).toBe(n[k]);
          for (let j = 0; j < n[k]!; j++) expect(fan.parentOf(fan.childOf(k, (j + 0.5) / n[k]!))).toBe(k);
        }
      }
    }
  });

  it('with fewer children than parents, gives one child to as many parents as there are children', () => {
    const n = counts(fanOut(100, 57));
    expect(n.filter((c) => c === 1)).toHaveLength(57);
    expect(n.filter((c) => c === 0)).toHaveLength(43);
    expect(fanOut(100, 57).childOf(n.indexOf(0), 0.5)).toBe(-1);
  });

  it('shares evenly when uniform, by parent row for zipf, and skewed over a seeded rank by default', () => {
    expect(new Set(counts(fanOut(1000, 4000, 'uniform')))).toEqual(new Set([4]));
    const zipf = counts(fanOut(1000, 4000, { zipf: 1.2 }));
    expect(zipf[0]).toBe(Math.max(...zipf));
    const skewed = counts(fanOut(1000, 4000));
    const sorted = [...skewed].sort((a, b) => b - a);
    // Zipf(0.8) over the 3,000 children beyond the first: the top 10% of parents hold about 60% of them.
    const extraTop = sorted.slice(0, 100).reduce((a, b) => a + b - 1, 0) / 3000;
    expect(DEFAULT_SKEW).toBe(0.8);
    expect(extraTop).toBeGreaterThan(0.5);
    expect(extraTop).toBeLessThan(0.7);
    // Ranked, not by row: the biggest parent is not the first row.
    expect(skewed.indexOf(sorted[0]!)).not.toBe(0);
  });
});
