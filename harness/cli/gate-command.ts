/**
 * `schemabench gate --baseline FILE --results FILE`: exit 0 when nothing regressed,
 * 1 on a regression, 2 on bad input (missing, corrupt or incomparable files).
 */
import { UsageError } from '../errors.ts';
import { gateResults, GateInputError, type GateReport } from '../gate/gate-results.ts';
import { loadResults } from '../results/load-results.ts';
import { appendStepSummary } from '../report/step-summary.ts';
import { textTable } from '../report/text-table.ts';
import { REPORT_FILES, writeReports } from '../report/write-reports.ts';
import { join, resolve } from 'node:path';
import { parseCommandLine } from './parse-command-line.ts';

export const GATE_USAGE = `schemabench gate --baseline FILE --results FILE [--latency auto|off] [--json] [--report DIR]
  Compare results with a baseline: plans, buffers and sizes strictly, speedups with a noise-aware test,
  latencies only on the same machine (auto) or never (off). Exit 0 pass, 1 regression, 2 bad input.
  --report DIR writes the reports with the gate's verdict first (and appends report.md to $GITHUB_STEP_SUMMARY).`;

export function formatGate(report: GateReport): string {
  const lines: string[] = [];
  const rows = report.findings
    .filter((f) => f.severity !== 'info' || f.kind === 'new' || f.kind === 'inconclusive')
    .sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'regression' ? -1 : 1))
    .map((f) => [f.severity.toUpperCase(), f.kind, f.subject, f.detail]);
  lines.push(rows.length ? textTable([{ header: 'severity' }, { header: 'signal' }, { header: 'subject' }, { header: 'detail' }], rows) : 'no changes');
  for (const s of report.skipped) lines.push(`skipped: ${s}`);
  const regressions = report.findings.filter((f) => f.severity === 'regression').length;
  lines.push(`verdict: ${report.verdict === 'pass' ? 'PASS' : `REGRESSION (${regressions})`}`);
  return lines.join('\n');
}

export async function gateCommand(args: string[]): Promise<number> {
  const values = parseCommandLine('gate', args, {
    baseline: { type: 'string' },
    results: { type: 'string' },
    latency: { type: 'string', default: 'auto' },
    json: { type: 'boolean', default: false },
    report: { type: 'string' },
  });
  if (values.latency !== 'auto' && values.latency !== 'off') throw new UsageError(`--latency must be auto or off (got ${JSON.stringify(values.latency)})`);
  const baseline = loadResults(values.baseline, '--baseline');
  const results = loadResults(values.results, '--results');
  let report: GateReport;
  try {
    report = gateResults(baseline, results, { latency: values.latency });
  } catch (error) {
    if (error instanceof GateInputError) throw new UsageError(`gate: ${error.message}`);
    throw error;
  }
  if (values.report !== undefined) {
    const dir = resolve(values.report);
    writeReports(results, dir, { gate: report, against: values.baseline, baseCommit: baseline.fingerprint.gitCommit });
    appendStepSummary(join(dir, REPORT_FILES.markdown));
  }
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatGate(report)}\n`);
  return report.verdict === 'pass' ? 0 : 1;
}
