/**
 * How the CLI ends before its work is done, one mechanism for every command and every
 * moment. Whatever starts something that must not outlive the CLI (a server, a cluster
 * folder, a process group, a database, a worktree) registers its cleanup here at the
 * moment it starts it (onShutdown), not once it is ready. When the CLI must stop — Ctrl-C
 * or SIGTERM (handleSignals), or an environment failure such as a lost server (stopNow) —
 * it prints one line, runs the cleanups, last registered first (a supervised process group
 * goes before the server it used, the server before the worktree it ran from), and exits
 * with the ending's code: 130 after SIGINT, 143 after SIGTERM. A second signal while
 * cleaning up exits at once; the watchdog and the reapers of the next start take care of
 * what is left.
 *
 * Only the CLI listens for signals (handleSignals). In the processes it supervises (vitest
 * and its workers, stopped as a process group) registrations are inert.
 *
 * While stopping, the work still in flight fails in expected ways: PostgreSQL ends the
 * sessions of a server shutting down or of a database dropped WITH (FORCE) with SQLSTATE
 * 57P01 ("terminating connection due to administrator command"), and a pg client
 * without an error listener rethrows that as an uncaught exception. Those errors are
 * consequences of the stop itself and are not reported.
 */
export const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

export interface Ending {
  /** The line printed (after `schemabench: `). */
  line: string;
  /** The exit code. */
  code: number;
}

const cleanups: (() => Promise<void> | void)[] = [];
let ending: Ending | undefined;
let signalsHandled = false;

/** Register a cleanup to run if the CLI stops early; returns a function that unregisters it. */
export function onShutdown(cleanup: () => Promise<void> | void): () => void {
  cleanups.push(cleanup);
  return () => {
    const i = cleanups.lastIndexOf(cleanup);
    if (i >= 0) cleanups.splice(i, 1);
  };
}

/** The ending under way, when the CLI is stopping early. */
export function stopping(): Ending | undefined {
  return ending;
}

/**
 * Stop now: print `schemabench: <line>` once, run every registered cleanup (last
 * registered first), exit with `code`. Called again while stopping, it changes nothing.
 * A cleanup that fails is reported on a line of its own unless told otherwise.
 */
export function stopNow(line: string, code: number, options: { reportCleanupFailures?: boolean } = {}): void {
  if (ending) return;
  ending = { line, code };
  const ignore = () => undefined;
  process.on('uncaughtException', ignore);
  process.on('unhandledRejection', ignore);
  process.stderr.write(`schemabench: ${line}\n`);
  void (async () => {
    // Popped one by one: something started while stopping registers late and still goes.
    for (let cleanup = cleanups.pop(); cleanup; cleanup = cleanups.pop()) {
      try {
        await cleanup();
      } catch (error) {
        // After a lost server, cleanups that need it fail: the next start's reapers drop what it held.
        if (options.reportCleanupFailures !== false) process.stderr.write(`schemabench: cleanup failed: ${(error as Error)?.message ?? error}\n`);
      }
    }
    process.exit(code);
  })();
}

/** Ctrl-C and SIGTERM stop the CLI (stopNow); a second one exits at once. Installed once, by the CLI. */
export function handleSignals(): void {
  if (signalsHandled) return;
  signalsHandled = true;
  const handler = (signal: keyof typeof SIGNAL_EXIT_CODES) => {
    if (ending) process.exit(SIGNAL_EXIT_CODES[signal]);
    stopNow(`${signal}, stopping and removing what this run started`, SIGNAL_EXIT_CODES[signal]);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
