/** `schemabench report --results FILE [--out DIR]`: regenerate report.html, report.md and the CI formats. */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadResults } from '../results/load-results.ts';
import { writeReports } from '../report/write-reports.ts';
import { parseCommandLine } from './parse-command-line.ts';

export const REPORT_USAGE = `schemabench report --results FILE [--out DIR]
  Write report.html, report.md, github-action-benchmark.{smaller,bigger}.json and bencher.json from a results file.`;

export async function reportCommand(args: string[]): Promise<number> {
  const values = parseCommandLine('report', args, { results: { type: 'string' }, out: { type: 'string' } });
  const results = loadResults(values.results, '--results');
  const dir = resolve(values.out ?? dirname(values.results!));
  mkdirSync(dir, { recursive: true });
  for (const file of writeReports(results, dir)) process.stdout.write(`${file}\n`);
  return 0;
}
