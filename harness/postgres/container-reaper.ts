/**
 * Removes containers left by a run of ours that died before stopping them (Ryuk, the
 * usual testcontainers reaper, is disabled where no registry can serve its image).
 * Only containers labelled by this harness, on this host, whose owning process is
 * gone are removed.
 */
import { hostname } from 'node:os';
import { isAlive } from './cluster-reaper.ts';

export const OWNER_LABELS = {
  project: 'dev.schemabench.project',
  host: 'dev.schemabench.host',
  pid: 'dev.schemabench.pid',
} as const;

export function ownerLabels(): Record<string, string> {
  return { [OWNER_LABELS.project]: 'schemabench', [OWNER_LABELS.host]: hostname(), [OWNER_LABELS.pid]: String(process.pid) };
}

/** Remove our containers of this host whose labels `match`; returns their ids. */
async function removeContainers(match: (pid: number) => boolean): Promise<string[]> {
  const { getContainerRuntimeClient } = await import('testcontainers');
  const client = await getContainerRuntimeClient();
  const containers = await client.container.list();
  const removed: string[] = [];
  for (const info of containers) {
    const labels = info.Labels ?? {};
    if (labels[OWNER_LABELS.project] !== 'schemabench' || labels[OWNER_LABELS.host] !== hostname()) continue;
    if (!match(Number(labels[OWNER_LABELS.pid]))) continue;
    await client.container.dockerode.getContainer(info.Id).remove({ force: true, v: true });
    removed.push(info.Id);
  }
  return removed;
}

/** Containers whose owning process is gone. */
export function reapOrphanContainers(): Promise<string[]> {
  return removeContainers((pid) => !(Number.isInteger(pid) && isAlive(pid)));
}

/** This process's containers, also one still starting (testcontainers' start() has not returned its handle yet). */
export function removeOwnContainers(): Promise<string[]> {
  return removeContainers((pid) => pid === process.pid);
}
