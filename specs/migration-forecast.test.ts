/**
 * A change's migrations at production size (issue 22, part 5): the forecast of a file from
 * its traces at several scales (harness/compare/migration-forecast.ts) on hand-built traces
 * — what is predicted, what is not and why, the flags it earns against a snapshot and
 * never against a guess — how the terminal and the pull-request comment show it, and one
 * real trace on receipts at 0.02, 0.05 and 0.1 under load (forecast-migrations.ts), whose
 * assertions are deterministic: the points recorded at each scale's rows, rows written
 * predicted exactly, a rewrite named at production's rows. Durations are never asserted.
 */
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { describe, expect, it } from 'vitest';
import { suiteServer } from '../harness/bench/suite-server.ts';
import { DEFAULT_FLAG_RULES, flagForecast, flagRules } from '../harness/compare/flag-rules.ts';
import { forecastMigrations } from '../harness/compare/forecast-migrations.ts';
import { scaleTarget, snapshotTarget } from '../harness/compare/forecast-target.ts';
import { migrationForecast, type ForecastTarget, type TracedRun } from '../harness/compare/migration-forecast.ts';
import { copyDataset, ensureDataset } from '../harness/fixtures/dataset-cache.ts';
import { predicted, type MigrationForecast, type MigrationTrace, type TableLock } from '../harness/judge/evidence.ts';
import { judge } from '../harness/judge/judge.ts';
import { COMMENT_LIMIT } from '../harness/judge/comment-budget.ts';
import { judgementMarkdown } from '../harness/judge/judgement-markdown.ts';
import { judgementText, TEXT_WIDTH } from '../harness/judge/judgement-text.ts';
import { reproduceCommands } from '../harness/judge/reproduce-command.ts';
import { loadWorkload } from '../harness/workloads/load-workload.ts';
import { HOSTILE, sampleInput } from './helpers/judge-evidence.ts';
import { rowsSnapshot } from './helpers/sample-snapshot.ts';

const BREAK = '\n--> statement-breakpoint\n';
const SCALES = [0.1, 0.3, 1];

const PRODUCTION = snapshotTarget(rowsSnapshot({ receipts: 1_000_000, vendors: 14 }), 'fixtures/receipts/production-stats.json');

/** A trace of `file` at `scale` (receipts of 100,000 rows at scale 1): a lock on receipts held `perRow` ms per row plus 5. */
function trace(file: string, scale: number, lock: Partial<TableLock> & { perRow: number }, extra: Partial<MigrationTrace> = {}): MigrationTrace {
  const rows = Math.round(100_000 * scale);
  const { perRow, ...given } = lock;
  const heldMs = 5 + perRow * rows;
  return {
    workload: 'receipts',
    file,
    durationMs: heldMs + 3,
    statements: 1,
    locks: [{ table: 'receipts', mode: 'AccessExclusiveLock', heldMs, heldAtMostMs: heldMs + 1, rows, rewritten: true, ...given }],
    rowsTouched: 0,
    worstClientWaitMs: heldMs,
    flags: [],
    ...extra,
  };
}

/** Two runs at each scale of SCALES; `make` builds the traces of one run. */
const runs = (make: (scale: number, run: number) => MigrationTrace[]): TracedRun[] => [1, 2].flatMap((run) => SCALES.map((scale) => ({ scale, traces: make(scale, run) })));

/** A rewrite whose hold grows 0.006 ms per row, ±5% between the two runs. */
const rewriteRuns = () => runs((scale, run) => [trace('0003_rewrite.sql', scale, { perRow: 0.006 * (run === 1 ? 0.95 : 1.05) })]);

