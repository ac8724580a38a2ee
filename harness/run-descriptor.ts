/**
 * What `schemabench` hands the processes it starts (vitest, its workers, compare's two
 * sides): one typed document, validated here, in one environment variable
 * (SCHEMABENCH_RUN, JSON), instead of a protocol of variables each module reads on its
 * own. The CLI resolves the options once (config.ts: options > environment > defaults)
 * and writes them here; a run reads them back with `currentRun()`. Started without the
 * CLI (npm test, npx vitest), a run resolves the same options from its environment.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { PLAN_AT, PROFILE_NAMES, PROVIDERS, resolveConfig, type CalibrationMode, type Config, type MeasureCaps, type PlanAtChoice, type ProfileChoice, type ProviderChoice } from './config.ts';
import { UsageError } from './errors.ts';
import type { ServerRef } from './postgres/pg-server.ts';
import { findProjectRoot } from './project-markers.ts';

export const RUN_ENV = 'SCHEMABENCH_RUN';

// Optional fields also take `undefined`: what the zod schema below gives for an absent key,
// so the check ValidatedRunDescriptor holds under a user's exactOptionalPropertyTypes too
// (it is in the package's declaration files).
export interface RunDescriptor {
  /** The project being benchmarked (its schema/, fixtures/, migrations/, benchmarks/). */
  root: string;
  /** Output folder, absolute. */
  outDir: string;
  /** The CLI holds the output folder's lock (results/output-lock.ts); a run started alone takes it itself. */
  outLocked: boolean;
  scale: number;
  seed: number;
  provider: ProviderChoice;
  profile: ProfileChoice;
  /** Image of the testcontainers provider. */
  image: string;
  /** PostgreSQL major of the server this run starts (`--pg`); undefined: the provider's default. */
  pgVersion?: number | undefined;
  /** Plan with the dataset's own statistics, or with production's snapshot injected (`--plan-at`). */
  planAt: PlanAtChoice;
  /** With planAt 'production': each workload's snapshot file (compare gives both sides head's); default fixtures/<workload>/production-stats.json. */
  snapshots?: Record<string, string> | undefined;
  /** Run-wide measuring caps (measure-options.ts). */
  measure: MeasureCaps;
  /** The CLI's PID: the run stops itself when that process is gone (vitest/parent-watch.ts). */
  parentPid?: number | undefined;
  /** The machine's temp directory: the CLI gives its children a private TMPDIR (cli/private-temp-dir.ts). */
  systemTmpDir?: string | undefined;
  /** Bad input found inside the run is written here as one line; the CLI prints it and exits 2. */
  usageErrorFile?: string | undefined;
  /** A server another process owns and stops (compare: base and head share one). */
  server?: ServerRef | undefined;
  /** compare: the turn coordinator's socket, and which side this run is. */
  turns?: { socket: string; side: 'base' | 'head' } | undefined;
  /** `schemabench calibrate`'s run: what to measure, or the scales to list bars at (config.ts). */
  calibration?: CalibrationMode | undefined;
}

const text = z.string().min(1);
const serverSchema = z.object({
  provider: z.enum(['embedded', 'testcontainers', 'url']),
  connectionUri: text,
  adminUri: text,
  databasePrefix: text,
  owner: z.object({ host: text, pid: z.number().int().positive(), started: z.string(), handle: z.string().optional() }).optional(),
});

const descriptorSchema = z.object({
  root: text,
  outDir: text,
  outLocked: z.boolean(),
  scale: z.number().positive(),
  seed: z.number().int().nonnegative(),
  provider: z.enum(PROVIDERS),
  profile: z.enum(PROFILE_NAMES),
  image: text,
  pgVersion: z.number().int().min(10).optional(),
  planAt: z.enum(PLAN_AT),
  snapshots: z.record(z.string(), text).optional(),
  measure: z.object({ minRounds: z.number().int().min(2).optional(), maxRounds: z.number().int().min(2).optional(), maxMs: z.number().int().positive().optional() }),
  parentPid: z.number().int().positive().optional(),
  systemTmpDir: text.optional(),
  usageErrorFile: text.optional(),
  server: serverSchema.optional(),
  turns: z.object({ socket: text, side: z.enum(['base', 'head']) }).optional(),
  calibration: z
    .discriminatedUnion('mode', [
      z.object({ mode: z.literal('measure'), assertions: z.array(text).min(1) }),
      z.object({ mode: z.literal('bars'), scales: z.array(z.number().positive()).min(1) }),
    ])
    .optional(),
});

// Compile time: what the schema lets through is a RunDescriptor.
type Assignable<T extends U, U> = T;
export type ValidatedRunDescriptor = Assignable<z.output<typeof descriptorSchema>, RunDescriptor>;

/** The descriptor's environment for a child process. */
export const runEnvironment = (run: RunDescriptor): NodeJS.ProcessEnv => ({ [RUN_ENV]: JSON.stringify(run) });

/** The descriptor in SCHEMABENCH_RUN, checked; undefined when the variable is not set. Bad content is one line (UsageError). */
export function parseRunDescriptor(raw: string | undefined): RunDescriptor | undefined {
  if (raw === undefined || raw === '') return undefined;
  let document: unknown;
  try {
    document = JSON.parse(raw);
  } catch {
    throw new UsageError(`${RUN_ENV} is not JSON: it is written by schemabench for the processes it starts, not by hand`);
  }
  const parsed = descriptorSchema.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`${RUN_ENV} is not a run descriptor of this schemabench (${issue.path.join('.') || 'top level'}: ${issue.message}): is a different schemabench version running this project?`);
  }
  return parsed.data as RunDescriptor;
}

/** The descriptor of a run of `config` in the project at `root` (not yet locked, no parent). */
export function runFromConfig(config: Config, root: string): RunDescriptor {
  return {
    root,
    outDir: resolve(root, config.outDir),
    outLocked: false,
    scale: config.scale,
    seed: config.seed,
    provider: config.provider,
    profile: config.profile,
    image: config.image,
    ...(config.pgVersion === undefined ? {} : { pgVersion: config.pgVersion }),
    planAt: config.planAt,
    measure: config.measure,
    ...(config.calibration ? { calibration: config.calibration } : {}),
  };
}

/** A descriptor from the options and the environment (config.ts), for a run the CLI did not start. */
export function describeRun(options: Parameters<typeof resolveConfig>[0] = {}, env: NodeJS.ProcessEnv = process.env, root = findProjectRoot()): RunDescriptor {
  return runFromConfig(resolveConfig(options, env), root);
}

let current: RunDescriptor | undefined;

/** This process's run: the CLI's descriptor, or one resolved from the environment. Once per process. */
export function currentRun(): RunDescriptor {
  current ??= parseRunDescriptor(process.env[RUN_ENV]) ?? describeRun();
  return current;
}

/** The descriptor the CLI handed this process, if any (the project root and temp dir come from it). */
export function handedRun(): RunDescriptor | undefined {
  return process.env[RUN_ENV] ? currentRun() : undefined;
}
