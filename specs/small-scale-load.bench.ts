/**
 * Proof that a load bar follows the rule every bar follows (issue 16): reported below the
 * scale where it measures the decision, asserted above (its bars are calibrated(): no
 * calibration at 0.1, so reported there). At scale 0.1 the store's checkout
 * load (benchmarks/store/load-checkout.bench.ts) is a ledger scan of about the checkout's
 * own cost, and its ratios follow whatever else the machine runs: two runs side by side
 * failed there (throughput 2.67x and 2.47x against a 3x bar), one alone at times too
 * (p99 1.66x [1.14-1.69] against 2x). It measures for real: it runs with the benchmarks.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ResultsFile } from '../harness/results/results-schema.ts';
import { CLI, collect } from './helpers/run-tsx.ts';
import { PACKAGE_ROOT } from '../harness/package-root.ts';

const dir = mkdtempSync(join(tmpdir(), 'schemabench-small-scale-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (out: string) =>
  collect(
    spawn(process.execPath, [CLI, 'run', '--workload', 'store', '--scale', '0.1', '--filter', 'store/load/checkout', '--out', join(dir, out)], {
      cwd: PACKAGE_ROOT,
      env: { ...process.env, SCHEMABENCH_PROVIDER: 'embedded' },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );

describe('store/load/checkout at scale 0.1', () => {
  it('two runs side by side both exit 0: the ratios are reported with the reason, not asserted', async () => {
    const [a, b] = await Promise.all([run('a'), run('b')]);
    for (const [r, out] of [[a, 'a'], [b, 'b']] as const) {
      expect(r.code, `${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`).toBe(0);
      // The bars are calibrated() and calibration.json has no scale 0.1: every ratio says so.
      expect(`${r.stdout}${r.stderr}`).toContain('store/load/checkout: throughput with-index[clients=1]/without-index[clients=1]: reported, not asserted, at scale 0.1: no calibration at this scale');
      const results = JSON.parse(readFileSync(join(dir, out, 'results.json'), 'utf8')) as ResultsFile;
      const ratios = results.loads!.flatMap((l) => l.ratios);
      expect(ratios).toHaveLength(8);
      expect(ratios.every((x) => x.threshold === null && x.passed)).toBe(true);
    }
  }, 600_000);
});
