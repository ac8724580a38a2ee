/**
 * What `schemabench run` does once its arguments are checked (run-command.ts): the
 * benchmark suites through vitest (the same tests npm test runs), then results.json,
 * reports and a terminal table. Exit code: vitest's (non-zero when an assertion failed),
 * 2 for bad input. Loaded only then: it brings pg, drizzle and zod.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseScale, resolveConfig } from '../config.ts';
import { ENVIRONMENT_EXIT_CODE, lostServerLine, UsageError } from '../errors.ts';
import { packageFolder } from '../package-version.ts';
import { packageManager } from '../package-manager.ts';
import { projectRoot } from '../project-root.ts';
import { runFromConfig, type RunDescriptor } from '../run-descriptor.ts';
import { mergeResults } from '../results/merge-results.ts';
import { readResults, writeResults } from '../results/results-file.ts';
import type { ResultsFile } from '../results/results-schema.ts';
import { resultsTables } from '../report/results-table.ts';
import { growthExponent } from '../bench/scale-fit.ts';
import { textTable } from '../report/text-table.ts';
import { appendStepSummary } from '../report/step-summary.ts';
import { REPORT_FILES, writeReports } from '../report/write-reports.ts';
import { checkWorkloadName, loadWorkload, workloadNames } from '../workloads/load-workload.ts';
import type { RunValues } from './run-command.ts';
import { preflightRun, preflightWorkloads } from './run-preflight.ts';
import { openRunSession, reapAfterInterrupt, type RunSession } from './run-session.ts';
import { onShutdown, stopNow } from '../shutdown.ts';
import { watchServer } from '../postgres/server-watch.ts';
import { describeUri } from '../postgres/url-provider.ts';
import { runSupervised } from './supervised-child.ts';
import { HeldOutput } from './held-output.ts';
import { STARTED_FILE, STARTED_REPORTER } from './started-reporter.ts';
import { vitestConfig } from './run-side.ts';
import { testNamePattern } from './test-name-filter.ts';
import { checkMatrixOptions, pgVersionsOption, runVersionMatrix } from './version-matrix-run.ts';
import { versionMatrixText } from '../report/version-matrix.ts';

interface RunPlan {
  vitestArgs: string[];
  /** The run this vitest carries out (its scale, server version and output folder). */
  run: RunDescriptor;
  /** Hold vitest's output back until a test starts (--filter: one line when it matches nothing). */
  hold?: boolean;
}

/** One vitest run; a signal to the CLI stops it and everything it started (supervised-child.ts). */
async function runVitest(plan: RunPlan, json: boolean, session: RunSession): Promise<number> {
  const vitest = packageFolder('vitest');
  if (!vitest) throw new UsageError(`vitest is not installed: ${packageManager(projectRoot()).addDev(['vitest'])} (a peer dependency of schemabench)`);
  const held = plan.hold ? new HeldOutput(join(plan.run.outDir, STARTED_FILE)) : undefined;
  const reporters = [...session.reporterArgs(plan.run.outDir), ...(held ? [`--reporter=${STARTED_REPORTER}`] : [])];
  const args = [join(vitest, 'vitest.mjs'), ...plan.vitestArgs, '--config', vitestConfig(projectRoot()), '--root', projectRoot(), ...reporters];
  const outcome = await runSupervised(process.execPath, args, {
    cwd: projectRoot(),
    // Its own process group cannot read the terminal: stdin stays with the CLI.
    stdio: held ? ['ignore', 'pipe', 'pipe'] : ['ignore', json ? process.stderr : 'inherit', 'inherit'],
    run: { ...plan.run, ...session.run },
    ...(held ? { onSpawn: (child, stopped) => held.attach(child, stopped, json ? process.stderr : process.stdout) } : {}),
  });
  if (outcome.interrupted) throw new Interrupted(outcome.interrupted);
  // Nothing ran and vitest is content (every test skipped by the filter): its block of skipped files is dropped.
  if (held && outcome.code === 0 && !session.testsRun(plan.run.outDir)) held.discard();
  else held?.flush();
  const carried = session.usageError();
  if (carried) throw new UsageError(carried);
  return outcome.code;
}

/** The CLI is stopping early (shutdown.ts): no table, no results; `code` is its exit code. */
class Interrupted extends Error {
  constructor(readonly code: number) {
    super(`stopped (exit ${code})`);
  }
}

/** Exit code 2 when nothing was measured because no test ran (a --filter matching nothing, an empty shard). */
function checkSomethingRan(session: RunSession, dir: string, code: number, filter: string | undefined): void {
  const ran = session.testsRun(dir);
  if (ran !== undefined && ran > 0) return;
  // vitest exits 0 when -t leaves every test skipped; a non-zero code means it failed before any test.
  if (code !== 0) throw new UsageError(`vitest ended with code ${code} before running any test (its output is above); nothing was measured`);
  if (ran === 0) throw new UsageError(`no test ran${filter === undefined ? '' : `: --filter ${JSON.stringify(filter)} matched no test`}; nothing was measured`);
}

function scaleTable(results: ResultsFile): string {
  const ids = [...new Set(results.cases.map((c) => `${c.name}[${c.variant}]`))];
  const rows = ids.flatMap((id) => {
    const cs = results.cases.filter((c) => `${c.name}[${c.variant}]` === id).sort((a, b) => a.scale - b.scale);
    if (new Set(cs.map((c) => c.scale)).size < 2) return [];
    const e = growthExponent(cs.map((c) => ({ scale: c.scale, value: c.latency.p50 })));
    return [[id, e.toFixed(2), cs.map((c) => `${c.scale}: ${c.latency.p50.toFixed(3)} ms`).join(', ')]];
  });
  return rows.length ? `\nScale curves (growth exponent of median latency: 0 constant, 1 linear)\n${textTable([{ header: 'case' }, { header: 'exponent', align: 'right' }, { header: 'median by scale' }], rows)}` : '';
}

