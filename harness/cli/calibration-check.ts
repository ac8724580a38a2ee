/**
 * `schemabench calibrate --check`: each bar a benchmark file declares, at each scale,
 * held against what calibrate measured there (bench/calibrated-bar.ts: the floor is the
 * lowest lower bound over the recorded conditions).
 *
 *   above-floor   a number above the floor: some recorded condition's interval reached
 *                 below it, so the test can fail there with nothing changed (flaky). Exit 1.
 *   no-margin     at or below the floor but above floor x margin: passes every condition
 *                 recorded, with nothing to spare for one that was not (another CPU).
 *   far-below     below half the floor: a regression that halves the speedup still passes.
 *   ok            between floor / 2 and floor x margin.
 *   calibrated    `calibrated()`: what it resolves to (or why it is reported).
 *   reported      no bar at this scale (and what calibrated() would assert, if anything).
 *   no-data       a number with no measurement at this scale to hold it against.
 */
import { CALIBRATION_MARGIN, MEANINGFUL_BAR, calibrated, measuredFloor, resolveBar, type MeasuredFloor } from '../bench/calibrated-bar.ts';
import type { CalibrationFile } from '../results/calibration-file.ts';
import type { DeclaredBar } from '../results/declared-bars.ts';
import { textTable } from '../report/text-table.ts';

export type CheckVerdict = 'above-floor' | 'no-margin' | 'far-below' | 'ok' | 'calibrated' | 'reported' | 'no-data';

export interface CheckRow {
  id: string;
  file: string;
  scale: number;
  bar: DeclaredBar['bar'];
  floor: MeasuredFloor | undefined;
  verdict: CheckVerdict;
  note: string;
}

export interface DeclaredAssertion extends DeclaredBar {
  workload: string;
  file: string;
}

const x = (v: number) => `${Number(v.toPrecision(3))}x`;

export function checkBar(declared: DeclaredAssertion, calibration: CalibrationFile | undefined, profile: string, source: string): CheckRow {
  const { id, file, scale, bar } = declared;
  const floor = measuredFloor(calibration, id, scale, profile);
  const row = (verdict: CheckVerdict, note: string): CheckRow => ({ id, file, scale, bar, floor, verdict, note });
  if (bar === null || typeof bar === 'object') {
    const resolved = resolveBar(bar ?? calibrated(), { id, scale, profile, calibration, source });
    if (bar) return row('calibrated', resolved.atLeast === undefined ? (resolved.note ?? '') : `asserts ${x(resolved.atLeast)}`);
    return row('reported', resolved.atLeast === undefined ? 'reported' : `reported; calibrated() would assert ${x(resolved.atLeast)}`);
  }
  if (!floor) return row('no-data', `no measurement at scale ${scale}: cannot be checked (schemabench calibrate --scales ${scale})`);
  const margin = floor.low * CALIBRATION_MARGIN;
  if (bar > floor.low) return row('above-floor', `above the floor ${x(floor.low)}: would flake (${floor.conditions.join(', ')})`);
  if (bar > margin) return row('no-margin', `within ${CALIBRATION_MARGIN} of the floor ${x(floor.low)}: nothing to spare for an unrecorded condition`);
  if (bar < floor.low / 2) return row('far-below', `below half the floor ${x(floor.low)}: a regression halving the speedup would pass (calibrated() would assert ${x(Math.max(MEANINGFUL_BAR, margin))})`);
  return row('ok', `floor ${x(floor.low)}`);
}

/** Calibration entries no declared assertion names any more (a renamed or removed comparison). */
export function staleEntries(declared: DeclaredAssertion[], calibrations: Map<string, CalibrationFile>): string[] {
  const names = new Set(declared.map((d) => d.id));
  return [...calibrations.values()].flatMap((c) => Object.keys(c.assertions).filter((id) => !names.has(id)).map((id) => `${c.workload}: ${id}`));
}

const barText = (bar: DeclaredBar['bar']) => (bar === null ? '-' : typeof bar === 'number' ? x(bar) : `calibrated(${bar.margin})`);

export function checkTable(rows: CheckRow[]): string {
  return textTable(
    [{ header: 'assertion' }, { header: 'scale', align: 'right' }, { header: 'bar', align: 'right' }, { header: 'floor', align: 'right' }, { header: 'check' }, { header: 'why' }],
    rows.map((r) => [r.id, String(r.scale), barText(r.bar), r.floor ? x(r.floor.low) : '-', r.verdict, r.note]),
  );
}
