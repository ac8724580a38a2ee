/**
 * compare measures what the change can move (harness/compare/affected-files.ts): two copies
 * of this project, base and head, and the plan for each change a pull request makes.
 * Nothing is measured here: the plan is what compare then runs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { planMeasurement } from '../harness/compare/affected-files.ts';
import { scratchProject, type ScratchProject } from './helpers/scratch-project.ts';

const WORKLOADS = ['receipts', 'shop', 'store'];
const made: ScratchProject[] = [];
afterEach(() => {
  for (const p of made.splice(0)) p.remove();
});

async function plan(change: (head: ScratchProject) => void) {
  const [base, head] = [scratchProject(), scratchProject()];
  made.push(base, head);
  change(head);
  const p = await planMeasurement(base.dir, head.dir, WORKLOADS);
  return { measured: Object.fromEntries(p.measured), unmeasured: p.unmeasured };
}

describe('what a change can move', () => {
  it('nothing changed (a spec, a doc): nothing measured, each workload listed with why', async () => {
    const p = await plan((head) => head.write('docs/new-page.md', '# hello\n'));
    expect(p.measured).toEqual({});
    expect(p.unmeasured).toEqual(WORKLOADS.map((w) => `workload ${w}: nothing it depends on changed (its schema, migrations, fixtures, benchmarks and the modules they import, schemabench, dependencies, configuration)`));
  });

  it('one store benchmark file: that file alone; receipts and the other store files listed as unchanged', async () => {
    const p = await plan((head) => head.edit('benchmarks/store/index-fixes.bench.ts', "'/catalog/': 1.3,", "'/catalog/': 1.25,"));
    expect(p.measured).toEqual({ store: ['benchmarks/store/index-fixes.bench.ts'] });
    expect(p.unmeasured).toContain('workload receipts: nothing it depends on changed (its schema, migrations, fixtures, benchmarks and the modules they import, schemabench, dependencies, configuration)');
    expect(p.unmeasured).toContain('benchmarks/store/endpoints.bench.ts: the file, the modules it imports and the store dataset are unchanged');
  });

  it('a module benchmark files import: every file that imports it', async () => {
    const p = await plan((head) => head.edit('benchmarks/store/endpoints.ts', 'export function afterFix', '// a comment\nexport function afterFix'));
    expect(p.measured.store).toEqual(expect.arrayContaining(['benchmarks/store/endpoints.bench.ts', 'benchmarks/store/index-fixes.bench.ts']));
    expect(p.measured.store).not.toContain('benchmarks/store/load-checkout.bench.ts');
  });

  it('schema/receipts: all of receipts, nothing of store', async () => {
    const p = await plan((head) => head.edit('schema/receipts/normalized.ts', 'export const', '// a comment\nexport const'));
    expect(p.measured).toEqual({ receipts: 'all' });
  });

  it('a module the fixtures import (no version bumped): all of that workload', async () => {
    const p = await plan((head) => head.edit('fixtures/receipts/people-and-sites.ts', 'export const JOB_SITE_COUNT = 12;', 'export const JOB_SITE_COUNT = 11;'));
    expect(p.measured).toEqual({ receipts: 'all' });
  });

  it('a benchmark file added: its workload whole (an added case must read as added)', async () => {
    const p = await plan((head) => head.write('benchmarks/store/extra.bench.ts', "import { benchmarkSuite } from 'schemabench';\nbenchmarkSuite('store', () => undefined);\n"));
    expect(p.measured).toEqual({ store: 'all' });
  });

  it('the harness, the dependencies or the configuration: everything', async () => {
    for (const change of [
      (head: ScratchProject) => head.edit('harness/bench/statistics.ts', '/**', '// a comment\n/**'),
      (head: ScratchProject) => head.edit('package.json', '"name": "schemabench"', '"name": "schemabench",\n  "private": false'),
      (head: ScratchProject) => head.write('schemabench.config.ts', 'export default { scale: 0.3 };\n'),
    ]) {
      const p = await plan(change);
      expect(p.measured).toEqual({ receipts: 'all', shop: 'all', store: 'all' });
      for (const p2 of made.splice(0)) p2.remove();
    }
  });
});
