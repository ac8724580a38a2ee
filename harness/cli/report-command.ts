/** `schemabench report --results FILE [--out DIR]`: regenerate report.html, report.md and the CI formats. */
import { dirname } from 'node:path';
import { UsageError } from '../errors.ts';
import { checkFolderDestination, writeFailure } from '../output-destination.ts';
import { parseCommandLine } from './parse-command-line.ts';

export const REPORT_USAGE = `schemabench report --results FILE [--out DIR]
  Write report.html, report.md, github-action-benchmark.{smaller,bigger}.json and bencher.json from a results file.`;

/** The arguments as typed, checked before the results schema and the reports load. */
export function parseReportArguments(args: string[]) {
  const values = parseCommandLine('report', args, { results: { type: 'string' }, out: { type: 'string' } });
  if (!values.results) throw new UsageError('--results FILE is required');
  return { ...values, results: values.results };
}

export async function reportCommand(values: ReturnType<typeof parseReportArguments>): Promise<number> {
  const [{ loadResults }, { writeReports }] = await Promise.all([import('../results/load-results.ts'), import('../report/write-reports.ts')]);
  const results = loadResults(values.results, '--results');
  const dir = checkFolderDestination('--out', values.out ?? dirname(values.results));
  let files: string[];
  try {
    files = writeReports(results, dir);
  } catch (error) {
    throw writeFailure('--out', dir, error);
  }
  for (const file of files) process.stdout.write(`${file}\n`);
  return 0;
}
