/**
 * A bounded CPU hog beside a measuring run, as scripts/noise/under-load.sh makes one: one
 * busy shell loop per core but one (at least one), no I/O, no memory. Bounded three ways:
 * `stop()` kills each loop's process group; `timeout` ends it after `maxSeconds` whatever
 * happens; and each loop checks every few hundred thousand iterations (a fraction of a
 * second) that the process that started it is alive, so a SIGKILLed CLI leaves no hog
 * spinning until the timeout.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';

export interface CpuHog {
  pids: number[];
  stop(): Promise<void>;
}

/** The loop: spin, and end when the parent ($1) is gone. */
const LOOP = 'while kill -0 "$1" 2>/dev/null; do i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done; done';

/** Why this machine cannot run the hog (no coreutils `timeout` to bound it), or undefined when it can. */
export function hogUnavailable(): string | undefined {
  const probe = spawnSync('timeout', ['1', 'sh', '-c', 'exit 0'], { stdio: 'ignore' });
  return probe.status === 0 ? undefined : `the CPU hog needs coreutils' timeout and sh (${probe.error?.message ?? `exit ${probe.status}`})`;
}

export const hogProcesses = (cores = availableParallelism()) => Math.max(1, cores - 1);

export function startCpuHog(options: { processes?: number; maxSeconds: number }): CpuHog {
  const processes = options.processes ?? hogProcesses();
  const children: ChildProcess[] = [];
  for (let i = 0; i < processes; i++) {
    // detached: its own process group, so stop() reaches timeout and its shell at once.
    const child = spawn('timeout', [String(options.maxSeconds), 'sh', '-c', LOOP, 'schemabench-cpu-hog', String(process.pid)], { detached: true, stdio: 'ignore' });
    // A spawn that fails after hogUnavailable() said yes leaves one process fewer, never an uncaught 'error'.
    child.once('error', () => undefined);
    child.unref();
    if (child.pid) children.push(child);
  }
  const alive = (pid: number) => {
    try {
      process.kill(-pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  return {
    pids: children.map((c) => c.pid!),
    async stop() {
      for (const child of children) {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      for (let i = 0; i < 100 && children.some((c) => alive(c.pid!)); i++) await new Promise((r) => setTimeout(r, 20));
    },
  };
}
