/**
 * A child that cannot outlive the CLI's decision to stop. It runs in its own process
 * group (detached), so that everything it starts — vitest's workers, an embedded
 * postmaster and its backends — can be signalled at once, and so that a Ctrl-C in the
 * terminal reaches only the CLI, which then decides. The group's stop is registered with
 * the CLI's shutdown (harness/shutdown.ts) the moment the child is spawned: when the CLI
 * stops (SIGINT, SIGTERM, a lost server) it sends SIGINT to the group (vitest exits,
 * workers end, a postmaster does a fast shutdown: it ends its sessions and exits), waits
 * `graceMs`, then SIGKILLs whatever is left. The CLI's one line says why; the child adds none.
 *
 * If the CLI itself is SIGKILLed, the child notices (its run descriptor names the CLI, see
 * harness/vitest/parent-watch.ts) and stops its group itself.
 *
 * The child gets a private TMPDIR (private-temp-dir.ts), removed once its group is gone.
 *
 * Once the CLI is stopping, the child's stderr is no longer shown: whatever the group
 * prints while it is being stopped is a consequence of the stop (vitest's "Worker exited
 * unexpectedly" when a worker dies of the SIGINT before vitest's own handler exits, a
 * server's "terminating connection"), and the CLI's one line is the last word. An
 * inherited stderr is therefore piped through the CLI; callers that read the child's
 * streams themselves ask `stopped()` (see onSpawn). An inherited stdout is piped the same way
 * unless it is a terminal (vitest's reporter draws differently on one, so a terminal stays the child's).
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { runEnvironment, type RunDescriptor } from '../run-descriptor.ts';
import { onShutdown, stopping } from '../shutdown.ts';
import { createPrivateTempDir } from './private-temp-dir.ts';

export interface ChildOutcome {
  /** The child's exit code (signals as 128 + n). */
  code: number;
  /** Set when the CLI is stopping early (a signal, a lost server) and stopped the child: the CLI's exit code. */
  interrupted?: number;
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
  // Not a terminal: the child sees the same pipe or file through the CLI, which can silence it once stopping.
  const forwardStdout = stdio?.[1] === 'inherit' && !process.stdout.isTTY;
  if (forwardStdout) stdio![1] = 'pipe';
  const child = spawn(file, args, { ...spawnOptions, ...(stdio ? { stdio } : {}), detached: true, env: { ...(options.env ?? process.env), ...temp.env, ...descriptor } });
  const stopped = () => stopping() !== undefined;
  if (forwardStderr) child.stderr!.on('data', (chunk: Buffer) => stopped() || process.stderr.write(chunk));
  if (forwardStdout) child.stdout!.on('data', (chunk: Buffer) => stopped() || process.stdout.write(chunk));
  onSpawn?.(child, stopped);
  const pgid = child.pid!;
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('exit', (code, signal) => resolve([code, signal])));
  let stopRequested: Promise<void> | undefined;
  const ended = (async () => {
    const [code, signal] = await exited;
    await stopRequested;
    // Workers or a server the child left in its group: nothing of the run may outlive it.
    if (groupAlive(pgid)) await stopGroup(pgid, 2_000);
    await drained(child);
    temp.remove();
    return code ?? 128 + (signal === 'SIGKILL' ? 9 : signal === 'SIGTERM' ? 15 : 2);
  })();
  // From the moment it exists the group is the CLI's to stop, should the CLI stop early.
  const forget = onShutdown(async () => {
    stopRequested = stopGroup(pgid, options.graceMs);
    await ended;
  });
  return ended.then((code) => {
    forget();
    const ending = stopping();
    return ending ? { code, interrupted: ending.code } : { code };
  });
}
