/**
 * A bar from measurements instead of a number picked by hand: `atLeast: calibrated()`.
 * The name says where the bar comes from (the data `schemabench calibrate` writes to
 * benchmarks/<workload>/calibration.json) and reads in place next to the comparison.
 *
 * The rule, the same for every calibrated bar, at the run's scale:
 *   floor = the lowest lower bound (95% interval) over every recorded condition
 *           (provider, CPU hog or not, machine) of the run's profile;
 *   bar   = floor x margin (CALIBRATION_MARGIN, 0.7), rounded down to 2 significant digits.
 * The margin covers what the recorded conditions did not see: another CPU, a busier
 * neighbour, a sequential look's wider interval (its confidence is >= 95%). 0.7 is what
 * this repository's hand-calibrated bars settled on after CI on another CPU (testcontainers
 * on an Intel Xeon) lowered them: 0.71-0.74 of the lowest lower bound measured
 * (store/index-fix: 6x over 8.28x, 3x over 4.25x; receipts/index: 3x over 4.03x).
 *
 * Reported, not asserted (and said so in the test's output), when the data cannot give a
 * bar that means something: no calibration at this scale (a guess is never asserted),
 * or a bar below MEANINGFUL_BAR, where the speedup is within what the round trip and the
 * neighbours move. With speedups that grow with the data, this is the rule every bar in
 * this repository follows: reported below the scale where it is meaningful, asserted from it.
 */
import { scaleKeyOf, type Bar, type CalibratedBar, type CalibrationFile, type CalibrationMeasurement } from '../results/calibration-file.ts';

export type { Bar, CalibratedBar };

/** Fraction of the measured floor a calibrated bar asks for. */
export const CALIBRATION_MARGIN = 0.7;
/** A calibrated bar below this is reported instead: "at least 1.05x faster" is noise here. */
export const MEANINGFUL_BAR = 1.1;

/** The bar from `schemabench calibrate`'s measurements (see the rule above); `margin` overrides 0.7 for this bar. */
export function calibrated(options: { margin?: number } = {}): CalibratedBar {
  const margin = options.margin ?? CALIBRATION_MARGIN;
  if (!(margin > 0 && margin <= 1)) throw new RangeError(`calibrated(): margin must be > 0 and <= 1 (got ${options.margin})`);
  return { calibrated: true, margin };
}

export const isCalibrated = (bar: Bar | undefined): bar is CalibratedBar => typeof bar === 'object' && bar !== null && bar.calibrated === true;

export const conditionName = (m: Pick<CalibrationMeasurement, 'provider' | 'load'>) => `${m.provider}${m.load === 'cpu-hog' ? '+cpu-hog' : ''}`;

/** The lowest lower bound recorded for `id` at `scale` under `profile`, and what it rests on. */
export interface MeasuredFloor {
  low: number;
  measurements: CalibrationMeasurement[];
  conditions: string[];
}

export function measuredFloor(calibration: CalibrationFile | undefined, id: string, scale: number, profile: string): MeasuredFloor | undefined {
  const all = calibration?.assertions[id]?.scales[scaleKeyOf(scale)] ?? [];
  const measurements = all.filter((m) => calibration!.sessions[m.session]?.profile === profile);
  if (!measurements.length) return undefined;
  return { low: Math.min(...measurements.map((m) => m.low)), measurements, conditions: [...new Set(measurements.map(conditionName))] };
}

/** Rounded down to 2 significant digits: 4.27 -> 4.2, 12.7 -> 12, 1.157 -> 1.1. */
export function roundDown2(x: number): number {
  const unit = 10 ** (Math.floor(Math.log10(x)) - 1);
  return Number((Math.floor(x / unit + 1e-9) * unit).toPrecision(2));
}

export interface ResolvedBar {
  /** The bar asserted at this scale; undefined: reported only. */
  atLeast: number | undefined;
  /** Why a calibrated bar is what it is, or why it is not asserted: printed with the test. */
  note?: string;
}

export interface BarContext {
  /** The assertion's name (comparison name, load ratio name): its key in the data. */
  id: string;
  scale: number;
  profile: string;
  calibration: CalibrationFile | undefined;
  /** Where the data lives, for the messages (benchmarks/<workload>/calibration.json). */
  source: string;
}

export function resolveBar(bar: Bar | undefined, at: BarContext): ResolvedBar {
  if (!isCalibrated(bar)) return { atLeast: bar };
  const reported = (why: string): ResolvedBar => ({ atLeast: undefined, note: `reported, not asserted, at scale ${at.scale}: ${why}` });
  if (!at.calibration) return reported(`no calibration data (${at.source} does not exist; schemabench calibrate writes it)`);
  const scales = Object.keys(at.calibration.assertions[at.id]?.scales ?? {}).sort((a, b) => Number(a) - Number(b));
  const floor = measuredFloor(at.calibration, at.id, at.scale, at.profile);
  if (!floor) {
    const where = scales.length ? `calibrated at scale ${scales.join(', ')} only` : `not in ${at.source}`;
    return reported(`no calibration at this scale and profile ${at.profile} (${where}): run schemabench calibrate --scales ${at.scale}`);
  }
  const value = roundDown2(floor.low * bar.margin);
  const basis = `${bar.margin} x ${floor.low.toFixed(2)}x, the lowest lower bound of ${floor.measurements.length} measurement(s) (${floor.conditions.join(', ')})`;
  if (value < MEANINGFUL_BAR) return reported(`not meaningful here: ${basis} gives ${value}x, below ${MEANINGFUL_BAR}x`);
  return { atLeast: value, note: `calibrated bar ${value}x at scale ${at.scale} = ${basis}` };
}
