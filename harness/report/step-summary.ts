/**
 * GitHub Actions shows the markdown appended to the file in $GITHUB_STEP_SUMMARY on the
 * job's page. When it is set, report.md is appended there (by `schemabench run` and
 * `schemabench gate --report`); elsewhere nothing happens.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

/** Append `markdownFile` to $GITHUB_STEP_SUMMARY; returns the summary's path, or undefined when unset. */
export function appendStepSummary(markdownFile: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const target = env.GITHUB_STEP_SUMMARY;
  if (!target || !existsSync(markdownFile)) return undefined;
  appendFileSync(target, `${readFileSync(markdownFile, 'utf8').trimEnd()}\n\n`);
  return target;
}
