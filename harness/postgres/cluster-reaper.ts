/**
 * Finds embedded clusters left by a run that died (SIGKILL, crash) and stops them.
 * Ownership is checked twice before any signal: the directory carries our marker
 * file naming the owning process, that process is gone, and the running postmaster's
 * command line names that very data directory. Nothing else is ever killed.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive } from '../process-owner.ts';
import { systemTempDir } from '../system-temp-dir.ts';

export const CLUSTER_DIR_PREFIX = 'schemabench-pg-';
export const OWNER_FILE = 'schemabench-owner.json';

export interface ClusterOwner {
  pid: number;
  startedAt: string;
}

export { isAlive };

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** PID of the postmaster serving `dataDir`, when one still runs for it. */
export function runningPostmaster(dataDir: string): number | undefined {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  return cmdline(pid).includes(dataDir) ? pid : undefined;
}

function ownerOf(dir: string): ClusterOwner | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, OWNER_FILE), 'utf8')) as ClusterOwner;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Stop a postmaster: fast shutdown (SIGINT), then SIGKILL after `graceMs`. */
export async function stopPostmaster(pid: number, graceMs = 10_000): Promise<void> {
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return;
  }
  for (let waited = 0; waited < graceMs && isAlive(pid); waited += 50) await sleep(50);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

/** Reap clusters under `root` whose owning process is gone. Returns the directories removed. */
export async function reapOrphanClusters(root = systemTempDir()): Promise<string[]> {
  const reaped: string[] = [];
  for (const name of readdirSync(root)) {
    if (!name.startsWith(CLUSTER_DIR_PREFIX)) continue;
    const dir = join(root, name);
    const owner = ownerOf(dir);
    if (owner && isAlive(owner.pid) && cmdline(owner.pid) !== '') continue;
    // A directory without its marker may be one being created this instant.
    if (!owner && Date.now() - statSync(dir).mtimeMs < 60_000) continue;
    const postmaster = runningPostmaster(join(dir, 'data'));
    if (postmaster) await stopPostmaster(postmaster);
    rmSync(dir, { recursive: true, force: true });
    reaped.push(dir);
  }
  return reaped;
}
