/**
 * Applies a change's new migrations to a private copy of base's dataset, one file after
 * another, each under load: application clients read and write by primary key the whole
 * time (primary-key-operations.ts) while a sampler watches the locks the migration holds
 * and the clients wait on (table-lock-sampler.ts), and the migration reads its own locks
 * before each COMMIT (apply-statements.ts): a lock too brief for the sampler is still
 * named, with a bound on its hold. Per file: duration, statements, the strongest lock on
 * each table and how long it was held, rewrites (relfilenode changed), rows touched, the
 * worst client wait, and flags by the documented rules (flag-rules.ts).
 *
 * Transactions. Each statement runs as its own transaction, the way the step runner
 * (harness/migrate) or a careful operator applies a drizzle-kit file: a lock lasts as
 * long as its statement. A file whose first line is
 * `-- schemabench: single-transaction` runs whole in one transaction instead. That is
 * what drizzle's own migrate() does, and more: it wraps ALL pending migrations in one
 * transaction, and PostgreSQL releases table locks only at commit, so every lock of every
 * statement accumulates and is held until the last statement of the last file is done.
 *
 * Failures. A failing statement stops its file (in a single transaction, the file is
 * rolled back; statement by statement, the ones before it stay committed, as they would
 * in production) and is recorded and flagged. Later files are not attempted: drizzle-kit
 * migrations are ordered, a later one may build on what the failed one did, and a deploy
 * stops at the first failure too. They are listed in the failed trace's `notAttempted`.
 */
import pg from 'pg';
import { ApplicationLoad } from '../migrate/application-load.ts';
import { applyStatements, type AppliedStatements } from './apply-statements.ts';
import type { MigrationTrace, TableLock } from '../judge/evidence.ts';
import { flagRules, flagTrace, type FlagRules } from './flag-rules.ts';
import type { HeldLock } from './held-locks.ts';
import { lockStrength } from '../judge/lock-modes.ts';
import type { MigrationFile } from './migration-files.ts';
import { migrationStatements } from './migration-statements.ts';
import { keyedTables, primaryKeyOperations } from './primary-key-operations.ts';
import { TableLockSampler, type LockSample, type SampledLock } from './table-lock-sampler.ts';
import { userTables, type UserTable } from './user-tables.ts';

export interface TraceOptions {
  /** A private copy of base's dataset: the files are applied to it for real. */
  uri: string;
  /** Workload the files belong to (copied into each trace). */
  workload: string;
  /** The migrations to apply, in order (newMigrations()). */
  files: MigrationFile[];
  /** Application clients running while each file is applied; 0: none. @default 4 */
  clients?: number;
  /** Overrides of the flag rules. @default DEFAULT_FLAG_RULES (minRows 1000, lockMs 100) */
  rules?: Partial<FlagRules>;
  /** Pause between two lock samples, ms. @default 5 */
  samplingMs?: number;
}

/** Every command that gives a table a new relfilenode takes ACCESS EXCLUSIVE on it. */
const REWRITE_LOCK = 'AccessExclusiveLock';
const CLIENTS = 'schemabench app client%';

function checkOptions(options: TraceOptions): void {
  if (typeof options.uri !== 'string' || !options.uri) throw new Error('uri must be a connection string');
  if (typeof options.workload !== 'string' || !options.workload) throw new Error('workload must be a name');
  if (!Array.isArray(options.files) || options.files.some((f) => typeof f?.file !== 'string' || typeof f?.sql !== 'string')) {
    throw new Error('files must be an array of { file, sql } strings');
  }
  const clients = options.clients ?? 4;
  if (!Number.isInteger(clients) || clients < 0) throw new Error(`clients must be an integer >= 0 (got ${JSON.stringify(options.clients)})`);
  const samplingMs = options.samplingMs ?? 5;
  if (typeof samplingMs !== 'number' || !(samplingMs >= 0)) throw new Error(`samplingMs must be a number >= 0 (got ${JSON.stringify(options.samplingMs)})`);
}

type MergedLock = Pick<TableLock, 'mode' | 'heldMs' | 'heldAtMostMs' | 'blocksWritesMs'>;

/**
 * One table's lock from both sources: the stronger mode, the sampler's stretch of it and
 * of writes blocked, and the bound of the reads. When every statement's locks were read,
 * the bound covers every hold, and a stretch above it is the sampler's timing (a sample
 * taken before COMMIT can be answered after it): the stretch is cut to the bound. When
 * some were not (run outside a transaction block, or failed), a stretch longer than the
 * bound was one of theirs: no bound.
 */
function mergedLock(sampled: SampledLock | undefined, held: HeldLock | undefined, everyStatementRead: boolean): MergedLock {
  const mode = held && (!sampled || lockStrength(held.mode) > lockStrength(sampled.mode)) ? held.mode : sampled!.mode;
  const lock: MergedLock = { mode, heldMs: sampled?.mode === mode ? sampled.heldMs : 0, blocksWritesMs: sampled?.blocksWritesMs ?? 0 };
  if (held?.mode !== mode) return lock;
  if (everyStatementRead) lock.heldMs = Math.min(lock.heldMs, held.heldAtMostMs);
  if (everyStatementRead || lock.heldMs <= held.heldAtMostMs) lock.heldAtMostMs = held.heldAtMostMs;
  return lock;
}

