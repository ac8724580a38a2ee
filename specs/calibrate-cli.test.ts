/**
 * `schemabench calibrate` as a user runs it, in scratch copies of this project: bad input
 * is one line and exit 2; `--check` passes on the committed bars and exits 1 for a bar
 * raised above its measured floor (a bars run: no server); a measuring run on the guide's
 * first example (shop, scale 1, embedded: seconds) writes a valid calibration file that
 * the next run's `calibrated()` bar uses; Ctrl-C during a measuring run beside the CPU hog
 * exits 130 and leaves no process (hog, vitest, server), cluster or temp folder.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCpuHog } from '../harness/cli/cpu-hog.ts';
import { PACKAGE_ROOT } from '../harness/package-root.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCalibration } from '../harness/results/calibration-file.ts';
import { leftovers, observeCli, until } from './helpers/cli-process.ts';
import { guideExamples } from './helpers/guide-examples.ts';
import { runCli } from './helpers/run-tsx.ts';
import { scratchProject, type ScratchProject } from './helpers/scratch-project.ts';

const BAD: { name: string; args: string[]; message: RegExp }[] = [
  { name: 'runs 0', args: ['--runs', '0'], message: /--runs must be an integer from 1 to 20 \(got "0"\)/ },
  { name: 'a scale that is no number', args: ['--scales', '0.3,abc'], message: /--scale must be a decimal number.*"abc"/ },
  { name: 'an unknown condition', args: ['--conditions', 'embedded,cloud'], message: /--conditions: unknown "cloud"; give some of embedded, embedded\+cpu-hog, testcontainers, testcontainers\+cpu-hog/ },
  { name: 'an unknown workload', args: ['--workload', 'warehouse'], message: /--workload must be one of/ },
  { name: 'a workload without benchmarks', args: ['--workload', 'shop'], message: /--workload shop: benchmarks\/shop\/ does not exist: nothing to calibrate/ },
  { name: '--check with --runs', args: ['--check', '--runs', '2'], message: /--check measures nothing: give it no --runs or --conditions/ },
];

describe('schemabench calibrate, bad input', () => {
  it.concurrent.each(BAD)('$name: exit 2 with a one-line error', async ({ args, message }) => {
    const result = await runCli(['calibrate', ...args]);
    expect(result.code, result.stderr).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^schemabench: /);
    expect(lines[0]).toMatch(message);
    expect(result.stdout).toBe('');
  });
});

/** CPU ticks (user + system) a process has used so far. */
const cpuTicks = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
};
/** The hog's spinning shells: children of its `timeout` processes. */
const shellsOf = (pids: number[]) =>
  pids.flatMap((pid) => {
    try {
      return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  });
/** Running: it exists and is not a zombie waiting to be reaped (it uses no CPU then). */
const running = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return false;
  }
};

describe('the CPU hog beside a calibration run', () => {
  it('spins until stopped, and stop() leaves no process', async () => {
    const hog = startCpuHog({ processes: 2, maxSeconds: 30 });
    // Polled, not slept: a busy machine starts the shells late.
    expect(await until(() => shellsOf(hog.pids).length === 2, 10_000)).toBe(true);
    const shells = shellsOf(hog.pids);
    const before = shells.map(cpuTicks);
    // Busy: each shell uses CPU (ticks are 10 ms; a sleeping process adds none), within 10 s however loaded the machine.
    expect(await until(() => shells.every((pid, i) => cpuTicks(pid) - before[i]! > 10), 10_000)).toBe(true);
    await hog.stop();
    expect([...hog.pids, ...shells].filter(running)).toEqual([]);
  });

  it('ends by itself when the process that started it is killed (SIGKILL: no stop() ran)', async () => {
    const hogModule = join(PACKAGE_ROOT, 'harness', 'cli', 'cpu-hog.ts');
    const code = `const { startCpuHog } = await import(${JSON.stringify(hogModule)}); const h = startCpuHog({ processes: 1, maxSeconds: 60 }); console.log(JSON.stringify(h.pids)); setInterval(() => {}, 1000);`;
    const starter = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    const pids = await new Promise<number[]>((resolve) => starter.stdout!.once('data', (d) => resolve(JSON.parse(String(d)))));
    expect(await until(() => shellsOf(pids).filter(running).length === 1, 10_000)).toBe(true);
    const shells = shellsOf(pids);
    starter.kill('SIGKILL');
    // The loop checks its parent every few hundred thousand iterations (under a second here, seconds when starved).
    expect(await until(() => [...pids, ...shells].filter(running).length === 0, 30_000)).toBe(true);
  });
});

/** A scratch project made before the describe's first test and removed after its last (none when all are skipped). */
function scratchPerDescribe(prepare: (p: ScratchProject) => void = () => undefined): () => ScratchProject {
  let made: ScratchProject | undefined;
  beforeAll(() => {
    made = scratchProject();
    prepare(made);
  });
  afterAll(() => made?.remove());
  return () => made!;
}

