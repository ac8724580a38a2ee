/**
 * What `schemabench gate --baseline FILE --results FILE` does once its arguments are
 * checked (gate-command.ts): a run judged against a stored baseline by the one judge
 * (harness/judge, cross-run mode). Exit 0 pass, 1 a regression
 * or a suite failing in both, 2 bad input (missing, corrupt or incomparable files).
 */
import { join } from 'node:path';
import { judge } from '../judge/judge.ts';
import { reportOutcome } from '../judge/judgement-outline.ts';
import { verdictExitCode } from '../judge/judgement.ts';
import { checkJudgementOutputs, writeJudgementOutputs } from '../judge/write-judgement-outputs.ts';
import { loadResults } from '../results/load-results.ts';
import { checkFileDestination, checkFolderDestination, writeFailure } from '../output-destination.ts';
import { appendStepSummary } from '../report/step-summary.ts';
import { REPORT_FILES, writeReports } from '../report/write-reports.ts';
import type { GateValues } from './gate-command.ts';

/** `schemabench gate` with its arguments checked (gate-command.ts). */
export async function judgeAgainstBaseline(values: GateValues): Promise<number> {
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
    sides: { base: { ref: values.baseline, commit: baseline.fingerprint.gitCommit ?? '' }, head: { ref: values.results, commit: results.fingerprint.gitCommit ?? '' } },
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
