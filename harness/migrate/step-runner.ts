/**
 * Runs migration steps one at a time, the way a careful operator would: under a
 * session advisory lock (two runners never interleave), each step with its own
 * lock_timeout and statement_timeout, in a transaction or not as the step says,
 * batched steps range by range, a step that cannot get its lock in time retried,
 * verification after every step, and each applied step recorded so a rerun after a
 * failure resumes where it stopped. drizzle's migrate() can do none of this: it wraps
 * every pending migration in one transaction and takes no lock.
 */
import pg from 'pg';
import type { MigrationStep } from './migration-step.ts';

export type StepStatus = 'success' | 'error' | 'not-executed';

export interface StepResult {
  id: string;
  status: StepStatus;
  /** Time of the step's SQL (retries included), without verification. */
  durationMs: number;
  /** Time of the checks after the step. */
  verifyMs: number;
  rowsAffected: number;
  attempts: number;
  error?: string;
  failedChecks?: string[];
}

export interface Check {
  name: string;
  passed: boolean;
  detail: string;
}

export interface RunOptions {
  /** Name of this migration (tracking rows and the advisory lock key). */
  recipe: string;
  direction?: 'up' | 'down';
  /** Checks after each step; any failed check stops the run (and, up, rolls back). */
  verify?: (client: pg.Client, step: MigrationStep) => Promise<Check[]>;
  /** Roll back the applied steps of this run when a step or a check fails. @default true */
  rollbackOnFailure?: boolean;
  /** Times a step is retried when it could not get its lock in time (SQLSTATE 55P03). @default 3 */
  lockRetries?: number;
  onStepStart?: (step: MigrationStep, backendPid: number) => Promise<void> | void;
  /** After each batch of a batched step (0-based), with the runner's backend pid. */
  onBatch?: (step: MigrationStep, batch: number, backendPid: number) => Promise<void> | void;
  onStepEnd?: (step: MigrationStep, result: StepResult) => Promise<void> | void;
}

const TRACKING = 'schemabench_migration_steps';

async function applied(client: pg.Client, recipe: string): Promise<Set<string>> {
  await client.query(`CREATE TABLE IF NOT EXISTS ${TRACKING} (recipe text NOT NULL, id text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (recipe, id))`);
  const { rows } = await client.query<{ id: string }>(`SELECT id FROM ${TRACKING} WHERE recipe = $1`, [recipe]);
  return new Set(rows.map((r) => r.id));
}

