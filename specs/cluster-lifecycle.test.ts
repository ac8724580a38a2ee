/**
 * After a run is killed (SIGKILL: no handler runs), nothing of ours keeps running:
 * the watchdog stops the orphaned postmaster and removes its directory; without a
 * watchdog, the reaper of the next start does it, and touches nothing it does not own.
 */
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAlive, reapOrphanClusters } from '../harness/postgres/cluster-reaper.ts';
import { startEmbedded } from '../harness/postgres/embedded-provider.ts';
import { firstJsonLine, spawnTsx } from './helpers/run-tsx.ts';

interface Started {
  dataDir: string;
  postmasterPid: number;
}

const HELPER = 'specs/helpers/start-embedded-and-wait.ts';

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return condition();
}

/** Start the helper, SIGKILL its node process, return what it had started. */
async function startAndKill(args: string[]): Promise<Started> {
  const child = spawnTsx(HELPER, args);
  const started = await firstJsonLine<Started>(child);
  child.kill('SIGKILL');
  return started;
}

describe('embedded cluster lifecycle', () => {
  it('the watchdog stops the server and removes its directory when the owner is SIGKILLed', async () => {
    const { dataDir, postmasterPid } = await startAndKill(['with-watchdog']);
    expect(await until(() => !isAlive(postmasterPid) && !existsSync(dirname(dataDir)), 15_000)).toBe(true);
  });

  it('without a watchdog, the next start reaps the orphan and only the orphan', async () => {
    // A private root: reapers of servers started by other spec files (which scan the
    // OS temp directory) must not reap this orphan before the assertions do.
    const root = mkdtempSync(join(tmpdir(), 'schemabench-reaper-spec-'));
    chmodSync(root, 0o755);
    let live: Awaited<ReturnType<typeof startEmbedded>> | undefined;
    try {
      live = await startEmbedded({ root });
      const { dataDir, postmasterPid } = await startAndKill(['no-watchdog', root]);
      // The orphaned postmaster keeps serving after its owner died.
      await new Promise((r) => setTimeout(r, 500));
      expect(isAlive(postmasterPid)).toBe(true);
      const reaped = await reapOrphanClusters(root);
      expect(reaped).toContain(dirname(dataDir));
      expect(isAlive(postmasterPid)).toBe(false);
      expect(existsSync(dirname(dataDir))).toBe(false);
      // This process's own live cluster was left alone.
      const pg = (await import('pg')).default;
      const client = new pg.Client({ connectionString: live.connectionUri });
      await client.connect();
      expect((await client.query('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
      await client.end();
    } finally {
      await live?.stop();
      await reapOrphanClusters(root);
      rmSync(root, { recursive: true, force: true });
    }
  });
});
