/** What a run may leave behind: embedded cluster directories and their postmasters, our containers. */
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { CLUSTER_DIR_PREFIX } from '../../harness/postgres/cluster-reaper.ts';

export function clusterDirs(): Set<string> {
  return new Set(readdirSync(tmpdir()).filter((n) => n.startsWith(CLUSTER_DIR_PREFIX)));
}

/** Directories present now that were not in `before`. */
export function newClusterDirs(before: Set<string>): string[] {
  return [...clusterDirs()].filter((d) => !before.has(d));
}