async function runStatements(
  client: pg.Client,
  step: MigrationStep,
  sql: string[],
  track: () => Promise<unknown>,
  onBatch?: (batch: number) => Promise<void> | void,
): Promise<number> {
  let rows = 0;
  const settings = async (local: boolean) => {
    await client.query(`SET ${local ? 'LOCAL ' : ''}lock_timeout = '${step.lockTimeout.replace(/'/g, '')}'`);
    await client.query(`SET ${local ? 'LOCAL ' : ''}statement_timeout = '${step.statementTimeout.replace(/'/g, '')}'`);
  };
  if (step.transactional && !step.batch) {
    await client.query('BEGIN');
    try {
      await settings(true);
      for (const s of sql) rows += (await client.query(s)).rowCount ?? 0;
      await track();
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    return rows;
  }
  await settings(false);
  try {
    if (step.batch && sql === step.up) {
      const { table, column, size } = step.batch;
      const id = pg.escapeIdentifier;
      const { rows: range } = await client.query<{ lo: string | null; hi: string | null }>(`SELECT min(${id(column)})::text AS lo, max(${id(column)})::text AS hi FROM ${id(table)}`);
      if (range[0]!.lo !== null) {
        for (let lo = Number(range[0]!.lo), batch = 0; lo <= Number(range[0]!.hi); lo += size, batch++) {
          rows += (await client.query(sql[0]!, [lo, lo + size])).rowCount ?? 0;
          await onBatch?.(batch);
        }
      }
    } else {
      for (const s of sql) rows += (await client.query(s)).rowCount ?? 0;
    }
    await track();
  } finally {
    await client.query('RESET lock_timeout').catch(() => undefined);
    await client.query('RESET statement_timeout').catch(() => undefined);
  }
  return rows;
}

/** Run `steps` up (pending ones, in order) or down (applied ones, in reverse) on `uri`. */
export async function runSteps(uri: string, steps: MigrationStep[], options: RunOptions): Promise<StepResult[]> {
  const direction = options.direction ?? 'up';
  const client = new pg.Client({ connectionString: uri, application_name: `schemabench migrate ${options.recipe}` });
  client.on('error', () => undefined);
  await client.connect();
  const results: StepResult[] = [];
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`schemabench:${options.recipe}`]);
    const done = await applied(client, options.recipe);
    const todo = direction === 'up' ? steps.filter((s) => !done.has(s.id)) : [...steps].reverse().filter((s) => done.has(s.id));
    const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    let failed = false;
    for (const step of todo) {
      if (failed) {
        results.push({ id: step.id, status: 'not-executed', durationMs: 0, verifyMs: 0, rowsAffected: 0, attempts: 0 });
        continue;
      }
      await options.onStepStart?.(step, pid);
      const started = performance.now();
      const track = () =>
        direction === 'up'
          ? client.query(`INSERT INTO ${TRACKING} (recipe, id) VALUES ($1, $2)`, [options.recipe, step.id])
          : client.query(`DELETE FROM ${TRACKING} WHERE recipe = $1 AND id = $2`, [options.recipe, step.id]);
      const result: StepResult = { id: step.id, status: 'success', durationMs: 0, verifyMs: 0, rowsAffected: 0, attempts: 0 };
      for (;;) {
        result.attempts++;
        try {
          const onBatch = options.onBatch && ((batch: number) => options.onBatch!(step, batch, pid));
          result.rowsAffected = await runStatements(client, step, direction === 'up' ? step.up : step.down, track, onBatch);
          break;
        } catch (error) {
          const e = error as { code?: string; message: string };
          if (e.code === '55P03' && result.attempts <= (options.lockRetries ?? 3)) continue;
          result.status = 'error';
          result.error = `${e.code ?? ''} ${e.message}`.trim();
          break;
        }
      }
      result.durationMs = performance.now() - started;
      if (result.status === 'success' && direction === 'up' && options.verify) {
        const checks = await options.verify(client, step);
        const failedChecks = checks.filter((c) => !c.passed).map((c) => `${c.name}: ${c.detail}`);
        if (failedChecks.length) {
          result.status = 'error';
          result.failedChecks = failedChecks;
          result.error = `verification failed: ${failedChecks.join('; ')}`;
        }
      }
      result.verifyMs = performance.now() - started - result.durationMs;
      results.push(result);
      await options.onStepEnd?.(step, result);
      failed = result.status === 'error';
    }
    // A session lock dies with its session: after a lost connection there is nothing to release.
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`schemabench:${options.recipe}`]).catch(() => undefined);
  } finally {
    await client.end().catch(() => undefined);
  }
  const failedUp = direction === 'up' && results.some((r) => r.status === 'error');
  const connectionLost = results.some((r) => r.status === 'error' && /terminat|connection/i.test(r.error ?? ''));
  if (failedUp && (options.rollbackOnFailure ?? true) && !connectionLost) {
    // Undo the steps this run applied (the failed one rolled back itself or left its tracking row unwritten).
    const appliedNow = new Set(results.filter((r) => r.status === 'success').map((r) => r.id));
    const failedStep = results.find((r) => r.status === 'error')!;
    // A step whose checks failed was applied: undo it too.
    if (failedStep.failedChecks) appliedNow.add(failedStep.id);
    const undo = { ...options, direction: 'down' as const, verify: undefined, onStepStart: undefined, onStepEnd: undefined, onBatch: undefined };
    await runSteps(uri, steps.filter((s) => appliedNow.has(s.id)), undo);
  }
  return results;
}
