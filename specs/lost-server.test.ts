/**
 * A `url` server that goes away while schemabench uses it (a fast shutdown, as
 * `pg_ctl -m fast stop` does) is an environment failure, not a regression: one line
 * naming it, exit code 3 (README's exit codes, docs/ci.md), whatever was running —
 * vitest's suites under `run`, the load under `fixtures` — and nothing left of the run.
 * The server here is an embedded cluster this file starts and stops, used through
 * DATABASE_URL.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbedded } from '../harness/postgres/embedded-provider.ts';
import type { PgServer } from '../harness/postgres/pg-server.ts';
import { withConnection } from '../harness/postgres/with-connection.ts';
import { leftovers, observeCli, until, type Observed } from './helpers/cli-process.ts';

const LOST = /^schemabench: lost the (server in DATABASE_URL 127\.0\.0\.1:\d+\/postgres|PostgreSQL server) \(.+\): an environment failure, not a regression; nothing was judged$/;

let host: PgServer | undefined;
afterEach(async () => {
  await host?.stop();
  host = undefined;
});

/** Resolves once a session of the server runs a statement like `query` in a database like `database`. */
const activity = (uri: string, database: string, query: string) =>
  until(async () => ((await withConnection(uri, (c) => c.query('SELECT 1 FROM pg_stat_activity WHERE datname LIKE $1 AND query LIKE $2', [database, query]))).rowCount ?? 0) > 0, 120_000);

/** `stdout` without vitest's blocks of a test's console output (a "stdout | file > test" line, its lines, a blank line). */
const withoutTestLogs = (stdout: string) =>
  stdout
    .replace(/\x1b\[[\d;]*m/g, '')
    .split(/\n\s*\n/)
    .filter((block) => !/^\s*stdout \| /.test(block))
    .join('\n')
    .trim();

/** The provider's line, printed once the server answers: before any work, but it can reach our pipe after the work began. */
const READY = /^schemabench: postgres provider .*, ready in \d+ ms$/m;

/**
 * Stops the server under the command; returns what the command printed after that, once it
 * has exited. Lines are split by when they arrive, so the provider's ready line is awaited
 * first: it belongs before the stop (CI once had it arrive after, as a second line).
 */
async function stopServerUnder(run: Observed, server: PgServer): Promise<{ code: number | null; stderr: string[]; stdout: string }> {
  expect(await until(() => READY.test(run.stderr()), 30_000), run.stderr().slice(-3000)).toBe(true);
  const [out, err] = [run.stdout().length, run.stderr().length];
  await server.stop();
  const exit = await run.exited;
  return { code: exit.code, stderr: run.stderr().slice(err).trim().split('\n'), stdout: run.stdout().slice(out) };
}

describe('a url server lost mid-run', { timeout: 300_000 }, () => {
  it('run: one line, exit 3 (not 1, a regression), vitest and its workers stopped', async () => {
    host = await startEmbedded();
    const run = observeCli(['run', '--workload', 'receipts', '--scale', '0.01', '--filter', 'receipts/insert/methods', '--out', '.schemabench/lost-server'], {
      ...process.env,
      SCHEMABENCH_PROVIDER: 'url',
      DATABASE_URL: host.adminUri,
    });
    // A suite's copy of the dataset is in use: tests are under way.
    expect(await activity(host.adminUri, 'schemabench_receipts_%', '%')).toBe(true);
    const after = await stopServerUnder(run, host);
    expect(after.code, run.stderr().slice(-3000)).toBe(3);
    expect(after.stderr, run.stderr().slice(-3000)).toHaveLength(1);
    expect(after.stderr[0]).toMatch(LOST);
    // Nothing of the run's own on stdout after the stop: no table, no results. A test that
    // ended before the stop may still have its console lines (vitest's "stdout | file > test"
    // block) arrive after it.
    expect(withoutTestLogs(after.stdout)).toBe('');
    expect(run.stdout()).not.toMatch(/^results: /m);
    expect(await until(() => leftovers(run).length === 0, 15_000), leftovers(run).join('\n')).toBe(true);
  }, 180_000);

  it('fixtures: one line, exit 3, during the load', async () => {
    host = await startEmbedded();
    const run = observeCli(['fixtures', '--workload', 'receipts', '--scale', '1', '--provider', 'url'], { ...process.env, DATABASE_URL: host.adminUri });
    expect(await activity(host.adminUri, 'schemabench_build_%', 'COPY %')).toBe(true);
    const after = await stopServerUnder(run, host);
    expect(after.code, run.stderr().slice(-3000)).toBe(3);
    expect(after.stderr, run.stderr().slice(-3000)).toHaveLength(1);
    expect(after.stderr[0]).toMatch(LOST);
    expect(run.stderr()).not.toMatch(/\n\s+at /);
  }, 300_000);
});