/** The locks read in the transactions, the sampled ones and the rewritten tables, as the report's TableLock rows. */
function tableLocks(sample: LockSample, applied: AppliedStatements, before: UserTable[], after: UserTable[]): TableLock[] {
  const was = new Map(before.map((t) => [t.oid, t]));
  const now = new Map(after.map((t) => [t.oid, t]));
  // A partitioned table has no storage (relfilenode 0); its partitions are listed themselves.
  const rewritten = new Set(after.filter((t) => t.relfilenode !== '0' && was.has(t.oid) && was.get(t.oid)!.relfilenode !== t.relfilenode).map((t) => t.oid));
  const sampled = new Map(sample.locks.map((l) => [l.oid, l]));
  const bounded = new Map(applied.held.map((l) => [l.oid, l]));
  const locks: TableLock[] = [...new Set([...sampled.keys(), ...bounded.keys()])].map((oid) => ({
    table: now.get(oid)?.name ?? bounded.get(oid)?.table ?? sampled.get(oid)!.table,
    ...mergedLock(sampled.get(oid), bounded.get(oid), applied.unread === 0),
    rows: was.get(oid)?.rows ?? 0,
    rewritten: rewritten.has(oid),
  }));
  // A rewrite run outside a transaction block (VACUUM FULL) and too short for the sampler
  // still happened under ACCESS EXCLUSIVE.
  for (const oid of rewritten) {
    if (sampled.has(oid) || bounded.has(oid)) continue;
    locks.push({ table: now.get(oid)!.name, mode: REWRITE_LOCK, heldMs: 0, rows: was.get(oid)!.rows, rewritten: true, blocksWritesMs: 0 });
  }
  return locks.sort((a, b) => a.table.localeCompare(b.table));
}

async function traceFile(migrator: pg.Client, pid: number, observer: pg.Client, file: MigrationFile, options: TraceOptions, rules: FlagRules): Promise<MigrationTrace> {
  const { statements, singleTransaction } = migrationStatements(file.sql);
  const samplingMs = options.samplingMs ?? 5;
  const clients = options.clients ?? 4;
  const before = await userTables(observer);
  const operations = clients > 0 ? primaryKeyOperations(await keyedTables(observer), clients) : [];
  const load = operations.length ? new ApplicationLoad(options.uri, operations, clients) : undefined;
  const sampler = new TableLockSampler(options.uri, CLIENTS, samplingMs);
  let started = 0;
  let ended = 0;
  let outcome: AppliedStatements;
  let sample: LockSample;
  try {
    await sampler.connect();
    // The clients run before the first statement and until after the last.
    await load?.start();
    await sampler.start(pid);
    started = performance.now();
    outcome = await applyStatements(migrator, statements, singleTransaction, new Map(before.map((t) => [t.oid, t.name])));
    ended = performance.now();
    sample = await sampler.stop();
  } finally {
    // Whatever failed above: no client and no sampler connection outlives the file.
    await load?.stop().catch(() => undefined);
    await sampler.close();
  }
  const after = await userTables(observer, false);
  const window = load?.window(started, ended);
  const trace: MigrationTrace = {
    workload: options.workload,
    file: file.file,
    durationMs: ended - started,
    statements: statements.length,
    locks: tableLocks(sample, outcome, before, after),
    rowsTouched: outcome.rowsTouched,
    worstClientWaitMs: window?.longestMs ?? 0,
    flags: [],
    transaction: singleTransaction ? 'single' : 'per-statement',
    worstLockWaitMs: sample.longestClientLockWaitMs,
    clientOperations: window?.operations ?? 0,
    clientErrors: window?.errors ?? 0,
    samplingMs,
  };
  if (outcome.error !== undefined) trace.error = outcome.error;
  trace.flags = flagTrace(trace, rules, samplingMs);
  return trace;
}

/** Apply `files` in order to `uri` under load; one trace per file attempted. */
export async function traceMigrations(options: TraceOptions): Promise<MigrationTrace[]> {
  checkOptions(options);
  const rules = flagRules(options.rules);
  const migrator = new pg.Client({ connectionString: options.uri, application_name: 'schemabench migration' });
  const observer = new pg.Client({ connectionString: options.uri, application_name: 'schemabench migration observer' });
  // A connection the server drops emits 'error' on the client: without a listener, Node would crash.
  migrator.on('error', () => undefined);
  observer.on('error', () => undefined);
  const traces: MigrationTrace[] = [];
  try {
    await migrator.connect();
    await observer.connect();
    const pid = (await migrator.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    for (const [i, file] of options.files.entries()) {
      const trace = await traceFile(migrator, pid, observer, file, options, rules);
      traces.push(trace);
      if (trace.error !== undefined) {
        const rest = options.files.slice(i + 1).map((f) => f.file);
        if (rest.length) trace.notAttempted = rest;
        break;
      }
    }
  } finally {
    await migrator.end().catch(() => undefined);
    await observer.end().catch(() => undefined);
  }
  return traces;
}
