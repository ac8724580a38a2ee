/**
 * A signal at any moment of `fixtures` and `compare` ends the command with one line and
 * its exit code (130 after SIGINT, 143 after SIGTERM) and leaves nothing: no process, no
 * cluster, no temp folder (vitest's, compare's turn socket), no worktree, no database of
 * the run on a `url` server. Each moment is waited for by watching the command, never by
 * sleeping: its output, its processes (a postgres backend's command line shows what it
 * runs: COPY, SELECT...), or, on a url server, pg_stat_activity; where a moment is too
 * short to be seen, the spec holds a lock the command needs there (a COMMENT ON DATABASE
 * holds the template a copy reads; LOCK TABLE a table the report counts).
 *
 * One scratch project for all of it (specs/helpers/scratch-project.ts) with a workload of
 * its own, `tiny`: two tables, one measured case, and on head a new migration that sleeps,
 * so that compare's migration trace lasts long enough to be interrupted.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteServer } from '../harness/bench/suite-server.ts';
import { withDatabase } from '../harness/postgres/database-admin.ts';
import { listMarked, type MarkedDatabase } from '../harness/postgres/database-owner.ts';
import { withConnection } from '../harness/postgres/with-connection.ts';
import { leftovers, observeCli, until, type Observed } from './helpers/cli-process.ts';
import { scratchProject, type ScratchProject } from './helpers/scratch-project.ts';

const TINY_SCHEMA = `import { integer, numeric, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

export const items = pgTable('items', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  qty: integer('qty').notNull(),
  price: numeric('price', { precision: 8, scale: 2 }).notNull(),
  createdAt: timestamp('created_at').notNull(),
});

export const labels = pgTable('labels', {
  id: serial('id').primaryKey(),
  itemId: integer('item_id').notNull().references(() => items.id),
  label: text('label').notNull(),
});
`;
const TINY_FIXTURES = `import { defineFixtures } from 'schemabench';

export default defineFixtures({ rows: { items: 100_000, labels: 10_000 } });
`;
const TINY_BENCH = `import { benchmarkSuite, defineCase } from 'schemabench';

benchmarkSuite('tiny', ({ measure }) => {
  measure(defineCase({ name: 'tiny/items/count', workload: 'tiny', variant: 'scan', statement: { text: 'SELECT count(*) FROM items' } }));
});
`;
/**
 * Head's change: a migration base lacks, slow enough to be caught while compare traces it
 * on base's copy (schemabench_migrate<workload>_*), and quick where head builds its dataset.
 */
const SLOW_MIGRATION = `ALTER TABLE "items" ADD COLUMN "note" text;--> statement-breakpoint
SELECT pg_sleep(CASE WHEN current_database() LIKE 'schemabench\\_migrate%' THEN 4 ELSE 0 END);
`;

let project: ScratchProject;
const env = (extra: NodeJS.ProcessEnv = {}) => ({ ...process.env, SCHEMABENCH_ROOT: project.dir, SCHEMABENCH_PROVIDER: 'embedded', ...extra });
const worktrees = () => execFileSync('git', ['worktree', 'list', '--porcelain'], { cwd: project.dir, encoding: 'utf8' }).split('\n').filter((l) => l.startsWith('worktree '));

