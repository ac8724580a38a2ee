/**
 * Ctrl-C and SIGTERM for the CLI: run every registered cleanup (stop servers, drop
 * databases) before exiting, then exit 130 (SIGINT) or 143 (SIGTERM). A second
 * signal while cleaning up exits at once; the watchdog and the reaper of the next
 * start take care of what is left.
 */
const cleanups = new Set<() => Promise<void>>();
let installed = false;

export function onShutdown(cleanup: () => Promise<void>): () => void {
  install();
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

function install(): void {
  if (installed) return;
  installed = true;
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    const code = signal === 'SIGINT' ? 130 : 143;
    if (stopping) process.exit(code);
    stopping = true;
    process.stderr.write(`\nschemabench: ${signal}, cleaning up...\n`);
    void Promise.allSettled([...cleanups].map((c) => c())).then(() => process.exit(code));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
