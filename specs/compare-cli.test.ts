/**
 * `schemabench compare` from the outside: bad input is one line and exit 2 before
 * anything starts; a worktree left by a killed compare is removed by the next one; Ctrl-C
 * in the middle stops both sides and leaves no worktree, server or process behind.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from './helpers/cli-process.ts';
import { scratchProject, type ScratchProject } from './helpers/scratch-project.ts';

let project: ScratchProject;
beforeAll(() => {
  project = scratchProject();
});
afterAll(() => project?.remove());

const worktrees = () => execFileSync('git', ['worktree', 'list', '--porcelain'], { cwd: project.dir, encoding: 'utf8' }).split('\n').filter((l) => l.startsWith('worktree '));

describe('schemabench compare: bad input', () => {
  const cases: [string, string[], RegExp][] = [
    ['no --base', ['compare'], /compare needs --base REF/],
    ['an unknown ref', ['compare', '--base', 'no-such-branch'], /unknown git ref "no-such-branch"/],
    ['a ref that looks like an option', ['compare', '--base=-x'], /unknown git ref "-x"/],
    ['a latency threshold that is no ratio above 1', ['compare', '--base', 'HEAD', '--latency-threshold', '0.9'], /--latency-threshold must be a ratio above 1/],
    ['the url provider', ['compare', '--base', 'HEAD', '--provider', 'url'], /--provider url is not supported/],
    ['an unknown workload', ['compare', '--base', 'HEAD', '--workload', 'nope'], /--workload "nope": head has no schema\/nope\//],
    ['an unknown option', ['compare', '--base', 'HEAD', '--bogus'], /Unknown option '--bogus'/],
    ['a bad --pg', ['compare', '--base', 'HEAD', '--pg', '12'], /12/],
    ['one forecast scale', ['compare', '--base', 'HEAD', '--forecast-scales', '0.1'], /--forecast-scales must be off, or 2 to 6 distinct scales/],
    ['a forecast scale that is no number', ['compare', '--base', 'HEAD', '--forecast-scales', '0.1,big'], /--forecast-scales must be off/],
    ['a forecast scale twice', ['compare', '--base', 'HEAD', '--forecast-scales', '0.1,0.10'], /--forecast-scales must be off/],
  ];
  it.each(cases)('%s: one line, exit 2', async (_name, args, message) => {
    const r = await project.cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n').filter((l) => !l.startsWith('npm warn'))).toHaveLength(1);
    expect(worktrees()).toHaveLength(1);
  });

  it('a statistics snapshot that is not one, with a new migration to forecast: one line, exit 2, before anything is measured', async () => {
    const journal = 'migrations/receipts/meta/_journal.json';
    const before = readFileSync(join(project.dir, journal), 'utf8');
    const entries = JSON.parse(before) as { entries: { idx: number; when: number; tag: string }[] };
    const last = entries.entries.at(-1)!;
    entries.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1000, tag: '0099_forecast' });
    try {
      project.write(journal, JSON.stringify(entries));
      project.write('migrations/receipts/0099_forecast.sql', 'ALTER TABLE "receipts" ADD COLUMN "x" int;');
      project.write('fixtures/receipts/production-stats.json', '{ not json');
      const r = await project.cli(['compare', '--base', 'HEAD', '--workload', 'receipts']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/production-stats\.json: not valid JSON, expected a statistics snapshot/);
      expect(r.stderr).not.toMatch(/base and head of|\n\s+at /);
      expect(worktrees()).toHaveLength(1);
    } finally {
      project.write(journal, before);
      rmSync(join(project.dir, 'migrations/receipts/0099_forecast.sql'));
      rmSync(join(project.dir, 'fixtures/receipts/production-stats.json'));
    }
  });

  it('outside a git repository: one line, exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'schemabench-nogit-'));
    try {
      writeFileSync(join(dir, 'package.json'), '{"name":"x","type":"module"}\n');
      const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [join(project.dir, 'bin', 'schemabench.mjs'), 'compare', '--base', 'HEAD'], { cwd: dir, env: { ...process.env, GIT_CEILING_DIRECTORIES: tmpdir() }, stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (code) => resolve({ code, stderr }));
      });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/compare needs a git repository/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('schemabench compare: nothing left behind', () => {
  it("removes a worktree left by a compare that was killed (its process is gone)", async () => {
    const stale = join(tmpdir(), `schemabench-compare-999999-${Date.now()}`);
    execFileSync('git', ['worktree', 'add', '--detach', '--quiet', stale, 'HEAD'], { cwd: project.dir });
    expect(worktrees()).toHaveLength(2);
    // A compare that stops on bad input after its start-up still reaps.
    const r = await project.cli(['compare', '--base', 'HEAD', '--workload', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/removed the worktree of a compare that did not finish/);
    expect(worktrees()).toHaveLength(1);
    expect(existsSync(stale)).toBe(false);
  });

  it('Ctrl-C while both sides run: exit 130, no worktree, no server, no process left', async () => {
    const child = spawn(process.execPath, [join(project.dir, 'bin', 'schemabench.mjs'), 'compare', '--base', 'HEAD', '--all', '--workload', 'store', '--scale', '0.1', '--out', '.schemabench/ctrl-c'], {
      cwd: project.dir,
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const sides = new Promise<void>((resolve) => {
      child.stderr.on('data', (d) => {
        stderr += d;
        if (/\[(base|head)\] .*benchmarks\//.test(stderr)) resolve();
      });
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await Promise.race([sides, exited]);
    const during = worktrees();
    child.kill('SIGINT');
    const code = await exited;
    expect(during.length, stderr.slice(-2000)).toBe(2);
    expect(code, stderr.slice(-2000)).toBe(130);
    expect(worktrees()).toHaveLength(1);
    // Nothing started from the scratch project or this compare's worktree is still running (the
    // worktrees of other spec files' compares, running beside this one, are theirs).
    const ours = [project.dir, ...during.map((w) => w.slice('worktree '.length))];
    const left = () => execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' }).split('\n').filter((l) => ours.some((dir) => l.includes(dir)) && !l.includes('ps -eo'));
    expect(await until(() => left().length === 0, 15_000), left().join('\n')).toBe(true);
  }, 180_000);
});