/** `schemabench run` with its arguments checked (run-command.ts) and the project's config applied. */
export async function runBenchmarks(values: RunValues): Promise<number> {
  const scales = values.scales?.split(',').map((s) => parseScale(s.trim()));
  const config = resolveConfig({ scale: values.scale ?? scales?.[0], seed: values.seed, provider: values.provider, profile: values.profile, planAt: values['plan-at'], outDir: values.out });
  if (values.workload !== 'all') checkWorkloadName(values.workload);
  // Its form (i/n) was checked with the other arguments (run-command.ts).
  const shard = values.shard;
  const majors = pgVersionsOption(values.pg);
  if (majors) checkMatrixOptions({ provider: config.provider, scales: values.scales, shard: values.shard });
  // Bad input is one line and exit 2 here, before vitest starts; nothing is created for it.
  const outDir = await preflightRun({ ...config, outDir: resolve(projectRoot(), config.outDir) });
  await preflightWorkloads(values.workload, config.planAt);
  const vitestArgs = ['run', '--project', 'benchmarks'];
  // The workloads' suites only: a project's own measured proofs (specs/*.bench.ts) run with its tests.
  vitestArgs.push(values.workload === 'all' ? 'benchmarks/' : `benchmarks/${values.workload}/`);
  if (values.filter) vitestArgs.push('-t', testNamePattern(values.filter));
  if (shard) vitestArgs.push(`--shard=${shard}`);
  const run = { ...runFromConfig(config, projectRoot()), outDir };

  const session = openRunSession(outDir);
  // Should the CLI stop early, these run after the vitest group is stopped (cleanups run last first):
  // the servers and databases its processes left are reaped, then the folder is unlocked.
  const forgetRelease = onShutdown(() => session.release());
  const forgetReap = onShutdown(async () => void (await reapAfterInterrupt(config)));
  // A url server lost mid-run fails every test at once: one line and exit 3, not a regression.
  const unwatch = config.provider === 'url' ? watchServer(config.databaseUrl!, (reason) => stopNow(lostServerLine(reason, `the server in DATABASE_URL ${describeUri(config.databaseUrl!)}`), ENVIRONMENT_EXIT_CODE, { reportCleanupFailures: false })) : () => undefined;
  try {
    return await runAndReport({ vitestArgs, run, scales, majors, json: values.json, filter: values.filter }, session);
  } catch (error) {
    if (!(error instanceof Interrupted)) throw error;
    return error.code;
  } finally {
    unwatch();
    forgetReap();
    forgetRelease();
    session.release();
  }
}

interface RunRequest {
  vitestArgs: string[];
  /** The run as configured: each vitest gets it with its own scale, server version and folder. */
  run: RunDescriptor;
  scales: number[] | undefined;
  /** `--pg`: one run per PostgreSQL major, merged into a version matrix. */
  majors: number[] | undefined;
  json: boolean;
  filter: string | undefined;
}

async function runAndReport({ vitestArgs, run, scales, majors, json, filter }: RunRequest, session: RunSession): Promise<number> {
  const outDir = run.outDir;
  let code = 0;
  let results: ResultsFile | undefined;
  if (majors) {
    const runOne = async (major: number, dir: string) => {
      const c = await runVitest({ vitestArgs, run: { ...run, pgVersion: major, outDir: dir }, hold: filter !== undefined }, json, session);
      checkSomethingRan(session, dir, c, filter);
      return c;
    };
    ({ code, results } = await runVersionMatrix(majors, outDir, runOne));
  } else if (scales) {
    const runs: ResultsFile[] = [];
    const sources: string[] = [];
    for (const s of scales) {
      const dir = join(outDir, `scale-${s}`);
      mkdirSync(dir, { recursive: true });
      const c = await runVitest({ vitestArgs, run: { ...run, scale: s, outDir: dir }, hold: filter !== undefined }, json, session);
      checkSomethingRan(session, dir, c, filter);
      code ||= c;
      const path = join(dir, 'results.json');
      if (existsSync(path)) {
        runs.push(readResults(path));
        sources.push(path);
      }
    }
    if (runs.length) {
      results = mergeResults(runs, sources);
      writeResults(join(outDir, 'results.json'), results);
      writeReports(results, outDir);
    }
  } else {
    code = await runVitest({ vitestArgs, run, hold: filter !== undefined }, json, session);
    checkSomethingRan(session, outDir, code, filter);
    // The folder was emptied before vitest started: a results.json here is this run's.
    const path = join(outDir, 'results.json');
    if (existsSync(path)) results = readResults(path);
  }
  if (!results) return code;
  appendStepSummary(join(outDir, REPORT_FILES.markdown));
  if (json) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    return code;
  }
  process.stdout.write(`${resultsTables(results)}\n${scaleTable(results)}\n${versionMatrixText(results)}`);
  for (const name of workloadNames()) {
    const has = results.cases.some((c) => c.workload === name) || results.metrics.some((m) => m.workload === name);
    const workload = has ? await loadWorkload(name) : undefined;
    if (workload?.report) process.stdout.write(`${(await workload.report())(results)}\n`);
  }
  process.stdout.write(`\nresults: ${join(outDir, 'results.json')}\nreport:  ${join(outDir, 'report.html')}\n`);
  return code;
}
