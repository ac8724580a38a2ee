/**
 * When a migration is flagged (docs/safe-migrations.md, "Migrations of a change"): it
 * rewrites a table that has rows, or holds a lock that makes writes wait (SHARE or
 * stronger; ACCESS EXCLUSIVE makes reads wait too) on such a table for long, or fails
 * on base's data. One plain-text line per table (a rewrite's line carries its lock time,
 * so a rewritten table gets no second line), one for a failure.
 *
 * "For long" reads the sampler's stretches (heldMs, blocksWritesMs), never a bound
 * (heldAtMostMs): a lock only the migration's own read before COMMIT saw was too brief
 * for the sampler, and a brief ACCESS EXCLUSIVE is not flagged for its lock.
 *
 * At production size (flagForecast), only against a statistics snapshot's rows — a
 * guess of production's size is shown, never flagged: a lock that blocks writes on a
 * table production holds at least `minRows` rows of, predicted held `lockMs` or longer
 * even at the low end of its interval; and a rewrite of such a table that the measured
 * rules did not flag (the table was small at compare's scale).
 */
import { fmtInt } from '../report/text-table.ts';
import { predictionText } from '../judge/evidence-text.ts';
import { predicted, type MigrationForecast, type MigrationTrace } from '../judge/evidence.ts';
import { DEFAULT_RULES } from '../judge/judge-rules.ts';
import { BLOCKS_WRITES, lockStrength } from '../judge/lock-modes.ts';
import { holdText } from '../judge/strongest-locks.ts';

export interface FlagRules {
  /** Tables with fewer rows before the migration are never flagged (a rewrite or lock of a small table is quick). @default 1000 */
  minRows: number;
  /** A mode of SHARE or stronger held contiguously at least this long is flagged, ms. @default 100 */
  lockMs: number;
}

/** The judge's rules table holds the defaults (migrationMinRows, migrationLockMs). */
export const DEFAULT_FLAG_RULES: FlagRules = { minRows: DEFAULT_RULES.migrationMinRows, lockMs: DEFAULT_RULES.migrationLockMs };

/** The rules with `overrides` applied, checked: each a number >= 0. */
export function flagRules(overrides: Partial<FlagRules> = {}): FlagRules {
  const rules = { ...DEFAULT_FLAG_RULES, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) };
  for (const [name, value] of Object.entries(rules)) {
    if (typeof value !== 'number' || !(value >= 0)) throw new Error(`rules.${name} must be a number >= 0 (got ${JSON.stringify(value)})`);
  }
  return rules;
}

/** `12 ms`, or `< 5 ms` when it was seen in one sample or not at all. */
function held(ms: number, intervalMs: number): string {
  return ms < 1 ? `< ${Math.max(1, intervalMs)} ms` : `${fmtInt(ms)} ms`;
}

/** Why `trace` is flagged under `rules`; empty when it is safe by them. */
export function flagTrace(trace: Pick<MigrationTrace, 'locks' | 'error'>, rules: FlagRules, intervalMs: number): string[] {
  const flags: string[] = [];
  for (const lock of trace.locks) {
    if (lock.rows < rules.minRows) continue;
    const blocksWritesMs = lock.blocksWritesMs ?? (lock.mode === 'AccessExclusiveLock' ? lock.heldMs : 0);
    if (lock.rewritten) {
      flags.push(`rewrites ${lock.table} (${lock.rows} rows) under ${lock.mode} held ${holdText(lock, intervalMs)}`);
    } else if (lock.mode === 'AccessExclusiveLock' && lock.heldMs >= rules.lockMs) {
      flags.push(`holds AccessExclusiveLock on ${lock.table} (${lock.rows} rows) for ${holdText(lock, intervalMs)}: reads and writes wait`);
    } else if (blocksWritesMs >= rules.lockMs) {
      flags.push(`holds ${lock.mode} on ${lock.table} (${lock.rows} rows), writes blocked for ${held(blocksWritesMs, intervalMs)}`);
    }
  }
  if (trace.error !== undefined) flags.push(`fails: ${trace.error}`);
  return flags;
}

/** `at production size (receipts 1,000,000 rows)` */
const atProduction = (table: string, rows: number) => `at production size (${table} ${fmtInt(rows)} rows)`;

/** Why `forecast` flags the migration at production size; empty without a snapshot. `measured` is compare's own trace of the file. */
export function flagForecast(measured: Pick<MigrationTrace, 'locks'>, forecast: MigrationForecast, rules: FlagRules): string[] {
  if (forecast.at.source !== 'snapshot') return [];
  const rewriteFlagged = (table: string) => measured.locks.some((l) => l.table === table && l.rewritten && l.rows >= rules.minRows);
  const flags: string[] = [];
  for (const lock of forecast.locks) {
    const rows = lock.held.rows;
    if (rows === null || rows < rules.minRows) continue;
    const strength = lockStrength(lock.mode);
    if (predicted(lock.held) && strength >= BLOCKS_WRITES && lock.held.low >= rules.lockMs) {
      const wait = strength === lockStrength('AccessExclusiveLock') ? 'reads and writes wait' : 'writes wait';
      flags.push(`${atProduction(lock.table, rows)}: predicted to hold ${lock.mode} on ${lock.table} for ${predictionText(lock.held, 'ms')}: ${wait}`);
    } else if (lock.rewritten && !rewriteFlagged(lock.table)) {
      flags.push(`${atProduction(lock.table, rows)}: rewrites ${lock.table} under ${lock.mode}`);
    }
  }
  return flags;
}
