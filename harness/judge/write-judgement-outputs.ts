/**
 * Where a Judgement goes, for both commands: the markdown (a pull-request comment) to
 * `--markdown FILE`, the same markdown appended to $GITHUB_STEP_SUMMARY when that is set,
 * and stdout (the terminal text, or the judgement as JSON with `--json`). `checkJudgementOutputs` refuses an unusable
 * destination before anything is measured; a failure to write after the measuring is
 * still one line (output-destination.ts: exit 2, or 3 for a full disk).
 */
import { resolve } from 'node:path';
import { checkFileDestination, writeDestination, writeFailure } from '../output-destination.ts';
import { appendStepSummaryText, stepSummarySize } from '../report/step-summary.ts';
import { STEP_SUMMARY_LIMIT } from './comment-budget.ts';
import { judgementMarkdown } from './judgement-markdown.ts';
import type { Judgement } from './judgement.ts';
import { judgementText } from './judgement-text.ts';

export interface JudgementOutputOptions {
  /** Write the pull-request comment here (its folder is created). @default undefined (no file) */
  markdownFile?: string;
  /** Return the report as JSON (for tools) instead of the terminal text. @default false */
  json?: boolean;
  /** Where $GITHUB_STEP_SUMMARY is read. @default process.env */
  env?: NodeJS.ProcessEnv;
}

/** The judgement as `--json` prints it: the Judgement itself, indented, one document. */
export const judgementJson = (judgement: Judgement) => `${JSON.stringify(judgement, null, 2)}\n`;

/**
 * Checks, before measuring, that the outputs can be written (output-destination.ts, the
 * check every writer makes): `--markdown FILE` and $GITHUB_STEP_SUMMARY, when set. Returns
 * the markdown file's absolute path. Creates nothing.
 */
export function checkJudgementOutputs(options: JudgementOutputOptions = {}): string | undefined {
  const summary = (options.env ?? process.env).GITHUB_STEP_SUMMARY;
  if (summary) checkFileDestination('GITHUB_STEP_SUMMARY', summary);
  return options.markdownFile === undefined ? undefined : checkFileDestination('--markdown', options.markdownFile);
}

/**
 * Writes the markdown file and the step summary; returns what goes to stdout. The file
 * holds the comment within GitHub's 65,536-character limit; the step summary gets the
 * same markdown within what is left of GitHub's 1 MiB for the step.
 */
export function writeJudgementOutputs(judgement: Judgement, options: JudgementOutputOptions = {}): string {
  const env = options.env ?? process.env;
  if (options.markdownFile !== undefined) {
    writeDestination('--markdown', resolve(options.markdownFile), judgementMarkdown(judgement));
  }
  if (env.GITHUB_STEP_SUMMARY) {
    // Two line breaks follow what is appended (step-summary.ts).
    const room = STEP_SUMMARY_LIMIT - stepSummarySize(env) - 2;
    if (room > 1024) {
      try {
        appendStepSummaryText(judgementMarkdown(judgement, { limit: room }), env);
      } catch (error) {
        throw writeFailure('GITHUB_STEP_SUMMARY', env.GITHUB_STEP_SUMMARY, error);
      }
    }
  }
  return options.json ? judgementJson(judgement) : judgementText(judgement);
}
