/**
 * The one place options are resolved: explicit options > environment > DEFAULTS.
 * Every value is validated here, with a message naming the option and what is allowed.
 */
import { UsageError } from './errors.ts';
import { parsePgMajor } from './postgres/postgres-versions.ts';

export const PROVIDERS = ['auto', 'embedded', 'testcontainers', 'url'] as const;
export type ProviderChoice = (typeof PROVIDERS)[number];

export const PROFILE_NAMES = ['benchmark', 'durable'] as const;
export type ProfileChoice = (typeof PROFILE_NAMES)[number];

export const PLAN_AT = ['dataset', 'production'] as const;
export type PlanAtChoice = (typeof PLAN_AT)[number];

export interface Config {
  /** Which PostgreSQL provider to use. @default 'auto' (testcontainers if a Docker engine answers, else embedded) */
  provider: ProviderChoice;
  /**
   * Server settings of servers schemabench starts: 'benchmark' (no fsync, asynchronous
   * commit) or 'durable' (fsync, synchronous_commit, full_page_writes on); see
   * harness/postgres/benchmark-profile.ts. A `url` server's settings are only recorded. @default 'benchmark'
   */
  profile: ProfileChoice;
  /** Fixture seed; same seed + scale = same rows, byte for byte. @default 20240601 */
  seed: number;
  /** Dataset scale: 1 = each workload's nominal size (receipts: the seed's 100k receipts). @default 1 */
  scale: number;
  /** Docker image for the testcontainers provider. @default 'postgres:17' */
  image: string;
  /** Server for the url provider (DATABASE_URL). @default undefined */
  databaseUrl: string | undefined;
  /** Where benchmark results are written. @default '.schemabench/latest' */
  outDir: string;
  /**
   * PostgreSQL major for this run's server (SCHEMABENCH_PG_VERSION, set per version by
   * `--pg`): embedded installs that major's binaries, testcontainers runs `<image>:<major>`.
   * @default undefined (embedded 17, the configured image as is)
   */
  pgVersion: number | undefined;
  /**
   * Which statistics the planner plans with: 'dataset' (the generated rows', ANALYZE'd when
   * the dataset was built) or 'production' (the workload's captured snapshot,
   * fixtures/<workload>/production-stats.json, injected into each suite's copy on PostgreSQL 18:
   * harness/stats/plan-at-production.ts). @default 'dataset'
   */
  planAt: PlanAtChoice;
  /**
   * Run-wide overrides of the measuring caps (SCHEMABENCH_MIN_ROUNDS, SCHEMABENCH_MAX_ROUNDS,
   * SCHEMABENCH_MAX_MS; bench/measure-options.ts documents each): a case's own options still win.
   * @default {} (the defaults of measure-options.ts)
   */
  measure: MeasureCaps;
  /**
   * A run of `schemabench calibrate` (set by that command only, never from the environment):
   * `measure` measures the named assertions with their bars set aside (fixed rounds, a 95%
   * interval each) and skips every other test; `bars` starts no server, measures nothing and
   * writes each suite's bars at `scales` (what `calibrate --check` holds against the data).
   * @default undefined (an ordinary run)
   */
  calibration: CalibrationMode | undefined;
}

export type CalibrationMode = { mode: 'measure'; assertions: string[] } | { mode: 'bars'; scales: number[] };

/** Run-wide caps of measurement; see MeasureOptions (bench/measure-options.ts). */
export interface MeasureCaps {
  // `| undefined`: the run descriptor's zod schema gives it for an absent key (run-descriptor.ts).
  minRounds?: number | undefined;
  maxRounds?: number | undefined;
  maxMs?: number | undefined;
}

export const DEFAULTS: Config = {
  provider: 'auto',
  profile: 'benchmark',
  seed: 20240601,
  scale: 1,
  image: 'postgres:17',
  databaseUrl: undefined,
  outDir: '.schemabench/latest',
  pgVersion: undefined,
  planAt: 'dataset',
  measure: {},
  calibration: undefined,
};

/** Largest accepted scale: 100x a workload's nominal size (10M receipts), far past what one 2-core machine should build. */
export const MAX_SCALE = 100;

export function resolveConfig(options: Partial<Record<keyof Config, unknown>> = {}, env = process.env): Config {
  const pick = (key: keyof Config, envName: string) => options[key] ?? env[envName] ?? DEFAULTS[key];
  return {
    provider: parseProvider(pick('provider', 'SCHEMABENCH_PROVIDER')),
    profile: parseProfile(pick('profile', 'SCHEMABENCH_PROFILE')),
    seed: parseSeed(pick('seed', 'SCHEMABENCH_SEED')),
    scale: parseScale(pick('scale', 'SCHEMABENCH_SCALE')),
    image: String(pick('image', 'SCHEMABENCH_PG_IMAGE')),
    databaseUrl: (options.databaseUrl ?? env.DATABASE_URL) as string | undefined,
    outDir: String(pick('outDir', 'SCHEMABENCH_OUT')),
    pgVersion: parseOptionalMajor(options.pgVersion ?? env.SCHEMABENCH_PG_VERSION),
    planAt: parsePlanAt(pick('planAt', 'SCHEMABENCH_PLAN_AT')),
    measure: parseMeasureCaps((options.measure as MeasureCaps | undefined) ?? {}, env),
    calibration: parseCalibrationMode(options.calibration),
  };
}

