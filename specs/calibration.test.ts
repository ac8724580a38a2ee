/**
 * Bars from measurements (`calibrated()`), the calibration file that holds them, and what
 * `calibrate --check` makes of a hand-written bar: pure functions on small documents, no
 * server. The command itself runs in specs/calibrate-cli.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CALIBRATION_MARGIN, MEANINGFUL_BAR, calibrated, resolveBar, roundDown2 } from '../harness/bench/calibrated-bar.ts';
import { checkBar, staleEntries, type DeclaredAssertion } from '../harness/cli/calibration-check.ts';
import { calibrationJsonSchema, parseCalibration, type CalibrationFile, type CalibrationSession } from '../harness/results/calibration-file.ts';
import { mergeCalibration, type NewMeasurement } from '../harness/results/merge-calibration.ts';
import { UsageError } from '../harness/errors.ts';
import { PACKAGE_ROOT } from '../harness/package-root.ts';

const session = (cpuModel: string, profile: 'benchmark' | 'durable' = 'benchmark'): CalibrationSession => ({
  date: '2026-12-07T00:00:00.000Z',
  command: 'schemabench calibrate',
  machine: { cpuModel, cores: 2 },
  postgres: '17.10',
  profile,
  seed: 20240601,
  gitCommit: null,
});
const interval = (estimate: number, low: number, high: number) => ({ estimate, low, high, confidence: 0.95, rounds: 10 });

/** `a: b vs c` at scales 0.3 (quiet 4.0x [3.5, 4.6], hog 3.2x [2.2, 4.4]) and 1 (quiet 9x [8, 10]). */
const FILE: CalibrationFile = {
  schemaVersion: 1,
  workload: 'w',
  sessions: [session('CPU A'), session('CPU A', 'durable')],
  assertions: {
    'a: b vs c': {
      kind: 'comparison',
      file: 'benchmarks/w/a.bench.ts',
      scales: {
        '0.3': [
          { provider: 'embedded', load: 'quiet', session: 0, ...interval(4, 3.5, 4.6) },
          { provider: 'embedded', load: 'cpu-hog', session: 0, ...interval(3.2, 2.2, 4.4) },
          { provider: 'embedded', load: 'quiet', session: 1, ...interval(1.3, 1.05, 1.5) },
        ],
        '1': [{ provider: 'testcontainers', load: 'quiet', session: 0, ...interval(9, 8, 10) }],
      },
    },
    'flat: x vs y': {
      kind: 'comparison',
      file: 'benchmarks/w/a.bench.ts',
      scales: { '0.3': [{ provider: 'embedded', load: 'quiet', session: 0, ...interval(1.4, 1.3, 1.5) }] },
    },
  },
};
const at = (id: string, scale: number, profile = 'benchmark', calibration: CalibrationFile | null = FILE) => ({ id, scale, profile, calibration: calibration ?? undefined, source: 'benchmarks/w/calibration.json' });

