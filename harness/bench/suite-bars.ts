/**
 * A suite file in a bars run of `schemabench calibrate` (the run descriptor's calibration
 * mode `bars`): its `define` is called once per scale asked for, with verbs that only note
 * each comparison's and load ratio's bar at that scale; one test writes them
 * (results/declared-bars.ts). No server, no dataset, nothing measured: the bars a file
 * declares depend on the scale and profile only.
 */
import { it } from 'vitest';
import { writeDeclaredBars, type DeclaredBar } from '../results/declared-bars.ts';
import type { Bar } from '../results/calibration-file.ts';
import { loadRatioName } from '../load/load-spec.ts';
import type { BenchmarkCase } from './benchmark-case.ts';
import { comparisonName } from './run-comparison.ts';
import type { SuiteApi } from './benchmark-suite.ts';

export interface BarsRun {
  workload: string;
  /** The suite file, relative to the project. */
  file: string;
  outDir: string;
  scales: number[];
  profile: 'benchmark' | 'durable';
  /** The suite's check that a case belongs to its workload (the same error as in a measuring run). */
  own: (c: BenchmarkCase) => BenchmarkCase;
}

const noted = (bar: Bar | undefined): DeclaredBar['bar'] => (bar === undefined ? null : typeof bar === 'number' ? bar : { calibrated: true, margin: bar.margin });

export function declareBars(run: BarsRun, define: (api: SuiteApi) => void): void {
  const bars: DeclaredBar[] = [];
  for (const scale of run.scales) {
    define({
      scale,
      profile: run.profile,
      compare(spec) {
        run.own(spec.baseline);
        run.own(spec.candidate);
        bars.push({ id: comparisonName(spec), kind: 'comparison', scale, bar: noted(spec.atLeast) });
      },
      load(spec) {
        for (const r of spec.ratios) bars.push({ id: loadRatioName(spec.name, r), kind: 'load-ratio', scale, bar: noted(r.atLeast) });
      },
      measure: (c) => void run.own(c),
      scaling: (spec) => void run.own(spec.case),
      inspect: () => undefined,
    });
  }
  it(`bars of ${run.file} at scale ${run.scales.join(', ')}`, () => {
    writeDeclaredBars(run.outDir, { file: run.file, workload: run.workload, profile: run.profile, bars });
  });
}
