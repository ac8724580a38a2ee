/**
 * Every way a `run` or `fixtures` on a url server ends tells the truth and leaves nothing
 * behind (run-lifecycle.test.ts has the embedded provider's): the server is an embedded
 * cluster this file starts, used through DATABASE_URL with a role that may create databases
 * and one that may not, beside databases schemabench must never touch; SIGINT and SIGTERM
 * drop what the command made and exit 130/143 with one line, and after SIGKILL the next
 * start reaps the leftovers (cache list names them first).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbedded } from '../harness/postgres/embedded-provider.ts';
import type { PgServer } from '../harness/postgres/pg-server.ts';
import { leftovers, observeCli, until } from './helpers/cli-process.ts';
import { expectOneSignalLine, interrupt, outFolders, runArgs, SIGNALS } from './helpers/interrupted-run.ts';
import { runCli } from './helpers/run-tsx.ts';
import { HOSTILE } from './helpers/sample-results.ts';

const outFolder = outFolders();

describe('url provider', { timeout: 300_000 }, () => {
  let host: PgServer;
  let maker: string;
  let nocreate: string;
  const admin = () => new pg.Client({ connectionString: host.adminUri });
  async function databases(): Promise<string[]> {
    const c = admin();
    await c.connect();
    try {
      const { rows } = await c.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname NOT IN ('template0', 'template1', 'postgres') ORDER BY 1");
      return rows.map((r) => r.datname);
    } finally {
      await c.end();
    }
  }
  /** Databases besides the cached templates and the ones this spec made for the server itself. */
  const runDatabases = async () => (await databases()).filter((d) => !d.startsWith('schemabench_tpl_') && !['app_production', 'schemabench_main', 'schemabench_unmarked'].includes(d));
  const asMaker = () => ({ ...process.env, DATABASE_URL: maker, SCHEMABENCH_PROVIDER: 'url' });

  beforeAll(async () => {
    host = await startEmbedded();
    const c = admin();
    await c.connect();
    // A role that may create databases (not a superuser, as on a managed server), one that may not,
    // and databases schemabench must never touch: one without the prefix, one with it but no mark.
    await c.query("CREATE ROLE maker LOGIN CREATEDB PASSWORD 'maker-pw'");
    await c.query("CREATE ROLE nocreate LOGIN PASSWORD 'nocreate-secret'");
    await c.query('CREATE DATABASE app_production');
    await c.query('CREATE DATABASE schemabench_unmarked OWNER maker');
    await c.end();
    const port = new URL(host.adminUri).port;
    maker = `postgres://maker:maker-pw@127.0.0.1:${port}/postgres`;
    nocreate = `postgres://nocreate:nocreate-secret@127.0.0.1:${port}/postgres`;
  });
  afterAll(() => host?.stop());

  it('a role without CREATEDB: fixtures and run say so in one line and exit 2; cache list works', async () => {
    const env = { ...process.env, DATABASE_URL: nocreate };
    for (const args of [['fixtures', '--provider', 'url', '--scale', '0.01'], ['run', '--provider', 'url', '--scale', '0.01', '--out', outFolder('nocreate')]]) {
      const result = await runCli(args, env);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/^schemabench: role "nocreate" on DATABASE_URL 127\.0\.0\.1:\d+\/postgres may not create databases/);
      expect(result.stderr).not.toContain('secret');
      expect(result.stdout).toBe('');
    }
    const listed = await runCli(['cache', 'list'], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/0 dataset template\(s\), 0 orphan\(s\), 0 in use, 2 unknown on 127\.0\.0\.1:\d+\/postgres/);
    // Listing created nothing (no probe database).
    expect(await runDatabases()).toEqual([]);
  });

  it('fixtures twice, then twice at once: the cached dataset is described, same rows and checksums, exit 0', async () => {
    const args = ['fixtures', '--provider', 'url', '--scale', '0.01', '--seed', '11', '--json'];
    const first = await runCli(args, asMaker());
    expect(first.code, first.stderr).toBe(0);
    const built = JSON.parse(first.stdout) as { cached: unknown; tables: { table: string; rows: number; checksum: string }[] };
    expect(built.cached).toBe(false);
    const second = await runCli(args, asMaker());
    expect(second.code, second.stderr).toBe(0);
    const cached = JSON.parse(second.stdout) as typeof built & { cached: { builtAt: string } };
    expect(cached.cached.builtAt).toMatch(/^\d{4}-/);
    const strip = (t: typeof built.tables) => t.map(({ table, rows, checksum }) => ({ table, rows, checksum }));
    expect(strip(cached.tables)).toEqual(strip(built.tables));

    const fresh = ['fixtures', '--provider', 'url', '--scale', '0.01', '--seed', '12'];
    const together = await Promise.all([runCli(fresh, asMaker()), runCli(fresh, asMaker())]);
    for (const r of together) expect(r.code, r.stderr).toBe(0);
    const tables = together.map((r) => r.stdout.split('\n').filter((l) => /^receipts\s+[\d,]+\s+[0-9a-f]{16}\s/.test(l)));
    expect(tables[0]!.length).toBe(1);
    expect(tables[0]![0]!.split(/\s+/).slice(0, 3)).toEqual(tables[1]![0]!.split(/\s+/).slice(0, 3));
    expect(together.some((r) => r.stdout.includes('cached on this server'))).toBe(true);
    expect(await runDatabases()).toEqual([]);
  });

  it.each(SIGNALS)('fixtures: $signal during the build drops the build and main databases, exits $code with one line', async ({ signal, code }) => {
    const run = observeCli(['fixtures', '--provider', 'url', '--scale', '0.3', '--seed', String(100 + code)], asMaker());
    await run.waitFor(/copyAnalyze/, 60_000);
    await new Promise((r) => setTimeout(r, 300));
    run.child.kill(signal);
    const exit = await run.exited;
    expect(exit.code, run.stderr()).toBe(code);
    expectOneSignalLine(run, signal);
    expect(await runDatabases()).toEqual([]);
  });

  it('fixtures: after SIGKILL, cache list shows the orphans, the next start reaps them, and nothing else', async () => {
    const run = observeCli(['fixtures', '--provider', 'url', '--scale', '0.3', '--seed', '200'], asMaker());
    await run.waitFor(/copyAnalyze/, 60_000);
    run.child.kill('SIGKILL');
    await run.exited;
    const orphans = await runDatabases();
    expect(orphans.some((d) => /^schemabench_build_/.test(d)) && orphans.some((d) => /^schemabench_main_/.test(d)), orphans.join(', ')).toBe(true);
    const listed = await runCli(['cache', 'list'], { ...process.env, DATABASE_URL: nocreate });
    for (const name of orphans) expect(listed.stdout).toMatch(new RegExp(`^orphan ${name} \\(left by pid ${run.child.pid} on `, 'm'));
    const next = await runCli(['fixtures', '--provider', 'url', '--scale', '0.01', '--seed', '11'], asMaker());
    expect(next.code, next.stderr).toBe(0);
    expect(await runDatabases()).toEqual([]);
    expect(await databases()).toEqual(expect.arrayContaining(['app_production', 'schemabench_main', 'schemabench_unmarked']));
  });

  it.each([...SIGNALS, { signal: 'SIGKILL', code: null }] as const)('run: $signal leaves no process and no database of the run', async ({ signal, code }) => {
    const out = outFolder(`url-run-${signal}`);
    const run = observeCli(runArgs(out), asMaker());
    const exit = await interrupt(run, signal);
    expect(exit.code, run.stderr()).toBe(code);
    if (code !== null) expectOneSignalLine(run, signal);
    expect(await until(() => leftovers(run).length === 0, 20_000), leftovers(run).join('\n')).toBe(true);
    // After SIGKILL of the CLI, vitest's parent watch dropped what its handle created before ending.
    expect(await until(async () => (await runDatabases()).length === 0, 10_000), (await runDatabases()).join(', ')).toBe(true);
  });

  it('two runs with the same --out: the second is refused while the first runs; the first shows only its own cases', async () => {
    const out = outFolder('shared');
    const a = observeCli(runArgs(out, 'receipts/storage/vendor-name-cost'), asMaker());
    // The folder is a's once its lock exists (with --filter, vitest's own lines show only once a test starts).
    expect(await until(() => existsSync(join(out, '.schemabench-run.lock')), 60_000)).toBe(true);
    const b = await runCli(runArgs(out, 'receipts/insert/methods'), asMaker());
    expect(b.code, b.stderr).toBe(2);
    expect(b.stderr.trim()).toMatch(new RegExp(`^schemabench: --out .* is in use by another schemabench run \\(pid ${a.child.pid} on `));
    expect(b.stdout).toBe('');
    const done = await a.exited;
    expect(done.code, a.stderr()).toBe(0);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { metrics: { name: string }[]; comparisons: unknown[] };
    expect(results.comparisons).toEqual([]);
    expect(results.metrics.every((m) => m.name.startsWith('receipts/storage/vendor-name-'))).toBe(true);
    expect(a.stdout()).not.toContain(HOSTILE);
    expect(await runDatabases()).toEqual([]);
  });
});
