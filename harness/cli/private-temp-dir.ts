/**
 * A private temp directory for one supervised child (TMPDIR). vitest writes its
 * transformed modules under `os.tmpdir()/<random id>` and removes them only when it
 * closes normally; a child stopped by Ctrl-C or killed leaves them behind. With its own
 * TMPDIR, whatever the child leaves is removed with it. The directory is named after the
 * CLI's PID (`schemabench-tmp-<pid>-*`): one whose CLI died (SIGKILL) is reaped by the
 * next start. The CLI keeps other files of its own there too (compare's turn socket).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isAlive } from '../process-owner.ts';
import { handedRun } from '../run-descriptor.ts';
import { systemTempDir } from '../system-temp-dir.ts';

const PREFIX = 'schemabench-tmp-';

export interface PrivateTempDir {
  path: string;
  /** TMPDIR for the child. */
  env: NodeJS.ProcessEnv;
  /** The machine's temp directory, for the child's run descriptor. */
  systemTmpDir: string;
  remove(): void;
}

/**
 * Remove the private temp directories of CLIs that are gone. Returns the ones removed. Also
 * the turn sockets earlier compares made beside them (schemabench-turns-<pid>-*.sock): compare
 * now makes its socket inside a private temp directory.
 */
export function reapPrivateTempDirs(root = systemTempDir()): string[] {
  return reapFoldersOfGoneProcesses(root, [PREFIX, 'schemabench-turns-']);
}

/** Remove what `root` holds under a name `<prefix><pid>-...` whose process is gone. Returns the names removed. */
export function reapFoldersOfGoneProcesses(root: string, prefixes: string[]): string[] {
  const reaped: string[] = [];
  for (const name of readdirSync(root)) {
    const prefix = prefixes.find((p) => name.startsWith(p));
    const pid = prefix ? Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]) : 0;
    if (!pid || isAlive(pid)) continue;
    rmSync(join(root, name), { recursive: true, force: true });
    reaped.push(name);
  }
  return reaped;
}

export function createPrivateTempDir(): PrivateTempDir {
  const root = systemTempDir();
  reapPrivateTempDirs(root);
  const path = mkdtempSync(join(root, `${PREFIX}${process.pid}-`));
  return {
    path,
    env: { TMPDIR: path },
    systemTmpDir: root,
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}

/** In a supervised child whose CLI is gone (parent-watch.ts): remove its own private TMPDIR. */
export function removeOwnPrivateTempDir(): void {
  const dir = process.env.TMPDIR;
  const parent = handedRun()?.parentPid;
  if (dir && parent && basename(dir).startsWith(`${PREFIX}${parent}-`)) rmSync(dir, { recursive: true, force: true });
}
