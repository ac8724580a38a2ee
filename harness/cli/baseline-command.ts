/** `schemabench baseline update --results FILE [--baseline FILE]`: write the baseline, explicitly. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.ts';
import { checkFileDestination, writeDestination } from '../output-destination.ts';
import { parseCommandLine } from './parse-command-line.ts';

export const DEFAULT_BASELINE = 'benchmarks/baseline.json';
export const BASELINE_USAGE = `schemabench baseline update --results FILE [--baseline FILE]
  Make FILE (a results.json) the baseline (default ${DEFAULT_BASELINE}). Commit it with the change it reflects.`;

/** The arguments as typed, checked before the results schema (zod) loads. */
export function parseBaselineArguments(args: string[]) {
  const [action, ...rest] = args;
  if (action !== 'update') throw new UsageError(`baseline: the only action is "update" (got ${JSON.stringify(action ?? '')})`);
  const values = parseCommandLine('baseline update', rest, { results: { type: 'string' }, baseline: { type: 'string', default: DEFAULT_BASELINE } });
  if (!values.results) throw new UsageError('--results FILE is required');
  return { ...values, results: values.results };
}

export async function baselineCommand(values: ReturnType<typeof parseBaselineArguments>): Promise<number> {
  const target = checkFileDestination('--baseline', values.baseline);
  const { loadResults } = await import('../results/load-results.ts');
  const results = loadResults(values.results, '--results');
  writeDestination('--baseline', target, readFileSync(resolve(values.results), 'utf8'));
  process.stdout.write(`baseline ${target}: ${results.cases.length} cases, ${results.comparisons.length} comparisons, ${results.metrics.length} metrics\n`);
  return 0;
}