describe('migrationForecast', () => {
  it('predicts duration, each lock and rows written at production rows, with the points it fitted and the rewrite at production size', () => {
    const f = migrationForecast('0003_rewrite.sql', rewriteRuns(), PRODUCTION);
    expect(f).toMatchObject({ at: { source: 'snapshot', file: 'fixtures/receipts/production-stats.json' }, scales: SCALES, runs: 2, rewrites: [{ table: 'receipts', rows: 1_000_000 }], notes: [] });
    expect(f.duration.points.map((p) => [p.scale, p.rows])).toEqual([[0.1, 10_000], [0.3, 30_000], [1, 100_000], [0.1, 10_000], [0.3, 30_000], [1, 100_000]]);
    expect(predicted(f.duration) && f.duration.rows).toBe(1_000_000);
    const [lock] = f.locks;
    expect(lock).toMatchObject({ table: 'receipts', mode: 'AccessExclusiveLock', rewritten: true });
    if (!predicted(lock!.held)) throw new Error(lock!.held.unavailable);
    // The bound (held + 1 ms) is the longer figure: 6 + 0.006 * 1,000,000, give or take the runs' ±5%.
    expect(lock!.held.estimate / 6006).toBeGreaterThan(0.97);
    expect(lock!.held.estimate / 6006).toBeLessThan(1.03);
    expect(lock!.held.low).toBeLessThan(6006);
    expect(lock!.held.high).toBeGreaterThan(6006);
    expect(f.rowsTouched).toMatchObject({ estimate: 0, low: 0, high: 0 });
  });

  it('says why it predicts nothing: a failure at one scale, an earlier file failing, a table production lacks, a lookup table of one size', () => {
    const failing = runs((scale) => [trace('0003_rewrite.sql', scale, { perRow: 0.006 }, scale === 1 ? { error: 'statement 1 of 1 (ALTER ...): could not create unique index [23505]' } : {})]);
    const f = migrationForecast('0003_rewrite.sql', failing, PRODUCTION);
    expect(f.duration).toMatchObject({ unavailable: 'failed at scale 1: statement 1 of 1 (ALTER ...): could not create unique index [23505]' });
    expect(f.locks).toEqual([]);
    expect(migrationForecast('0004_next.sql', failing, PRODUCTION).duration).toMatchObject({ unavailable: 'not attempted at scale 0.1: an earlier file failed there' });

    const elsewhere = snapshotTarget(rowsSnapshot({ vendors: 14 }), 'fixtures/receipts/production-stats.json');
    const missing = migrationForecast('0003_rewrite.sql', rewriteRuns(), elsewhere);
    expect(missing.duration).toMatchObject({ rows: null, unavailable: 'the statistics snapshot fixtures/receipts/production-stats.json has no table receipts' });
    expect(missing.locks[0]!.held).toMatchObject({ unavailable: 'the statistics snapshot fixtures/receipts/production-stats.json has no table receipts' });

    const lookup = () => runs((scale) => [{ ...trace('0005_vendors.sql', scale, { perRow: 0 }), locks: [{ table: 'vendors', mode: 'AccessExclusiveLock', heldMs: 4, rows: 14, rewritten: false }] }]);
    const same = migrationForecast('0005_vendors.sql', lookup(), PRODUCTION);
    expect(predicted(same.locks[0]!.held) && same.locks[0]!.held.estimate).toBe(4);
    const bigger = migrationForecast('0005_vendors.sql', lookup(), snapshotTarget(rowsSnapshot({ vendors: 5000 }), 'p.json'));
    expect(bigger.locks[0]!.held).toMatchObject({ unavailable: '14 rows at every scale, 5000 at production size: one size tells nothing about growth' });
  });

  it('a table the change creates is empty in production too: predicted at 0 rows, not missing', () => {
    const created = runs((scale) => [{ ...trace('0006_new.sql', scale, { perRow: 0 }), locks: [{ table: 'audit_log', mode: 'AccessExclusiveLock', heldMs: 2, rows: 0, rewritten: false }] }]);
    const f = migrationForecast('0006_new.sql', created, PRODUCTION);
    expect(f.locks[0]!.held).toMatchObject({ rows: 0, estimate: 2 });
    expect(f.duration).toMatchObject({ rows: 0 });
  });

  it('notes a strongest mode that changed between runs and fits the strongest', () => {
    const mixed = runs((scale, run) => [trace('0003_rewrite.sql', scale, { perRow: 0.006, ...(run === 2 && scale === 0.1 ? { mode: 'ShareLock', rewritten: false } : {}) })]);
    const f = migrationForecast('0003_rewrite.sql', mixed, PRODUCTION);
    expect(f.notes).toEqual(['receipts: the strongest lock differed between runs (AccessExclusiveLock, ShareLock): fitted on the AccessExclusiveLock runs']);
    expect(f.locks[0]!.held.points).toHaveLength(5);
  });
});

