/**
 * For a vitest started by `schemabench run` (the run descriptor's parentPid): if the CLI dies
 * without stopping it (SIGKILL), this process is re-parented; then it stops what it
 * started and ends its process group (the CLI started it as a group leader: its workers
 * and an embedded postmaster are in that group), instead of benchmarking for nobody.
 * Its private TMPDIR goes too (the next CLI start would reap it otherwise).
 */
import { readFileSync } from 'node:fs';
import { removeOwnPrivateTempDir } from '../cli/private-temp-dir.ts';
import { handedRun } from '../run-descriptor.ts';

function processGroup(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  } catch {
    return undefined;
  }
}

/** Calls `stop` once the CLI that started this run is gone, then ends this process group. Returns the unwatch. */
export function watchParent(stop: () => Promise<void>, intervalMs = 500): () => void {
  const parent = handedRun()?.parentPid;
  if (parent === undefined || process.ppid !== parent) return () => undefined;
  // The CLI reads this process's stderr, and its stdout unless that is a terminal, through pipes
  // (supervised-child.ts). Once the CLI is SIGKILLed, every write to them fails with EPIPE;
  // unhandled, that error would end this process before it has stopped its server and removed
  // its temp dir. Nobody is reading: drop it.
  process.stderr.on('error', () => undefined);
  process.stdout.on('error', () => undefined);
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    process.stderr.write('schemabench: the schemabench run that started this vitest is gone; stopping\n');
    void stop()
      .catch(() => undefined)
      .finally(() => {
        removeOwnPrivateTempDir();
        if (processGroup() === process.pid) process.kill(-process.pid, 'SIGKILL');
        process.exit(137);
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
