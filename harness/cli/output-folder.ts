/**
 * The output folder of a run (--out): checked before anything starts, and emptied of
 * an earlier run's files (under the run's lock, results/output-lock.ts) so that what
 * is printed at the end can only be what this run measured.
 */
import { accessSync, constants, readdirSync, rmSync, statfsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors.ts';
import { REPORT_FILES } from '../report/write-reports.ts';

/**
 * Kernel file systems (statfs f_type) that hold no user files. Node 20's
 * mkdirSync(..., { recursive: true }) never returns under /proc (it loops on the
 * kernel's answers), so such a folder is refused before any mkdir.
 */
const PSEUDO_FILE_SYSTEMS: Record<number, string> = {
  0x9fa0: 'proc',
  0x62656572: 'sysfs',
  0x27e0eb: 'cgroup',
  0x63677270: 'cgroup2',
  0x64626720: 'debugfs',
  0x74726163: 'tracefs',
  0x73636673: 'securityfs',
  0x1cd1: 'devpts',
  0x62656570: 'configfs',
  0x6165676c: 'pstore',
  0xcafe4a11: 'bpf',
};

/** The nearest existing folder on the way to `dir` (or `dir` itself); refuses a file in the way. */
function nearestExisting(dir: string): string {
  for (let path = dir; ; path = dirname(path)) {
    try {
      if (!statSync(path).isDirectory()) throw new UsageError(`--out ${dir}: ${path} is a file, not a folder`);
      return path;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') {
        if (error instanceof UsageError) throw error;
        throw new UsageError(`--out ${dir}: cannot inspect ${path} (${code ?? (error as Error).message})`);
      }
      if (dirname(path) === path) throw new UsageError(`--out ${dir}: no existing folder on its way`);
    }
  }
}

/** Checks that `dir` is, or can be created as, a writable folder on a real file system. Creates nothing. */
export function checkOutputFolder(outDir: string): string {
  const dir = resolve(outDir);
  const existing = nearestExisting(dir);
  const kind = PSEUDO_FILE_SYSTEMS[Number(statfsSync(existing).type)];
  if (kind) throw new UsageError(`--out ${dir}: ${existing} is on the kernel's ${kind} file system, not a place for files`);
  try {
    accessSync(existing, constants.W_OK | constants.X_OK);
  } catch {
    throw new UsageError(`--out ${dir}: ${existing} is not writable`);
  }
  return dir;
}

/** Remove what an earlier run wrote (results, reports, parts, per-scale folders), so nothing stale is read back. */
export function clearPreviousOutput(dir: string): void {
  const names = new Set<string>(['results.json', 'vitest.json', 'parts', ...Object.values(REPORT_FILES)]);
  for (const name of readdirSync(dir)) {
    if (names.has(name) || /^scale-[\d.e+-]+$/.test(name)) rmSync(join(dir, name), { recursive: true, force: true });
  }
}
