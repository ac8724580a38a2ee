/**
 * `benchmarks/<workload>/calibration.json`: what `schemabench calibrate` measured for each
 * of a workload's comparisons and load ratios, per scale and condition (provider, and a
 * CPU hog beside it or not), with the session that measured it (machine, PostgreSQL
 * version, profile, date, command). A bar written `atLeast: calibrated()` is derived from
 * it (bench/calibrated-bar.ts); `calibrate --check` holds hand-written bars against it.
 * Validated here with zod and published as docs/calibration.schema.json.
 *
 * Measurements are keyed by the assertion's name (a comparison's name, a load ratio's
 * `load: metric numerator/denominator`) and by the scale written as a decimal string.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { UsageError } from '../errors.ts';
import { firstProblem } from './results-validation.ts';

export const CALIBRATION_FILE = 'calibration.json';

/** A bar derived from this data (`calibrated()`, bench/calibrated-bar.ts). */
export interface CalibratedBar {
  readonly calibrated: true;
  /** Fraction of the measured floor asked for. @default 0.7 (CALIBRATION_MARGIN) */
  readonly margin: number;
}

/** A comparison's or a load ratio's bar: a number written by hand, or derived from the calibration data. */
export type Bar = number | CalibratedBar;
export const CALIBRATION_SCHEMA_VERSION = 1;

export const PROVIDER_CONDITIONS = ['embedded', 'testcontainers', 'url'] as const;
export const LOAD_CONDITIONS = ['quiet', 'cpu-hog'] as const;

const text = z.string().min(1);
const ratio = z.number().positive();

const sessionSchema = z.object({
  /** When it was measured (ISO 8601). */
  date: text,
  /** The command that measured it, as typed. */
  command: text,
  machine: z.object({ cpuModel: text, cores: z.number().int().positive() }),
  /** The server's `server_version`. */
  postgres: text,
  profile: z.enum(['benchmark', 'durable']),
  seed: z.number().int().nonnegative(),
  /** The commit of the project measured, when it was a git checkout. */
  gitCommit: text.nullable(),
});

const measurementSchema = z.object({
  provider: z.enum(PROVIDER_CONDITIONS),
  /** `cpu-hog`: one busy process per core but one ran beside the suite (harness/cli/cpu-hog.ts). */
  load: z.enum(LOAD_CONDITIONS),
  /** Index into `sessions`. */
  session: z.number().int().nonnegative(),
  /** The paired estimate (exp(mean d_r)); a latency ratio's recorded before 2026-12-07 came from merged histograms and may lie outside [low, high]. */
  estimate: ratio,
  low: ratio,
  high: ratio,
  /** Of the interval [low, high]. */
  confidence: z.number().gt(0).lt(1),
  /** Paired rounds (comparison) or intervals (load) behind it. */
  rounds: z.number().int().min(2),
});

const scaleKey = z.string().regex(/^\d+(\.\d+)?$/, 'a scale written as a decimal number, e.g. "0.3"');

const assertionSchema = z.object({
  kind: z.enum(['comparison', 'load-ratio']),
  /** The benchmark file declaring it, relative to the project. */
  file: text,
  scales: z.record(scaleKey, z.array(measurementSchema).min(1)),
});

export const calibrationFileSchema = z
  .object({
    $schema: z.string().optional(),
    schemaVersion: z.literal(CALIBRATION_SCHEMA_VERSION),
    workload: text,
    sessions: z.array(sessionSchema),
    assertions: z.record(text, assertionSchema),
  })
  .superRefine((file, ctx) => {
    for (const [id, assertion] of Object.entries(file.assertions)) {
      for (const [scale, measurements] of Object.entries(assertion.scales)) {
        for (const [i, m] of measurements.entries()) {
          if (m.session >= file.sessions.length) ctx.addIssue({ code: 'custom', path: ['assertions', id, 'scales', scale, i, 'session'], message: `names session ${m.session}; the file has ${file.sessions.length}` });
          if (!(m.low <= m.high)) ctx.addIssue({ code: 'custom', path: ['assertions', id, 'scales', scale, i], message: 'needs low <= high' });
        }
      }
    }
  });

export type CalibrationFile = z.output<typeof calibrationFileSchema>;
export type CalibrationSession = CalibrationFile['sessions'][number];
export type CalibrationMeasurement = CalibrationFile['assertions'][string]['scales'][string][number];
export type CalibrationAssertion = CalibrationFile['assertions'][string];

/** The scale as a key: the shortest decimal that reads back as the same number. */
export const scaleKeyOf = (scale: number): string => String(scale);

/** The schema as JSON Schema (draft 2020-12), as published in docs/calibration.schema.json. */
export function calibrationJsonSchema(): Record<string, unknown> {
  return { title: 'schemabench calibration.json, schemaVersion 1', ...z.toJSONSchema(calibrationFileSchema, { io: 'input' }) };
}

/** Checks a parsed document; a bad one is one line naming the file and the first problem (UsageError). */
export function parseCalibration(document: unknown, path: string): CalibrationFile {
  const parsed = calibrationFileSchema.safeParse(document);
  if (!parsed.success) throw new UsageError(`${path} is not a calibration file of this schemabench (${firstProblem(parsed.error)}); rewrite it with schemabench calibrate`);
  return parsed.data;
}

/** The calibration file at `path`, or undefined when there is none. */
export function readCalibration(path: string): CalibrationFile | undefined {
  if (!existsSync(path)) return undefined;
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`${path} is not JSON (${(error as Error).message.split('\n')[0]}); rewrite it with schemabench calibrate`);
  }
  return parseCalibration(document, path);
}

/** Keys in a stable order, so that a rewrite of the same figures is the same file. */
function sorted<T>(record: Record<string, T>, order: (a: string, b: string) => number = (a, b) => a.localeCompare(b)): Record<string, T> {
  return Object.fromEntries(Object.keys(record).sort(order).map((k) => [k, record[k]!]));
}

export function writeCalibration(path: string, file: CalibrationFile, schemaRef = '../../docs/calibration.schema.json'): void {
  const assertions = Object.fromEntries(
    Object.entries(sorted(file.assertions)).map(([id, a]) => [id, { ...a, scales: sorted(a.scales, (x, y) => Number(x) - Number(y)) }]),
  );
  const checked = parseCalibration({ ...file, $schema: schemaRef, assertions }, path);
  writeFileSync(path, `${JSON.stringify(checked, null, 2)}\n`);
}
