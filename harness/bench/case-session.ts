/**
 * A case opened on its own connection: settings applied, setup and verify done,
 * ready to execute once, explain, or measure in rounds with tinybench.
 */
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { Bench } from 'tinybench';
import { caseId, toSqlStatement, type BenchmarkCase, type CaseContext, type SqlStatement } from './benchmark-case.ts';
import { explainPlan, type PlanMode, type PlanSummary } from './explain-plan.ts';
import type { DatasetCopy } from '../fixtures/dataset-cache.ts';
import { coldCacheUnsupported } from '../postgres/server-capabilities.ts';
import { withConnection } from '../postgres/with-connection.ts';
import { CaseSkipped } from './case-skipped.ts';
import type { RoundScheduler } from './round-scheduler.ts';

export interface SuiteEnvironment {
  uri: string;
  scale: number;
  seed: number;
  /** Another private copy of the suite's dataset (for tests that need a pristine database each time). */
  freshCopy?: () => Promise<DatasetCopy>;
  /** The suite file's turns with another run (compare); every measurement runs inside it. @default alone */
  scheduler?: RoundScheduler;
  /** The suite file, relative to the project: the first part of every measurement's label. */
  file?: string;
}

/** An error from a case, naming the case and carrying its SQL. */
export class CaseError extends Error {
  override readonly name = 'CaseError';
  constructor(benchmark: BenchmarkCase, what: string, cause: unknown, statement?: SqlStatement) {
    const sql = statement ? `\n  sql: ${statement.text}${statement.values?.length ? `\n  params: ${JSON.stringify(statement.values)}` : ''}` : '';
    super(`${caseId(benchmark)}: ${what} failed: ${(cause as Error)?.message ?? String(cause)}${sql}`, { cause });
  }
}

export class CaseSession {
  readonly id: string;
  statement: SqlStatement | undefined;
  /** Latency samples (ms) per measured round. */
  readonly rounds: number[][] = [];
  /** The compare turn of each round (round-scheduler.ts), when the run takes turns. */
  readonly turns: number[] = [];
  /** Iterations per measured round (agreed with the other side under compare). */
  iterations: number | undefined;
  plan: PlanSummary | undefined;
  /** What the last timed run returned, when it was a count (rows affected, rows inserted). */
  lastCount: number | undefined;
  /** The server's PostgreSQL major (for version-aware plan expectations). */
  serverMajor = 0;
  private evict: (() => Promise<void>) | undefined;

  private constructor(
    readonly benchmark: BenchmarkCase,
    readonly ctx: CaseContext,
    private readonly ownCopy?: DatasetCopy,
  ) {
    this.id = caseId(benchmark);
  }

  static async open(benchmark: BenchmarkCase, env: SuiteEnvironment): Promise<CaseSession> {
    if (benchmark.ownDatabase && !env.freshCopy) throw new CaseError(benchmark, 'open', new Error('ownDatabase needs a suite that can copy its dataset'));
    if (benchmark.cache === 'cold') {
      // Checked before any setup or copy: a server that cannot evict skips the case.
      const reason = await withConnection(env.uri, coldCacheUnsupported);
      if (reason) throw new CaseSkipped(caseId(benchmark), reason);
    }
    const ownCopy = benchmark.ownDatabase ? await env.freshCopy!() : undefined;
    const uri = ownCopy?.uri ?? env.uri;
    const client = new pg.Client({ connectionString: uri, application_name: `schemabench ${caseId(benchmark)}`.slice(0, 63) });
    await client.connect();
    const session = new CaseSession(benchmark, { client, db: drizzle({ client }), uri, scale: env.scale, seed: env.seed }, ownCopy);
    try {
      session.serverMajor = Math.floor(Number((await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0]!.v) / 10000);
      for (const [name, value] of Object.entries(benchmark.settings ?? {})) {
        await client.query('SELECT set_config($1, $2, false)', [name, value]);
      }
      await session.step('setup', () => benchmark.setup?.(session.ctx));
      const statement = benchmark.statement;
      session.statement = statement ? toSqlStatement(typeof statement === 'function' ? statement(session.ctx) : statement) : undefined;
      await session.step('verify', () => benchmark.verify?.(session.ctx));
    } catch (error) {
      await session.close();
      throw error;
    }
    return session;
  }