describe('schemabench calibrate --check', () => {
  const project = scratchPerDescribe();

  it('passes on the committed bars', { timeout: 300_000 }, async () => {
    const check = await project().cli(['calibrate', '--check', '--workload', 'store']);
    expect(check.code, `${check.stdout}\n${check.stderr}`).toBe(0);
    expect(check.stdout).toMatch(/store\/index-fix\/catalog\/: categories_type_idx\s+1\s+1\.3x\s+\S+x\s+(ok|no-margin|far-below)/);
    expect(check.stderr).toMatch(/calibrate --check: 0 above the floor/);
  });

  it('exits 1 and names a bar raised above its measured floor', { timeout: 300_000 }, async () => {
    project().edit('benchmarks/store/index-fixes.bench.ts', "'/catalog/': 1.3,", "'/catalog/': 40,");
    const check = await project().cli(['calibrate', '--check', '--workload', 'store', '--scales', '1']);
    expect(check.code, `${check.stdout}\n${check.stderr}`).toBe(1);
    expect(check.stdout).toMatch(/store\/index-fix\/catalog\/: categories_type_idx\s+1\s+40x\s+\S+x\s+above-floor\s+above the floor .*: would flake/);
    expect(check.stderr).toMatch(/calibrate --check: 1 above the floor/);
  });

  it('a suite that cannot be listed (a case of another workload) is one line naming it, exit 2', { timeout: 300_000 }, async () => {
    project().write('benchmarks/store/stray.bench.ts', "import { benchmarkSuite, defineCase } from 'schemabench';\nbenchmarkSuite('store', ({ measure }) => measure(defineCase({ name: 'store/stray', workload: 'receipts', variant: 'a', statement: { text: 'SELECT 1' } })));\n");
    const check = await project().cli(['calibrate', '--check', '--workload', 'store']);
    expect(check.code, `${check.stdout}\n${check.stderr}`).toBe(2);
    expect(check.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^schemabench: listing the bars failed: benchmarks\/store\/stray\.bench\.ts: case store\/stray\[a\] names workload 'receipts' in a suite of 'store'.*; vitest's output: \.schemabench\/calibrate\/bars\.log$/),
    ]);
  });
});

describe('schemabench calibrate, measuring', () => {
  const first = guideExamples()[0]!;
  const project = scratchPerDescribe((p) => p.write(first.file, first.code));
  const embedded = { ...process.env, SCHEMABENCH_PROVIDER: 'embedded' };
  const calibration = () => join(project().dir, 'benchmarks', 'shop', 'calibration.json');

  it('Ctrl-C beside the CPU hog: exit 130, nothing left, no data written', { timeout: 300_000 }, async () => {
    const run = observeCli(['calibrate', '--workload', 'shop', '--scales', '1', '--conditions', 'embedded+cpu-hog'], embedded, project().dir);
    const commandLine = (pid: number) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        return ''; // gone since it was seen
      }
    };
    try {
      await run.waitFor(/\[1\/1\] scale 1, embedded\+cpu-hog \(\d busy process/, 120_000);
      // The hog and the run's server are up: the postmaster is one of the run's processes.
      expect(await until(() => run.clusters.size > 0, 120_000), run.stderr()).toBe(true);
      expect([...run.descendants].some((pid) => commandLine(pid).includes('schemabench-cpu-hog'))).toBe(true);
    } finally {
      run.child.kill('SIGINT');
    }
    const exit = await run.exited;
    expect(exit.code, run.stderr()).toBe(130);
    expect(await until(() => leftovers(run).length === 0, 15_000), leftovers(run).join('\n')).toBe(true);
    expect(existsSync(calibration())).toBe(false);
  });

  it('writes the data file, and the next run asserts (or reports, with the reason) from it', { timeout: 300_000 }, async () => {
    const calibrate = await project().cli(['calibrate', '--workload', 'shop', '--scales', '1', '--conditions', 'embedded'], embedded);
    expect(calibrate.code, `${calibrate.stdout}\n${calibrate.stderr}`).toBe(0);
    expect(calibrate.stderr).toMatch(/\[1\/1\] scale 1, embedded: measuring/);
    expect(calibrate.stderr).toMatch(/1 of 1 measured in \d+ s/);
    const data = parseCalibration(JSON.parse(readFileSync(calibration(), 'utf8')), calibration());
    const id = 'shop/orders/by-customer: with-index vs without-index';
    const [m] = data.assertions[id]!.scales['1']!;
    expect(m).toMatchObject({ provider: 'embedded', load: 'quiet', confidence: 0.95, rounds: 10 });
    expect(m!.low).toBeLessThanOrEqual(m!.high);
    expect(data.sessions[m!.session]).toMatchObject({ command: 'schemabench calibrate --workload shop --scales 1 --conditions embedded', profile: 'benchmark' });
    // This spec proves the wiring, not the speedup: the run a minute later has other
    // neighbours, and a busier moment compresses an index's ratio (the round trip is added to
    // both sides) below 0.7 x what calibrate saw. So the recorded floor is lowered to 2x at
    // most (a bar of 1.4x) before the run reads it.
    const file = JSON.parse(readFileSync(calibration(), 'utf8')) as { assertions: Record<string, { scales: Record<string, { low: number }[]> }> };
    const recorded = file.assertions[id]!.scales['1']![0]!;
    recorded.low = Math.min(recorded.low, 2);
    writeFileSync(calibration(), JSON.stringify(file, null, 2));
    const run = await project().cli(['run', '--workload', 'shop', '--scale', '1'], embedded);
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    const bar = recorded.low === 2 ? 'calibrated bar 1\\.4x at scale 1 = 0\\.7 x 2\\.00x' : '(calibrated bar [\\d.]+x at scale 1 = 0\\.7 x|reported, not asserted, at scale 1: not meaningful here)';
    expect(run.stdout).toMatch(new RegExp(`${id.replace(/[/]/g, '\\/')}: ${bar}`));
  });
});
