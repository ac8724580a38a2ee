/**
 * `schemabench fixtures`: its usage, its options and the checks of what was typed, in a
 * module that loads nothing heavy (the build is show-dataset.ts): bad arguments are one
 * line and exit 2 before pg, drizzle and TypeScript's loader load.
 */
import { checkRunOptions } from './check-run-options.ts';
import { parseCommandLine } from './parse-command-line.ts';

export const FIXTURES_USAGE = `schemabench fixtures [--workload NAME] [--scale F] [--seed N] [--stats FILE] [--provider auto|embedded|testcontainers|url] [--keep] [--json]
  Build a workload's dataset on a fresh PostgreSQL and print rows, checksums, load rates and statistics.
  --workload  a folder of schema/ (default: the first by name)
  --stats  generate the tables a statistics snapshot describes to match it (schemabench stats capture writes one);
           --scale is then the fraction of its row counts (default: the snapshot fixtures.ts names, if any)
  --keep   leave the server running (in the foreground) and print its URL; Ctrl-C stops it
  --json   print one JSON document (tables, phases, rates, statistics) instead of tables`;

const FIXTURES_OPTIONS = {
  workload: { type: 'string' },
  scale: { type: 'string' },
  seed: { type: 'string' },
  provider: { type: 'string' },
  stats: { type: 'string' },
  keep: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
} as const;

export type FixturesValues = ReturnType<typeof parseCommandLine<typeof FIXTURES_OPTIONS>>;

/** The arguments as typed, checked on their own; the workload's name is checked when the project's workloads load. */
export function parseFixturesArguments(args: string[]): FixturesValues {
  const values = parseCommandLine('fixtures', args, FIXTURES_OPTIONS);
  checkRunOptions(values);
  return values;
}

export async function fixturesCommand(values: FixturesValues): Promise<number> {
  const { showDataset } = await import('./show-dataset.ts');
  return showDataset(values);
}
