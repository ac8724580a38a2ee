/**
 * A child that cannot outlive the CLI's decision to stop. It runs in its own process
 * group (detached), so that everything it starts — vitest's workers, an embedded
 * postmaster and its backends — can be signalled at once, and so that a Ctrl-C in the
 * terminal reaches only the CLI, which then decides. On SIGINT or SIGTERM the CLI sends
 * SIGINT to the group (vitest exits, workers end, a postmaster does a fast shutdown:
 * it ends its sessions and exits), waits `graceMs`, then SIGKILLs whatever is left.
 *
 * If the CLI itself is SIGKILLed, the child notices (its run descriptor names the CLI, see
 * harness/vitest/parent-watch.ts) and stops its group itself.
 *
 * The child gets a private TMPDIR (private-temp-dir.ts), removed once its group is gone.
 *
 * Once the CLI stops the child, the child's stderr is no longer shown: whatever the group
 * prints while it is being stopped is a consequence of the stop (vitest's "Worker exited
 * unexpectedly" when a worker dies of the SIGINT before vitest's own handler exits, a
 * server's "terminating connection"), and the CLI's one line is the last word. An
 * inherited stderr is therefore piped through the CLI; callers that read the child's
 * streams themselves ask `stopped()` (see onSpawn). stdout, inherited for vitest's
 * reporter, is not filtered.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { runEnvironment, type RunDescriptor } from '../run-descriptor.ts';
import { createPrivateTempDir } from './private-temp-dir.ts';
import { SIGNAL_EXIT_CODES } from './shutdown.ts';

export interface ChildOutcome {
  /** The child's exit code (signals as 128 + n). */
  code: number;
  /** Set when the CLI received SIGINT/SIGTERM and stopped the child. */
  interrupted?: keyof typeof SIGNAL_EXIT_CODES;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // the group is gone
  }
}

/** Stop a process group: SIGINT, then SIGKILL after `graceMs`. Resolves when the group is empty. */
export async function stopGroup(pgid: number, graceMs = 10_000): Promise<void> {
  signalGroup(pgid, 'SIGINT');
  const deadline = Date.now() + graceMs;
  while (groupAlive(pgid) && Date.now() < deadline) await sleep(50);
  if (groupAlive(pgid)) signalGroup(pgid, 'SIGKILL');
  for (let i = 0; i < 100 && groupAlive(pgid); i++) await sleep(50);
}

/**
 * The child's piped output, read to its end: 'exit' can come before the last lines, which
 * must be shown before anything the CLI prints next. Bounded: a process outside the group
 * (a daemon a benchmark started with setsid) may hold the pipe open; it is then closed.
 */
async function drained(child: ChildProcess, maxMs = 1_000): Promise<void> {
  const streams = [child.stdout, child.stderr].filter((s): s is NonNullable<typeof s> => s !== null && !s.readableEnded);
  await Promise.race([Promise.all(streams.map((s) => new Promise((r) => s.once('close', r)))), sleep(maxMs)]);
  for (const s of streams) s.destroy();
}

/** Run `file args` as a supervised process group; resolves when the child and its group are gone. */
export function runSupervised(
  file: string,
  args: string[],
  options: SpawnOptions & {
    graceMs?: number;
    onSpawn?: (child: ChildProcess, stopped: () => boolean) => void;
    /** The run the child carries out: handed to it as its run descriptor, with this process as its parent. */
    run?: RunDescriptor;
  },
): Promise<ChildOutcome> {
  const { onSpawn, run, ...spawnOptions } = options;
  const temp = createPrivateTempDir();
  const descriptor = run ? runEnvironment({ ...run, parentPid: process.pid, systemTmpDir: temp.systemTmpDir }) : {};
  const stdio = Array.isArray(spawnOptions.stdio) ? [...spawnOptions.stdio] : undefined;
  const forwardStderr = stdio?.[2] === 'inherit';
  if (forwardStderr) stdio![2] = 'pipe';
  const child = spawn(file, args, { ...spawnOptions, ...(stdio ? { stdio } : {}), detached: true, env: { ...(options.env ?? process.env), ...temp.env, ...descriptor } });
  let interrupted: ChildOutcome['interrupted'];
  const stopped = () => interrupted !== undefined;
  if (forwardStderr) child.stderr!.on('data', (chunk: Buffer) => stopped() || process.stderr.write(chunk));
  onSpawn?.(child, stopped);
  const pgid = child.pid!;
  let stopping: Promise<void> | undefined;
  const onSignal = (signal: 'SIGINT' | 'SIGTERM') => {
    if (interrupted) {
      signalGroup(pgid, 'SIGKILL'); // a second signal: no more waiting
      return;
    }
    interrupted = signal;
    process.stderr.write(`schemabench: ${signal}, stopping the run and removing what it started\n`);
    stopping = stopGroup(pgid, options.graceMs);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      void (async () => {
        await stopping;
        // Workers or a server the child left in its group: nothing of the run may outlive it.
        if (groupAlive(pgid)) await stopGroup(pgid, 2_000);
        await drained(child);
        temp.remove();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        const n = code ?? 128 + (signal === 'SIGKILL' ? 9 : signal === 'SIGTERM' ? 15 : 2);
        resolve(interrupted ? { code: n, interrupted } : { code: n });
      })();
    });
  });
}
