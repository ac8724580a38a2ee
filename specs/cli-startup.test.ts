/**
 * What the CLI does before any command: `schemabench` alone prints the commands and exits 0,
 * `--version` (`-v`) prints the package's version, `--help` the usage; none of them, nor an
 * unknown command, loads a command's module or pg, drizzle or vitest (they cost about a
 * second before anything is parsed): a resolve hook fails the process if one is imported.
 * And the lockfile decides the package manager (harness/package-manager.ts).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../harness/package-root.ts';
import { packageManager } from '../harness/package-manager.ts';
import { CLI, collect } from './helpers/run-tsx.ts';

/** A module resolve hook that throws on the heavy packages and on the modules `forbidden` matches. */
const hook = (forbidden: string) => `export async function resolve(specifier, context, next) {
  if (/^(pg|drizzle-orm|drizzle-kit|vitest)(\\/|$)/.test(specifier) || /${forbidden}/.test(specifier)) throw new Error('loaded ' + specifier);
  return next(specifier, context);
}`;
const register = (forbidden: string) => `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook(forbidden))}`)});`;
const spawnHooked = (forbidden: string, args: string[]) =>
  collect(spawn(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(register(forbidden))}`, CLI, ...args], { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'pipe'] }));

/** The CLI with no command module allowed. */
const cli = (args: string[]) => spawnHooked('-command\\.(ts|js)$', args);

describe('schemabench before any command', () => {
  const version = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

  it.each([[[]], [['--help']], [['-h']]])('%j: the commands, exit 0, no command module loaded', async (args) => {
    const r = await cli(args);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: schemabench <command> \[options\]/);
    for (const command of ['init', 'new', 'generate', 'fixtures', 'run', 'compare', 'gate', 'baseline', 'merge', 'report', 'cache']) expect(r.stdout).toMatch(new RegExp(`^  ${command} +\\S`, 'm'));
    expect(r.stdout).toContain('schemabench <command> --help');
  });

  it.each([['--version'], ['-v']])('%s: the version, exit 0, nothing loaded', async (flag) => {
    const r = await cli([flag]);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, `${version}\n`, '']);
  });

  it('an unknown command: one line, exit 2, nothing loaded', async () => {
    const r = await cli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^schemabench: unknown command "frobnicate"; commands: init, new/)]);
  });

  // A command checks what was typed first; its work (run-benchmarks.ts, compare-change.ts,
  // show-dataset.ts, judge-against-baseline.ts, calibrate-bars.ts, capture-snapshot.ts,
  // cached-databases.ts; in the small commands the results, reports and workloads modules)
  // loads only when that passes.
  const WORK = '(run-benchmarks|compare-change|show-dataset|judge-against-baseline|calibrate-bars|capture-snapshot|cached-databases|load-results|write-reports|load-workload)\\.(ts|js)$';
  it.each([
    [['run', '--scale', 'nope'], /^schemabench: --scale must be a decimal number/],
    [['run', '--scael', '1'], /^schemabench: schemabench run: Unknown option '--scael'/],
    [['run', '--shard', '3/2'], /^schemabench: --shard must be i\/n/],
    [['run', '--profile', 'safe'], /^schemabench: --profile must be one of benchmark, durable/],
    [['compare', '--workload', 'store'], /^schemabench: compare needs --base REF/],
    [['compare', '--base', 'HEAD', '--latency-threshold', '0.9'], /^schemabench: --latency-threshold must be a ratio above 1/],
    [['fixtures', '--seed', '0x10'], /^schemabench: --seed must be a decimal integer/],
    [['fixtures', '--provider', 'cloud'], /^schemabench: --provider must be one of auto, embedded, testcontainers, url/],
    [['gate', '--results', 'r.json'], /^schemabench: --baseline FILE is required$/],
    [['gate', '--baseline', 'b.json', '--results', 'r.json', '--latency', 'always'], /^schemabench: --latency must be auto or off/],
    [['report', '--out', 'x'], /^schemabench: --results FILE is required$/],
    [['baseline', 'update'], /^schemabench: --results FILE is required$/],
    [['merge', 'a.json'], /^schemabench: merge: --out FILE is required$/],
    [['generate', '--workloads', 'x'], /^schemabench: schemabench generate: Unknown option '--workloads'/],
    [['init', '--name', 'x'], /^schemabench: schemabench init: Unknown option '--name'/],
    [['new'], /^schemabench: usage: schemabench new NAME/],
    [['cache', 'drop'], /^schemabench: cache: the actions are list and clear \(got "drop"\)$/],
    [['stats', 'capture'], /^schemabench: stats capture: --workload NAME is required/],
    [['calibrate', '--runs', '0'], /^schemabench: --runs must be an integer from 1 to 20/],
    [['calibrate', '--check', '--runs', '2'], /^schemabench: --check measures nothing/],
  ])('%j: one line, exit 2, before the work and pg, drizzle or vitest load', async (args, message) => {
    const r = await spawnHooked(WORK, args);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(message)]);
  });

  // Installed, the CLI hands main() the loading of tsx (~0.1 s): bad arguments come before it.
  it.each([
    [['run', '--seed', 'abc'], false],
    [['compare', '--base', 'HEAD', '--forecast-scales', '1'], false],
    [['report'], false],
    [['new', 'a', 'b'], false],
    [['run', '--workload', 'warehouse'], true],
  ])('%j: TypeScript\'s loader asked for: %s', async (args, asked) => {
    const main = join(PACKAGE_ROOT, 'harness', 'cli', 'main.ts');
    const code = `const { main } = await import(${JSON.stringify(main)}); process.exitCode = await main(${JSON.stringify(args)}, { loadTypeScript: async () => console.log('tsx asked for') });`;
    const r = await collect(spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'pipe'] }));
    expect([r.code, r.stdout.includes('tsx asked for')]).toEqual([2, asked]);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('the hook does catch a command that loads pg (the check can fail)', async () => {
    const r = await cli(['cache', '--help']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/loaded \S*cache-command/);
  });
});

