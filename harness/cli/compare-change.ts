/**
 * What `schemabench compare --base REF` does once its arguments are checked
 * (compare-command.ts): judge a change, not a machine. Base (a temporary git
 * worktree) and head (the working tree, or --head REF) run their own suites at the same
 * time on ONE server this command starts, taking turns round by round (side-turns.ts), so
 * settings, machine and moment are the same for both. Cases are paired by name: plans,
 * buffers and rows compared exactly, latency as a paired ratio with an interval; the
 * change's new migrations are applied to base's data under concurrent clients. Exit 0:
 * nothing regressed; 1: a regression; 2: bad input.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseForecastScales, parseScale, resolveConfig } from '../config.ts';
import { ENVIRONMENT_EXIT_CODE, lostServerLine, UsageError } from '../errors.ts';
import { projectRoot } from '../project-root.ts';
import { startPostgres } from '../postgres/start-postgres.ts';
import type { PgServer, ServerRef } from '../postgres/pg-server.ts';
import { lockOutputFolder } from '../results/output-lock.ts';
import { runFromConfig, type RunDescriptor } from '../run-descriptor.ts';
import { addWorktree, changedFiles, gitTopLevel, reapWorktrees, resolveCommit, workingTreeState, type Worktree } from '../compare/git-worktree.ts';
import { startTurnCoordinator, type TurnCoordinator } from '../compare/turn-coordinator.ts';
import { gatherServerEvidence, mergeMajors, tookTurns, unmeasuredEvidence, type ServerEvidence } from '../compare/server-evidence.ts';
import { planMeasurement, type MeasurePlan } from '../compare/affected-files.ts';
import { defaultSnapshotPath, snapshotIdentity } from '../stats/plan-at-production.ts';
import { newMigrations } from '../compare/new-migrations.ts';
import { readStatisticsSnapshot, type StatisticsSnapshot } from '../stats/statistics-snapshot.ts';
import { judge } from '../judge/judge.ts';
import { verdictExitCode } from '../judge/judgement.ts';
import type { Side } from '../judge/evidence.ts';
import { WORKING_TREE } from '../judge/reproduce-command.ts';
import { checkJudgementOutputs, writeJudgementOutputs } from '../judge/write-judgement-outputs.ts';
import { checkMatrixOptions, pgVersionsOption } from './version-matrix-run.ts';
import { checkHasBenchmarks } from '../workloads/benchmark-files.ts';
import { parseThreshold, type CompareValues } from './compare-command.ts';
import { checkOutputFolder } from './output-folder.ts';
import { createPrivateTempDir, reapPrivateTempDirs } from './private-temp-dir.ts';
import { runSide, type SideOutcome, type SidePlan } from './run-side.ts';
import { testNamePattern } from './test-name-filter.ts';
import { onShutdown, stopNow } from '../shutdown.ts';
import { watchServer } from '../postgres/server-watch.ts';

/** Workloads of a project folder: its schema/ subfolders. */
function workloadsIn(dir: string): string[] {
  const schema = join(dir, 'schema');
  return existsSync(schema) ? readdirSync(schema, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort() : [];
}

function commonWorkloads(requested: string, baseDir: string, headDir: string, notes: string[]): string[] {
  const [base, head] = [workloadsIn(baseDir), workloadsIn(headDir)];
  if (requested !== 'all') {
    if (!head.includes(requested)) throw new UsageError(`--workload ${JSON.stringify(requested)}: head has no schema/${requested}/ (workloads: ${head.join(', ') || 'none'})`);
    if (!base.includes(requested)) throw new UsageError(`--workload ${requested}: base has no schema/${requested}/: no common workload to compare`);
    checkHasBenchmarks(requested, headDir);
    return [requested];
  }
  const common = head.filter((w) => base.includes(w) && existsSync(join(headDir, 'benchmarks', w)));
  for (const w of head.filter((x) => !base.includes(x))) notes.push(`workload ${w} is new on head: not compared`);
  for (const w of base.filter((x) => !head.includes(x))) notes.push(`workload ${w} was removed on head: not compared`);
  if (!common.length) throw new UsageError('base and head have no common workload with benchmarks to compare');
  return common;
}

interface ForecastRequest {
  /** null: `--forecast-scales off`. */
  scales: number[] | null;
  snapshots: Map<string, { snapshot: StatisticsSnapshot; file: string }>;
}

/**
 * The forecast's inputs, checked before anything is measured: each workload with new
 * migrations reads head's statistics snapshot (fixtures/W/production-stats.json) when it
 * has one; a file that is not a snapshot of that workload is bad input (exit 2).
 */
function forecastRequest(scales: number[] | null, baseDir: string, headDir: string, workloads: string[]): ForecastRequest {
  const snapshots = new Map<string, { snapshot: StatisticsSnapshot; file: string }>();
  if (!scales) return { scales, snapshots };
  for (const w of workloads) {
    const file = join('fixtures', w, 'production-stats.json');
    if (!existsSync(join(headDir, file)) || !newMigrations(join(baseDir, 'migrations', w), join(headDir, 'migrations', w)).length) continue;
    const snapshot = readStatisticsSnapshot(join(headDir, file));
    if (snapshot.workload !== w) throw new UsageError(`${file}: a statistics snapshot of workload ${snapshot.workload}, not ${w}`);
    snapshots.set(w, { snapshot, file });
  }
  return { scales, snapshots };
}

/** What compare owns until it ends: released in reverse, whatever happened. */
class Owned {
  private readonly undo: (() => Promise<void> | void)[] = [];
  /** Register `step`; the returned function runs it now (once) instead of at release. */
  add(step: () => Promise<void> | void): () => Promise<void> {
    let done = false;
    const once = async () => {
      if (done) return;
      done = true;
      await step();
    };
    this.undo.push(once);
    return once;
  }
  async release(): Promise<void> {
    for (const step of this.undo.splice(0).reverse()) {
      try {
        await step();
      } catch (error) {
        process.stderr.write(`schemabench: cleanup: ${(error as Error).message}\n`);
      }
    }
  }
}

interface OneServerRequest {
  /** The run both sides carry out (scale, seed, profile, caps); each side gets its folder, the server and the turns. */
  run: RunDescriptor;
  config: ReturnType<typeof resolveConfig>;
  /** PostgreSQL major of the server (--pg), or the provider's default. */
  major: number | undefined;
  baseDir: string;
  headDir: string;
  outDir: string;
  workloads: string[];
  /** What to run per workload: some benchmark files, or its whole folder. */
  plan: MeasurePlan['measured'];
  forecast: ForecastRequest;
  filter: string | undefined;
  log: (line: string) => void;
}

const testsOf = (side: SideOutcome) => ({ failed: side.failed, passed: side.passed, messages: side.messages });

/** Both sides on one server (of `major`), taking turns; their evidence, or a signal's exit code. */
async function compareOnOneServer(r: OneServerRequest, owned: Owned): Promise<ServerEvidence | number> {
  const { config, log } = r;
  const server: PgServer = await startPostgres({ ...config, ...(r.major === undefined ? {} : { pgVersion: r.major }), log });
  const stopServer = owned.add(() => server.stop());
  // Its loss fails both sides at once: one line and exit 3, not a regression.
  const unwatch = owned.add(watchServer(server.adminUri, (reason) => stopNow(lostServerLine(reason), ENVIRONMENT_EXIT_CODE, { reportCleanupFailures: false })));
  // The socket lives in a folder named after this process: one a killed compare left is reaped by the next start.
  const turnsDir = createPrivateTempDir();
  owned.add(() => turnsDir.remove());
  const turns: TurnCoordinator = await startTurnCoordinator(join(turnsDir.path, 'turns.sock'));
  const closeTurns = owned.add(() => turns.close());
  try {
    const ref: ServerRef = { provider: server.provider, connectionUri: server.connectionUri, adminUri: server.adminUri, databasePrefix: server.databasePrefix, ...(server.owner ? { owner: server.owner } : {}) };
    const targets = [...r.plan].flatMap(([w, files]) => (files === 'all' ? [`benchmarks/${w}/`] : files));
    const vitestArgs = ['--project', 'benchmarks', ...targets];
    if (r.filter) vitestArgs.push('-t', testNamePattern(r.filter));
    // Every measurement takes at least 6 rounds: enough base/head pairs for a latency interval.
    const measure = { ...r.run.measure, minRounds: r.run.measure.minRounds ?? 6 };
    const side = (name: 'base' | 'head', dir: string): SidePlan => ({
      name,
      vitestArgs,
      run: { ...r.run, root: dir, outDir: join(r.outDir, name), outLocked: true, measure, server: ref, turns: { socket: turns.path, side: name }, ...(r.major === undefined ? {} : { pgVersion: r.major }) },
    });
    const plans = [side('base', r.baseDir), side('head', r.headDir)];
    for (const p of plans) mkdirSync(p.run.outDir, { recursive: true });
    const version = r.major === undefined ? '' : ` on PostgreSQL ${r.major}`;
    log(`schemabench: base and head of ${r.workloads.join(', ')} at scale ${config.scale}${version}, one server, taking turns`);
    const sides = Promise.all(plans.map((p) => runSide(p, process.stderr)));
    // On Ctrl-C the sides are stopped first (runSupervised), then the server and worktrees go.
    const sidesStopped = owned.add(() => sides.then(() => undefined));
    const [base, head] = (await sides) as [SideOutcome, SideOutcome];
    await sidesStopped();
    const interrupted = base.outcome.interrupted ?? head.outcome.interrupted;
    if (interrupted) return interrupted;
    for (const s of [base, head]) {
      if (!s.results) throw new UsageError(`the ${s.name} run wrote no results (vitest exit ${s.outcome.code}; its output is above): nothing to compare`);
    }
    return await gatherServerEvidence({
      base: { results: base.results!, tests: testsOf(base), dir: r.baseDir },
      head: { results: head.results!, tests: testsOf(head), dir: r.headDir },
      turns: turns.log(),
      workloads: r.workloads,
      server: ref,
      log,
      ...(r.forecast.scales ? { forecast: { scales: r.forecast.scales, snapshots: r.forecast.snapshots } } : {}),
    });
  } finally {
    await unwatch();
    await closeTurns();
    await stopServer();
  }
}

/** `schemabench compare` with its arguments checked (compare-command.ts) and the project's config applied. */
export async function compareChange(values: CompareValues): Promise<number> {
  const started = performance.now();
  const latencyThreshold = parseThreshold(values['latency-threshold']);
  const forecastScales = parseForecastScales(values['forecast-scales']);
  const config = resolveConfig({ scale: values.scale === undefined ? undefined : parseScale(values.scale), seed: values.seed, provider: values.provider, profile: values.profile, planAt: values['plan-at'], outDir: values.out ?? '.schemabench/compare' });
  if (config.provider === 'url') throw new UsageError('compare starts its own server (embedded or testcontainers): --provider url is not supported, base and head must share a server compare controls');
  const root = projectRoot();
  const top = gitTopLevel(root);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  // Leftovers of a compare that was killed go first, whatever else this one is told.
  for (const path of reapWorktrees(top)) log(`schemabench: removed the worktree of a compare that did not finish: ${path}`);
  // Its private temp folders too (the turn socket), and vitest's of its sides.
  reapPrivateTempDirs();
  const baseSide: Side = { ref: values.base, commit: resolveCommit(top, values.base) };
  let headSide: Side;
  if (values.head) headSide = { ref: values.head, commit: resolveCommit(top, values.head) };
  else {
    const state = workingTreeState(top);
    if (state.conflicted.length) throw new UsageError(`the working tree has unmerged paths (${state.conflicted.slice(0, 3).join(', ')}): finish the merge before comparing`);
    headSide = { ref: WORKING_TREE, commit: resolveCommit(top, 'HEAD'), dirty: state.dirty };
  }
  const outDir = checkOutputFolder(resolve(root, config.outDir));
  // Checked before anything is measured: a bad --markdown path must not throw a long run away.
  const markdownFile = checkJudgementOutputs({ markdownFile: values.markdown });

  if (values.workload !== 'all' && !values.head && !workloadsIn(root).includes(values.workload)) {
    throw new UsageError(`--workload ${JSON.stringify(values.workload)}: head has no schema/${values.workload}/ (workloads: ${workloadsIn(root).join(', ') || 'none'})`);
  }
  const majors = pgVersionsOption(values.pg);
  if (majors) checkMatrixOptions({ provider: config.provider });
  const owned = new Owned();
  const stopOnSignal = onShutdown(() => owned.release());
  try {
    mkdirSync(outDir, { recursive: true });
    const unlock = lockOutputFolder(outDir);
    owned.add(unlock);
    for (const name of readdirSync(outDir)) if (/^(base|head|compare\.json|pg-\d+)$/.test(name)) rmSync(join(outDir, name), { recursive: true, force: true });
    log(`schemabench: checking out base ${baseSide.ref} (${baseSide.commit.slice(0, 12)}) into a temporary worktree`);
    const baseTree = addWorktree(top, root, baseSide.commit, log);
    owned.add(() => baseTree.remove());
    let headDir = root;
    if (values.head) {
      const headTree: Worktree = addWorktree(top, root, headSide.commit, log);
      owned.add(() => headTree.remove());
      headDir = headTree.projectDir;
    }
    const notes: string[] = [];
    const workloads = commonWorkloads(values.workload, baseTree.projectDir, headDir, notes);
    // --plan-at production: both sides plan with head's snapshots (the change is judged at production's shape).
    const snapshots = config.planAt === 'production' ? Object.fromEntries(workloads.map((w) => [w, defaultSnapshotPath(w)])) : undefined;
    for (const [w, path] of Object.entries(snapshots ?? {})) snapshotIdentity(w, path);
    const run = { ...runFromConfig(config, root), ...(snapshots ? { snapshots } : {}) };
    // What the change can move (affected-files.ts); --all measures every workload's every file.
    const plan = values.all ? { measured: new Map(workloads.map((w) => [w, 'all' as const])), unmeasured: [] } : await planMeasurement(baseTree.projectDir, headDir, workloads);
    for (const line of plan.unmeasured) log(`schemabench: not measured: ${line}`);
    const measuredWorkloads = workloads.filter((w) => plan.measured.has(w));
    const forecast = forecastRequest(forecastScales, baseTree.projectDir, headDir, measuredWorkloads);

    const evidence: ServerEvidence[] = [];
    for (const major of measuredWorkloads.length ? (majors ?? [undefined]) : []) {
      const dir = major === undefined ? outDir : join(outDir, `pg-${major}`);
      const one = await compareOnOneServer({ run, config, major, baseDir: baseTree.projectDir, headDir, outDir: dir, workloads: measuredWorkloads, plan: plan.measured, forecast, filter: values.filter, log }, owned);
      if (typeof one === 'number') return one;
      evidence.push(one);
    }
    // Nothing the change touched: no server, no measurement, nothing to judge but the plan.
    const all = !evidence.length ? unmeasuredEvidence(run, baseTree.projectDir, headDir) : majors ? mergeMajors(evidence, majors) : evidence[0]!;
    const judgement = judge({
      command: 'compare',
      base: all.base.results,
      head: all.head.results,
      sides: { base: baseSide, head: headSide },
      rules: { latencyThreshold },
      paired: {
        tests: { base: all.base.tests, head: all.head.tests },
        migrations: all.migrations,
        changedFiles: changedFiles(top, root, baseSide.commit, values.head ? headSide.commit : undefined),
        overlaps: all.overlaps,
        tookTurns: tookTurns(all.base.results) && tookTurns(all.head.results),
      },
      notes: [...notes, ...all.notes],
      unmeasured: plan.unmeasured,
      durationMs: performance.now() - started,
    });
    writeFileSync(join(outDir, 'compare.json'), `${JSON.stringify(judgement, null, 2)}\n`);
    process.stdout.write(writeJudgementOutputs(judgement, { markdownFile, json: values.json }));
    return verdictExitCode(judgement.verdict);
  } finally {
    stopOnSignal();
    await owned.release();
  }
}

