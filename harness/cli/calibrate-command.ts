/**
 * `schemabench calibrate`: its usage, its options and the checks of what was typed, in a
 * module that loads nothing heavy (the measuring and checking is calibrate-bars.ts): bad
 * arguments are one line and exit 2 before the project's config and TypeScript's loader load.
 */
import { parseScale } from '../config.ts';
import { checkRunOptions } from './check-run-options.ts';
import { UsageError } from '../errors.ts';
import { parseCommandLine } from './parse-command-line.ts';

export const CALIBRATE_USAGE = `schemabench calibrate [--workload NAME|all] [--filter TEXT] [--scales F,F,...] [--runs N] [--conditions LIST]
                      [--seed N] [--profile benchmark|durable] [--out DIR] [--check]
  Measure every comparison and load ratio with a bar (at any of the scales), under each condition this machine offers
  (embedded; testcontainers when a Docker engine answers; each alone and beside a CPU hog), at each scale (default 0.3,1),
  N times (default 1), and write what was measured to benchmarks/<workload>/calibration.json (atLeast: calibrated()
  derives its bar from it). --filter keeps the assertions whose name contains TEXT; --conditions picks some of
  embedded, embedded+cpu-hog, testcontainers, testcontainers+cpu-hog. Run logs go to DIR (default .schemabench/calibrate).
  --check measures nothing: it holds each declared bar against the data (default: at every calibrated scale) and
  exits 1 when a bar is above its measured floor (it would flake).`;

const CALIBRATE_OPTIONS = {
  workload: { type: 'string', default: 'all' },
  filter: { type: 'string' },
  scales: { type: 'string' },
  runs: { type: 'string' },
  conditions: { type: 'string' },
  seed: { type: 'string' },
  profile: { type: 'string' },
  out: { type: 'string' },
  check: { type: 'boolean', default: false },
} as const;

export type CalibrateValues = ReturnType<typeof parseCommandLine<typeof CALIBRATE_OPTIONS>>;

export function parseRuns(value: string | undefined): number {
  if (value === undefined) return 1;
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= 20)) throw new UsageError(`--runs must be an integer from 1 to 20 (got ${JSON.stringify(value)})`);
  return n;
}

export function parseScales(value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  return [...new Set(value.split(',').map((s) => parseScale(s.trim())))].sort((a, b) => a - b);
}

/** The arguments as typed, checked on their own; conditions, workloads and the output folder are checked with the project. */
export function parseCalibrateArguments(args: string[]): CalibrateValues {
  const values = parseCommandLine('calibrate', args, CALIBRATE_OPTIONS);
  parseScales(values.scales);
  parseRuns(values.runs);
  checkRunOptions(values);
  if (values.check && (values.runs !== undefined || values.conditions !== undefined)) throw new UsageError('--check measures nothing: give it no --runs or --conditions');
  return values;
}

/** `args` as typed: the calibration data records the command that measured it. */
export async function calibrateCommand(values: CalibrateValues, args: string[]): Promise<number> {
  const { calibrateBars } = await import('./calibrate-bars.ts');
  return calibrateBars(values, args);
}
