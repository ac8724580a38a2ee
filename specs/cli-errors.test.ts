/**
 * Bad input to the CLI: one line on stderr naming the problem, exit code 2, no stack
 * trace, and no server started for it. For `run`, all of it is found before vitest
 * starts, and an earlier run's results in the output folder are neither printed nor
 * removed.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { processStart } from '../harness/process-owner.ts';
import { CLI, collect, runCli } from './helpers/run-tsx.ts';
import { HOSTILE, SAMPLE } from './helpers/sample-results.ts';
import { PACKAGE_ROOT } from '../harness/package-root.ts';
import { describeRun, runEnvironment } from '../harness/run-descriptor.ts';

const noDocker = { ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' };
const unreachable = { ...process.env, DATABASE_URL: 'postgres://nobody:secret@127.0.0.1:1/nothing' };

const CASES: { name: string; args: string[]; env?: NodeJS.ProcessEnv; message: RegExp }[] = [
  { name: 'scale 0', args: ['--scale', '0'], message: /--scale must be a decimal number > 0/ },
  { name: 'scale -1', args: ['--scale=-1'], message: /--scale must be a decimal number > 0.*got "-1"/ },
  { name: 'scale -1 (separate argument)', args: ['--scale', '-1'], message: /--scale must be a decimal number > 0.*got "-1"/ },
  { name: 'scale NaN', args: ['--scale', 'NaN'], message: /--scale must be a decimal number/ },
  { name: 'scale abc', args: ['--scale', 'abc'], message: /--scale must be a decimal number.*"abc"/ },
  { name: 'seed abc', args: ['--seed', 'abc'], message: /--seed must be a decimal integer/ },
  { name: 'seed -1 (separate argument)', args: ['--seed', '-1'], message: /--seed must be a decimal integer from 0 to 4294967295 \(got "-1"\)/ },
  { name: 'seed 0x10', args: ['--seed', '0x10'], message: /--seed must be a decimal integer.*"0x10"/ },
  { name: 'scale 0x10', args: ['--scale', '0x10'], message: /--scale must be a decimal number.*"0x10"/ },
  { name: 'scale 0b1', args: ['--scale=0b1'], message: /--scale must be a decimal number.*"0b1"/ },
  { name: 'unknown workload', args: ['--workload', 'warehouse'], message: /--workload must be one of receipts.*"warehouse"/ },
  { name: 'unknown provider', args: ['--provider', 'cloud'], message: /--provider must be one of auto, embedded, testcontainers, url/ },
  { name: 'unknown option', args: ['--scael', '1'], message: /Unknown option '--scael'/ },
  { name: 'unreachable DATABASE_URL', args: ['--provider', 'url', '--scale', '0.01'], env: unreachable, message: /cannot connect to DATABASE_URL 127\.0\.0\.1:1\/nothing/ },
  { name: 'testcontainers without Docker', args: ['--provider', 'testcontainers', '--scale', '0.01'], env: noDocker, message: /--provider testcontainers: no Docker engine answers/ },
];

describe('schemabench fixtures, bad input', () => {
  it.concurrent.each(CASES)('$name: exit 2 with a one-line error', async ({ args, env, message }) => {
    const result = await runCli(['fixtures', ...args], env);
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^schemabench: /);
    expect(lines[0]).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe('');
    // Secrets of the URL are never echoed.
    expect(result.stderr).not.toContain('secret');
  });

  it('run --profile with an unknown profile exits 2 with a one-line error', async () => {
    const result = await runCli(['run', '--profile', 'safe', '--filter', 'nothing']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(/^schemabench: --profile must be one of benchmark, durable \(got "safe"\)$/);
    expect(result.stdout).toBe('');
  });

  it('an unknown command exits 2 and lists the commands', async () => {
    const result = await runCli(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(/^schemabench: unknown command "frobnicate"; commands: (\w+, )*fixtures, run/);
  });
});

const scratch = mkdtempSync(join(tmpdir(), 'schemabench-cli-errors-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** An output folder holding an earlier run's results (the sample's hostile case name shows if it is printed). */
function staleFolder(name: string): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'results.json'), `${JSON.stringify(SAMPLE)}\n`);
  return dir;
}

const aFile = join(scratch, 'a-file');
writeFileSync(aFile, 'not a folder\n');

