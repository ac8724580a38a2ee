/**
 * Bad input to the CLI: one line on stderr naming the problem, exit code 2, no stack
 * trace, and no server started for it.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/run-tsx.ts';

const noDocker = { ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' };
const unreachable = { ...process.env, DATABASE_URL: 'postgres://nobody:secret@127.0.0.1:1/nothing' };

const CASES: { name: string; args: string[]; env?: NodeJS.ProcessEnv; message: RegExp }[] = [
  { name: 'scale 0', args: ['--scale', '0'], message: /--scale must be a number > 0/ },
  { name: 'scale -1', args: ['--scale=-1'], message: /--scale must be a number > 0.*got "-1"/ },
  { name: 'scale -1 (separate argument)', args: ['--scale', '-1'], message: /--scale/ },
  { name: 'scale NaN', args: ['--scale', 'NaN'], message: /--scale must be a number/ },
  { name: 'scale abc', args: ['--scale', 'abc'], message: /--scale must be a number.*"abc"/ },
  { name: 'seed abc', args: ['--seed', 'abc'], message: /--seed must be an integer/ },
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

  it('an unknown command exits 2 and lists the commands', async () => {
    const result = await runCli(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(/^schemabench: unknown command "frobnicate"; commands: fixtures/);
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
