/**
 * The change's migrations traced at scale (issue 10), on the receipts dataset at scale
 * 0.1 (10,000 receipts; MIGRATION_TRACE_SCALE to change it), each case on a fresh copy
 * with 4 application clients running: a volatile default rewrites the table under
 * ACCESS EXCLUSIVE and is flagged; the same column added safely (nullable, then a
 * batched backfill) is not; a constant default is catalog-only; one transaction keeps a
 * lock until commit; a failing statement is recorded, flagged, and leaves nothing
 * running. Asserted: rewrites, lock modes, rows,
 * flags — never a duration measured by the sampler, except where a pg_sleep sets it.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editedMigrations } from '../harness/compare/edited-migrations.ts';
import { migrationStatements } from '../harness/compare/migration-statements.ts';
import { newMigrations } from '../harness/compare/new-migrations.ts';
import { traceChangeMigrations } from '../harness/compare/trace-change-migrations.ts';
import { traceMigrations } from '../harness/compare/trace-migrations.ts';
import { TableLockSampler } from '../harness/compare/table-lock-sampler.ts';
import { locksText } from '../harness/judge/evidence-text.ts';
import { HeldLocks } from '../harness/compare/held-locks.ts';
import { holdText, strongestLocks } from '../harness/judge/strongest-locks.ts';
import { projectPath } from '../harness/project-root.ts';
import { suiteServer } from '../harness/bench/suite-server.ts';
import { copyDataset, ensureDataset, type Dataset } from '../harness/fixtures/dataset-cache.ts';
import { withConnection } from '../harness/postgres/with-connection.ts';
import { loadWorkload } from '../harness/workloads/load-workload.ts';

const receiptsWorkload = await loadWorkload('receipts');
/** 0.1 (10,000 receipts); MIGRATION_TRACE_SCALE runs the same proof larger (docs/safe-migrations.md). */
const SCALE = Number(process.env.MIGRATION_TRACE_SCALE ?? 0.1);
const BREAK = '\n--> statement-breakpoint\n';

const receiptRows = (uri: string) => withConnection(uri, async (c) => Number((await c.query<{ n: string }>('SELECT count(*)::text AS n FROM receipts')).rows[0]!.n));

