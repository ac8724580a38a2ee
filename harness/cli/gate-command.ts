/**
 * `schemabench gate --baseline FILE --results FILE`: a run judged against a stored
 * baseline by the one judge (harness/judge, cross-run mode). Exit 0 pass, 1 a regression
 * or a suite failing in both, 2 bad input (missing, corrupt or incomparable files).
 */
import { join } from 'node:path';
import { UsageError } from '../errors.ts';
import { judge } from '../judge/judge.ts';
import { reportOutcome } from '../judge/judgement-outline.ts';
import { verdictExitCode } from '../judge/judgement.ts';
import { checkJudgementOutputs, writeJudgementOutputs } from '../judge/write-judgement-outputs.ts';
import { loadResults } from '../results/load-results.ts';
import { checkFileDestination, checkFolderDestination, writeFailure } from '../output-destination.ts';
import { appendStepSummary } from '../report/step-summary.ts';
import { REPORT_FILES, writeReports } from '../report/write-reports.ts';
import { parseCommandLine } from './parse-command-line.ts';

export const GATE_USAGE = `schemabench gate --baseline FILE --results FILE [--latency auto|off] [--json] [--markdown FILE] [--report DIR]
  Judge a run against a baseline by the same rules as compare: plans, buffers, rows and sizes strictly (also
  when a dataset changed), speedups with a noise-aware test on the same server (provider, version, settings),
  latencies only on the same machine (auto) or never (off). Workloads the results do not cover are not judged.
  Exit 0 pass, 1 regression (or a comparison failing in both files), 2 bad input.
  --markdown FILE writes the verdict as markdown; --report DIR writes the reports with the verdict first (and
  appends report.md to $GITHUB_STEP_SUMMARY).`;

export async function gateCommand(args: string[]): Promise<number> {
  const values = parseCommandLine('gate', args, {
    baseline: { type: 'string' },
    results: { type: 'string' },
    latency: { type: 'string', default: 'auto' },
    json: { type: 'boolean', default: false },
    markdown: { type: 'string' },
    report: { type: 'string' },
  });
  if (values.latency !== 'auto' && values.latency !== 'off') throw new UsageError(`--latency must be auto or off (got ${JSON.stringify(values.latency)})`);
  // Every destination checked before any work (output-destination.ts).
  const markdownFile = checkJudgementOutputs({ markdownFile: values.markdown });
  const reportDir = values.report === undefined ? undefined : checkFolderDestination('--report', values.report);
  if (reportDir && process.env.GITHUB_STEP_SUMMARY) checkFileDestination('GITHUB_STEP_SUMMARY', process.env.GITHUB_STEP_SUMMARY);
  const baseline = loadResults(values.baseline, '--baseline');
  const results = loadResults(values.results, '--results');
  const judgement = judge({
    command: 'gate',
    base: baseline,
    head: results,
    sides: { base: { ref: values.baseline!, commit: baseline.fingerprint.gitCommit ?? '' }, head: { ref: values.results!, commit: results.fingerprint.gitCommit ?? '' } },
    latency: values.latency,
  });
  if (reportDir !== undefined) {
    try {
      writeReports(results, reportDir, { gate: reportOutcome(judgement), against: values.baseline, baseCommit: baseline.fingerprint.gitCommit });
    } catch (error) {
      throw writeFailure('--report', reportDir, error);
    }
    try {
      appendStepSummary(join(reportDir, REPORT_FILES.markdown));
    } catch (error) {
      throw writeFailure('GITHUB_STEP_SUMMARY', process.env.GITHUB_STEP_SUMMARY!, error);
    }
  }
  process.stdout.write(writeJudgementOutputs(judgement, { json: values.json, ...(markdownFile ? { markdownFile } : {}) }));
  return verdictExitCode(judgement.verdict);
}
