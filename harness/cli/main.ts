/** The `schemabench` command: dispatch, one-line errors, exit codes (0 ok, 1 failed, 2 bad input). */
import pg from 'pg';
import { UsageError } from '../errors.ts';
import { FIXTURES_USAGE, fixturesCommand } from './fixtures-command.ts';
import { RUN_USAGE, runCommand } from './run-command.ts';
import { GATE_USAGE, gateCommand } from './gate-command.ts';
import { BASELINE_USAGE, baselineCommand } from './baseline-command.ts';
import { MERGE_USAGE, mergeCommand } from './merge-command.ts';
import { REPORT_USAGE, reportCommand } from './report-command.ts';
import { CACHE_USAGE, cacheCommand } from './cache-command.ts';
import { GENERATE_USAGE, generateCommand } from './generate-command.ts';
import { INIT_USAGE, initCommand } from './init-command.ts';
import { NEW_USAGE, newCommand } from './new-command.ts';
import { COMPARE_USAGE, compareCommand } from './compare-command.ts';
import { STATS_USAGE, statsCommand } from './stats-command.ts';
import { applyProjectConfig } from '../project-config.ts';
import { shutdownSignal } from './shutdown.ts';

const COMMANDS: Record<string, { usage: string; run: (args: string[]) => Promise<number> }> = {
  init: { usage: INIT_USAGE, run: initCommand },
  new: { usage: NEW_USAGE, run: newCommand },
  generate: { usage: GENERATE_USAGE, run: generateCommand },
  fixtures: { usage: FIXTURES_USAGE, run: fixturesCommand },
  run: { usage: RUN_USAGE, run: runCommand },
  compare: { usage: COMPARE_USAGE, run: compareCommand },
  gate: { usage: GATE_USAGE, run: gateCommand },
  baseline: { usage: BASELINE_USAGE, run: baselineCommand },
  merge: { usage: MERGE_USAGE, run: mergeCommand },
  report: { usage: REPORT_USAGE, run: reportCommand },
  cache: { usage: CACHE_USAGE, run: cacheCommand },
  stats: { usage: STATS_USAGE, run: statsCommand },
};

export const USAGE = `usage: schemabench <command> [options]

${Object.values(COMMANDS)
  .map((c) => c.usage)
  .join('\n\n')}

Environment: SCHEMABENCH_PROVIDER, SCHEMABENCH_PROFILE, SCHEMABENCH_SCALE, SCHEMABENCH_SEED, SCHEMABENCH_PG_IMAGE, DATABASE_URL (url provider).`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  try {
    if (!command) throw new UsageError(`unknown command ${JSON.stringify(name)}; commands: ${Object.keys(COMMANDS).join(', ')}`);
    if (args.includes('--help') || args.includes('-h')) {
      process.stdout.write(`${command.usage}\n`);
      return 0;
    }
    // The project's schemabench.config.ts gives defaults (as SCHEMABENCH_* variables).
    if (name !== 'init') await applyProjectConfig();
    return await command.run(args);
  } catch (error) {
    // Work cut short by Ctrl-C/SIGTERM fails as it stops: the signal handler exits (shutdown.ts).
    if (shutdownSignal()) return new Promise<number>(() => undefined);
    if (error instanceof UsageError) {
      process.stderr.write(`schemabench: ${error.message}\n`);
      return error.exitCode;
    }
    // The server refused a statement (a database in use, a permission): its message, SQLSTATE
    // and detail are the whole story; a stack trace of our code adds nothing. Exit 1: failed.
    if (error instanceof pg.DatabaseError) {
      process.stderr.write(`schemabench: ${serverErrorLine(error)}\n`);
      return 1;
    }
    throw error;
  }
}

/** `PostgreSQL error 55006: database "x" is being accessed by other users (There is 1 other session using the database.)` */
export function serverErrorLine(error: pg.DatabaseError): string {
  const detail = error.detail ? ` (${error.detail.replace(/\s+/g, ' ')})` : '';
  return `PostgreSQL error ${error.code ?? '?'}: ${error.message}${detail}`;
}
