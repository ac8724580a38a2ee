/**
 * Where a command writes: one check for every writer (run's and compare's --out, gate
 * --report, report --out, merge --out, baseline update --baseline, compare --markdown,
 * $GITHUB_STEP_SUMMARY), made before any work, so that a destination that cannot be
 * written is one line and exit 2 instead of a stack trace after the work is done. A
 * folder destination must be, or be creatable as, a writable folder; a file destination
 * must not be a folder, and its folder must be, or be creatable as, a writable folder.
 * Missing folders on the way are created when written (as `mkdir -p`); what is checked is
 * the nearest existing one. Nothing is created by the check.
 *
 * access(2) with W_OK answers EROFS on a read-only file system even for root (root passes
 * every permission check but that one), EACCES for a folder this user may not write.
 */
import { accessSync, constants, mkdirSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { EnvironmentError, UsageError } from './errors.ts';

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

const codeOf = (error: unknown) => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

/** `path` as a destination: resolved, or one line naming `option` when it is empty. */
function resolved(option: string, path: string | undefined, what: 'file' | 'folder'): string {
  if (path === undefined || path.trim() === '') throw new UsageError(`${option} needs a ${what} name`);
  return resolve(path);
}

/** The nearest existing folder from `start` up (`path` is the destination, for messages); refuses a file in the way. */
function nearestFolder(option: string, path: string, start = path): string {
  for (let at = start; ; at = dirname(at)) {
    try {
      if (statSync(at).isDirectory()) return at;
      throw new UsageError(`${option} ${path}: ${at} is a file, not a folder`);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      const code = codeOf(error);
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new UsageError(`${option} ${path}: cannot inspect ${at} (${code})`);
      if (dirname(at) === at) throw new UsageError(`${option} ${path}: no existing folder on its way`);
    }
  }
}

/** Refuses a folder on a kernel file system, a read-only one, or one this user may not write. */
function checkWritable(option: string, path: string, folder: string): void {
  const kind = PSEUDO_FILE_SYSTEMS[Number(statfsSync(folder).type)];
  if (kind) throw new UsageError(`${option} ${path}: ${folder} is on the kernel's ${kind} file system, not a place for files`);
  try {
    accessSync(folder, constants.W_OK | constants.X_OK);
  } catch (error) {
    const why = codeOf(error) === 'EROFS' ? 'is on a read-only file system' : 'is not writable';
    throw new UsageError(`${option} ${path}: ${folder} ${why}`);
  }
}

/** A folder to write into: returns its absolute path. Throws UsageError (exit 2) naming `option`. */
export function checkFolderDestination(option: string, path: string | undefined): string {
  const dir = resolved(option, path, 'folder');
  checkWritable(option, dir, nearestFolder(option, dir));
  return dir;
}

/** A file to write: returns its absolute path. Throws UsageError (exit 2) naming `option`. */
export function checkFileDestination(option: string, path: string | undefined): string {
  const file = resolved(option, path, 'file');
  let isFolder = false;
  try {
    isFolder = statSync(file).isDirectory();
  } catch {
    // Absent: it will be created.
  }
  if (isFolder) throw new UsageError(`${option} ${file} is a folder, not a file`);
  checkWritable(option, file, nearestFolder(option, file, dirname(file)));
  try {
    accessSync(file, constants.W_OK);
  } catch (error) {
    const code = codeOf(error);
    if (code !== 'ENOENT') throw new UsageError(`${option} ${file} ${code === 'EROFS' ? 'is on a read-only file system' : 'is not writable'}`);
  }
  return file;
}

/**
 * A write that failed after its destination was checked, as one line: a full or failing
 * disk is the environment (exit 3), anything else the destination (exit 2).
 */
export function writeFailure(option: string, path: string, error: unknown): Error {
  if (error instanceof UsageError || error instanceof EnvironmentError) return error;
  const code = codeOf(error);
  const message = `${option} ${path}: cannot write (${code})`;
  return ['ENOSPC', 'EDQUOT', 'EIO'].includes(code) ? new EnvironmentError(message) : new UsageError(message);
}

/** Write `text` to a checked file destination, creating its folders; failures as one line (writeFailure). */
export function writeDestination(option: string, file: string, text: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  } catch (error) {
    throw writeFailure(option, file, error);
  }
}
