/**
 * The base side of a comparison, checked out where the project's own checkout is not
 * disturbed: a detached `git worktree` in the temporary folder, named after the process
 * that made it (schemabench-compare-<pid>-<random>), removed after success, failure or a
 * signal. One left by a process that is gone (SIGKILL) is removed by the next compare.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { UsageError } from '../errors.ts';
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
 * node_modules when package-lock.json is the same on both sides (a symlink), otherwise
 * `npm ci` there (reported through `log`).
 */
export function addWorktree(top: string, projectDir: string, commit: string, log: (line: string) => void): Worktree {
  const path = mkdtempSync(join(tmpdir(), `${PREFIX}${process.pid}-`));
  rmSync(path, { recursive: true, force: true });
  git(top, ['worktree', 'add', '--detach', '--quiet', path, commit]);
  let removed = false;
  const worktree: Worktree = {
    projectDir: join(path, relative(top, projectDir)),
    remove() {
      if (removed) return;
      removed = true;
      // The shared node_modules is a symlink: unlinked first, so nothing can follow it.
      const modules = join(worktree.projectDir, 'node_modules');
      if (isSymlink(modules)) unlinkSync(modules);
      try {
        git(top, ['worktree', 'remove', '--force', path]);
      } catch {
        rmSync(path, { recursive: true, force: true });
        git(top, ['worktree', 'prune']);
      }
    },
  };
  try {
    shareOrInstall(projectDir, worktree.projectDir, log);
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

function shareOrInstall(projectDir: string, sideDir: string, log: (line: string) => void): void {
  if (!existsSync(sideDir)) throw new UsageError(`the base commit has no ${relative(join(sideDir, '..'), sideDir) || 'project'} folder: nothing to compare`);
  const lock = (dir: string) => (existsSync(join(dir, 'package-lock.json')) ? readFileSync(join(dir, 'package-lock.json'), 'utf8') : undefined);
  const mine = lock(projectDir);
  if (mine !== undefined && mine === lock(sideDir) && existsSync(join(projectDir, 'node_modules'))) {
    const link = join(sideDir, 'node_modules');
    // A node_modules symlink committed by mistake is replaced (lstat: a dangling one too).
    if (isSymlink(link)) unlinkSync(link);
    symlinkSync(join(projectDir, 'node_modules'), link, 'dir');
    return;
  }
  log('schemabench: base has other dependencies (package-lock.json differs): npm ci in its worktree');
  try {
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: sideDir, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    throw new UsageError(`npm ci of the base commit failed: ${String((error as { stderr?: Buffer }).stderr ?? error).trim().split('\n').pop()}`);
  }
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