/** A calibration mode as `schemabench calibrate` gives it: named assertions to measure, or scales to list bars at. */
export function parseCalibrationMode(value: unknown): CalibrationMode | undefined {
  if (value === undefined) return undefined;
  const given = value as Partial<{ mode: string; assertions: unknown; scales: unknown }>;
  if (given.mode === 'measure' && Array.isArray(given.assertions) && given.assertions.length && given.assertions.every((a) => typeof a === 'string' && a !== '')) {
    return { mode: 'measure', assertions: given.assertions as string[] };
  }
  if (given.mode === 'bars' && Array.isArray(given.scales) && given.scales.length) return { mode: 'bars', scales: given.scales.map(parseScale) };
  throw new UsageError(`calibration: give { mode: 'measure', assertions: [names] } or { mode: 'bars', scales: [numbers] } (got ${JSON.stringify(value)})`);
}

/** Lowest value of each cap: a look needs 2 rounds, the cap at least the default first look (4). */
const CAPS: [keyof MeasureCaps, string, number][] = [
  ['minRounds', 'SCHEMABENCH_MIN_ROUNDS', 2],
  ['maxRounds', 'SCHEMABENCH_MAX_ROUNDS', 4],
  ['maxMs', 'SCHEMABENCH_MAX_MS', 1],
];

export function parseMeasureCaps(given: MeasureCaps, env: NodeJS.ProcessEnv = process.env): MeasureCaps {
  const caps: MeasureCaps = {};
  for (const [key, envName, min] of CAPS) {
    const raw = given[key] ?? env[envName];
    if (raw === undefined || raw === '') continue;
    const n = decimal(raw, INTEGER);
    if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`${envName} must be an integer >= ${min} (got ${JSON.stringify(raw)})`);
    caps[key] = n;
  }
  return caps;
}

function parseOptionalMajor(value: unknown): number | undefined {
  return value === undefined || value === '' ? undefined : parsePgMajor(value, 'SCHEMABENCH_PG_VERSION');
}

export function parseProvider(value: unknown): ProviderChoice {
  if (PROVIDERS.includes(value as ProviderChoice)) return value as ProviderChoice;
  throw new UsageError(`--provider must be one of ${PROVIDERS.join(', ')} (got ${JSON.stringify(value)})`);
}

export function parsePlanAt(value: unknown): PlanAtChoice {
  if (PLAN_AT.includes(value as PlanAtChoice)) return value as PlanAtChoice;
  throw new UsageError(`--plan-at must be one of ${PLAN_AT.join(', ')} (got ${JSON.stringify(value)})`);
}

export function parseProfile(value: unknown): ProfileChoice {
  if (PROFILE_NAMES.includes(value as ProfileChoice)) return value as ProfileChoice;
  throw new UsageError(`--profile must be one of ${PROFILE_NAMES.join(', ')} (got ${JSON.stringify(value)})`);
}

/**
 * Numbers are written in decimal: Number() would also read "0x10", "0b1" and "0o7"
 * (all 16, 1, 7), which a user typing a scale or seed never means.
 */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const INTEGER = /^[+-]?\d+$/;

function decimal(value: unknown, pattern: RegExp): number {
  if (typeof value === 'number') return value;
  const text = String(value).trim();
  return pattern.test(text) ? Number(text) : NaN;
}

export function parseScale(value: unknown): number {
  const n = decimal(value, DECIMAL);
  if (!Number.isFinite(n) || n <= 0 || n > MAX_SCALE) {
    throw new UsageError(`--scale must be a decimal number > 0 and <= ${MAX_SCALE}, e.g. 0.1, 1 or 10 (got ${JSON.stringify(value)})`);
  }
  return n;
}

export function parseSeed(value: unknown): number {
  const n = decimal(value, INTEGER);
  if (!Number.isSafeInteger(n) || n < 0 || n > 0xffffffff) {
    throw new UsageError(`--seed must be a decimal integer from 0 to 4294967295 (got ${JSON.stringify(value)})`);
  }
  return n;
}

/**
 * Scales of base's dataset compare traces a change's new migrations at, to fit and predict
 * their cost at production size (docs/safe-migrations.md, "Migration cost at production
 * size"): a decade, evenly spaced on a log axis, the smallest big enough that a rewrite's
 * per-row work outweighs its fixed cost, the largest a build of seconds.
 * @default [0.1, 0.3, 1]
 */
export const DEFAULT_FORECAST_SCALES: readonly number[] = [0.1, 0.3, 1];
/** Most scales `--forecast-scales` takes: every one is a dataset built and traced twice. */
export const MAX_FORECAST_SCALES = 6;

/** `--forecast-scales`: `off` (null), or 2 to 6 distinct comma-separated scales (each as --scale), ascending. */
export function parseForecastScales(value: unknown): number[] | null {
  if (value === undefined) return [...DEFAULT_FORECAST_SCALES];
  const text = String(value).trim();
  if (text === 'off') return null;
  const parts = text.split(',').map((p) => p.trim());
  const bad = () => new UsageError(`--forecast-scales must be off, or 2 to ${MAX_FORECAST_SCALES} distinct scales separated by commas, e.g. 0.1,0.3,1 (got ${JSON.stringify(value)})`);
  const scales = parts.map((p) => {
    const n = decimal(p, DECIMAL);
    if (!Number.isFinite(n) || n <= 0 || n > MAX_SCALE) throw bad();
    return n;
  });
  if (new Set(scales).size !== scales.length || scales.length < 2 || scales.length > MAX_FORECAST_SCALES) throw bad();
  return scales.sort((a, b) => a - b);
}
