/** Everything derived from results.json, written next to it. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bencherMetricFormat } from './bencher-format.ts';
import { githubActionBenchmarkBigger, githubActionBenchmarkSmaller } from './github-action-benchmark.ts';
import { htmlReport } from './html-report.ts';
import { markdownSummary } from './markdown-summary.ts';
import type { ResultsFile } from '../results/results-schema.ts';
import type { ReportOptions } from './report-summary.ts';
import { versionMatrixHtml, versionMatrixMarkdown } from './version-matrix.ts';

export const REPORT_FILES = {
  markdown: 'report.md',
  html: 'report.html',
  smallerIsBetter: 'github-action-benchmark.smaller.json',
  biggerIsBetter: 'github-action-benchmark.bigger.json',
  bencher: 'bencher.json',
} as const;

/** A section inserted before </body> (or appended when the page has none). */
function withSection(html: string, section: string): string {
  if (!section) return html;
  const at = html.lastIndexOf('</body>');
  return at < 0 ? html + section : html.slice(0, at) + section + html.slice(at);
}

/** Writes every report of `results` into `dir`; with a gate outcome, report.md and report.html open with it. */
export function writeReports(results: ResultsFile, dir: string, options: ReportOptions = {}): string[] {
  const files: [string, string][] = [
    // A --pg run's version matrix is its own section (version-matrix.ts), added to both.
    [REPORT_FILES.markdown, markdownSummary(results, options) + versionMatrixMarkdown(results)],
    [REPORT_FILES.html, withSection(htmlReport(results, options), versionMatrixHtml(results))],
    [REPORT_FILES.smallerIsBetter, `${JSON.stringify(githubActionBenchmarkSmaller(results), null, 2)}\n`],
    [REPORT_FILES.biggerIsBetter, `${JSON.stringify(githubActionBenchmarkBigger(results), null, 2)}\n`],
    [REPORT_FILES.bencher, `${JSON.stringify(bencherMetricFormat(results), null, 2)}\n`],
  ];
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of files) writeFileSync(join(dir, name), text);
  return files.map(([name]) => join(dir, name));
}
