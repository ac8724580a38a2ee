/**
 * The writing guide's examples pass as written: every titled `ts` block of
 * docs/writing-a-benchmark.md is written to its file in a scratch copy of this project
 * and `schemabench run --workload shop` runs them on a real (embedded) server. shop is
 * derived from its schema alone, 1,000 rows a table at scale 1: a few seconds of data.
 * Then what the suite refuses or reports: a case of another workload (one line), an
 * inspect whose checks fail (every message, after the figures are recorded).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultsFile } from '../harness/results/results-schema.ts';
import { guideExamples } from './helpers/guide-examples.ts';
import { scratchProject, type ScratchProject } from './helpers/scratch-project.ts';

let project: ScratchProject;
beforeAll(() => void (project = scratchProject()));
afterAll(() => project?.remove());
const embedded = { ...process.env, SCHEMABENCH_PROVIDER: 'embedded' };
const results = (out: string): ResultsFile => JSON.parse(readFileSync(join(project.dir, out, 'results.json'), 'utf8'));

describe('docs/writing-a-benchmark.md', () => {
  it('every example passes as written, on a real server', { timeout: 600_000 }, async () => {
    const examples = guideExamples();
    for (const e of examples) project.write(e.file, e.code);
    const run = await project.cli(['run', '--workload', 'shop', '--scale', '1', '--out', '.schemabench/guide'], embedded);
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    const r = results('.schemabench/guide');
    expect(r.comparisons.map((c) => c.name).sort()).toEqual([
      'shop/customers/without-orders: after vs before',
      'shop/orders/by-customer-planner: btree vs seq-scan',
      'shop/orders/by-customer: with-index vs without-index',
      'shop/orders/insert: copy vs multi-row',
    ]);
    // No calibration data for shop: every calibrated bar is reported, and the output says why.
    for (const c of r.comparisons) expect(c.threshold, c.name).toBeNull();
    expect(run.stdout).toContain('shop/orders/by-customer: with-index vs without-index: reported, not asserted, at scale 1: no calibration data');
    // What the helpers assert besides the speedup: the index serves the query; the insert methods wrote every row.
    const byCustomer = r.cases.find((c) => c.name === 'shop/orders/by-customer' && c.variant === 'with-index')!;
    expect(byCustomer.params).toMatchObject({ index: 'orders_customer_id_idx' });
    expect(r.metrics.find((m) => m.name === 'shop/orders/customer-index-size[btree]')?.value).toBeGreaterThan(0);
  });

  it('a case of another workload is one line; failed checks are reported together, after the figures', { timeout: 600_000 }, async () => {
    project.write(
      'benchmarks/shop/other-workload.bench.ts',
      `import { benchmarkSuite, defineCase } from 'schemabench';
const stray = defineCase({ name: 'shop/stray', workload: 'receipts', variant: 'a', statement: { text: 'SELECT 1' } });
benchmarkSuite('shop', ({ measure }) => measure(stray));
`,
    );
    project.write(
      'benchmarks/shop/failing-checks.bench.ts',
      `import { benchmarkSuite } from 'schemabench';
benchmarkSuite('shop', ({ inspect }) => {
  inspect('shop/checks', async (_env, record, check) => {
    record({ name: 'shop/checks[recorded]', value: 1, unit: 'count' });
    check(true, 'never shown');
    check(1 > 2, 'first check failed');
    check(false, () => 'second check failed');
  });
});
`,
    );
    const run = await project.cli(['run', '--workload', 'shop', '--scale', '1', '--filter', 'shop/', '--out', '.schemabench/refused'], embedded);
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.code, output).toBe(1);
    expect(output).toMatch(/benchmarks\/shop\/other-workload\.bench\.ts: case shop\/stray\[a\] names workload 'receipts' in a suite of 'shop'; a suite's cases are its workload's \(drop the case's workload field\)/);
    expect(output).toMatch(/shop\/checks:\n\s+first check failed\n\s+second check failed/);
    expect(output).not.toContain('never shown');
    expect(results('.schemabench/refused').metrics.map((m) => m.name)).toContain('shop/checks[recorded]');
  });
});
