/**
 * The vendor-consolidation step runner, for correctness (no load, no timing):
 * every step rolls back to exactly the state before (schema and data checksums), a
 * failed check stops the run and rolls it back, and a connection killed in the middle
 * of the backfill is recovered by a rerun with nothing lost or duplicated.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyDataset, ensureDataset, type Dataset } from '../harness/fixtures/dataset-cache.ts';
import { runSteps } from '../harness/migrate/step-runner.ts';
import { withConnection } from '../harness/postgres/with-connection.ts';
import { suiteServer } from '../harness/bench/suite-server.ts';
import { loadWorkload } from '../harness/workloads/load-workload.ts';

const receiptsWorkload = await loadWorkload('receipts');
import { consolidationChecks, RECIPES, recipeSteps, takeBaseline } from '../benchmarks/receipts/vendor-consolidation.ts';

const SCHEMA_CHECKSUM = `
  SELECT md5(string_agg(x, E'\\n' ORDER BY x)) AS sum FROM (
    SELECT format('column %s.%s %s %s %s', table_name, column_name, data_type, is_nullable, coalesce(column_default, '')) AS x
      FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT LIKE 'schemabench\\_%'
    UNION ALL SELECT format('constraint %s %s', conname, pg_get_constraintdef(oid))
      FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conname NOT LIKE 'schemabench\\_%'
    UNION ALL SELECT format('index %s', indexdef) FROM pg_indexes WHERE schemaname = 'public' AND tablename NOT LIKE 'schemabench\\_%'
    UNION ALL SELECT format('function %s', proname) FROM pg_proc WHERE pronamespace = 'public'::regnamespace
    UNION ALL SELECT format('relation %s %s', relname, relkind) FROM pg_class
      WHERE relnamespace = 'public'::regnamespace AND relname NOT LIKE 'schemabench\\_%'
  ) s`;
const DATA_CHECKSUM = "SELECT md5(string_agg(r::text, ',' ORDER BY r.id)) AS sum FROM legacy_receipts r";

const state = (uri: string) =>
  withConnection(uri, async (c) => ({
    schema: (await c.query<{ sum: string }>(SCHEMA_CHECKSUM)).rows[0]!.sum,
    data: (await c.query<{ sum: string }>(DATA_CHECKSUM)).rows[0]!.sum,
  }));

describe('vendor consolidation steps', () => {
  const server = suiteServer();
  let dataset: Dataset;
  // Scale 1: the backfill runs in 10 batches, so it can be interrupted in the middle.
  beforeAll(async () => {
    dataset = await ensureDataset(server, { workload: receiptsWorkload, scale: 1, seed: server.seed });
  });
  const copies: { drop(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const c of copies) await c.drop();
  });
  const fresh = async () => {
    const copy = await copyDataset(server, dataset, 'migspec');
    copies.push(copy);
    return copy.uri;
  };

  it.each(RECIPES)('%s: every step applies, passes the checks, and rolls back to exactly the state before', async (recipe) => {
    const uri = await fresh();
    const before = await state(uri);
    const baseline = await withConnection(uri, takeBaseline);
    const steps = recipeSteps(recipe);
    const up = await runSteps(uri, steps, { recipe, verify: consolidationChecks(baseline) });
    expect(up.map((r) => [r.id, r.status, r.error])).toEqual(steps.map((s) => [s.id, 'success', undefined]));
    const vendors = await withConnection(uri, async (c) => (await c.query<{ n: number }>('SELECT count(*)::int AS n FROM legacy_vendors')).rows[0]!.n);
    expect(vendors).toBe(14);
    expect(await state(uri)).not.toEqual(before);
    const down = await runSteps(uri, steps, { recipe, direction: 'down' });
    expect(down.map((r) => r.status)).toEqual(steps.map(() => 'success'));
    expect(await state(uri)).toEqual(before);
  });

  it('a failed check stops the migration and rolls back what it applied', async () => {
    const uri = await fresh();
    const before = await state(uri);
    const baseline = await withConnection(uri, takeBaseline);
    const checks = consolidationChecks(baseline)!;
    const steps = recipeSteps('safe');
    const results = await runSteps(uri, steps, {
      recipe: 'safe-failing-check',
      verify: async (client, step) => [
        ...(await checks(client, step)),
        { name: 'injected', passed: !step.id.startsWith('0004'), detail: 'fails after the backfill' },
      ],
    });
    expect(results.map((r) => r.status)).toEqual(['success', 'success', 'success', 'error', ...steps.slice(4).map(() => 'not-executed')]);
    expect(results[3]!.failedChecks).toEqual(['injected: fails after the backfill']);
    expect(await state(uri)).toEqual(before);
  });

  it('a connection killed mid-backfill: the rerun completes, nothing lost or duplicated', async () => {
    const uri = await fresh();
    const baseline = await withConnection(uri, takeBaseline);
    const steps = recipeSteps('safe');
    const killer = new pg.Client({ connectionString: uri });
    await killer.connect();
    try {
      const first = await runSteps(uri, steps, {
        recipe: 'safe-killed',
        verify: consolidationChecks(baseline),
        onBatch: async (step, batch, pid) => {
          if (batch === 3) await killer.query('SELECT pg_terminate_backend($1)', [pid]);
        },
      });
      const backfill = first.find((r) => r.id.startsWith('0004'))!;
      expect(backfill.status).toBe('error');
      expect(backfill.error).toMatch(/terminat|connection/i);
      const partial = await withConnection(uri, async (c) => (await c.query<{ n: number }>('SELECT count(vendor_id)::int AS n FROM legacy_receipts')).rows[0]!.n);
      expect(partial).toBeGreaterThan(0);
      expect(partial).toBeLessThan(Number(baseline.count));

      const rerun = await runSteps(uri, steps, { recipe: 'safe-killed', verify: consolidationChecks(baseline) });
      expect(rerun.map((r) => r.id)).toEqual(steps.slice(3).map((s) => s.id));
      expect(rerun.every((r) => r.status === 'success')).toBe(true);
      const after = await withConnection(uri, async (c) => {
        const q = await c.query<{ rows: number; ids: number; missing: number; steps: number }>(`
          SELECT count(*)::int AS rows, count(DISTINCT id)::int AS ids, count(*) FILTER (WHERE vendor_id IS NULL)::int AS missing,
                 (SELECT count(*)::int FROM schemabench_migration_steps WHERE recipe = 'safe-killed') AS steps
            FROM legacy_receipts`);
        return q.rows[0]!;
      });
      expect(after).toEqual({ rows: Number(baseline.count), ids: Number(baseline.count), missing: 0, steps: steps.length });
      const now = await withConnection(uri, takeBaseline);
      expect(now).toEqual(baseline);
    } finally {
      await killer.end();
    }
  });
});