beforeAll(async () => {
  project = scratchProject();
  project.write('schema/tiny/tables.ts', TINY_SCHEMA);
  project.write('fixtures/tiny/fixtures.ts', TINY_FIXTURES);
  project.write('benchmarks/tiny/items.bench.ts', TINY_BENCH);
  const generated = await project.cli(['generate', '--workload', 'tiny']);
  expect(generated.code, generated.stderr).toBe(0);
  project.commit('tiny workload');
  const journalFile = join(project.dir, 'migrations/tiny/meta/_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { idx: number; when: number }[] };
  const last = journal.entries.at(-1)!;
  journal.entries.push({ idx: last.idx + 1, version: '7', when: last.when + 1000, tag: '0001_slow', breakpoints: true } as never);
  project.write('migrations/tiny/meta/_journal.json', `${JSON.stringify(journal, null, 2)}\n`);
  project.write('migrations/tiny/0001_slow.sql', SLOW_MIGRATION);
}, 120_000);
afterAll(() => project?.remove());

/** Signals `signal` once `moment` has come, then checks the one line, the code and that nothing is left. */
async function interruptAt(run: Observed, moment: () => Promise<unknown>, signal: 'SIGINT' | 'SIGTERM'): Promise<void> {
  await moment();
  run.child.kill(signal);
  const exit = await run.exited;
  expect(exit.code, run.stderr().slice(-3000)).toBe(signal === 'SIGINT' ? 130 : 143);
  const after = run.stderr().slice(run.stderr().lastIndexOf(`schemabench: ${signal}`));
  expect(after.trim().split('\n'), run.stderr().slice(-3000)).toEqual([`schemabench: ${signal}, stopping and removing what this run started`]);
  expect(run.stderr()).not.toMatch(/\n\s+at /);
  expect(await until(() => leftovers(run).length === 0, 15_000), leftovers(run).join('\n')).toBe(true);
}

// Each test waits for a moment, signals, then waits for the exit and the cleanup: more than the
// specs' 120 s on a busy machine, where each of those waits may take most of a minute.
describe('fixtures, embedded', { timeout: 300_000 }, () => {
  const fixtures = () => observeCli(['fixtures', '--workload', 'tiny', '--scale', '0.1'], env(), project.dir);

  it('SIGINT before the server (initdb running): one line, exit 130, no process and no cluster left', async () => {
    const run = fixtures();
    await interruptAt(run, () => run.waitForProcess(/\binitdb\b/), 'SIGINT');
    expect(run.clusters.size).toBe(1);
  });

  it('SIGTERM while the server starts (postgres up, not ready): one line, exit 143, nothing left', async () => {
    const run = fixtures();
    await interruptAt(run, () => run.waitForProcess(/postgres -D \S*schemabench-pg-/), 'SIGTERM');
    // The signal came before the server answered: the start was interrupted, not finished.
    expect(run.stderr()).not.toMatch(/ready in \d+ ms/);
    expect(run.clusters.size).toBe(1);
  });
});

describe('fixtures, url server', { timeout: 300_000 }, () => {
  const server = suiteServer();
  // The run's sessions carry this name (libpq's PGAPPNAME, which pg reads too): the suite
  // server is shared with the spec files running beside this one, whose COPYs are not a moment of ours.
  const appName = `signal-moments-${process.pid}`;
  const url = () => env({ DATABASE_URL: server.adminUri, SCHEMABENCH_PROVIDER: 'url', PGAPPNAME: appName });
  const fixtures = (seed: number) => observeCli(['fixtures', '--workload', 'tiny', '--scale', '1', '--seed', String(seed)], url(), project.dir);
  /** Databases whose name or comment says `pid` made them. */
  const databasesOf = async (pid: number) => (await listMarked(server.adminUri, server.databasePrefix)).filter((d: MarkedDatabase) => d.mark?.schemabench === 'owner' && d.mark.pid === pid).map((d) => d.name);
  /** Resolves once a session of the run runs a statement like `query` (and, if given, waits on `wait`). */
  const activity = (query: string, wait?: string) =>
    until(
      async () =>
        ((await withConnection(server.adminUri, (c) => c.query('SELECT 1 FROM pg_stat_activity WHERE query LIKE $1 AND ($2::text IS NULL OR wait_event_type = $2) AND application_name = $3', [query, wait ?? null, appName]))).rowCount ?? 0) > 0,
      60_000,
    ).then((seen) => expect(seen, `no session ran ${query}`).toBe(true));
  const SEED = 31;
  let template: string;

  beforeAll(async () => {
    // The dataset, built and kept as a template (the url cache): later runs copy it.
    const built = fixtures(SEED);
    expect((await built.exited).code, built.stderr()).toBe(0);
    template = `${server.databasePrefix}tpl_${/^dataset key (\S+)$/m.exec(built.stdout())![1]}`;
  }, 180_000);

  it('SIGINT during the load: the build and main databases are dropped, one line, exit 130', async () => {
    const run = fixtures(SEED + 1);
    await interruptAt(run, () => activity('COPY %'), 'SIGINT');
    expect(await databasesOf(run.child.pid!)).toEqual([]);
  });

  /** Holds the template a copy reads: CREATE DATABASE ... TEMPLATE waits for the lock (COMMENT takes SHARE UPDATE EXCLUSIVE on the database). */
  async function holdTemplate(): Promise<pg.Client> {
    const holder = new pg.Client({ connectionString: server.adminUri });
    holder.on('error', () => undefined);
    await holder.connect();
    const { rows } = await holder.query<{ c: string }>("SELECT shobj_description(oid, 'pg_database') AS c FROM pg_database WHERE datname = $1", [template]);
    await holder.query('BEGIN');
    await holder.query(`COMMENT ON DATABASE ${pg.escapeIdentifier(template)} IS ${pg.escapeLiteral(rows[0]!.c)}`);
    return holder;
  }

  it('SIGTERM during the copy of the cached dataset: the copy is cancelled, nothing of the run is left, one line, exit 143', async () => {
    const holder = await holdTemplate();
    try {
      const run = fixtures(SEED);
      await interruptAt(run, () => activity('CREATE DATABASE %TEMPLATE%', 'Lock'), 'SIGTERM');
      await holder.query('ROLLBACK');
      // A copy the server finished for a client that is gone would appear now: there is none.
      expect(await until(async () => !(await withConnection(server.adminUri, (c) => c.query("SELECT 1 FROM pg_stat_activity WHERE query LIKE 'CREATE DATABASE%' AND application_name = $1", [appName]))).rowCount, 10_000)).toBe(true);
      expect(await databasesOf(run.child.pid!)).toEqual([]);
    } finally {
      await holder.end();
    }
  });

  it('kill -9 during the copy, then a start that reaps what it left', async () => {
    const holder = await holdTemplate();
    let pid = 0;
    try {
      const run = fixtures(SEED);
      pid = run.child.pid!;
      await activity('CREATE DATABASE %TEMPLATE%', 'Lock');
      run.child.kill('SIGKILL');
      await run.exited;
      await holder.query('ROLLBACK');
      // The server finishes the copy for nobody: a database named as this PID's, and its main database.
      expect(await until(async () => (await databasesOf(pid)).length >= 2, 10_000), (await databasesOf(pid)).join(', ')).toBe(true);
    } finally {
      await holder.end();
    }
    const next = fixtures(SEED);
    expect((await next.exited).code, next.stderr()).toBe(0);
    expect(await databasesOf(pid)).toEqual([]);
  });

  it('SIGINT while it measures the COPY rate: one line, exit 130, nothing of the run left', async () => {
    const run = fixtures(SEED);
    await interruptAt(run, () => activity('COPY "items_copy_rate"%'), 'SIGINT');
    expect(await databasesOf(run.child.pid!)).toEqual([]);
  });

  it('SIGTERM during the report (its statistics wait on a table): one line, exit 143, nothing of the run left', async () => {
    const run = fixtures(SEED);
    await activity('COPY "items_copy_rate"%');
    // The copy the report reads, while the copy rate is measured there: its second table locked.
    const copy = (await listMarked(server.adminUri, `${server.databasePrefix}fixtures_`)).find((d) => d.mark?.schemabench === 'owner' && d.mark.pid === run.child.pid)!.name;
    const locker = new pg.Client({ connectionString: withDatabase(server.adminUri, copy) });
    locker.on('error', () => undefined);
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE labels IN ACCESS EXCLUSIVE MODE');
    await interruptAt(run, () => activity('SELECT count(*)%labels%', 'Lock'), 'SIGTERM');
    await locker.end().catch(() => undefined);
    expect(await databasesOf(run.child.pid!)).toEqual([]);
  });
});

/** Unix sockets of compare `pid`'s turn coordinator left in the temp folder, in a folder of its own or beside them. */
function turnSockets(pid: number): string[] {
  return readdirSync(tmpdir()).flatMap((name) => {
    if (name.startsWith(`schemabench-turns-${pid}-`)) return [name];
    if (!name.startsWith(`schemabench-tmp-${pid}-`)) return [];
    return readdirSync(join(tmpdir(), name)).filter((f) => f.endsWith('.sock')).map((f) => join(name, f));
  });
}

describe('compare', { timeout: 300_000 }, () => {
  // Scale 0.1 (10k items) where the moment is long whatever the dataset's size; 1 where it is the load.
  const compare = (out: string, scale = '0.1') => observeCli(['compare', '--base', 'HEAD', '--workload', 'tiny', '--scale', scale, '--out', `.schemabench/${out}`], env(), project.dir);

  async function interruptCompare(out: string, moment: (run: Observed) => Promise<unknown>, signal: 'SIGINT' | 'SIGTERM', scale?: string): Promise<Observed> {
    const run = compare(out, scale);
    await interruptAt(run, () => moment(run), signal);
    expect(worktrees()).toHaveLength(1);
    return run;
  }

  it('SIGINT before the server (base checked out): one line, exit 130, no worktree left', async () => {
    const run = await interruptCompare('before-server', (r) => r.waitFor(/checking out base/), 'SIGINT');
    expect(run.stderr()).not.toMatch(/ready in \d+ ms/);
  });

  it('SIGTERM while its server starts: one line, exit 143, no server, worktree or process left', async () => {
    const run = await interruptCompare('server-start', (r) => r.waitForProcess(/postgres -D \S*schemabench-pg-/), 'SIGTERM');
    expect(run.clusters.size).toBe(1);
  });

  it('SIGINT while the sides load their datasets: one line (not one per side), exit 130, nothing left', async () => {
    await interruptCompare('load', (r) => r.waitForProcess(/postgres: \S+ schemabench_build_\S+ .*COPY/, 120_000), 'SIGINT', '1');
  });

  it('SIGTERM while the sides measure: one line, exit 143, no turn socket, no temp folder left', async () => {
    const run = await interruptCompare('measure', (r) => r.waitForProcess(/postgres: \S+ schemabench_tiny_\S+ .*SELECT/, 120_000), 'SIGTERM');
    expect(run.tempDirs.size).toBeGreaterThanOrEqual(3); // base's and head's vitest, and the turn socket's
  });

  it("SIGINT during the migration trace: one line, exit 130, base's copy and the server gone", async () => {
    await interruptCompare('trace', (r) => r.waitFor(/tiny: applying 1 new migration to a copy of base's data/, 170_000), 'SIGINT');
  });

  it('kill -9 while the sides measure: the sides and the server stop themselves; the next compare removes the worktree and the turn socket', async () => {
    const run = compare('killed');
    await run.waitForProcess(/postgres: \S+ schemabench_tiny_\S+ .*SELECT/, 120_000);
    expect(turnSockets(run.child.pid!), 'the turn socket of the compare').not.toEqual([]);
    run.child.kill('SIGKILL');
    await run.exited;
    // The sides' parent watch and the server's watchdog end the processes and the cluster.
    // The socket stays until a schemabench start reaps it: the next compare below, or any
    // other spec's run starting meanwhile (they share the temp directory), so it is not
    // asserted present here, only gone after the next compare.
    expect(await until(() => leftovers(run).filter((l) => !l.startsWith('temp dir')).length === 0, 20_000), leftovers(run).join('\n')).toBe(true);
    expect(worktrees()).toHaveLength(2);
    const next = await project.cli(['compare', '--base', 'HEAD', '--workload', 'nope'], env());
    expect(next.code).toBe(2);
    expect(worktrees()).toHaveLength(1);
    expect(turnSockets(run.child.pid!)).toEqual([]);
    expect(leftovers(run)).toEqual([]);
  });
});