describe('traceMigrations on a copy of base data under load', () => {
  const server = suiteServer();
  let dataset: Dataset;
  const copies: { drop(): Promise<void> }[] = [];
  beforeAll(async () => {
    dataset = await ensureDataset(server, { workload: receiptsWorkload, scale: SCALE, seed: server.seed });
  });
  afterAll(async () => {
    for (const c of copies) await c.drop();
  });
  const fresh = async () => {
    const copy = await copyDataset(server, dataset, 'migtrace');
    copies.push(copy);
    return copy.uri;
  };

  it('flags a volatile default: the table is rewritten under ACCESS EXCLUSIVE', async () => {
    const uri = await fresh();
    const rows = await receiptRows(uri);
    expect(rows).toBe(Math.round(100_000 * SCALE));
    const [trace] = await traceMigrations({
      uri,
      workload: 'receipts',
      files: [{ file: '0003_receipt_token.sql', sql: 'ALTER TABLE "receipts" ADD COLUMN "token" uuid DEFAULT gen_random_uuid();' }],
    });
    expect(trace!.error).toBeUndefined();
    const receipts = trace!.locks.find((l) => l.table === 'receipts');
    expect(receipts).toMatchObject({ mode: 'AccessExclusiveLock', rows, rewritten: true });
    expect(trace!.locks.filter((l) => l.rewritten).map((l) => l.table)).toEqual(['receipts']);
    expect(trace!.flags).toHaveLength(1);
    expect(trace!.flags[0]).toMatch(new RegExp(`^rewrites receipts \\(${rows} rows\\) under AccessExclusiveLock held ([\\d,]+|< 5|≤ [\\d,]+) ms$`));
    // The lock time is a size on this machine, printed for the docs, not asserted.
    console.info(`${trace!.flags[0]}; file ${trace!.durationMs.toFixed(0)} ms; worst client operation ${trace!.worstClientWaitMs.toFixed(0)} ms, ${trace!.clientOperations} operations`);
    expect(trace).toMatchObject({ workload: 'receipts', file: '0003_receipt_token.sql', statements: 1, rowsTouched: 0, transaction: 'per-statement', clientErrors: 0 });
    expect(trace!.clientOperations).toBeGreaterThan(0);
  });

  it('does not flag the same column added safely: nullable, then a batched backfill touching every row', async () => {
    const uri = await fresh();
    const rows = await receiptRows(uri);
    const { lo, hi } = await withConnection(uri, async (c) => (await c.query<{ lo: string; hi: string }>('SELECT min(id)::text AS lo, max(id)::text AS hi FROM receipts')).rows[0]!);
    const batches: string[] = [];
    const size = Math.ceil((Number(hi) - Number(lo) + 1) / 4);
    for (let a = Number(lo); a <= Number(hi); a += size) batches.push(`UPDATE "receipts" SET "token" = gen_random_uuid() WHERE "id" BETWEEN ${a} AND ${a + size - 1};`);
    expect(batches).toHaveLength(4);
    const traces = await traceMigrations({
      uri,
      workload: 'receipts',
      files: [
        { file: '0003_receipt_token.sql', sql: 'ALTER TABLE "receipts" ADD COLUMN "token" uuid;' },
        { file: '0004_backfill_receipt_token.sql', sql: `-- custom: backfill in batches\n${batches.join(BREAK)}` },
      ],
      // ADD COLUMN holds ACCESS EXCLUSIVE for a moment, and a busy machine stretched that
      // past the 100 ms rule (CI: 246 ms). How long is the sampler's to say, not this spec's:
      // the rule is lifted; what is asserted is no rewrite and ROW EXCLUSIVE batches.
      rules: { lockMs: 600_000 },
    });
    expect(traces.map((t) => [t.file, t.flags, t.error])).toEqual([
      ['0003_receipt_token.sql', [], undefined],
      ['0004_backfill_receipt_token.sql', [], undefined],
    ]);
    expect(traces.flatMap((t) => t.locks).filter((l) => l.rewritten)).toEqual([]);
    expect(traces[1]!.statements).toBe(batches.length);
    expect(traces[1]!.rowsTouched).toBe(rows);
    console.info(`safe: backfill of ${rows} rows in ${batches.length} batches ${traces[1]!.durationMs.toFixed(0)} ms; worst client operation ${Math.max(...traces.map((t) => t.worstClientWaitMs)).toFixed(0)} ms`);
    // The batches hold ROW EXCLUSIVE, which lets reads and writes through.
    expect(traces[1]!.locks.find((l) => l.table === 'receipts')?.mode).toBe('RowExclusiveLock');
    const unset = await withConnection(uri, async (c) => (await c.query<{ n: number }>('SELECT count(*)::int AS n FROM receipts WHERE token IS NULL')).rows[0]!.n);
    expect(unset).toBe(0);
  });

  it('does not rewrite for a constant default (PostgreSQL 11+ keeps it in the catalog)', async () => {
    const uri = await fresh();
    const [trace] = await traceMigrations({
      uri,
      workload: 'receipts',
      files: [{ file: '0003_loyalty_points.sql', sql: 'ALTER TABLE "receipts" ADD COLUMN "points" integer DEFAULT 0 NOT NULL;' }],
      // A moment's ACCESS EXCLUSIVE: how long is the sampler's to say (a busy machine stretches it), not this spec's.
      rules: { lockMs: 600_000 },
    });
    expect(trace!.error).toBeUndefined();
    expect(trace!.locks.filter((l) => l.rewritten)).toEqual([]);
    expect(trace!.flags).toEqual([]);
  });

  it('in one transaction, a lock is held until commit: flagged; statement by statement it is not', async () => {
    // The ALTER is catalog-only; the pg_sleep after it holds nothing itself, so how long
    // ACCESS EXCLUSIVE lasts is set by the transaction: 2 s by construction, twice a rule of
    // 1 s. Statement by statement the ALTER's moment stays under 1 s on a busy machine too
    // (the default 100 ms rule is not: CI has measured 246 ms for such a moment).
    const body = `ALTER TABLE "receipts" ADD COLUMN "points" integer DEFAULT 0;${BREAK}SELECT pg_sleep(2);`;
    const rules = { lockMs: 1000 };
    const [single] = await traceMigrations({ uri: await fresh(), workload: 'receipts', files: [{ file: '0003_points.sql', sql: `-- schemabench: single-transaction\n${body}` }], rules });
    const [split] = await traceMigrations({ uri: await fresh(), workload: 'receipts', files: [{ file: '0003_points.sql', sql: body }], rules });
    expect(single!.transaction).toBe('single');
    expect(single!.locks.find((l) => l.table === 'receipts')).toMatchObject({ mode: 'AccessExclusiveLock', rewritten: false });
    expect(single!.flags).toHaveLength(1);
    expect(single!.flags[0]).toMatch(new RegExp(`^holds AccessExclusiveLock on receipts \\(${single!.locks.find((l) => l.table === 'receipts')!.rows} rows\\) for [\\d,]+ ms: reads and writes wait$`));
    expect(single!.locks.find((l) => l.table === 'receipts')!.rows).toBe(Math.round(100_000 * SCALE));
    // The clients that reached receipts during the sleep queued behind the lock.
    expect(single!.worstLockWaitMs).toBeGreaterThan(0);
    console.info(`one transaction: ${single!.flags[0]}; worst client lock wait ${single!.worstLockWaitMs!.toFixed(0)} ms`);
    expect(split!.transaction).toBe('per-statement');
    expect(split!.flags).toEqual([]);
  });

  it('names the lock of a brief statement: DROP INDEX and ADD COLUMN hold ACCESS EXCLUSIVE on the table, with a bound on the hold', async () => {
    const uri = await fresh();
    const rows = await receiptRows(uri);
    // Each takes ACCESS EXCLUSIVE on receipts for a moment (catalog-only: no rewrite), too
    // short for a 5 ms sampler to be sure to see it; read from the backend before COMMIT.
    const traces = await traceMigrations({
      uri,
      workload: 'receipts',
      files: [
        { file: '0003_drop_vendor_index.sql', sql: 'DROP INDEX "receipts_vendor_id_idx";' },
        { file: '0004_note.sql', sql: 'ALTER TABLE "receipts" ADD COLUMN "note" text;' },
        { file: '0005_points.sql', sql: 'ALTER TABLE "receipts" ADD COLUMN "points" integer DEFAULT 0 NOT NULL;' },
      ],
      // Brief holds: their length is the sampler's to say (a busy machine stretches them), not this spec's.
      rules: { lockMs: 600_000 },
    });
    expect(traces.map((t) => [t.file, t.error, t.flags])).toEqual([
      ['0003_drop_vendor_index.sql', undefined, []],
      ['0004_note.sql', undefined, []],
      ['0005_points.sql', undefined, []],
    ]);
    for (const trace of traces) {
      expect(trace.locks.map((l) => [l.table, l.mode, l.rows, l.rewritten])).toEqual([['receipts', 'AccessExclusiveLock', rows, false]]);
      const bound = trace.locks[0]!.heldAtMostMs;
      // Held at most from the statement's start to COMMIT's answer: within the file's time.
      expect(bound).toBeGreaterThan(0);
      expect(bound).toBeLessThanOrEqual(trace.durationMs);
      expect(locksText(trace)).toMatch(/^receipts AccessExclusiveLock (< 5|≤ [\d,.]+|[\d,.]+) ms$/);
      console.info(`${trace.file}: ${locksText(trace)} (held at most ${bound!.toFixed(2)} ms)`);
    }
  });

  it('still applies CREATE INDEX CONCURRENTLY outside a transaction block: ShareUpdateExclusiveLock, sampled', async () => {
    const uri = await fresh();
    // CREATE INDEX CONCURRENTLY waits for every transaction holding an older snapshot: one
    // kept open here makes it hold SHARE UPDATE EXCLUSIVE for 200 ms after it is seen waiting.
    const holder = new pg.Client({ connectionString: uri });
    // pg_stat_activity is read once per transaction: the holder cannot watch for the wait itself.
    const watcher = new pg.Client({ connectionString: uri });
    await holder.connect();
    await watcher.connect();
    try {
      await holder.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      await holder.query('SELECT 1');
      const release = (async () => {
        for (let i = 0; i < 3000; i++) {
          const { rows } = await watcher.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE datname = current_database() AND application_name = 'schemabench migration'
                AND wait_event_type = 'Lock' AND query LIKE 'CREATE INDEX CONCURRENTLY%'`,
          );
          if (rows[0]!.n > 0) break;
          await new Promise((r) => setTimeout(r, 10));
        }
        await new Promise((r) => setTimeout(r, 200));
        await holder.query('COMMIT');
      })();
      const [trace] = await traceMigrations({
        uri,
        workload: 'receipts',
        files: [{ file: '0003_total_index.sql', sql: 'CREATE INDEX CONCURRENTLY "receipts_total_amount_idx" ON "receipts" ("total_amount");' }],
      });
      await release;
      expect(trace!.error).toBeUndefined();
      expect(trace!.flags).toEqual([]);
      const lock = trace!.locks.find((l) => l.table === 'receipts')!;
      expect(lock).toMatchObject({ mode: 'ShareUpdateExclusiveLock', rewritten: false, blocksWritesMs: 0 });
      // Seen by the sampler only: it could not run in a transaction block, so no bound.
      expect(lock.heldAtMostMs).toBeUndefined();
      expect(lock.heldMs).toBeGreaterThan(0);
      expect(locksText(trace!)).toMatch(/^receipts ShareUpdateExclusiveLock [\d,.]+ ms$/);
      const valid = await withConnection(uri, async (c) => {
        const { rows } = await c.query<{ v: boolean }>("SELECT indisvalid AS v FROM pg_index WHERE indexrelid = 'receipts_total_amount_idx'::regclass");
        return rows[0]!.v;
      });
      expect(valid).toBe(true);
    } finally {
      await holder.end();
      await watcher.end();
    }
  });

  it('reports every lock of a file run in one transaction, each bounded from the statement that took it to COMMIT', async () => {
    const statements = [
      'ALTER TABLE "receipts" ADD COLUMN "points" integer;',
      'CREATE INDEX "vendors_headquarters_idx" ON "vendors" ("headquarters");',
      'UPDATE "products" SET "unit" = "unit" WHERE "id" = (SELECT min("id") FROM "products");',
      'CREATE TABLE "receipt_notes" ("id" bigint PRIMARY KEY, "job_site_id" integer REFERENCES "job_sites" ("id"), "note" text);',
      'SELECT count(*) FROM "inventory";',
    ];
    const sql = `-- schemabench: single-transaction\n${statements.join(BREAK)}`;
    // The ACCESS EXCLUSIVE on receipts is held to COMMIT, the whole file: a busy machine takes
    // it past the 100 ms rule (CI did). How long is the sampler's to say, not this spec's: the
    // rule is lifted, so the flags say only that nothing is rewritten and nothing fails.
    const [trace] = await traceMigrations({ uri: await fresh(), workload: 'receipts', files: [{ file: '0003_many.sql', sql }], rules: { lockMs: 600_000 } });
    expect(trace!.error).toBeUndefined();
    expect(trace!.flags).toEqual([]);
    const locks = strongestLocks(trace!.locks);
    // ALTER TABLE: ACCESS EXCLUSIVE; CREATE INDEX: SHARE; UPDATE: ROW EXCLUSIVE; a new
    // table: ACCESS EXCLUSIVE on it and SHARE ROW EXCLUSIVE on the table its foreign key
    // references (the trigger it adds there); SELECT: ACCESS SHARE.
    expect(Object.fromEntries(locks.map((l) => [l.table, l.mode]))).toEqual({
      receipts: 'AccessExclusiveLock',
      vendors: 'ShareLock',
      products: 'RowExclusiveLock',
      receipt_notes: 'AccessExclusiveLock',
      job_sites: 'ShareRowExclusiveLock',
      inventory: 'AccessShareLock',
    });
    const bound = (table: string) => locks.find((l) => l.table === table)!.heldAtMostMs!;
    // Every lock is held until COMMIT: one taken earlier is bounded by a longer stretch.
    const order = ['receipts', 'vendors', 'products', 'job_sites', 'inventory'].map(bound);
    expect(order.every((b) => b > 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => b - a));
    expect(bound('receipts')).toBeLessThanOrEqual(trace!.durationMs);
    console.info(`one transaction: ${locksText(trace!)}`);
  });

  it('counts a lock on an index on its table only if the index existed when sampling began', async () => {
    // PostgreSQL makes a commit visible before it releases the transaction's locks: a
    // sample in between saw the index a CREATE INDEX had just made, under its ACCESS
    // EXCLUSIVE, and CI once reported vendors under ACCESS EXCLUSIVE for a CREATE INDEX
    // (SHARE). Here REINDEX INDEX holds ACCESS EXCLUSIVE on an index for as long as the
    // spec likes: one sampler started before the index was made, one after.
    const uri = await fresh();
    const [early, late] = [new TableLockSampler(uri, 'none%', 0), new TableLockSampler(uri, 'none%', 0)];
    const migrator = new pg.Client({ connectionString: uri });
    try {
      await migrator.connect();
      const pid = (await migrator.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      await early.connect();
      await late.connect();
      await early.start(pid);
      await migrator.query('CREATE INDEX "vendors_late_idx" ON "vendors" ("headquarters")');
      await late.start(pid);
      await migrator.query('BEGIN');
      await migrator.query('REINDEX INDEX "vendors_late_idx"');
      // Two more samples each: at least one began after REINDEX took its locks.
      const after = [early.sampleCount, late.sampleCount];
      while (early.sampleCount < after[0]! + 2 || late.sampleCount < after[1]! + 2) await new Promise((r) => setTimeout(r, 5));
      await migrator.query('COMMIT');
      const vendors = async (s: TableLockSampler) => (await s.stop()).locks.find((l) => l.table === 'vendors')?.mode;
      // REINDEX INDEX: SHARE on the table, ACCESS EXCLUSIVE on the index.
      expect(await vendors(early)).toBe('ShareLock');
      expect(await vendors(late)).toBe('AccessExclusiveLock');
    } finally {
      await early.close();
      await late.close();
      await migrator.end().catch(() => undefined);
    }
  });

  it('tells holds of statements committed one by one apart, however close together', async () => {
    // A STABLE default is evaluated once, by the ALTER, under ACCESS EXCLUSIVE (no rewrite):
    // each of these statements holds the lock 250 ms by construction, 6 of them 1.5 s in all.
    // Against a rule of 1 s: a busy machine's stall (750 ms of margin) does not take one hold past it.
    const setup = `CREATE FUNCTION slow_zero() RETURNS integer STABLE LANGUAGE sql AS 'SELECT 0 FROM pg_sleep(0.25)';`;
    const alters = Array.from({ length: 6 }, (_, i) => `ALTER TABLE "receipts" ADD COLUMN "c${i}" integer DEFAULT slow_zero();`).join(BREAK);
    const uri = await fresh();
    await withConnection(uri, (c) => c.query(setup));
    // No clients: nothing queues between the statements, the holds follow each other within a millisecond.
    const [split] = await traceMigrations({ uri, workload: 'receipts', files: [{ file: '0003_columns.sql', sql: alters }], clients: 0, rules: { lockMs: 1000 } });
    expect(split!.error).toBeUndefined();
    expect(split!.locks.find((l) => l.table === 'receipts')).toMatchObject({ mode: 'AccessExclusiveLock', rewritten: false });
    // Each hold is a quarter of the 1 s rule; read as one, they would pass it.
    expect(split!.flags).toEqual([]);
    console.info(`six autocommitted ALTERs of 250 ms: longest hold ${split!.locks.find((l) => l.table === 'receipts')!.heldMs.toFixed(0)} ms, file ${split!.durationMs.toFixed(0)} ms`);
  });

  it('records and flags a failing statement, attempts no later file, and leaves nothing running', async () => {
    const uri = await fresh();
    const traces = await traceMigrations({
      uri,
      workload: 'receipts',
      files: [
        // A NOT NULL column without a default cannot be added to a table with rows.
        { file: '0003_codes.sql', sql: `ALTER TABLE "receipts" ADD COLUMN "flagged" boolean;${BREAK}ALTER TABLE "receipts" ADD COLUMN "code" integer NOT NULL;` },
        { file: '0004_after.sql', sql: 'ALTER TABLE "receipts" ADD COLUMN "later" integer;' },
      ],
    });
    expect(traces).toHaveLength(1);
    const [trace] = traces;
    expect(trace!.error).toMatch(/^statement 2 of 2 \(ALTER TABLE "receipts" ADD COLUMN "code" integer NOT NULL;\): .*contains null values \[23502\]$/);
    expect(trace!.flags).toContain(`fails: ${trace!.error}`);
    expect(trace!.notAttempted).toEqual(['0004_after.sql']);
    const columns = await withConnection(uri, async (c) =>
      (await c.query<{ name: string }>("SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'receipts' AND column_name IN ('flagged', 'code', 'later')")).rows.map((r) => r.name),
    );
    // Statement by statement, the one before the failure stays committed, as in production.
    expect(columns).toEqual(['flagged']);
    // No client, sampler, migration or observer connection is left on the database.
    const left = async () =>
      withConnection(uri, async (c) => (await c.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")).rows[0]!.n);
    let n = await left();
    // A closed connection's backend exits just after the client is told: wait for it, bounded.
    for (let i = 0; n > 0 && i < 50; i++) {
      await new Promise((r) => setTimeout(r, 100));
      n = await left();
    }
    expect(n).toBe(0);
  });

  it('rolls back a failing file that runs in one transaction', async () => {
    const uri = await fresh();
    const [trace] = await traceMigrations({
      uri,
      workload: 'receipts',
      files: [{ file: '0003_codes.sql', sql: `-- schemabench: single-transaction\nALTER TABLE "receipts" ADD COLUMN "flagged" boolean;${BREAK}ALTER TABLE "receipts" ADD COLUMN "code" integer NOT NULL;` }],
    });
    expect(trace!.error).toMatch(/contains null values \[23502\]$/);
    const flagged = await withConnection(uri, async (c) => (await c.query<{ n: number }>("SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'receipts' AND column_name = 'flagged'")).rows[0]!.n);
    expect(flagged).toBe(0);
  });

  it('reports the locks of the statements before a failing one, bounded, statement by statement and in one transaction', async () => {
    // vendors is locked by the first statement only; the failing second one's locks cannot
    // be read (an aborted transaction answers no query): the sampler's, as before.
    const body = `ALTER TABLE "vendors" ADD COLUMN "rating" integer;${BREAK}ALTER TABLE "receipts" ADD COLUMN "code" integer NOT NULL;`;
    for (const sql of [body, `-- schemabench: single-transaction\n${body}`]) {
      const [trace] = await traceMigrations({ uri: await fresh(), workload: 'receipts', files: [{ file: '0003_codes.sql', sql }] });
      expect(trace!.error).toMatch(/^statement 2 of 2 .*contains null values \[23502\]$/);
      const vendors = trace!.locks.find((l) => l.table === 'vendors');
      expect(vendors).toMatchObject({ mode: 'AccessExclusiveLock', heldAtMostMs: expect.any(Number) });
      expect(vendors!.heldAtMostMs).toBeLessThanOrEqual(trace!.durationMs);
      expect(locksText(trace!)).toContain('vendors AccessExclusiveLock ');
    }
  });

  it('traces a change: head\'s new drizzle-kit migration on base\'s data, a note for an edited one, the copy dropped', async () => {
    const root = mkdtempSync(join(tmpdir(), 'schemabench-change-'));
    try {
      const [baseDir, headDir] = [join(root, 'base'), join(root, 'head')];
      cpSync(projectPath('migrations', 'receipts'), join(baseDir, 'migrations', 'receipts'), { recursive: true });
      cpSync(projectPath('migrations', 'receipts'), join(headDir, 'migrations', 'receipts'), { recursive: true });
      const folder = join(headDir, 'migrations', 'receipts');
      const journalPath = join(folder, 'meta', '_journal.json');
      const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { idx: number; when: number; tag: string }[] };
      const last = journal.entries.at(-1)!;
      journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1, tag: '0099_receipt_token' });
      writeFileSync(journalPath, JSON.stringify(journal));
      writeFileSync(join(folder, '0099_receipt_token.sql'), 'ALTER TABLE "receipts" ADD COLUMN "token" uuid DEFAULT gen_random_uuid();');
      const edited = `${journal.entries[0]!.tag}.sql`;
      writeFileSync(join(folder, edited), `${readFileSync(join(folder, edited), 'utf8')}\n-- edited after release\n`);
      const notes: string[] = [];
      let dropped = 0;
      const traces = await traceChangeMigrations({
        baseDir,
        headDir,
        workloads: ['receipts'],
        notes,
        baseCopy: async () => {
          const copy = await copyDataset(server, dataset, 'migchange');
          return { uri: copy.uri, drop: async () => void (await copy.drop(), dropped++) };
        },
      });
      expect(traces.map((t) => [t.workload, t.file, t.locks.find((l) => l.table === 'receipts')?.rewritten])).toEqual([['receipts', '0099_receipt_token.sql', true]]);
      expect(traces[0]!.flags[0]).toMatch(/^rewrites receipts /);
      expect(notes).toEqual([`receipts/${edited}: released migration edited in head; a database base migrated never runs it again`]);
      expect(dropped).toBe(1);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('refuses bad options, naming the option', async () => {
    await expect(traceMigrations({ uri: 'postgres://x', workload: 'receipts', files: [], clients: -1 })).rejects.toThrow(/^clients must be an integer >= 0/);
    await expect(traceMigrations({ uri: 'postgres://x', workload: 'receipts', files: [], rules: { lockMs: -5 } })).rejects.toThrow(/^rules.lockMs must be a number >= 0/);
  });
});

describe('newMigrations and editedMigrations', () => {
  // Made in beforeAll, not at collection: a run that filters these tests out (-t) must not leave it.
  let root = '';
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'schemabench-newmig-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  /** A drizzle-kit folder: the files, and a journal listing `journal` (default: all). */
  const folder = (name: string, files: Record<string, string>, journal = Object.keys(files)) => {
    const dir = join(root, name);
    mkdirSync(join(dir, 'meta'), { recursive: true });
    for (const [file, sql] of Object.entries(files)) writeFileSync(join(dir, file), sql);
    const entries = journal.map((file, idx) => ({ idx, version: '7', when: 1795435222769 + idx, tag: file.replace(/\.sql$/, ''), breakpoints: true }));
    writeFileSync(join(dir, 'meta', '_journal.json'), JSON.stringify({ version: '7', dialect: 'postgresql', entries }));
    return dir;
  };

  it('finds the files head adds, in journal order, and reports an edited and a removed one', () => {
    const base = folder('base', { '0000_init.sql': 'CREATE TABLE a (id int PRIMARY KEY);', '0001_b.sql': 'CREATE TABLE b (id int);', '0002_c.sql': 'CREATE TABLE c (id int);' });
    const head = folder(
      'head',
      {
        '0000_init.sql': 'CREATE TABLE a (id int PRIMARY KEY);',
        '0001_b.sql': 'CREATE TABLE b (id bigint);',
        '0003_d.sql': 'CREATE TABLE d (id int);',
        '0004_e.sql': 'ALTER TABLE d ADD COLUMN e int;',
        // Not in the journal: drizzle's migrate() never applies it.
        '0005_stray.sql': 'DROP TABLE a;',
      },
      ['0000_init.sql', '0001_b.sql', '0003_d.sql', '0004_e.sql'],
    );
    expect(newMigrations(base, head)).toEqual([
      { file: '0003_d.sql', sql: 'CREATE TABLE d (id int);' },
      { file: '0004_e.sql', sql: 'ALTER TABLE d ADD COLUMN e int;' },
    ]);
    expect(editedMigrations(base, head)).toEqual([
      { file: '0001_b.sql', change: 'edited' },
      { file: '0002_c.sql', change: 'removed' },
    ]);
    expect(newMigrations(base, base)).toEqual([]);
    expect(editedMigrations(base, base)).toEqual([]);
  });

  it('takes every head file as new when base has no folder, and *.sql in name order without a journal', () => {
    const head = join(root, 'plain');
    mkdirSync(head);
    writeFileSync(join(head, '0001_b.sql'), 'SELECT 2;');
    writeFileSync(join(head, '0000_a.sql'), 'SELECT 1;\r\n');
    writeFileSync(join(head, 'notes.txt'), 'not a migration');
    expect(newMigrations(join(root, 'missing'), head)).toEqual([
      { file: '0000_a.sql', sql: 'SELECT 1;\n' },
      { file: '0001_b.sql', sql: 'SELECT 2;' },
    ]);
  });

  it('splits a file on drizzle-kit breakpoints and reads the transaction header', () => {
    expect(migrationStatements('ALTER TABLE a ADD b int;--> statement-breakpoint\nCREATE INDEX i ON a (b);\n--> statement-breakpoint\n-- only a comment\n')).toEqual({
      statements: ['ALTER TABLE a ADD b int;', 'CREATE INDEX i ON a (b);'],
      singleTransaction: false,
    });
    expect(migrationStatements('-- schemabench: single-transaction\nSELECT 1;').singleTransaction).toBe(true);
    expect(migrationStatements('SELECT 1;\n-- schemabench: single-transaction').singleTransaction).toBe(false);
  });
});

describe('lock holds', () => {
  it('bounds each table lock from the statement that first showed it to the end of its transaction', () => {
    const held = new HeldLocks();
    // One transaction: RowExclusive after the statement begun at 10, AccessExclusive after the one begun at 30.
    held.seen([{ oid: 1, table: 'receipts', mode: 'RowExclusiveLock' }], 10);
    held.seen([{ oid: 1, table: 'receipts', mode: 'RowExclusiveLock' }, { oid: 2, table: 'vendors', mode: 'ShareLock' }], 20);
    held.seen([{ oid: 1, table: 'receipt', mode: 'AccessExclusiveLock' }, { oid: 2, table: 'vendors', mode: 'ShareLock' }], 30);
    held.released(50);
    // Another: a shorter AccessExclusive on receipts, a longer ShareLock on vendors, nothing once released.
    held.seen([{ oid: 1, table: 'receipt', mode: 'AccessExclusiveLock' }, { oid: 2, table: 'vendors', mode: 'ShareLock' }], 100);
    held.released(110);
    held.released(500);
    expect(held.locks).toEqual([
      { oid: 1, table: 'receipt', mode: 'AccessExclusiveLock', heldAtMostMs: 20 },
      { oid: 2, table: 'vendors', mode: 'ShareLock', heldAtMostMs: 30 },
    ]);
  });

  it('prints a hold as the bound when it is brief, else the sampled stretch, else the bound rounded up', () => {
    expect(holdText({ heldMs: 0, heldAtMostMs: 3.2 })).toBe('< 5 ms');
    expect(holdText({ heldMs: 4, heldAtMostMs: 4.9 })).toBe('< 5 ms');
    expect(holdText({ heldMs: 1790.4, heldAtMostMs: 1795 })).toBe('1,790 ms');
    expect(holdText({ heldMs: 0, heldAtMostMs: 12.2 })).toBe('≤ 13 ms');
    expect(holdText({ heldMs: 0 })).toBe('< 5 ms');
    expect(holdText({ heldMs: 0, heldAtMostMs: 7 }, 10)).toBe('< 10 ms');
  });

  it('keeps a bound on the strongest lock only when it covers every hold of that mode', () => {
    const lock = (mode: string, heldMs: number, heldAtMostMs?: number) => ({
      table: 't',
      mode,
      heldMs,
      rows: 1,
      rewritten: false,
      ...(heldAtMostMs === undefined ? {} : { heldAtMostMs }),
    });
    const strongest = (...locks: ReturnType<typeof lock>[]) => strongestLocks(locks)[0]!.heldAtMostMs;
    expect(strongest(lock('AccessExclusiveLock', 0, 3), lock('AccessExclusiveLock', 2, 9))).toBe(9);
    expect(strongest(lock('AccessExclusiveLock', 0, 3), lock('AccessExclusiveLock', 300))).toBeUndefined();
    expect(strongest(lock('RowExclusiveLock', 0, 40), lock('AccessExclusiveLock', 0, 3))).toBe(3);
    expect(strongest(lock('AccessExclusiveLock', 0, 3), lock('RowExclusiveLock', 500))).toBe(3);
  });
});
