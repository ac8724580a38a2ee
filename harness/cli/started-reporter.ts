/**
 * A vitest reporter `schemabench run --filter` adds beside its own: it writes
 * `.tests-started` in its run's output folder when the first test that is not skipped is about to
 * run. Until then the CLI holds vitest's output back (held-output.ts), so a filter that
 * matches nothing is one line, not vitest's block of skipped files. vitest reports
 * onTestCaseReady for skipped tests too (a file whose tests were all skipped is reported
 * test by test at its end): those are not a start.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { handedRun } from '../run-descriptor.ts';
import type { Reporter, TestCase } from 'vitest/node';

export const STARTED_FILE = '.tests-started';
/** This file, for vitest's --reporter. */
export const STARTED_REPORTER = fileURLToPath(import.meta.url);

export default class StartedReporter implements Reporter {
  private told = false;

  onTestCaseReady(test: TestCase): void {
    if (this.told || test.options.mode === 'skip' || test.options.mode === 'todo') return;
    this.told = true;
    const out = handedRun()?.outDir;
    if (out) writeFileSync(join(out, STARTED_FILE), '');
  }
}
