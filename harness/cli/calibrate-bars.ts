/**
 * What `schemabench calibrate` does once its arguments are checked (calibrate-command.ts):
 * measures every asserted comparison and load ratio under the
 * conditions this machine offers (embedded; testcontainers when a Docker engine answers;
 * each alone and beside a CPU hog) at each scale, and writes what it measured to
 * benchmarks/<workload>/calibration.json, the data `atLeast: calibrated()` is derived
 * from. `--check` measures nothing: it holds the bars the files declare against that data.
 *
 * Each step is a `schemabench run`-style vitest run (calibration-runs.ts) told by its
 * run descriptor what to do: first a bars run (no server: each suite lists its bars at
 * each scale), then one measuring run per scale, condition and repetition, which
 * measures only the asserted comparisons and loads, their bars set aside (fixed rounds,
 * a 95% interval each). Ctrl-C (or a lost server) stops the run in progress and the hog,
 * and reaps what they left, like `run` (shutdown.ts).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { resolveConfig, type Config } from '../config.ts';
import { UsageError } from '../errors.ts';
import { PACKAGE_ROOT } from '../package-root.ts';
import { projectPath, projectRoot } from '../project-root.ts';
import { CALIBRATION_FILE, readCalibration, writeCalibration, type CalibrationFile } from '../results/calibration-file.ts';
import { readDeclaredBars } from '../results/declared-bars.ts';
import { mergeCalibration, type NewMeasurement } from '../results/merge-calibration.ts';
import { readResults } from '../results/results-file.ts';
import { runFromConfig, type RunDescriptor } from '../run-descriptor.ts';
import { checkWorkloadName, workloadNames } from '../workloads/load-workload.ts';
import { checkBar, checkTable, staleEntries, type CheckRow, type DeclaredAssertion } from './calibration-check.ts';
import { availableConditions, measurementsOf, parseConditions, runCalibrationVitest, sessionOf, type Condition } from './calibration-runs.ts';
import { hogProcesses, startCpuHog } from './cpu-hog.ts';
import { parseRuns, parseScales, type CalibrateValues } from './calibrate-command.ts';
import { preflightRun, preflightWorkloads } from './run-preflight.ts';
import { openRunSession, reapAfterInterrupt, type RunSession } from './run-session.ts';
import { onShutdown, stopping } from '../shutdown.ts';

/**
 * The scales the repository's suites are run at (npm test 0.1, CI's busy check 0.3, npm run
 * bench 1, --scale 10): an assertion with a bar at any of them is calibrated at every scale
 * asked for, so the data also says where it stops meaning something.
 */
const USUAL_SCALES = [0.1, 0.3, 1, 10];

/** Longest a CPU hog may live, whatever happens to this process (it also ends when this process is gone). */
const HOG_MAX_SECONDS = 3 * 3600;

interface Request {
  workload: string;
  filter: string | undefined;
  scales: number[] | undefined;
  runs: number;
  conditions: Condition[] | undefined;
  check: boolean;
  config: Config;
  outDir: string;
  command: string;
}

/** The workloads calibrate looks at: one, or every workload with a benchmarks folder. */
function workloadsOf(workload: string): string[] {
  if (workload !== 'all') {
    checkWorkloadName(workload);
    if (!existsSync(projectPath('benchmarks', workload))) throw new UsageError(`--workload ${workload}: benchmarks/${workload}/ does not exist: nothing to calibrate`);
    return [workload];
  }
  return workloadNames().filter((w) => existsSync(projectPath('benchmarks', w)));
}

const calibrationPath = (workload: string) => projectPath('benchmarks', workload, CALIBRATION_FILE);

/** `$schema` of a calibration file: schemabench's docs/calibration.schema.json, relative to the file. */
const schemaRef = (workload: string) => relative(projectPath('benchmarks', workload), join(PACKAGE_ROOT, 'docs', 'calibration.schema.json'));

/** The calibration files of `workloads`, read and checked (a bad one is one line, exit 2). */
function calibrationsOf(workloads: string[]): Map<string, CalibrationFile> {
  const out = new Map<string, CalibrationFile>();
  for (const w of workloads) {
    const file = readCalibration(calibrationPath(w));
    if (file) out.set(w, file);
  }
  return out;
}