const RUN_CASES: { name: string; args: (out: string) => string[]; env?: NodeJS.ProcessEnv; message: RegExp }[] = [
  { name: 'unreachable DATABASE_URL', args: (out) => ['--provider', 'url', '--out', out], env: unreachable, message: /cannot connect to DATABASE_URL 127\.0\.0\.1:1\/nothing/ },
  { name: "DATABASE_URL='not a url'", args: (out) => ['--provider', 'url', '--out', out], env: { ...process.env, DATABASE_URL: 'not a url' }, message: /DATABASE_URL is not a valid URL/ },
  { name: '--out naming a regular file', args: () => ['--out', aFile], message: /--out .*a-file is a file, not a folder/ },
  { name: '--out under a regular file', args: () => ['--out', join(aFile, 'sub')], message: /--out .*a-file is a file, not a folder/ },
  { name: '--out /proc/nope (mkdir -p never returns there on Node 20)', args: () => ['--out', '/proc/nope'], message: /--out \/proc\/nope: \/proc is on the kernel's proc file system/ },
  { name: '--out /sys/nope', args: () => ['--out', '/sys/nope/deeper'], message: /sysfs file system/ },
  { name: '--seed -1', args: (out) => ['--seed', '-1', '--out', out], message: /--seed must be a decimal integer/ },
  { name: '--scale 0x10', args: (out) => ['--scale', '0x10', '--out', out], message: /--scale must be a decimal number/ },
  { name: 'testcontainers without Docker', args: (out) => ['--provider', 'testcontainers', '--out', out], env: noDocker, message: /--provider testcontainers: no Docker engine answers/ },
  // shop is a schema alone (no benchmarks/shop/): vitest's "No test files found" block before.
  { name: 'a workload without benchmarks', args: (out) => ['--workload', 'shop', '--out', out], message: /^schemabench: --workload shop has no benchmarks \(no \*\.bench\.ts in benchmarks\/shop\/\)/ },
];

describe('schemabench run, bad input found before vitest starts', () => {
  it.concurrent.each(RUN_CASES)('$name: exit 2, one line, no stale table', async ({ name, args, env, message }) => {
    const out = staleFolder(name.replace(/[^a-z0-9]+/gi, '-'));
    const child = spawn(process.execPath, [CLI, 'run', '--workload', 'receipts', '--scale', '0.01', ...args(out)], { cwd: PACKAGE_ROOT, env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    // A hang (the /proc case before the fix) fails here instead of at the test timeout; five
    // start at once on a busy machine, so a slow start (20 s seen) is not taken for a hang.
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    const result = await collect(child).finally(() => clearTimeout(timer));
    expect(result.code, result.stderr).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^schemabench: /);
    expect(lines[0]).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at |vitest|Serialized Error/i);
    expect(result.stderr).not.toContain('secret');
    // Nothing of the earlier run is printed (no vitest started, no table), and bad input deletes nothing.
    expect(result.stdout).toBe('');
    expect(result.stdout).not.toContain(HOSTILE);
    expect(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'))).toEqual(SAMPLE);
  });

  it('an output folder in use by a live run is refused (two runs never share one)', async () => {
    const out = staleFolder('in-use');
    // The lock of a live process: this one.
    writeFileSync(join(out, '.schemabench-run.lock'), JSON.stringify({ host: hostname(), pid: process.pid, started: processStart(process.pid) }));
    const result = await runCli(['run', '--workload', 'receipts', '--scale', '0.01', '--out', out]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr.trim()).toMatch(new RegExp(`^schemabench: --out .* is in use by another schemabench run \\(pid ${process.pid} on `));
    expect(result.stdout).toBe('');
    expect(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'))).toEqual(SAMPLE);
  });
});

describe("bad input found inside vitest's global setup", () => {
  it("is handed to the CLI as one line (the run descriptor's usageErrorFile) with exit code 2, not as a vitest error report", async () => {
    // What `schemabench run` does when its preflight passed but the server is gone by the
    // time vitest starts: the global setup's UsageError must come back as one line.
    const errorFile = join(scratch, 'usage-error');
    const run = { ...describeRun({ provider: 'url', outDir: join(scratch, 'out') }, {}, PACKAGE_ROOT), outLocked: true, usageErrorFile: errorFile };
    const env = { ...process.env, ...runEnvironment(run), DATABASE_URL: 'postgres://nobody:secret@127.0.0.1:1/nothing' };
    const child = spawn(process.execPath, [join(PACKAGE_ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--project', 'specs', 'specs/bench-statistics.test.ts'], { cwd: PACKAGE_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const result = await collect(child);
    expect(result.code, result.stderr).toBe(2);
    expect(readFileSync(errorFile, 'utf8')).toMatch(/^cannot connect to DATABASE_URL 127\.0\.0\.1:1\/nothing: .*\n$/);
    expect(result.stderr).not.toMatch(/Serialized Error|\n\s+at /);
  });
});

describe('schemabench run, bad caps in the environment', () => {
  it.concurrent.each([
    ['SCHEMABENCH_MAX_ROUNDS', 'many', /SCHEMABENCH_MAX_ROUNDS must be an integer >= 4 \(got "many"\)/],
    ['SCHEMABENCH_MAX_ROUNDS', '2', /SCHEMABENCH_MAX_ROUNDS must be an integer >= 4 \(got "2"\)/],
    ['SCHEMABENCH_MAX_MS', '-5', /SCHEMABENCH_MAX_MS must be an integer >= 1 \(got "-5"\)/],
  ])('%s=%s: exit 2 with a one-line error, before any server starts', async (name, value, message) => {
    const result = await runCli(['run', '--scale', '0.01'], { ...process.env, [name]: value });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr.trim()).toMatch(message);
  });
});