  private async step<T>(what: string, fn: () => Promise<T> | T | undefined): Promise<T | undefined> {
    try {
      return await fn();
    } catch (error) {
      // A skip (the server lacks something the case needs) stays a skip.
      throw error instanceof CaseError || error instanceof CaseSkipped ? error : new CaseError(this.benchmark, what, error, this.statement);
    }
  }

  /** Untimed per-iteration preparation: the case's beforeEach, then cold-cache eviction. */
  async prepare(): Promise<void> {
    await this.step('beforeEach', () => this.benchmark.beforeEach?.(this.ctx));
    await this.evict?.();
  }

  /** The timed work: run() or the statement. Its result is consumed: a count is kept as lastCount. */
  async execute(): Promise<unknown> {
    const result = this.benchmark.run
      ? await this.benchmark.run(this.ctx)
      : (await this.ctx.client.query(this.statement!.text, this.statement!.values)).rowCount;
    if (typeof result === 'number') this.lastCount = result;
    return result;
  }

  /**
   * The rows the statement returns, as arrays of values, for answer comparisons:
   * positional, so variants may name their columns differently.
   */
  async answer(): Promise<unknown[][]> {
    if (!this.statement) throw new CaseError(this.benchmark, 'answer', new Error('needs a statement'));
    const { text, values } = this.statement;
    return (await this.step('answer', async () => (await this.ctx.client.query({ text, values, rowMode: 'array' })).rows)) as unknown[][];
  }

  async explain(mode: PlanMode = 'chosen'): Promise<PlanSummary | undefined> {
    if (!this.statement) return undefined;
    await this.prepare();
    const plan = await this.step(`EXPLAIN (${mode})`, () => explainPlan(this.ctx.client, this.statement!, mode));
    if (mode === 'chosen') this.plan = plan;
    return plan;
  }

  /** Untimed warm-up runs; for cold cases, arm eviction of the plan's relations. */
  async warmUp(iterations: number): Promise<void> {
    for (let i = 0; i < iterations; i++) {
      await this.prepare();
      await this.step('warm-up run', () => this.execute());
    }
    if (this.benchmark.cache === 'cold') await this.armEviction();
  }

  /** One iteration timed alone, for calibration (ms). */
  async timeOnce(): Promise<number> {
    await this.prepare();
    const started = performance.now();
    await this.step('run', () => this.execute());
    return performance.now() - started;
  }

  /** One measured round of `iterations` with tinybench; throws (throws: true) if the task fails. */
  async measureRound(iterations: number): Promise<void> {
    const bench = new Bench({ iterations, time: 0, warmup: false, throws: true, retainSamples: true });
    bench.add(this.id, () => this.execute(), { beforeEach: () => this.prepare(), async: true });
    try {
      await bench.run();
    } catch (error) {
      throw error instanceof CaseError ? error : new CaseError(this.benchmark, 'measured run', error, this.statement);
    }
    const result = bench.tasks[0]!.result;
    if (result.state !== 'completed' || !result.latency.samples) {
      throw new CaseError(this.benchmark, 'measured run', new Error(`tinybench ended in state ${result.state}`), this.statement);
    }
    this.rounds.push([...result.latency.samples]);
  }

  /**
   * Cold cache: evict the relations of the chosen plan from shared buffers before each
   * iteration (PostgreSQL 17's pg_buffercache_evict; needs superuser: open() skips the
   * case where it is missing, server-capabilities.ts). The OS page
   * cache is not dropped, so a cold read is a copy from memory, not a disk seek.
   */
  private async armEviction(): Promise<void> {
    const plan = this.plan ?? (await this.explain('chosen'));
    const relations = [...(plan?.relations ?? []), ...(plan?.indexes ?? [])];
    await this.step('cold cache setup', () => this.ctx.client.query('CREATE EXTENSION IF NOT EXISTS pg_buffercache'));
    this.evict = async () => {
      await this.ctx.client.query(
        `SELECT count(pg_buffercache_evict(b.bufferid)) FROM pg_buffercache b
          WHERE b.reldatabase = (SELECT oid FROM pg_database WHERE datname = current_database())
            AND b.relfilenode IN (SELECT pg_relation_filenode(c.oid) FROM pg_class c WHERE c.relname = ANY($1))`,
        [relations],
      );
    };
  }

  async close(): Promise<void> {
    try {
      await this.benchmark.teardown?.(this.ctx);
    } finally {
      await this.ctx.client.end();
      await this.ownCopy?.drop();
    }
  }
}
