/** The `schemabench` command: dispatch, one-line errors, exit codes (0 ok, 1 failed, 2 bad input). */
import { UsageError } from '../errors.ts';
import { FIXTURES_USAGE, fixturesCommand } from './fixtures-command.ts';
import { RUN_USAGE, runCommand } from './run-command.ts';

const COMMANDS: Record<string, { usage: string; run: (args: string[]) => Promise<number> }> = {
  fixtures: { usage: FIXTURES_USAGE, run: fixturesCommand },
  run: { usage: RUN_USAGE, run: runCommand },
};

export const USAGE = `usage: schemabench <command> [options]

${Object.values(COMMANDS)
  .map((c) => c.usage)
  .join('\n\n')}

Environment: SCHEMABENCH_PROVIDER, SCHEMABENCH_SCALE, SCHEMABENCH_SEED, SCHEMABENCH_PG_IMAGE, DATABASE_URL (url provider).`;

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
    return await command.run(args);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`schemabench: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}
