/**
 * A schemabench CLI process under observation, for the lifecycle specs: its output as
 * it comes, every process it started (followed through /proc while it runs, so that
 * grandchildren re-parented after a kill are still known), and the embedded cluster
 * directories those processes own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLUSTER_DIR_PREFIX, OWNER_FILE } from '../../harness/postgres/cluster-reaper.ts';
import { isAlive } from '../../harness/process-owner.ts';
import { CLI } from './run-tsx.ts';
import { PACKAGE_ROOT } from '../../harness/package-root.ts';

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

export interface Observed {
  child: ChildProcess;
  /** Resolves with the PID of the first live descendant whose command line (a postgres backend's: its activity) matches. */
  waitForProcess(pattern: RegExp, timeoutMs?: number): Promise<number>;
  stdout(): string;
  stderr(): string;
  /** Resolves when `pattern` appears on stdout or stderr. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Every PID seen as a descendant (the CLI excluded). */
  descendants: Set<number>;
  /** Cluster directories owned by the CLI or a descendant. */
  clusters: Set<string>;
  /** Private temp directories of the CLI's supervised children (TMPDIR). */
  tempDirs: Set<string>;
}

/** `schemabench ARGS` in `cwd` (default this project; a scratch project runs its own copy of the CLI), observed. */
export function observeCli(args: string[], env: NodeJS.ProcessEnv = process.env, cwd = PACKAGE_ROOT): Observed {
  const cli = cwd === PACKAGE_ROOT ? CLI : join(cwd, 'bin', 'schemabench.mjs');
  const child = spawn(process.execPath, [cli, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const descendants = new Set<number>();
  const clusters = new Set<string>();
  const tempDirs = new Set<string>();
  const scan = () => {
    const family = new Set([child.pid!, ...descendants]);
    for (const name of readdirSync('/proc')) {
      const pid = Number(name);
      if (!Number.isInteger(pid) || family.has(pid)) continue;
      const parent = parentOf(pid);
      if (parent !== undefined && family.has(parent)) {
        descendants.add(pid);
        family.add(pid);
      }
    }
    for (const dir of readdirSync(tmpdir())) {
      // The private TMPDIR of a child the CLI supervises (harness/cli/private-temp-dir.ts).
      if (dir.startsWith(`schemabench-tmp-${child.pid}-`)) tempDirs.add(dir);
      if (!dir.startsWith(CLUSTER_DIR_PREFIX) || clusters.has(dir)) continue;
      try {
        const owner = JSON.parse(readFileSync(join(tmpdir(), dir, OWNER_FILE), 'utf8')) as { pid: number };
        if (family.has(owner.pid)) clusters.add(dir);
      } catch {
        // not yet written, or not ours
      }
    }
  };
  const timer = setInterval(scan, 100);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      scan();
      clearInterval(timer);
      resolve({ code, signal });
    }),
  );
  return {
    child,
    async waitForProcess(pattern, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        scan();
        const pid = [...descendants].find((p) => pattern.test(commandLine(p, 200)));
        if (pid !== undefined) return pid;
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no process matching ${pattern} appeared; stderr: ${err}`);
        await new Promise((r) => setTimeout(r, 15));
      }
    },
    stdout: () => out,
    stderr: () => err,
    async waitFor(pattern, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(out) && !pattern.test(err)) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${pattern} did not appear; stdout: ${out}\nstderr: ${err}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    exited,
    descendants,
    clusters,
    tempDirs,
  };
}

/** Waits until `condition` holds (true) or `timeoutMs` passes (false). */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return condition();
}

function commandLine(pid: number, length = 80): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').slice(0, length);
  } catch {
    return 'gone';
  }
}

/** What the observed run left: live processes it started, cluster directories still on disk. */
export function leftovers(run: Observed): string[] {
  return [
    ...[...run.descendants].filter((pid) => isAlive(pid) && parentOf(pid) !== undefined).map((pid) => `process ${pid} (${commandLine(pid)})`),
    ...[...run.clusters].filter((dir) => existsSync(join(tmpdir(), dir))).map((dir) => `cluster ${dir}`),
    ...[...run.tempDirs].filter((dir) => existsSync(join(tmpdir(), dir))).map((dir) => `temp dir ${dir}`),
  ];
}
