/**
 * What the lifecycle specs (run-lifecycle*.test.ts) share: a short `run`, the moment to
 * interrupt it, and the one line an interrupted command must end with.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import type { Observed } from './cli-process.ts';
import { HOSTILE, SAMPLE } from './sample-results.ts';

export const SIGNALS = [
  { signal: 'SIGINT', code: 130 },
  { signal: 'SIGTERM', code: 143 },
] as const;

/**
 * A folder of the calling file (removed after it) and a function giving fresh output folders
 * in it, each holding an earlier run's results, which must never be printed as this run's.
 */
export function outFolders(): (name: string) => string {
  const scratch = mkdtempSync(join(tmpdir(), 'schemabench-lifecycle-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  return (name) => {
    const dir = join(scratch, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'results.json'), `${JSON.stringify(SAMPLE)}\n`);
    return dir;
  };
}

/** A short `run`: one workload, scale 0.01, tests filtered (insert methods: five comparisons, a few seconds). */
export const runArgs = (out: string, filter = 'receipts/insert/methods') => ['run', '--workload', 'receipts', '--scale', '0.01', '--filter', filter, '--out', out];

/** Ends `run` with `signal` once its server is up and a test is under way. */
export async function interrupt(run: Observed, signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  await run.waitFor(/ready in \d+ ms/, 120_000);
  await new Promise((r) => setTimeout(r, 1_500));
  run.child.kill(signal);
  return run.exited;
}

export function expectOneSignalLine(run: Observed, signal: string): void {
  const after = run.stderr().slice(run.stderr().indexOf(`schemabench: ${signal}`));
  expect(after.trim().split('\n'), run.stderr()).toHaveLength(1);
  expect(run.stderr()).not.toMatch(/57P01|terminating connection|\n\s+at /);
  // No table: an interrupted run has measured nothing it could stand behind.
  expect(run.stdout()).not.toContain(HOSTILE);
  expect(run.stdout()).not.toMatch(/^results: /m);
}
