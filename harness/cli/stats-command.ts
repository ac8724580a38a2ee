/**
 * `schemabench stats`: its usage and the checks of what was typed, in a module that loads
 * nothing heavy (the capture is capture-snapshot.ts): bad arguments are one line and exit 2
 * before pg, drizzle, the project's config and TypeScript's loader load.
 */
import { UsageError } from '../errors.ts';
import { parseCommandLine } from './parse-command-line.ts';

export const STATS_USAGE = `schemabench stats capture --workload NAME [--out FILE] [--redact]
  Write a statistics snapshot of the workload's tables from the server in DATABASE_URL (row and page counts,
  sizes, pg_stats per column, extended statistics, server version); reads catalogs only, never a row.
  The role needs SELECT on the tables (pg_stats shows a column only to roles that may read it).
  --out     where to write it (default: fixtures/NAME/production-stats.json)
  --redact  replace text values by tokens of the same shape and order; remove json, jsonb, bytea values`;

const CAPTURE_OPTIONS = { workload: { type: 'string' }, out: { type: 'string' }, redact: { type: 'boolean', default: false } } as const;

export type StatsValues = ReturnType<typeof parseCommandLine<typeof CAPTURE_OPTIONS>> & { workload: string };

/** The arguments as typed: the action, its options, --workload given. */
export function parseStatsArguments(args: string[]): StatsValues {
  const [action, ...rest] = args;
  if (action !== 'capture') throw new UsageError(`stats: the action is capture (got ${JSON.stringify(action ?? '')}); see schemabench stats --help`);
  const values = parseCommandLine('stats capture', rest, CAPTURE_OPTIONS);
  if (!values.workload) throw new UsageError('stats capture: --workload NAME is required (a folder of schema/)');
  return { ...values, workload: values.workload };
}

export async function statsCommand(values: StatsValues): Promise<number> {
  const { captureSnapshot } = await import('./capture-snapshot.ts');
  return captureSnapshot(values);
}
