/**
 * Migration steps as SQL files: `NNNN_name.up.sql` and an optional `NNNN_name.down.sql`
 * in one folder per recipe. Statements are separated by drizzle-kit's
 * `--> statement-breakpoint`. A header line sets how the step runs:
 *
 *   -- schemabench: transaction=off lock_timeout=2s statement_timeout=5min batch=legacy_receipts.id:10000
 *
 * transaction  on (default): all statements in one transaction; off: one by one
 *              (CREATE INDEX CONCURRENTLY cannot run inside a transaction block).
 * lock_timeout / statement_timeout: per step, so a step waiting behind the
 *              application's locks gives up instead of queueing everyone behind it.
 * batch=T.C:N  run the (single) statement once per range [$1, $2) of column C of
 *              table T, N wide, each range in its own transaction (short row locks).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface MigrationStep {
  /** File name without .up.sql, e.g. '0004_backfill_vendor_id'. */
  id: string;
  up: string[];
  down: string[];
  transactional: boolean;
  lockTimeout: string;
  statementTimeout: string;
  batch?: { table: string; column: string; size: number };
}

const DEFAULTS = { transaction: 'on', lock_timeout: '2s', statement_timeout: '10min' };

function statements(sql: string): string[] {
  return sql
    .split('--> statement-breakpoint')
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter(Boolean);
}

function directives(sql: string, file: string): Record<string, string> {
  const line = sql.split('\n').find((l) => l.startsWith('-- schemabench:'));
  const found: Record<string, string> = { ...DEFAULTS };
  for (const pair of line?.slice('-- schemabench:'.length).trim().split(/\s+/).filter(Boolean) ?? []) {
    const [key, value] = pair.split('=');
    if (!key || value === undefined || !['transaction', 'lock_timeout', 'statement_timeout', 'batch'].includes(key)) {
      throw new Error(`${file}: unknown schemabench directive ${JSON.stringify(pair)}`);
    }
    found[key] = value;
  }
  return found;
}

export function loadSteps(folder: string): MigrationStep[] {
  const files = readdirSync(folder).sort();
  return files
    .filter((f) => f.endsWith('.up.sql'))
    .map((file) => {
      const id = file.slice(0, -'.up.sql'.length);
      const up = readFileSync(join(folder, file), 'utf8');
      const downFile = `${id}.down.sql`;
      const down = files.includes(downFile) ? readFileSync(join(folder, downFile), 'utf8') : '';
      const d = directives(up, file);
      const step: MigrationStep = {
        id,
        up: statements(up),
        down: statements(down),
        transactional: d.transaction !== 'off',
        lockTimeout: d.lock_timeout!,
        statementTimeout: d.statement_timeout!,
      };
      if (d.batch) {
        const m = /^([a-z_][a-z0-9_]*)\.([a-z_][a-z0-9_]*):(\d+)$/.exec(d.batch);
        if (!m) throw new Error(`${file}: batch must be table.column:size (got ${d.batch})`);
        if (step.up.length !== 1) throw new Error(`${file}: a batched step has exactly one statement`);
        step.batch = { table: m[1]!, column: m[2]!, size: Number(m[3]) };
      }
      return step;
    });
}