/** `schemabench calibrate ARGS` with its arguments checked (calibrate-command.ts) and the project's config applied. */
export async function calibrateBars(values: CalibrateValues, args: string[]): Promise<number> {
  const scales = parseScales(values.scales);
  const runs = parseRuns(values.runs);
  const conditions = parseConditions(values.conditions);
  const config = resolveConfig({ seed: values.seed, profile: values.profile, outDir: values.out ?? '.schemabench/calibrate', provider: 'embedded' });
  const workloads = workloadsOf(values.workload);
  if (!workloads.length) throw new UsageError('no workload has a benchmarks/ folder: nothing to calibrate');
  const outDir = await preflightRun({ ...config, outDir: resolve(projectRoot(), config.outDir) });
  await preflightWorkloads(values.workload);
  const request: Request = { workload: values.workload, filter: values.filter, scales, runs, conditions, check: values.check, config, outDir, command: `schemabench calibrate ${args.join(' ')}`.trim() };

  mkdirSync(outDir, { recursive: true });
  const session = openRunSession(outDir);
  for (const name of readdirSync(outDir)) if (name === 'bars' || name === 'runs' || name.endsWith('.log')) rmSync(join(outDir, name), { recursive: true, force: true });
  // Should the CLI stop early (shutdown.ts; cleanups run last registered first): the run in
  // progress and the hog are stopped, what the run's processes left is reaped, the folder unlocked.
  const forgetRelease = onShutdown(() => session.release());
  const forgetReap = onShutdown(async () => void (await reapAfterInterrupt({ provider: 'auto', databaseUrl: undefined })));
  try {
    return await calibrate(request, session);
  } finally {
    // Stopping, the stop runs them (the reap after the run's group is gone); otherwise they are not needed.
    if (!stopping()) {
      forgetReap();
      forgetRelease();
      session.release();
    }
  }
}

/** The exit code of a stop under way (the stop itself exits once its cleanups are done), when there is one. */
const stoppedWith = () => stopping()?.code;

const say = (line: string) => process.stderr.write(`${line}\n`);

async function calibrate(request: Request, session: RunSession): Promise<number> {
  const workloads = workloadsOf(request.workload);
  const calibrations = calibrationsOf(workloads);
  const recorded = [...calibrations.values()].flatMap((c) => Object.values(c.assertions).flatMap((a) => Object.keys(a.scales).map(Number)));
  const scales = request.scales ?? (request.check ? [...new Set(recorded)].sort((a, b) => a - b) : [0.3, 1]);
  if (!scales.length) throw new UsageError('--check: no calibration data to check against (no benchmarks/<workload>/calibration.json); run schemabench calibrate first, or give --scales');
  const base = { ...runFromConfig(request.config, projectRoot()), outDir: request.outDir };

  const listed = [...new Set([...scales, ...USUAL_SCALES])].sort((a, b) => a - b);
  const declared = await declaredAssertions(request, base, listed, session);
  if (stoppedWith() !== undefined) return stoppedWith()!;
  const matching = declared.filter((d) => request.filter === undefined || d.id.includes(request.filter));
  const atScales = matching.filter((d) => scales.includes(d.scale));
  if (request.check) return check(atScales, calibrations, request, workloads);

  const asserted = new Set(matching.filter((d) => d.bar !== null).map((d) => d.id));
  const wanted = new Map(atScales.filter((d) => asserted.has(d.id)).map((d) => [d.id, d]));
  if (!wanted.size) throw new UsageError(`no comparison or load ratio with a bar${request.filter === undefined ? '' : ` matches --filter ${JSON.stringify(request.filter)}`} (at scale ${listed.join(', ')}): nothing to calibrate`);
  const files = [...new Set([...wanted.values()].map((d) => d.file))].sort();
  const { conditions, left } = await availableConditions(request.conditions);
  for (const line of left) say(`schemabench calibrate: ${line}`);

  const steps = scales.flatMap((scale) => conditions.flatMap((condition) => Array.from({ length: request.runs }, (_, i) => ({ scale, condition, i }))));
  say(`schemabench calibrate: ${wanted.size} assertion(s) in ${files.length} file(s), ${steps.length} run(s): scale ${scales.join(', ')} x ${conditions.map((c) => c.name).join(', ')}${request.runs > 1 ? ` x ${request.runs}` : ''}`);
  const date = new Date().toISOString();
  const measured: NewMeasurement[] = [];
  let failed = 0;
  for (const [k, step] of steps.entries()) {
    if (stoppedWith() !== undefined) return stoppedWith()!;
    const dir = join(request.outDir, 'runs', step.condition.name, `scale-${step.scale}`, `run-${step.i + 1}`);
    mkdirSync(dir, { recursive: true });
    const logFile = join(dir, 'vitest.log');
    const hog = step.condition.load === 'cpu-hog' ? hogProcesses() : 0;
    say(`[${k + 1}/${steps.length}] scale ${step.scale}, ${step.condition.name}${hog ? ` (${hog} busy process${hog > 1 ? 'es' : ''})` : ''}${request.runs > 1 ? `, run ${step.i + 1}/${request.runs}` : ''}: measuring (log ${relative(projectRoot(), logFile)})`);
    const started = performance.now();
    const cpuHog = hog ? startCpuHog({ processes: hog, maxSeconds: HOG_MAX_SECONDS }) : undefined;
    const forgetHog = cpuHog ? onShutdown(() => cpuHog.stop()) : () => undefined;
    const run: RunDescriptor = { ...base, provider: step.condition.provider, scale: step.scale, outDir: dir, calibration: { mode: 'measure', assertions: [...wanted.keys()] } };
    let outcome;
    try {
      outcome = await runCalibrationVitest({ files, run, logFile }, session);
    } finally {
      await cpuHog?.stop();
      forgetHog();
    }
    if (outcome.interrupted !== undefined) return outcome.interrupted;
    const results = existsSync(join(dir, 'results.json')) ? readResults(join(dir, 'results.json')) : undefined;
    const got = results ? measurementsOf(results, wanted, step.condition, sessionOf(results, date, request.command)) : [];
    measured.push(...got);
    const seconds = Math.round((performance.now() - started) / 1000);
    if (outcome.code !== 0) failed++;
    say(`    ${got.length} of ${wanted.size} measured in ${seconds} s${outcome.code === 0 ? '' : `; vitest exited ${outcome.code} (a test failed: see the log)`}`);
  }
  for (const w of workloads) {
    const mine = measured.filter((m) => wanted.get(m.id)?.workload === w);
    if (!mine.length) continue;
    const merged = mergeCalibration(calibrations.get(w), w, mine);
    writeCalibration(calibrationPath(w), merged, schemaRef(w));
    calibrations.set(w, merged);
    say(`schemabench calibrate: wrote ${relative(projectRoot(), calibrationPath(w))} (${mine.length} measurement(s))`);
  }
  const rows = checkRows(atScales.filter((d) => asserted.has(d.id)), calibrations, request.config.profile);
  process.stdout.write(`${checkTable(rows)}\n`);
  return failed ? 1 : 0;
}

