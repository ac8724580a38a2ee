/**
 * The output folder of a run (--out): checked before anything starts, and emptied of
 * an earlier run's files (under the run's lock, results/output-lock.ts) so that what
 * is printed at the end can only be what this run measured.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { checkFolderDestination } from '../output-destination.ts';
import { REPORT_FILES } from '../report/write-reports.ts';

/** Checks that `dir` is, or can be created as, a writable folder on a real file system (output-destination.ts). Creates nothing. */
export function checkOutputFolder(outDir: string): string {
  return checkFolderDestination('--out', outDir);
}

/** Remove what an earlier run wrote (results, reports, parts, per-scale folders), so nothing stale is read back. */
export function clearPreviousOutput(dir: string): void {
  const names = new Set<string>(['results.json', 'vitest.json', 'parts', ...Object.values(REPORT_FILES)]);
  for (const name of readdirSync(dir)) {
    if (names.has(name) || /^scale-[\d.e+-]+$/.test(name)) rmSync(join(dir, name), { recursive: true, force: true });
  }
}
