/** The `schemabench` command: dispatch, one-line errors, exit codes (0 ok, 1 failed, 2 bad input, 3 the environment failed). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { EnvironmentError, ENVIRONMENT_EXIT_CODE, lostServerLine, UsageError } from '../errors.ts';
import { PACKAGE_ROOT } from '../package-root.ts';
import { applyProjectConfig } from '../project-config.ts';
import { serverLostReason } from '../postgres/server-lost.ts';
import { handleSignals, stopNow, stopping } from '../shutdown.ts';

interface Command {
  usage: string;
  /**
   * Checks the arguments as typed (bad input: a UsageError) and returns the command's work on
   * them, run once TypeScript's loader and the project's config have loaded.
   */
  parse: (args: string[]) => () => Promise<number>;
}

/** A command from its module's usage, its check of the arguments and its work on what the check returned. */
function defineCommand<V>(usage: string, parse: (args: string[]) => V, run: (values: V, args: string[]) => Promise<number>): Command {
  return { usage, parse: (args) => { const values = parse(args); return () => run(values, args); } };
}

/**
 * Each command's module is imported when that command runs (or prints its --help): the
 * commands together load pg, drizzle, zod and vitest's node API, ~1 s before anything is
 * parsed, which `--help`, `--version` and a misspelt command have no use for.
 */
const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  init: { summary: 'set up this project: schemabench.config.ts, a bench script, a first workload', load: async () => { const m = await import('./init-command.ts'); return defineCommand(m.INIT_USAGE, m.parseInitArguments, m.initCommand); } },
  new: { summary: 'scaffold a workload: schema/, fixtures/, benchmarks/ and migrations/ of NAME', load: async () => { const m = await import('./new-command.ts'); return defineCommand(m.NEW_USAGE, m.parseNewArguments, m.newCommand); } },
  generate: { summary: "drizzle-kit migrations from a workload's schema", load: async () => { const m = await import('./generate-command.ts'); return defineCommand(m.GENERATE_USAGE, m.parseGenerateArguments, m.generateCommand); } },
  fixtures: { summary: "build a workload's dataset on a fresh server and describe it", load: async () => { const m = await import('./fixtures-command.ts'); return defineCommand(m.FIXTURES_USAGE, m.parseFixturesArguments, m.fixturesCommand); } },
  run: { summary: 'run the benchmark suites: results.json, reports, CI files, tables', load: async () => { const m = await import('./run-command.ts'); return defineCommand(m.RUN_USAGE, m.parseRunArguments, m.runCommand); } },
  compare: { summary: 'judge a change: base (a git ref) and head on one server, paired by name', load: async () => { const m = await import('./compare-command.ts'); return defineCommand(m.COMPARE_USAGE, m.parseCompareArguments, m.compareCommand); } },
  gate: { summary: 'compare a run with the committed baseline', load: async () => { const m = await import('./gate-command.ts'); return defineCommand(m.GATE_USAGE, m.parseGateArguments, m.gateCommand); } },
  baseline: { summary: "make a run's results the baseline", load: async () => { const m = await import('./baseline-command.ts'); return defineCommand(m.BASELINE_USAGE, m.parseBaselineArguments, m.baselineCommand); } },
  merge: { summary: 'merge the results of shards', load: async () => { const m = await import('./merge-command.ts'); return defineCommand(m.MERGE_USAGE, m.parseMergeArguments, m.mergeCommand); } },
  report: { summary: 'write the reports and CI files of a results file', load: async () => { const m = await import('./report-command.ts'); return defineCommand(m.REPORT_USAGE, m.parseReportArguments, m.reportCommand); } },
  cache: { summary: 'list or drop the datasets cached on a url server', load: async () => { const m = await import('./cache-command.ts'); return defineCommand(m.CACHE_USAGE, m.parseCacheArguments, m.cacheCommand); } },
  stats: { summary: "capture a server's planner statistics of a workload's tables (no rows)", load: async () => { const m = await import('./stats-command.ts'); return defineCommand(m.STATS_USAGE, m.parseStatsArguments, m.statsCommand); } },
  calibrate: { summary: 'measure the asserted comparisons per scale and condition; --check the bars against it', load: async () => { const m = await import('./calibrate-command.ts'); return defineCommand(m.CALIBRATE_USAGE, m.parseCalibrateArguments, m.calibrateCommand); } },
};

