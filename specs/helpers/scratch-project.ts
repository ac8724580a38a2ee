/**
 * A scratch git repository made of this project's own files as they are now (tracked
 * and new, ignored ones left out), committed once, sharing node_modules: the base a
 * `schemabench compare` proof changes and compares against. Removed by `remove()`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { PACKAGE_ROOT } from '../../harness/package-root.ts';

export interface ScratchProject {
  dir: string;
  /** Replace `from` by `to` in a file of the project; throws when `from` is not there. */
  edit(file: string, from: string | RegExp, to: string): void;
  write(file: string, text: string): void;
  /** Commit everything; returns the commit. */
  commit(message: string): string;
  /** `schemabench ARGS` in the project: exit code and output. */
  cli(args: string[], env?: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }>;
  remove(): void;
}

const git = (dir: string, args: string[]) => execFileSync('git', ['-c', 'user.name=schemabench', '-c', 'user.email=schemabench@localhost', ...args], { cwd: dir, encoding: 'utf8' }).trim();

/** This project's files (tracked and new, not ignored; node_modules linked) in `dir`, committed once. */
function fill(dir: string): void {
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: PACKAGE_ROOT, encoding: 'utf8' }).split('\0').filter((f) => f && existsSync(join(PACKAGE_ROOT, f)));
  for (const f of files) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    cpSync(join(PACKAGE_ROOT, f), join(dir, f));
  }
  symlinkSync(join(PACKAGE_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  git(dir, ['init', '-q', '-b', 'main']);
  writeFileSync(join(dir, '.git', 'info', 'exclude'), 'node_modules\n');
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-qm', 'base']);
}

/** The worktrees compare made of the repository in `dir` (git worktree list; named schemabench-compare-PID-..., git-worktree.ts). */
function compareWorktrees(dir: string): string[] {
  try {
    const listed = git(dir, ['worktree', 'list', '--porcelain']).split('\n').filter((l) => l.startsWith('worktree ')).map((l) => l.slice('worktree '.length));
    return listed.filter((tree) => /^schemabench-compare-\d+-/.test(basename(tree)) && existsSync(tree));
  } catch {
    return [];
  }
}

export function scratchProject(): ScratchProject {
  const dir = mkdtempSync(join(tmpdir(), 'schemabench-scratch-'));
  try {
    fill(dir);
  } catch (error) {
    // Nobody gets the folder to remove: it goes now (the link first, as remove() does).
    rmSync(join(dir, 'node_modules'), { force: true });
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    dir,
    edit(file, from, to) {
      const path = join(dir, file);
      const text = readFileSync(path, 'utf8');
      const next = text.replace(from, to);
      if (next === text) throw new Error(`scratch edit: ${String(from)} not found in ${file}`);
      writeFileSync(path, next);
    },
    write(file, text) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    },
    commit(message) {
      git(dir, ['add', '-A']);
      git(dir, ['commit', '-qm', message]);
      return git(dir, ['rev-parse', 'HEAD']);
    },
    cli(args, env = process.env) {
      return new Promise((resolve) => {
        const child = spawn(process.execPath, [join(dir, 'bin', 'schemabench.mjs'), ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    },
    remove() {
      // A compare killed mid-run leaves its worktree of base (the next compare in this repository
      // would reap it; none comes once the repository is gone): removed with the repository.
      for (const tree of compareWorktrees(dir)) rmSync(tree, { recursive: true, force: true });
      rmSync(join(dir, 'node_modules'), { force: true });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
