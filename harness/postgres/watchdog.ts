/**
 * A detached shell that outlives this process: when this process is gone (normal
 * exit without stop(), crash, SIGKILL), it stops the postmaster (SIGINT = fast
 * shutdown, SIGKILL after 5 s) and removes the cluster directory. stop() kills it.
 */
import { spawn } from 'node:child_process';

const SCRIPT = `
owner=$1; pg=$2; dir=$3
while kill -0 "$owner" 2>/dev/null; do sleep 0.5; done
kill -INT "$pg" 2>/dev/null
i=0
while kill -0 "$pg" 2>/dev/null && [ "$i" -lt 50 ]; do sleep 0.1; i=$((i+1)); done
kill -KILL "$pg" 2>/dev/null
case "$dir" in */schemabench-pg-*) rm -rf "$dir" ;; esac
`;

export function startWatchdog(postmasterPid: number, clusterDir: string): { kill(): void } {
  const child = spawn('sh', ['-c', SCRIPT, 'schemabench-watchdog', String(process.pid), String(postmasterPid), clusterDir], {
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
  return {
    kill: () => {
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    },
  };
}
