/**
 * Ctrl-C and SIGTERM for the CLI: print one line, run every registered cleanup (stop
 * servers and children, drop databases), then exit 130 (SIGINT) or 143 (SIGTERM). A
 * second signal while cleaning up exits at once; the watchdog and the reapers of the
 * next start take care of what is left.
 *
 * While stopping, the work still in flight fails in expected ways: PostgreSQL ends the
 * sessions of a server shutting down or of a database dropped WITH (FORCE) with SQLSTATE
 * 57P01 ("terminating connection due to administrator command"), and a pg client
 * without an error listener rethrows that as an uncaught exception. Those errors are
 * consequences of the stop itself and are not reported.
 */
const cleanups = new Set<() => Promise<void>>();
let installed = false;
let stopping: NodeJS.Signals | undefined;

export const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/** Register a cleanup for Ctrl-C/SIGTERM; returns a function that unregisters it. */
export function onShutdown(cleanup: () => Promise<void>): () => void {
  install();
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/** The signal being handled, when the CLI is stopping. */
export function shutdownSignal(): NodeJS.Signals | undefined {
  return stopping;
}

function install(): void {
  if (installed) return;
  installed = true;
  const handler = (signal: 'SIGINT' | 'SIGTERM') => {
    const code = SIGNAL_EXIT_CODES[signal];
    if (stopping) process.exit(code);
    stopping = signal;
    const ignore = () => undefined;
    process.on('uncaughtException', ignore);
    process.on('unhandledRejection', ignore);
    process.stderr.write(`schemabench: ${signal}, stopping and removing what this run started\n`);
    void Promise.allSettled([...cleanups].map((c) => c())).then((outcomes) => {
      for (const o of outcomes) if (o.status === 'rejected') process.stderr.write(`schemabench: cleanup failed: ${(o.reason as Error)?.message ?? o.reason}\n`);
      process.exit(code);
    });
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
