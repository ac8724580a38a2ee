/**
 * The base side of a comparison, checked out where the project's own checkout is not
 * disturbed: a detached `git worktree` in the temporary folder, named after the process
 * that made it (schemabench-compare-<pid>-<random>), removed after success, failure or a
 * signal. One left by a process that is gone (SIGKILL) is removed by the next compare.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { UsageError } from '../errors.ts';
import { packageManager } from '../package-manager.ts';
import { isAlive } from '../process-owner.ts';

const PREFIX = 'schemabench-compare-';

function git(cwd: string, args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** The git top level holding `dir`; bad input when there is none. */
export function gitTopLevel(dir: string): string {
  try {
    return git(dir, ['rev-parse', '--show-toplevel']);
  } catch {
    throw new UsageError(`compare needs a git repository: ${dir} is not inside one`);
  }
}

/** The commit a ref names; bad input when it names none. */
export function resolveCommit(top: string, ref: string): string {
  if (ref.startsWith('-')) throw new UsageError(`unknown git ref ${JSON.stringify(ref)}`);
  try {
    return git(top, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    throw new UsageError(`unknown git ref ${JSON.stringify(ref)} (a shallow clone? fetch with full history: actions/checkout fetch-depth: 0)`);
  }
}

/** Uncommitted changes to tracked files, or a merge/rebase in progress that leaves conflicts. */
export function workingTreeState(top: string): { dirty: boolean; conflicted: string[] } {
  const status = git(top, ['status', '--porcelain=v1', '--untracked-files=no']);
  const lines = status ? status.split('\n') : [];
  const conflicted = lines.filter((l) => /^(DD|AU|UD|UA|DU|AA|UU) /.test(l)).map((l) => l.slice(3));
  return { dirty: lines.length > 0, conflicted };
}

/** Worktrees of compares whose process is gone: removed. Returns their paths. */
export function reapWorktrees(top: string): string[] {
  const reaped: string[] = [];
  const listed = git(top, ['worktree', 'list', '--porcelain'])
    .split('\n')
    .filter((l) => l.startsWith('worktree '))
    .map((l) => l.slice('worktree '.length));
  for (const path of listed) {
    const m = new RegExp(`^${PREFIX}(\\d+)-`).exec(basename(path));
    if (!m || isAlive(Number(m[1]))) continue;
    try {
      git(top, ['worktree', 'remove', '--force', path]);
    } catch {
      rmSync(path, { recursive: true, force: true });
    }
    reaped.push(path);
  }
  git(top, ['worktree', 'prune']);
  return reaped;
}

export interface Worktree {
  /** The project's folder inside the worktree (the project may be a subfolder of the repository). */
  projectDir: string;
  remove(): void;
}

/**
 * Check out `commit` into a temporary worktree. Its dependencies: the project's own
 * node_modules when its lockfile is the same on both sides (a symlink), otherwise base's
 * package manager's frozen install there (reported through `log`).
 */
export function addWorktree(top: string, projectDir: string, commit: string, log: (line: string) => void): Worktree {
  const path = mkdtempSync(join(tmpdir(), `${PREFIX}${process.pid}-`));
  rmSync(path, { recursive: true, force: true });
  git(top, ['worktree', 'add', '--detach', '--quiet', path, commit]);
  let removed = false;
  const shared: string[] = [];
  const worktree: Worktree = {
    projectDir: join(path, relative(top, projectDir)),
    remove() {
      if (removed) return;
      removed = true;
      // The shared node_modules are symlinks: unlinked first, so nothing can follow them.
      for (const modules of shared) if (isSymlink(modules)) unlinkSync(modules);
      try {
        git(top, ['worktree', 'remove', '--force', path]);
      } catch {
        rmSync(path, { recursive: true, force: true });
        git(top, ['worktree', 'prune']);
      }
    },
  };
  try {
    shared.push(...shareOrInstall({ top, projectDir, worktreeTop: path, sideDir: worktree.projectDir }, log));
  } catch (error) {
    worktree.remove();
    throw error;
  }
  return worktree;
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

interface Sides {
  /** The repository's top level and the project's folder in it (head). */
  top: string;
  projectDir: string;
  /** The worktree's top level and the project's folder in it (base). */
  worktreeTop: string;
  sideDir: string;
}

const readOrUndefined = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined);

/**
 * The lockfile decides (package-manager.ts): the same lockfile at the same place on
 * both sides shares head's node_modules (the project's, and the lockfile folder's when
 * that is a workspace root above it); otherwise base's own package manager installs
 * base's lockfile, frozen. Returns the symlinks made.
 */
function shareOrInstall({ top, projectDir, worktreeTop, sideDir }: Sides, log: (line: string) => void): string[] {
  if (!existsSync(sideDir)) throw new UsageError(`the base commit has no ${relative(join(sideDir, '..'), sideDir) || 'project'} folder: nothing to compare`);
  const head = packageManager(projectDir, top);
  const base = packageManager(sideDir, worktreeTop);
  const same = head.lockfile !== undefined && base.lockfile === join(worktreeTop, relative(top, head.lockfile)) && readOrUndefined(head.lockfile) === readOrUndefined(base.lockfile);
  if (same && existsSync(join(projectDir, 'node_modules'))) {
    const folders = [...new Set([projectDir, dirname(head.lockfile!)])].filter((dir) => existsSync(join(dir, 'node_modules')));
    return folders.map((dir) => {
      const link = join(worktreeTop, relative(top, dir), 'node_modules');
      // A node_modules symlink committed by mistake is replaced (lstat: a dangling one too).
      if (isSymlink(link)) unlinkSync(link);
      symlinkSync(join(dir, 'node_modules'), link, 'dir');
      return link;
    });
  }
  const [command, ...args] = base.frozenInstall;
  const where = base.lockfile ? dirname(base.lockfile) : sideDir;
  log(`schemabench: base has other dependencies (${base.lockfile ? `${basename(base.lockfile)} differs` : 'no lockfile'}): ${base.frozenInstall.join(' ')} in its worktree`);
  try {
    execFileSync(command!, args, { cwd: where, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CI: 'true' } });
  } catch (error) {
    const e = error as { stderr?: Buffer; code?: string };
    const why = e.code === 'ENOENT' ? `${command} is not installed` : String(e.stderr ?? error).trim().split('\n').pop();
    throw new UsageError(`${base.frozenInstall.join(' ')} of the base commit failed: ${why}`);
  }
  return [];
}

/**
 * Files of the project (paths relative to `projectDir`) that differ between `base` and
 * `head` (a commit), or between `base` and the working tree with its untracked files
 * when `head` is undefined: a subject declared in one of them may be removed on purpose.
 */
export function changedFiles(top: string, projectDir: string, base: string, head: string | undefined): Set<string> {
  const names = head === undefined ? [...git(top, ['diff', '--name-only', base]).split('\n'), ...git(top, ['ls-files', '--others', '--exclude-standard']).split('\n')] : git(top, ['diff', '--name-only', base, head]).split('\n');
  const prefix = relative(top, projectDir);
  return new Set(names.filter(Boolean).map((n) => (prefix ? relative(prefix, n) : n)).filter((n) => !n.startsWith('..')));
}
