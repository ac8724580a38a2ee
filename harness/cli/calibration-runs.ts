/**
 * The runs `schemabench calibrate` is made of: `schemabench run`'s machinery (the same
 * vitest project, supervised process group and run descriptor), each run told by its
 * descriptor's calibration mode what to do, its output kept in a log file rather than
 * on the terminal (calibrate prints progress lines instead); and the conditions a
 * measuring run can be made under on this machine.
 */
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.ts';
import { packageFolder } from '../package-version.ts';
import { dockerEngineAnswers } from '../postgres/docker-environment.ts';
import { projectRoot } from '../project-root.ts';
import type { CalibrationMeasurement, CalibrationSession } from '../results/calibration-file.ts';
import type { NewMeasurement } from '../results/merge-calibration.ts';
import type { ResultsFile } from '../results/results-schema.ts';
import { loadRatioName } from '../load/load-spec.ts';
import type { RunDescriptor } from '../run-descriptor.ts';
import type { DeclaredAssertion } from './calibration-check.ts';
import { hogUnavailable } from './cpu-hog.ts';
import type { RunSession } from './run-session.ts';
import { vitestConfig } from './run-side.ts';
import { runSupervised, type ChildOutcome } from './supervised-child.ts';

/** A condition of measurement: the provider, and a CPU hog beside the suite or not. */
export interface Condition {
  name: string;
  provider: 'embedded' | 'testcontainers';
  load: CalibrationMeasurement['load'];
}

export const CONDITIONS: Condition[] = [
  { name: 'embedded', provider: 'embedded', load: 'quiet' },
  { name: 'embedded+cpu-hog', provider: 'embedded', load: 'cpu-hog' },
  { name: 'testcontainers', provider: 'testcontainers', load: 'quiet' },
  { name: 'testcontainers+cpu-hog', provider: 'testcontainers', load: 'cpu-hog' },
];

/** `--conditions a,b`: names from CONDITIONS; undefined when not given. */
export function parseConditions(value: string | undefined): Condition[] | undefined {
  if (value === undefined) return undefined;
  const names = [...new Set(value.split(',').map((s) => s.trim()))];
  const unknown = names.filter((n) => !CONDITIONS.some((c) => c.name === n));
  if (!names.length || unknown.length) throw new UsageError(`--conditions: ${unknown.length ? `unknown ${unknown.map((u) => JSON.stringify(u)).join(', ')}` : 'none given'}; give some of ${CONDITIONS.map((c) => c.name).join(', ')}`);
  return CONDITIONS.filter((c) => names.includes(c.name));
}

/**
 * The conditions this machine offers: embedded always; testcontainers when a Docker
 * engine answers. Asked for explicitly and not available: bad input (exit 2).
 */
export async function availableConditions(requested: Condition[] | undefined): Promise<{ conditions: Condition[]; left: string[] }> {
  const wanted = requested ?? CONDITIONS;
  const docker = wanted.some((c) => c.provider === 'testcontainers') ? await dockerEngineAnswers() : { ok: true, reason: '' };
  const hog = wanted.some((c) => c.load === 'cpu-hog') ? hogUnavailable() : undefined;
  const missing = (c: Condition) => (c.provider === 'testcontainers' && !docker.ok ? docker.reason : c.load === 'cpu-hog' ? hog : undefined);
  const left = wanted.filter((c) => missing(c) !== undefined);
  // Asked for by name and not available here: bad input.
  if (requested && left.length) throw new UsageError(`--conditions ${left[0]!.name}: ${missing(left[0]!)}`);
  return { conditions: wanted.filter((c) => !left.includes(c)), left: left.map((c) => `${c.name} left out: ${missing(c)}`) };
}

/** One vitest run of `files` carrying out `run`; its output goes to `logFile`. A signal stops it (supervised-child.ts). */
export async function runCalibrationVitest(plan: { files: string[]; run: RunDescriptor; logFile: string }, session: RunSession): Promise<ChildOutcome> {
  const vitest = packageFolder('vitest');
  if (!vitest) throw new UsageError('vitest is not installed: npm install --save-dev vitest (a peer dependency of schemabench)');
  const root = projectRoot();
  const args = [join(vitest, 'vitest.mjs'), 'run', '--project', 'benchmarks', ...plan.files, '--config', vitestConfig(root), '--root', root, ...session.reporterArgs(plan.run.outDir)];
  const log = openSync(plan.logFile, 'w');
  try {
    // A log file, not a terminal: no colour codes in it.
    const outcome = await runSupervised(process.execPath, args, { cwd: root, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', log, log], run: { ...plan.run, ...session.run } });
    const carried = session.usageError();
    if (carried && !outcome.interrupted) throw new UsageError(carried);
    return outcome;
  } finally {
    closeSync(log);
  }
}

/** The session a run's results describe: machine, server, profile, seed, commit; with the date and command of this calibrate. */
export function sessionOf(results: ResultsFile, date: string, command: string): CalibrationSession {
  const f = results.fingerprint;
  return {
    date,
    command,
    machine: { cpuModel: f.machine.cpuModel, cores: f.machine.cores },
    postgres: f.postgres.version,
    profile: f.postgres.profile === 'durable' ? 'durable' : 'benchmark',
    seed: f.seed,
    gitCommit: f.gitCommit,
  };
}

/** What a measuring run's results hold for the assertions calibrate asked for. */
export function measurementsOf(results: ResultsFile, wanted: Map<string, DeclaredAssertion>, condition: Condition, session: CalibrationSession): NewMeasurement[] {
  const out: NewMeasurement[] = [];
  const add = (id: string, scale: number, interval: { estimate: number; low: number; high: number }, confidence: number, rounds: number) => {
    const declared = wanted.get(id);
    if (!declared || !(interval.low > 0)) return;
    out.push({ id, kind: declared.kind, file: declared.file, scale, session, measurement: { provider: condition.provider, load: condition.load, ...pick(interval), confidence, rounds } });
  };
  for (const c of results.comparisons) add(c.name, c.scale, c.speedup, c.confidence ?? 0.95, c.rounds);
  for (const l of results.loads ?? []) for (const r of l.ratios) add(loadRatioName(l.name, r), l.scale, r.ratio, r.confidence ?? 0.95, r.intervals ?? l.intervals);
  return out;
}

const round4 = (v: number) => Number(v.toPrecision(4));
const pick = (i: { estimate: number; low: number; high: number }) => ({ estimate: round4(i.estimate), low: round4(i.low), high: round4(i.high) });