/** The bars run: every suite file lists its bars at `scales` (no server, nothing measured). */
async function declaredAssertions(request: Request, base: RunDescriptor, scales: number[], session: RunSession): Promise<DeclaredAssertion[]> {
  const logFile = join(request.outDir, 'bars.log');
  const files = request.workload === 'all' ? ['benchmarks/'] : [`benchmarks/${request.workload}/`];
  const outcome = await runCalibrationVitest({ files, run: { ...base, calibration: { mode: 'bars', scales } }, logFile }, session);
  if (outcome.interrupted !== undefined) return [];
  if (outcome.code !== 0) {
    // The first error vitest reports is the benchmark file's own (a case of another workload, a syntax error).
    const first = /^\w*Error: (.+)$/m.exec(readFileSync(logFile, 'utf8'))?.[1];
    throw new UsageError(`listing the bars failed${first ? `: ${first}` : ` (vitest exited ${outcome.code})`}; vitest's output: ${relative(projectRoot(), logFile)}`);
  }
  return readDeclaredBars(request.outDir).flatMap((f) => f.bars.map((b) => ({ ...b, workload: f.workload, file: f.file })));
}

function checkRows(declared: DeclaredAssertion[], calibrations: Map<string, CalibrationFile>, profile: string): CheckRow[] {
  return declared.map((d) => checkBar(d, calibrations.get(d.workload), profile, relative(projectRoot(), calibrationPath(d.workload))));
}

function check(declared: DeclaredAssertion[], calibrations: Map<string, CalibrationFile>, request: Request, workloads: string[]): number {
  const rows = checkRows(declared, calibrations, request.config.profile);
  process.stdout.write(`${checkTable(rows)}\n`);
  if (request.filter === undefined) {
    for (const stale of staleEntries(declared, new Map([...calibrations].filter(([w]) => workloads.includes(w))))) say(`schemabench calibrate: stale calibration entry (no such assertion now): ${stale}`);
  }
  const above = rows.filter((r) => r.verdict === 'above-floor');
  const count = (v: CheckRow['verdict']) => rows.filter((r) => r.verdict === v).length;
  say(`schemabench calibrate --check: ${above.length} above the floor, ${count('no-margin')} without margin, ${count('far-below')} far below, ${count('ok')} ok, ${count('calibrated')} calibrated, ${count('reported')} reported, ${count('no-data')} without data`);
  return above.length ? 1 : 0;
}
