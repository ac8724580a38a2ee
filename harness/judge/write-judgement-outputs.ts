/**
 * Where a Judgement goes, for both commands: the markdown (a pull-request comment) to
 * `--markdown FILE`, the same markdown appended to $GITHUB_STEP_SUMMARY when that is set,
 * and stdout (the terminal text, or the judgement as JSON with `--json`). `checkCompareOutputs` refuses an unusable
 * destination before anything is measured; a failure to write after the measuring is
 * still one line (UsageError, exit 2).
 */
import { accessSync, constants, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../errors.ts';
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

const reason = (error: unknown) => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

/** The nearest existing folder on the way to `path`. */
function nearestFolder(path: string): string {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    try {
      if (statSync(dir).isDirectory()) return dir;
      throw new UsageError(`--markdown ${path}: ${dir} is a file, not a folder`);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      if (dirname(dir) === dir) throw new UsageError(`--markdown ${path}: no existing folder on its way`);
    }
  }
}

/**
 * Checks, before measuring, that the outputs can be written: `--markdown FILE` is not a
 * folder and its nearest existing folder is writable; $GITHUB_STEP_SUMMARY, when set, is
 * not a folder. Returns the markdown file's absolute path. Creates nothing.
 */
export function checkJudgementOutputs(options: JudgementOutputOptions = {}): string | undefined {
  const summary = (options.env ?? process.env).GITHUB_STEP_SUMMARY;
  if (summary) {
    try {
      if (statSync(summary).isDirectory()) throw new UsageError(`GITHUB_STEP_SUMMARY=${summary} is a folder, not a file`);
    } catch (error) {
      if (error instanceof UsageError) throw error;
    }
  }
  if (options.markdownFile === undefined) return undefined;
  if (options.markdownFile === '') throw new UsageError('--markdown needs a file name');
  const file = resolve(options.markdownFile);
  let isFolder = false;
  try {
    isFolder = statSync(file).isDirectory();
  } catch {
    // Absent: it will be created.
  }
  if (isFolder) throw new UsageError(`--markdown ${file} is a folder, not a file`);
  const folder = nearestFolder(file);
  try {
    accessSync(folder, constants.W_OK | constants.X_OK);
  } catch {
    throw new UsageError(`--markdown ${file}: ${folder} is not writable`);
  }
  return file;
}

/**
 * Writes the markdown file and the step summary; returns what goes to stdout. The file
 * holds the comment within GitHub's 65,536-character limit; the step summary gets the
 * same markdown within what is left of GitHub's 1 MiB for the step.
 */
export function writeJudgementOutputs(judgement: Judgement, options: JudgementOutputOptions = {}): string {
  const env = options.env ?? process.env;
  if (options.markdownFile !== undefined) {
    const file = resolve(options.markdownFile);
    try {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, judgementMarkdown(judgement));
    } catch (error) {
      throw new UsageError(`--markdown ${file}: cannot write (${reason(error)})`);
    }
  }
  if (env.GITHUB_STEP_SUMMARY) {
    // Two line breaks follow what is appended (step-summary.ts).
    const room = STEP_SUMMARY_LIMIT - stepSummarySize(env) - 2;
    if (room > 1024) {
      try {
        appendStepSummaryText(judgementMarkdown(judgement, { limit: room }), env);
      } catch (error) {
        throw new UsageError(`GITHUB_STEP_SUMMARY=${env.GITHUB_STEP_SUMMARY}: cannot append (${reason(error)})`);
      }
    }
  }
  return options.json ? judgementJson(judgement) : judgementText(judgement);
}