describe('calibrated(): the bar from the data at the run scale', () => {
  it('is the lowest lower bound over the conditions of the profile, times the margin, rounded down to 2 digits', () => {
    // 0.3: min(3.5, 2.2) = 2.2 (the durable session's 1.05 is another profile's), x 0.7 = 1.54 -> 1.5.
    expect(resolveBar(calibrated(), at('a: b vs c', 0.3))).toMatchObject({ atLeast: 1.5, note: expect.stringMatching(/0\.7 x 2\.20x.*2 measurement\(s\) \(embedded, embedded\+cpu-hog\)/) });
    expect(resolveBar(calibrated(), at('a: b vs c', 1))).toMatchObject({ atLeast: 5.6 });
    expect(resolveBar(calibrated({ margin: 0.5 }), at('a: b vs c', 1)).atLeast).toBe(4);
    expect(CALIBRATION_MARGIN).toBe(0.7);
    expect([roundDown2(4.27), roundDown2(12.7), roundDown2(1.157), roundDown2(0.7 * 8)]).toEqual([4.2, 12, 1.1, 5.6]);
  });

  it('reports, never asserts a guess: no file, no entry, another scale or profile, a bar below 1.1x', () => {
    const none = resolveBar(calibrated(), at('a: b vs c', 1, 'benchmark', null));
    expect(none).toEqual({ atLeast: undefined, note: expect.stringMatching(/^reported, not asserted, at scale 1: no calibration data \(benchmarks\/w\/calibration\.json does not exist/) });
    expect(resolveBar(calibrated(), at('unknown: p vs q', 1)).note).toMatch(/not in benchmarks\/w\/calibration\.json/);
    const scale = resolveBar(calibrated(), at('a: b vs c', 0.1));
    expect(scale.atLeast).toBeUndefined();
    expect(scale.note).toMatch(/no calibration at this scale .*calibrated at scale 0\.3, 1 only.*--scales 0\.1/);
    // The durable session has 0.3 only: at 1 there is nothing for that profile.
    expect(resolveBar(calibrated(), at('a: b vs c', 1, 'durable')).atLeast).toBeUndefined();
    // 1.3 x 0.7 = 0.91: a speedup that small is not asserted.
    const flat = resolveBar(calibrated(), at('flat: x vs y', 0.3));
    expect(flat.atLeast).toBeUndefined();
    expect(flat.note).toMatch(new RegExp(`not meaningful here: .* gives 0\\.91x, below ${MEANINGFUL_BAR}x`));
  });

  it('leaves a number and an absent bar alone', () => {
    expect(resolveBar(3, at('a: b vs c', 1))).toEqual({ atLeast: 3 });
    expect(resolveBar(undefined, at('a: b vs c', 1))).toEqual({ atLeast: undefined });
    expect(() => calibrated({ margin: 1.5 })).toThrow(/margin must be > 0 and <= 1/);
  });
});

describe('calibrate --check: a hand-written bar against the measured floor', () => {
  const declared = (bar: DeclaredAssertion['bar'], scale = 0.3, id = 'a: b vs c'): DeclaredAssertion => ({ id, kind: 'comparison', scale, bar, workload: 'w', file: 'benchmarks/w/a.bench.ts' });
  const verdict = (bar: DeclaredAssertion['bar'], scale = 0.3, id?: string) => checkBar(declared(bar, scale, id), FILE, 'benchmark', 'benchmarks/w/calibration.json');

  it('above the floor would flake; within the margin has nothing to spare; under half the floor would pass a regression', () => {
    // Floor at 0.3: 2.2x.
    expect(verdict(2.5).verdict).toBe('above-floor');
    expect(verdict(2.5).note).toMatch(/above the floor 2\.2x: would flake \(embedded, embedded\+cpu-hog\)/);
    expect(verdict(2).verdict).toBe('no-margin');
    expect(verdict(1.5).verdict).toBe('ok');
    expect(verdict(1).verdict).toBe('far-below');
    expect(verdict(3, 0.1).verdict).toBe('no-data');
  });

  it('says what calibrated() resolves to, and what a reported comparison could assert', () => {
    expect(verdict({ calibrated: true, margin: 0.7 })).toMatchObject({ verdict: 'calibrated', note: 'asserts 1.5x' });
    expect(verdict(null)).toMatchObject({ verdict: 'reported', note: 'reported; calibrated() would assert 1.5x' });
    expect(verdict(null, 0.3, 'flat: x vs y')).toMatchObject({ verdict: 'reported', note: 'reported' });
  });

  it('names calibration entries no declared assertion has any more', () => {
    expect(staleEntries([declared(2)], new Map([['w', FILE]]))).toEqual(['w: flat: x vs y']);
  });
});

describe('the calibration file', () => {
  const measured = (cpuModel: string, low: number, load: 'quiet' | 'cpu-hog' = 'quiet', scale = 0.3): NewMeasurement => ({
    id: 'a: b vs c',
    kind: 'comparison',
    file: 'benchmarks/w/a.bench.ts',
    scale,
    session: { ...session(cpuModel), date: '2026-12-08T00:00:00.000Z' },
    measurement: { provider: 'embedded', load, ...interval(low + 1, low, low + 2) },
  });

  it('a new calibration replaces the same machine, condition and scale, keeps the others, and drops unused sessions', () => {
    const merged = mergeCalibration(FILE, 'w', [measured('CPU A', 3), measured('CPU B', 5)]);
    const at03 = merged.assertions['a: b vs c']!.scales['0.3']!;
    const who = (m: (typeof at03)[number]) => `${merged.sessions[m.session]!.machine.cpuModel}/${merged.sessions[m.session]!.profile}/${m.load}/${m.low}`;
    // CPU A's quiet 3.5 is replaced by 3; its hog figure and the durable one stay; CPU B is added.
    expect(at03.map(who).sort()).toEqual(['CPU A/benchmark/cpu-hog/2.2', 'CPU A/benchmark/quiet/3', 'CPU A/durable/quiet/1.05', 'CPU B/benchmark/quiet/5']);
    expect(merged.assertions['a: b vs c']!.scales['1']).toHaveLength(1);
    expect(merged.sessions).toHaveLength(4);
    // Every session still referred to, none unused.
    const used = new Set(Object.values(merged.assertions).flatMap((a) => Object.values(a.scales).flat().map((m) => m.session)));
    expect(used.size).toBe(merged.sessions.length);
    expect(() => parseCalibration(merged, 'x.json')).not.toThrow();
  });

  it('a bad file is one line naming it and the first problem', () => {
    const bad = { ...FILE, assertions: { 'a: b vs c': { ...FILE.assertions['a: b vs c']!, scales: { '0.3': [{ ...FILE.assertions['a: b vs c']!.scales['0.3']![0]!, session: 9 }] } } } };
    const error = (() => {
      try {
        parseCalibration(bad, 'benchmarks/w/calibration.json');
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(UsageError);
    expect(error!.message).toMatch(/^benchmarks\/w\/calibration\.json is not a calibration file of this schemabench \(assertions\.a: b vs c\.scales\.0\.3\[0\]\.session: names session 9; the file has 2\)/);
    expect(error!.message).not.toContain('\n');
    expect(() => parseCalibration({ ...FILE, schemaVersion: 2 }, 'f.json')).toThrow(/schemaVersion/);
  });

  it('docs/calibration.schema.json is the schema every reader checks (npx tsx scripts/write-results-schema.ts)', () => {
    const published = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'docs', 'calibration.schema.json'), 'utf8'));
    expect(published).toEqual(JSON.parse(JSON.stringify(calibrationJsonSchema())));
  });
});
