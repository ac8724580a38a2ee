/**
 * The url provider on a server schemabench did not start, as a role without superuser
 * (the shape of a managed server): fixtures, benchmarks at a small scale (the cold-cache
 * case skips with its reason), cache list/clear, one-line errors for a role without
 * CREATEDB, and databases that existed before are untouched, rows and all.
 *
 * The server comes from scripts/ci/managed-server.sh (Debian's PostgreSQL as a system
 * service, loopback, password auth), which .ci/run starts; it exports:
 *   SCHEMABENCH_MANAGED_URL            a LOGIN CREATEDB role, not superuser
 *   SCHEMABENCH_MANAGED_NOCREATEDB_URL a LOGIN role without CREATEDB
 *   SCHEMABENCH_MANAGED_WITNESS        databases that must stay untouched (comma-separated)
 * Without them the file is skipped, except in CI (SCHEMABENCH_EXPECT_MANAGED=1), where
 * that is a failure.
 *
 *   eval "$(bash scripts/ci/managed-server.sh start)"
 *   npx vitest run --project specs specs/managed-server.test.ts
 *   bash scripts/ci/managed-server.sh stop
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDatabase } from '../harness/postgres/database-admin.ts';
import { withConnection } from '../harness/postgres/with-connection.ts';
import type { ResultsFile } from '../harness/results/results-schema.ts';
import { runCli } from './helpers/run-tsx.ts';

const url = process.env.SCHEMABENCH_MANAGED_URL;
const noCreatedbUrl = process.env.SCHEMABENCH_MANAGED_NOCREATEDB_URL;
const witnesses = (process.env.SCHEMABENCH_MANAGED_WITNESS ?? '').split(',').filter(Boolean);
const expected = process.env.SCHEMABENCH_EXPECT_MANAGED === '1';
if (!url && !expected) console.warn('managed server: SCHEMABENCH_MANAGED_URL is not set (see scripts/ci/managed-server.sh); skipping');

if (expected && !url) {
  it('a managed server was expected (SCHEMABENCH_EXPECT_MANAGED=1)', () => {
    throw new Error('SCHEMABENCH_EXPECT_MANAGED=1 but SCHEMABENCH_MANAGED_URL is not set: did scripts/ci/managed-server.sh start run?');
  });
}

/** Every database's name, and per witness database a checksum of its rows and its tables. */
async function serverState(uri: string): Promise<{ others: string[]; witnesses: Record<string, string> }> {
  const others = await withConnection(uri, async (c) =>
    (await c.query<{ datname: string }>("SELECT datname FROM pg_database WHERE NOT starts_with(datname, 'schemabench_') ORDER BY 1")).rows.map((r) => r.datname),
  );
  const sums: Record<string, string> = {};
  for (const db of witnesses) {
    sums[db] = await withConnection(withDatabase(uri, db), async (c) => {
      const tables = (await c.query<{ t: string }>("SELECT string_agg(relname, ',' ORDER BY relname) AS t FROM pg_class WHERE relnamespace = 'public'::regnamespace")).rows[0]!.t;
      const rows = (await c.query<{ n: string; sum: string }>("SELECT count(*) AS n, md5(string_agg(o::text, ';' ORDER BY id)) AS sum FROM orders o")).rows[0]!;
      return `${tables} | ${rows.n} rows | ${rows.sum}`;
    });
  }
  return { others, witnesses: sums };
}

describe.runIf(Boolean(url))('url provider on a server we did not start, as a role without superuser', () => {
  const env = { ...process.env, DATABASE_URL: url, SCHEMABENCH_PROVIDER: 'url' };
  // Made in beforeAll: a skipped describe's body still runs (collection), its hooks do not.
  let out: string;
  let before: Awaited<ReturnType<typeof serverState>>;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'schemabench-managed-'));
    before = await serverState(url!);
    // Start from no cached dataset: `fixtures` then builds (and reports) it here.
    const cleared = await runCli(['cache', 'clear'], env);
    if (cleared.code !== 0) throw new Error(`cache clear failed: ${cleared.stderr}`);
  });
  afterAll(() => out && rmSync(out, { recursive: true, force: true }));

  it('is reached as a CREATEDB role that is not a superuser, over TCP with a password', async () => {
    const role = await withConnection(url!, async (c) =>
      (await c.query<{ super: boolean; createdb: boolean }>("SELECT rolsuper AS super, rolcreatedb AS createdb FROM pg_roles WHERE rolname = current_user")).rows[0]!,
    );
    expect(role).toEqual({ super: false, createdb: true });
    const wrong = new URL(url!);
    wrong.password = 'not-the-password';
    const client = new pg.Client({ connectionString: wrong.toString() });
    await expect(client.connect()).rejects.toThrow(/password authentication failed/);
    expect(witnesses.length).toBeGreaterThan(0);
    expect(Object.values(before.witnesses).every((w) => / 1000 rows /.test(w))).toBe(true);
  });

  it('builds and describes a dataset: schemabench fixtures', async () => {
    const result = await runCli(['fixtures', '--provider', 'url', '--scale', '0.01'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/DATABASE STATISTICS[\s\S]*receipts\s+1,000 records/);
  });

  it('runs benchmarks at a small scale; the cold-cache case skips with its reason', async () => {
    const result = await runCli(['run', '--provider', 'url', '--workload', 'receipts', '--scale', '0.1', '--filter', 'vendor-date-composite', '--out', out], env);
    expect(result.code, result.stderr.slice(-3000)).toBe(0);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile;
    expect(results.fingerprint.postgres.provider).toBe('url');
    expect(results.cases.map((c) => c.variant).sort()).toEqual(['composite-index', 'composite-index', 'seq-scan']);
    expect(results.skipped).toEqual([
      expect.objectContaining({
        name: expect.stringContaining('vendor-date-composite-week[seq-scan-cold]'),
        // Before 17 the version is the reason; on 17+ the missing superuser is.
        reason: expect.stringMatching(/added in PostgreSQL 17; this server is|only a superuser may call; role schemabench_ci is not one/),
      }),
    ]);
    expect(result.stdout).toMatch(/seq-scan-cold\] \[scale=0\.1\]: skipped: cold cache needs/);
  });

  it('lists and clears its cached dataset templates, and only those', async () => {
    const listed = await runCli(['cache', 'list'], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/cached schemabench_tpl_receipts_/);
    const cleared = await runCli(['cache', 'clear'], env);
    expect(cleared.code, cleared.stderr).toBe(0);
    expect(cleared.stdout).toMatch(/\d+ dataset template\(s\) and \d+ orphan\(s\) dropped from 127\.0\.0\.1:\d+\/postgres/);
    const left = await withConnection(url!, async (c) => (await c.query("SELECT datname FROM pg_database WHERE starts_with(datname, 'schemabench_')")).rows);
    expect(left).toEqual([]);
  });

  it('refuses a role without CREATEDB in one line, exit 2', async () => {
    expect(noCreatedbUrl).toBeTruthy();
    const result = await runCli(['fixtures', '--provider', 'url', '--scale', '0.01'], { ...env, DATABASE_URL: noCreatedbUrl });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^schemabench: role "schemabench_nocreatedb" on DATABASE_URL 127\.0\.0\.1:\d+\/postgres may not create databases: schemabench creates its own schemabench_\* databases there/),
    ]);
    expect(result.stderr).not.toContain(new URL(noCreatedbUrl!).password);
  });

  it('left every database that existed before untouched, rows and all', async () => {
    expect(await serverState(url!)).toEqual(before);
  });
});