describe('flagForecast', () => {
  const rules = flagRules();
  const measured = (rows: number) => ({ locks: [{ table: 'receipts', mode: 'AccessExclusiveLock', heldMs: 60, rows, rewritten: true }] });

  it("flags a lock that blocks writes predicted at least migrationLockMs even at its interval's low end, against a snapshot only", () => {
    const f = migrationForecast('0003_rewrite.sql', rewriteRuns(), PRODUCTION);
    const flags = flagForecast(measured(10_000), f, rules);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatch(/^at production size \(receipts 1,000,000 rows\): predicted to hold AccessExclusiveLock on receipts for 6\.\d s \[\d\.\d s, \d\.\d s\]: reads and writes wait$/);
    // The same figures at a guessed size (no snapshot): shown, never flagged.
    const guessed: ForecastTarget = { at: { source: 'scale', scale: 10 }, rows: PRODUCTION.rows };
    expect(flagForecast(measured(10_000), migrationForecast('0003_rewrite.sql', rewriteRuns(), guessed), rules)).toEqual([]);
  });

  it('does not flag a mode that lets writes through, nor a hold whose interval reaches below the bar', () => {
    const weak = runs((scale) => [trace('0007_concurrently.sql', scale, { perRow: 0.006, mode: 'ShareUpdateExclusiveLock', rewritten: false })]);
    expect(flagForecast(measured(10_000), migrationForecast('0007_concurrently.sql', weak, PRODUCTION), rules)).toEqual([]);
    const f = migrationForecast('0003_rewrite.sql', rewriteRuns(), PRODUCTION);
    const low = (f.locks[0]!.held as { low: number }).low;
    expect(flagForecast(measured(10_000), f, flagRules({ lockMs: Math.ceil(low) + 1 }))).toEqual([]);
  });

  it('flags a rewrite of a table big in production that was too small to flag at the measured scale', () => {
    const f = migrationForecast('0003_rewrite.sql', rewriteRuns(), PRODUCTION);
    const quiet = flagRules({ lockMs: 1e9 });
    expect(flagForecast(measured(500), f, quiet)).toEqual(['at production size (receipts 1,000,000 rows): rewrites receipts under AccessExclusiveLock']);
    // Already flagged as a rewrite by the measured rules: no second rewrite line.
    expect(flagForecast(measured(10_000), f, quiet)).toEqual([]);
    // A table production holds fewer than minRows of is never flagged.
    expect(flagForecast(measured(500), f, flagRules({ lockMs: 1e9, minRows: 2_000_000 }))).toEqual([]);
  });
});

describe('the forecast in the terminal and the pull-request comment', () => {
  /** The sample judgement (its flagged store migration), with a forecast on that migration. */
  function withForecast(table = 'users'): ReturnType<typeof judge> {
    const input = sampleInput();
    const f = migrationForecast('0003_rewrite.sql', rewriteRuns(), PRODUCTION) as MigrationForecast;
    for (const l of f.locks) l.table = table;
    for (const r of f.rewrites) r.table = table;
    input.paired!.migrations[0]!.forecast = f;
    input.paired!.migrations[0]!.flags.push(...flagForecast({ locks: [] }, f, DEFAULT_FLAG_RULES));
    return judge(input);
  }

  it('the terminal shows where, how it was fitted, the predictions with their intervals and the fitted points, within the width', () => {
    const text = judgementText(withForecast());
    // Lines wrap after a space, a comma or a bracket: compared without whitespace.
    const flat = (s: string) => s.replace(/\s+/g, '');
    const joined = flat(text);
    expect(joined).toContain(flat('at production size (fixtures/receipts/production-stats.json, captured 2026-12-05), fitted over scales 0.1, 0.3, 1, 2 runs each; 95% prediction intervals:'));
    expect(joined).toMatch(/duration6\.\ds\[\d\.\ds,\d\.\ds\]\(1,000,000rows\);usersAccessExclusiveLockheld6\.\ds\[/);
    expect(joined).toContain(flat('rows touched 0; rewrites users (1,000,000 rows)'));
    expect(joined).toMatch(/points:durationat0\.1\(10,000rows\)\d+,\d+ms;0\.3\(30,000rows\)\d+,\d+ms;1\(100,000rows\)\d+,\d+ms;usersAccessExclusiveLockheldat0\.1/);
    // The production flag is a regression's message, with the prediction in its evidence.
    expect(joined).toContain(flat('at production size (users 1,000,000 rows): predicted to hold AccessExclusiveLock on users'));
    expect(text.split('\n').filter((l) => [...l].length > TEXT_WIDTH)).toEqual([]);
  });

  it('the comment folds the predictions in a table of their own, escaped, every row the header\'s width', () => {
    const md = judgementMarkdown(withForecast(HOSTILE));
    const page = micromark(md, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });
    expect(md).toContain('<details><summary>The same migrations at production size (1): fitted over scales 0.1, 0.3, 1, 2 runs each; 95% prediction intervals</summary>');
    expect(md).toMatch(/\| duration: 0\.1 \(10,000 rows\) \d+, \d+ ms; 0\.3 /);
    expect(page).not.toMatch(/<script|<img|<a |<del>/i);
    for (const [, table] of page.matchAll(/<table>([\s\S]*?)<\/table>/g)) {
      const [head, body = ''] = table!.split('<tbody>');
      const width = (head!.match(/<th[ >]/g) ?? []).length;
      for (const [, row] of body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)) expect((row!.match(/<td[ >]/g) ?? []).length).toBe(width);
    }
  });

  it('the command that reproduces the run names forecast scales other than the default', () => {
    const input = sampleInput();
    const f = migrationForecast('0003_rewrite.sql', rewriteRuns(), PRODUCTION);
    input.paired!.migrations[0]!.forecast = f;
    expect(reproduceCommands(judge(input))[0]).toBe('npx schemabench compare --base origin/main --workload all --scale 1');
    input.paired!.migrations[0]!.forecast = { ...f, scales: [0.02, 0.05, 0.1] };
    expect(reproduceCommands(judge(input))[0]).toBe('npx schemabench compare --base origin/main --workload all --scale 1 --forecast-scales 0.02,0.05,0.1');
  });

  it('a change with thousands of forecast migrations stays within GitHub\'s comment limit', () => {
    const input = sampleInput();
    const f = migrationForecast('0003_rewrite.sql', rewriteRuns(), PRODUCTION);
    input.paired!.migrations = Array.from({ length: 2000 }, (_, i) => ({ ...structuredClone(input.paired!.migrations[1]!), file: `${String(i).padStart(4, '0')}_x.sql`, forecast: f }));
    const md = judgementMarkdown(judge(input));
    expect(Buffer.byteLength(md, 'utf8')).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(md).toMatch(/more rows? not shown/);
  });
});