describe('the lockfile decides the package manager', () => {
  const dir = mkdtempSync(join(tmpdir(), 'schemabench-lockfiles-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const project = (name: string, files: Record<string, string>) => {
    const at = join(dir, name);
    mkdirSync(join(at, 'packages', 'app'), { recursive: true });
    for (const [file, text] of Object.entries(files)) writeFileSync(join(at, file), text);
    return at;
  };

  it.each([
    ['npm', { 'package-lock.json': '{}' }, ['npm', 'ci', '--no-audit', '--no-fund'], 'npx schemabench'],
    ['npm (shrinkwrap)', { 'npm-shrinkwrap.json': '{}' }, ['npm', 'ci', '--no-audit', '--no-fund'], 'npx schemabench'],
    ['pnpm', { 'pnpm-lock.yaml': "lockfileVersion: '9.0'\n" }, ['pnpm', 'install', '--frozen-lockfile'], 'pnpm exec schemabench'],
    ['yarn 1', { 'yarn.lock': '# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n' }, ['yarn', 'install', '--frozen-lockfile', '--non-interactive'], 'yarn schemabench'],
    ['yarn 4', { 'yarn.lock': '# This file is generated by running "yarn install" inside your project.\n\n__metadata:\n  version: 8\n' }, ['yarn', 'install', '--immutable'], 'yarn schemabench'],
  ])('%s', (name, files, install, exec) => {
    const at = project(name.replace(/\W+/g, '-'), files);
    for (const from of [at, join(at, 'packages', 'app')]) {
      const pm = packageManager(from, at);
      expect([pm.frozenInstall, pm.exec('schemabench'), pm.lockfile]).toEqual([install, exec, join(at, Object.keys(files)[0]!)]);
    }
  });

  it('no lockfile up to the top: npm, and none is named', () => {
    const at = project('none', {});
    expect(packageManager(join(at, 'packages', 'app'), at)).toMatchObject({ name: 'npm', lockfile: undefined });
  });
});
