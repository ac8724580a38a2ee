/**
 * How far apart runs of unchanged code are, in the CI files' own terms: for every ordered
 * pair of result folders (each holding the files `schemabench run` or `schemabench report`
 * writes), github-action-benchmark's alert rule replayed (its src/write.ts: the ratio
 * current / previous for a smaller-is-better file, previous / current for a bigger-is-better
 * one, per name), and per Bencher measure the largest deviation of one run from the mean
 * of the others (what a percentage threshold compares). An alert threshold belongs above
 * these figures (docs/ci.md, "Alert thresholds").
 *
 *   node --import tsx scripts/noise/replay-alerts.ts run1/ run2/ run3/
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BencherMetricFormat } from '../../harness/report/bencher-format.ts';
import type { GabEntry } from '../../harness/report/github-action-benchmark.ts';
import { REPORT_FILES } from '../../harness/report/write-reports.ts';

interface Run {
  dir: string;
  smaller: GabEntry[];
  bigger: GabEntry[];
  bmf: BencherMetricFormat;
}

const read = <T>(dir: string, file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as T;
const runs: Run[] = process.argv.slice(2).map((dir) => ({
  dir,
  smaller: read(dir, REPORT_FILES.smallerIsBetter),
  bigger: read(dir, REPORT_FILES.biggerIsBetter),
  bmf: read(dir, REPORT_FILES.bencher),
}));
if (runs.length < 2) throw new Error('usage: replay-alerts.ts DIR DIR [DIR ...] (folders with the CI files of runs of the same code)');

/** The action's ratio (getRatio): above 1 is worse. */
const ratio = (bigger: boolean, prev: number, cur: number) => (prev === 0 && cur === 0 ? 1 : bigger ? prev / cur : cur / prev);

for (const prev of runs) {
  for (const cur of runs) {
    if (prev === cur) continue;
    for (const series of ['smaller', 'bigger'] as const) {
      const ratios = cur[series]
        .flatMap((c) => {
          const p = prev[series].find((e) => e.name === c.name);
          return p ? [{ name: c.name, r: ratio(series === 'bigger', p.value, c.value) }] : [];
        })
        .sort((a, b) => b.r - a.r);
      const over = (t: number) => ratios.filter((x) => x.r > t).length;
      const top = ratios[0];
      console.log(`${prev.dir} -> ${cur.dir} ${series}: ${ratios.length} names; worst ${top?.r.toFixed(2)}x (${top?.name}); alerts at 150%/200%/300%/500%: ${over(1.5)}/${over(2)}/${over(3)}/${over(5)}`);
    }
  }
}

const spread = new Map<string, { above: number; below: number; n: number }>();
const keys = new Set(runs.flatMap((r) => Object.keys(r.bmf)));
for (const key of keys) {
  for (const measure of new Set(runs.flatMap((r) => Object.keys(r.bmf[key] ?? {})))) {
    const values = runs.flatMap((r) => (r.bmf[key]?.[measure] ? [r.bmf[key]![measure]!.value] : []));
    values.forEach((v, i) => {
      const others = values.filter((_, k) => k !== i);
      const mean = others.reduce((a, b) => a + b, 0) / others.length;
      if (!others.length || mean === 0) return;
      const s = spread.get(measure) ?? { above: 0, below: 0, n: 0 };
      s.n++;
      s.above = Math.max(s.above, v / mean - 1);
      s.below = Math.max(s.below, 1 - v / mean);
      spread.set(measure, s);
    });
  }
}
for (const [measure, s] of spread) console.log(`bencher ${measure}: ${s.n} values; at most ${(s.above * 100).toFixed(1)}% above and ${(s.below * 100).toFixed(1)}% below the mean of the other runs`);
