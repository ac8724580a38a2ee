/**
 * Every way a `run` or `fixtures` on the embedded provider ends tells the truth and leaves
 * nothing behind, with real processes and real servers: SIGINT and SIGTERM stop the CLI's
 * children (vitest, its workers, the postmaster), remove what the run started and exit
 * 130/143 with one line; after SIGKILL the children stop themselves (the watchdog, the
 * parent watch). The url provider's half is run-lifecycle-url.test.ts (a file of its own so
 * that the two run side by side). Runs are tiny (--scale 0.01 and a --filter): each still
 * starts vitest and a server (~10 s).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { leftovers, observeCli, until } from './helpers/cli-process.ts';
import { expectOneSignalLine, interrupt, outFolders, runArgs, SIGNALS } from './helpers/interrupted-run.ts';
import { HOSTILE } from './helpers/sample-results.ts';

const outFolder = outFolders();

// A run to "ready", a signal, the cleanup and often a second run: more than 120 s on a busy machine.
describe('embedded provider', { timeout: 300_000 }, () => {
  it.each(SIGNALS)('run: $signal stops vitest, its workers and the server, exits $code with one line', async ({ signal, code }) => {
    const out = outFolder(`run-${signal}`);
    const run = observeCli(runArgs(out), { ...process.env, SCHEMABENCH_PROVIDER: 'embedded' });
    const exit = await interrupt(run, signal);
    expect(exit.code, run.stderr()).toBe(code);
    expectOneSignalLine(run, signal);
    expect(run.descendants.size).toBeGreaterThan(2); // vitest, a worker, the postmaster...
    expect(run.clusters.size).toBe(1);
    expect(run.tempDirs.size).toBe(1); // vitest's private TMPDIR (harness/cli/private-temp-dir.ts)
    expect(await until(() => leftovers(run).length === 0, 10_000), leftovers(run).join('\n')).toBe(true);
    expect(existsSync(join(out, '.schemabench-run.lock'))).toBe(false);
  });

  it('run: SIGKILL of the CLI, then vitest stops itself and the watchdog removes the server', async () => {
    const out = outFolder('run-SIGKILL');
    const run = observeCli(runArgs(out), { ...process.env, SCHEMABENCH_PROVIDER: 'embedded' });
    const exit = await interrupt(run, 'SIGKILL');
    expect(exit.signal).toBe('SIGKILL');
    expect(run.tempDirs.size).toBe(1);
    expect(await until(() => leftovers(run).length === 0, 20_000), leftovers(run).join('\n')).toBe(true);

    // The next run in the same folder takes over the stale lock, runs clean and shows only what it measured.
    const next = observeCli(runArgs(out, 'receipts/storage/vendor-name-cost'), { ...process.env, SCHEMABENCH_PROVIDER: 'embedded' });
    const done = await next.exited;
    expect(done.code, next.stderr()).toBe(0);
    expect(next.stdout()).toMatch(/vendor name repeated in every row/);
    expect(next.stdout()).not.toContain(HOSTILE);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { metrics: { name: string }[]; cases: unknown[] };
    expect(results.cases).toEqual([]);
    expect(new Set(results.metrics.map((m) => m.name.split('[')[0]))).toEqual(new Set(['receipts/storage/vendor-name-bytes', 'receipts/storage/vendor-name-ratio']));
    expect(await until(() => leftovers(next).length === 0, 10_000), leftovers(next).join('\n')).toBe(true);
  });

  it('run: a --filter that matches no test says so and exits 2, without an earlier table', async () => {
    const out = outFolder('run-no-match');
    const run = observeCli(runArgs(out, 'no test has this name'), { ...process.env, SCHEMABENCH_PROVIDER: 'embedded' });
    const exit = await run.exited;
    expect(exit.code, run.stderr()).toBe(2);
    // One line: vitest's block of skipped files (about 20 lines) is held back and dropped.
    expect(run.stderr().trim().split('\n')).toEqual(['schemabench: no test ran: --filter "no test has this name" matched no test; nothing was measured']);
    expect(run.stdout()).toBe('');
    expect(existsSync(join(out, 'results.json'))).toBe(false);
  });

  it.each([...SIGNALS, { signal: 'SIGKILL', code: null }] as const)('fixtures: $signal during the load leaves no process and no cluster', async ({ signal, code }) => {
    const run = observeCli(['fixtures', '--provider', 'embedded', '--scale', '0.3']);
    await run.waitFor(/copyAnalyze/, 60_000);
    await new Promise((r) => setTimeout(r, 300));
    run.child.kill(signal);
    const exit = await run.exited;
    expect(exit.code, run.stderr()).toBe(code);
    if (code !== null) expectOneSignalLine(run, signal);
    expect(run.clusters.size).toBe(1);
    expect(await until(() => leftovers(run).length === 0, 15_000), leftovers(run).join('\n')).toBe(true);
  });
});