describe('forecastMigrations on receipts at 0.02, 0.05 and 0.1 under load', () => {
  const server = suiteServer();

  it('records every run at each scale\'s rows, predicts rows written exactly and names the rewrite at production size', async () => {
    const workload = await loadWorkload('receipts');
    const files = [
      { file: '0003_receipt_audit.sql', sql: 'ALTER TABLE "receipts" ADD COLUMN "audit_id" uuid DEFAULT gen_random_uuid();' },
      { file: '0004_receipt_token.sql', sql: ['ALTER TABLE "receipts" ADD COLUMN "token" uuid;', ...[0, 1, 2, 3].map((k) => `UPDATE "receipts" SET "token" = gen_random_uuid() WHERE "id" % 4 = ${k};`)].join(BREAK) },
    ];
    const copies: string[] = [];
    const target = snapshotTarget(rowsSnapshot({ receipts: 100_000 }), 'production-stats.json');
    const forecasts = await forecastMigrations({
      workload: 'receipts',
      files,
      scales: [0.02, 0.05, 0.1],
      target,
      copyAt: async (scale) => {
        const copy = await copyDataset(server, await ensureDataset(server, { workload, scale, seed: server.seed }), 'forecast');
        copies.push(copy.database);
        return copy;
      },
    });
    // Two runs at each scale, each on a fresh copy.
    expect(new Set(copies).size).toBe(6);
    const rewrite = forecasts.get('0003_receipt_audit.sql')!;
    const backfill = forecasts.get('0004_receipt_token.sql')!;
    for (const f of [rewrite, backfill]) {
      expect(f.duration.points.map((p) => [p.scale, p.rows])).toEqual([[0.02, 2000], [0.05, 5000], [0.1, 10_000], [0.02, 2000], [0.05, 5000], [0.1, 10_000]]);
      if (!predicted(f.duration)) throw new Error(f.duration.unavailable);
      expect(f.duration.rows).toBe(100_000);
      expect(f.duration.low).toBeLessThanOrEqual(f.duration.estimate);
      expect(f.duration.high).toBeGreaterThanOrEqual(f.duration.estimate);
      expect(Number.isFinite(f.duration.high)).toBe(true);
    }
    expect(rewrite.locks[0]).toMatchObject({ table: 'receipts', mode: 'AccessExclusiveLock', rewritten: true });
    expect(rewrite.rewrites).toEqual([{ table: 'receipts', rows: 100_000 }]);
    expect(rewrite.rowsTouched).toMatchObject({ estimate: 0, low: 0, high: 0 });
    // Every row backfilled at every scale: exactly production's rows, no interval.
    expect(backfill.rowsTouched).toMatchObject({ estimate: 100_000, low: 100_000, high: 100_000 });
    expect(backfill.rewrites).toEqual([]);
    // Measured at 2,000 rows the rewrite is below minRows 5,000; production's 100,000 are not.
    const flags = flagForecast({ locks: [{ table: 'receipts', mode: 'AccessExclusiveLock', heldMs: 20, rows: 2000, rewritten: true }] }, rewrite, flagRules({ minRows: 5000, lockMs: 1e9 }));
    expect(flags).toEqual(['at production size (receipts 100,000 rows): rewrites receipts under AccessExclusiveLock']);
    // Without a snapshot: the workload's own rows a decade past the largest scale.
    expect(scaleTarget(workload, server.seed, 1).rows.get('receipts')).toBe(100_000);
    console.info(`rewrite at 100,000 rows from 0.02-0.1: ${JSON.stringify(rewrite.duration)}`);
  });
});
