/**
 * GitHub Actions shows the markdown appended to the file in $GITHUB_STEP_SUMMARY on the
 * job's page. When it is set, report.md is appended there (by `schemabench run` and
 * `schemabench gate --report`), and so is compare's comment (`schemabench compare`);
 * elsewhere nothing happens.
 */
import { appendFileSync, existsSync, readFileSync, statSync } from 'node:fs';

/** Append `markdownFile` to $GITHUB_STEP_SUMMARY; returns the summary's path, or undefined when unset. */
export function appendStepSummary(markdownFile: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (!existsSync(markdownFile)) return undefined;
  return appendStepSummaryText(readFileSync(markdownFile, 'utf8'), env);
}

/** Append `markdown` to $GITHUB_STEP_SUMMARY; returns the summary's path, or undefined when unset. */
export function appendStepSummaryText(markdown: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const target = env.GITHUB_STEP_SUMMARY;
  if (!target) return undefined;
  appendFileSync(target, `${markdown.trimEnd()}\n\n`);
  return target;
}

/** Bytes already in $GITHUB_STEP_SUMMARY (the step's own file: GitHub takes at most 1 MiB of it), 0 when unset or absent. */
export function stepSummarySize(env: NodeJS.ProcessEnv = process.env): number {
  const target = env.GITHUB_STEP_SUMMARY;
  if (!target || !existsSync(target)) return 0;
  return statSync(target).size;
}
