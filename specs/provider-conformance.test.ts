/**
 * Every provider honours the same handle contract: start, connect, PostgreSQL 17,
 * benchmark profile applied, password required, snapshot/restore, stop, and nothing
 * left running. testcontainers runs where a Docker engine answers; in CI
 * (SCHEMABENCH_EXPECT_DOCKER=1) a missing engine is a failure, not a skip.
 */
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../harness/config.ts';
import { dockerEngineAnswers } from '../harness/postgres/docker-environment.ts';
import type { PgServer } from '../harness/postgres/pg-server.ts';
import { startEmbedded } from '../harness/postgres/embedded-provider.ts';
import { startTestcontainers } from '../harness/postgres/testcontainers-provider.ts';
import { startUrl } from '../harness/postgres/url-provider.ts';
import { DatabaseAdmin } from '../harness/postgres/database-admin.ts';
import { CLUSTER_DIR_PREFIX, runningPostmaster } from '../harness/postgres/cluster-reaper.ts';
import { neededTool } from './helpers/needed-tool.ts';

async function query<T extends pg.QueryResultRow>(uri: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: uri });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

const expectDocker = process.env.SCHEMABENCH_EXPECT_DOCKER === '1';
// Where Docker is expected (CI), a minute: beside busy neighbours the engine's answer can take
// more than the 5 s default, and that is not a missing engine.
const docker = await dockerEngineAnswers(expectDocker ? 60_000 : undefined);
const dockerTool = neededTool('SCHEMABENCH_EXPECT_DOCKER', 'testcontainers conformance', docker.ok ? undefined : docker.reason);

interface ProviderCase {
  name: string;
  available: boolean;
  start(): Promise<PgServer>;
  /** Everything the handle left behind after stop(), as a list (empty = clean). */
  leftovers(server: PgServer): Promise<string[]>;
  /** Server-level settings are applied (not possible on `url`). */
  profiled: boolean;
}

// A private root: other spec files start and stop clusters in the system's temp folder meanwhile.
const embeddedRoot = mkdtempSync(join(tmpdir(), 'schemabench-conformance-'));
chmodSync(embeddedRoot, 0o755);
afterAll(() => rmSync(embeddedRoot, { recursive: true, force: true }));
const PROVIDERS: ProviderCase[] = [
  {
    name: 'embedded',
    available: true,
    start: () => startEmbedded({ root: embeddedRoot }),
    profiled: true,
    async leftovers() {
      const dirs = readdirSync(embeddedRoot).filter((d) => d.startsWith(CLUSTER_DIR_PREFIX));
      return dirs.filter((d) => existsSync(join(embeddedRoot, d)) || runningPostmaster(join(embeddedRoot, d, 'data')));
    },
  },
  {
    name: 'testcontainers',
    available: dockerTool.runs,
    start: () => startTestcontainers({ image: resolveConfig().image }),
    profiled: true,
    async leftovers() {
      const { getContainerRuntimeClient } = await import('testcontainers');
      const client = await getContainerRuntimeClient();
      const mine = (await client.container.list()).filter((c) => c.Labels?.['dev.schemabench.pid'] === String(process.pid));
      return mine.map((c) => `container ${c.Id.slice(0, 12)} (${c.State})`);
    },
  },
];

describe.each(PROVIDERS)('provider $name', (provider) => {
  it.runIf(provider.available)('starts PostgreSQL 17 with the profile, snapshots, restores and stops cleanly', async () => {
    if (provider.name === 'testcontainers') dockerTool.assertPresent();
    const server = await provider.start();
    let stopped = false;
    try {
      const [info] = await query<{ version: string; shared_buffers: string; jit: string; encoding: string }>(
        server.connectionUri,
        "SELECT current_setting('server_version_num') AS version, current_setting('shared_buffers') AS shared_buffers, current_setting('jit') AS jit, current_setting('server_encoding') AS encoding",
      );
      expect(Number(info!.version)).toBeGreaterThanOrEqual(170000);
      expect(Number(info!.version)).toBeLessThan(180000);
      expect(info!.encoding).toBe('UTF8');
      if (provider.profiled) expect([info!.shared_buffers, info!.jit]).toEqual(['512MB', 'off']);

      // A wrong password is refused: no trust authentication over TCP.
      const wrong = new URL(server.connectionUri);
      wrong.password = 'not-the-password';
      await expect(query(wrong.toString(), 'SELECT 1')).rejects.toThrow(/password authentication failed/);

      // Snapshot, change, restore: the change is gone.
      await query(server.connectionUri, 'CREATE TABLE kept (id int); INSERT INTO kept VALUES (1)');
      await server.snapshot();
      await query(server.connectionUri, 'DROP TABLE kept; CREATE TABLE added (id int)');
      await server.restoreSnapshot();
      const tables = await query<{ relname: string }>(server.connectionUri, "SELECT relname FROM pg_class WHERE relname IN ('kept', 'added')");
      expect(tables.map((t) => t.relname)).toEqual(['kept']);

      await server.stop();
      stopped = true;
      expect(await provider.leftovers(server)).toEqual([]);
    } finally {
      if (!stopped) await server.stop();
    }
  });
});

describe('provider url', () => {
  it('creates and drops only its own prefixed databases on an existing server', async () => {
    const host = await startEmbedded();
    try {
      // A database the url provider must never touch.
      await query(host.adminUri, 'CREATE DATABASE app_production');
      const server = await startUrl(host.adminUri);
      expect(server.provider).toBe('url');
      const main = new URL(server.connectionUri).pathname.slice(1);
      expect(main.startsWith('schemabench_')).toBe(true);
      await query(server.connectionUri, 'CREATE TABLE t (id int)');
      await server.snapshot();
      await server.restoreSnapshot();
      expect(await query(server.connectionUri, 'SELECT * FROM t')).toEqual([]);
      await expect(new DatabaseAdmin(host.adminUri, 'schemabench_').drop('app_production')).rejects.toThrow(/refusing/);
      await server.stop();
      const left = await query<{ datname: string }>(host.adminUri, "SELECT datname FROM pg_database WHERE datname NOT IN ('template0', 'template1', 'postgres') ORDER BY 1");
      expect(left.map((d) => d.datname)).toEqual(['app_production', 'schemabench_main']);

      // A dataset built on the url server stays there as a cache until `schemabench cache clear`.
      const { ensureDataset } = await import('../harness/fixtures/dataset-cache.ts');
      const receiptsWorkload = await (await import('../harness/workloads/load-workload.ts')).loadWorkload('receipts');
      const kept = await startUrl(host.adminUri);
      const dataset = await ensureDataset(kept, { workload: receiptsWorkload, scale: 0.01, seed: 1 });
      await kept.stop();
      const { runCli } = await import('./helpers/run-tsx.ts');
      const env = { ...process.env, DATABASE_URL: host.adminUri };
      const listed = await runCli(['cache', 'list'], env);
      expect(listed.stdout).toContain(`cached ${dataset.template}`);
      const cleared = await runCli(['cache', 'clear'], env);
      expect(cleared.code, cleared.stderr).toBe(0);
      expect(cleared.stdout).toMatch(/1 dataset template\(s\) and 0 orphan\(s\) dropped from 127\.0\.0\.1:\d+\/postgres/);
      const after = await query<{ datname: string }>(host.adminUri, "SELECT datname FROM pg_database WHERE datname NOT IN ('template0', 'template1', 'postgres') ORDER BY 1");
      expect(after.map((d) => d.datname)).toEqual(['app_production', 'schemabench_main']);
    } finally {
      await host.stop();
    }
  });
});