const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));

export const USAGE = `usage: schemabench <command> [options]

${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)
  .join('\n')}

schemabench <command> --help prints a command's options; schemabench --version its version.
Environment: SCHEMABENCH_PROVIDER, SCHEMABENCH_PROFILE, SCHEMABENCH_SCALE, SCHEMABENCH_SEED, SCHEMABENCH_PG_IMAGE, DATABASE_URL (url provider).`;

/** schemabench's own version, from its package.json. */
export function ownVersion(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

export interface MainOptions {
  /**
   * Makes TypeScript importable (tsx's loader), called before a command runs: the
   * project's config, schema and fixtures are TypeScript. bin/schemabench.mjs passes it
   * when it runs the built code (from the sources tsx is already there); --help and
   * --version do without it.
   */
  loadTypeScript?: () => Promise<unknown>;
}

export async function main(argv: string[], options: MainOptions = {}): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${ownVersion()}\n`);
    return 0;
  }
  // From here on, Ctrl-C and SIGTERM end any command with one line, whatever it has started (shutdown.ts).
  handleSignals();
  process.on('uncaughtException', lostServerEnds);
  try {
    if (!Object.hasOwn(COMMANDS, name)) throw new UsageError(`unknown command ${JSON.stringify(name)}; commands: ${Object.keys(COMMANDS).join(', ')}`);
    const command = await COMMANDS[name]!.load();
    if (args.includes('--help') || args.includes('-h')) {
      process.stdout.write(`${command.usage}\n`);
      return 0;
    }
    // Bad arguments cost neither tsx's loader (~0.1 s) nor the project's config.
    const work = command.parse(args);
    await options.loadTypeScript?.();
    // The project's schemabench.config.ts gives defaults (as SCHEMABENCH_* variables).
    if (name !== 'init') await applyProjectConfig();
    return await work();
  } catch (error) {
    // Work cut short by a stop (a signal, a lost server) fails as it stops: the stop exits (shutdown.ts).
    if (stopping()) return new Promise<number>(() => undefined);
    if (error instanceof UsageError) {
      process.stderr.write(`schemabench: ${error.message}\n`);
      return error.exitCode;
    }
    // The server went away (or cannot serve): an environment failure, not a regression. Exit 3.
    const lost = error instanceof EnvironmentError ? error.message : serverLostReason(error);
    if (lost !== undefined) {
      process.stderr.write(`schemabench: ${error instanceof EnvironmentError ? lost : lostServerLine(lost)}\n`);
      return ENVIRONMENT_EXIT_CODE;
    }
    // The server refused a statement (a database in use, a permission): its message, SQLSTATE
    // and detail are the whole story; a stack trace of our code adds nothing. Exit 1: failed.
    const refused = await databaseError(error);
    if (refused) {
      process.stderr.write(`schemabench: ${serverErrorLine(refused)}\n`);
      return 1;
    }
    throw error;
  }
}

/**
 * A pg client emits 'error' when its server goes away between two queries (ECONNRESET, or
 * 57P01 when the server ends the session), and a client without a listener turns that
 * into an uncaught exception: for the CLI, a lost server, exit 3 with one line (stopNow
 * runs the cleanups). Any other uncaught exception ends the process as Node would: its
 * stack, exit 1.
 */
function lostServerEnds(error: Error): void {
  const lost = serverLostReason(error);
  if (lost !== undefined) return stopNow(lostServerLine(lost), ENVIRONMENT_EXIT_CODE, { reportCleanupFailures: false });
  if (stopping()) return;
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
}

/** pg's DatabaseError: pg is loaded only when it is already loaded (a command that used it threw). */
async function databaseError(error: unknown): Promise<pg.DatabaseError | undefined> {
  if (!(error instanceof Error) || error.name !== 'error') return undefined;
  return error instanceof (await import('pg')).default.DatabaseError ? error : undefined;
}

/** `PostgreSQL error 55006: database "x" is being accessed by other users (There is 1 other session using the database.)` */
export function serverErrorLine(error: pg.DatabaseError): string {
  const detail = error.detail ? ` (${error.detail.replace(/\s+/g, ' ')})` : '';
  return `PostgreSQL error ${error.code ?? '?'}: ${error.message}${detail}`;
}
