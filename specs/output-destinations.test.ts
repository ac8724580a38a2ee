/**
 * Every command that writes checks where before it works (harness/output-destination.ts):
 * a destination on a read-only file system, a folder where a file goes (a file where a
 * folder goes), a missing folder under a read-only one is one line and
 * exit 2, for every writer — merge --out, baseline update --baseline, compare --markdown,
 * stats capture --out, gate --report, report --out, run --out. A missing folder on a writable place is created.
 * The read-only place is a tmpfs mounted read-only (as root, who passes every permission
 * check, only a read-only file system refuses a write); without root, a folder of mode 0555.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, collect } from './helpers/run-tsx.ts';
import { SAMPLE } from './helpers/sample-results.ts';
import { PACKAGE_ROOT } from '../harness/package-root.ts';

const dir = mkdtempSync(join(tmpdir(), 'schemabench-destinations-'));
const ro = join(dir, 'ro');
const results = join(dir, 'results.json');
/** A git repository with one commit: enough for compare to reach its output checks. */
const repo = join(dir, 'repo');
// Made when the file is collected: the expected lines depend on which it is.
mkdirSync(ro);
const mounted = process.getuid?.() === 0;
if (mounted) execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', ro]);
else chmodSync(ro, 0o555);

beforeAll(() => {
  writeFileSync(results, `${JSON.stringify(SAMPLE)}\n`);
  writeFileSync(join(dir, 'afile'), '');
  mkdirSync(join(dir, 'adir'));
  mkdirSync(join(repo, 'schema', 'x'), { recursive: true });
  writeFileSync(join(repo, 'package.json'), '{ "name": "destinations", "type": "module", "private": true }\n');
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=s', '-c', 'user.email=s@localhost', ...args], { cwd: repo });
  git('init', '-q', '-b', 'main');
  git('commit', '-q', '--allow-empty', '-m', 'base');
});
afterAll(() => {
  if (mounted) execFileSync('umount', [ro]);
  rmSync(dir, { recursive: true, force: true });
});

/** The CLI in `cwd` (a child process, awaited: the cases run side by side). */
function cli(args: string[], cwd = PACKAGE_ROOT) {
  return collect(spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SCHEMABENCH_ROOT: cwd, GITHUB_STEP_SUMMARY: '' } }));
}

type Writer = { name: string; option: string; kind: 'file' | 'folder'; args: (dest: string) => string[]; cwd?: string };
const WRITERS: Writer[] = [
  { name: 'merge', option: '--out', kind: 'file', args: (d) => ['merge', '--out', d, results] },
  { name: 'baseline update', option: '--baseline', kind: 'file', args: (d) => ['baseline', 'update', '--results', results, '--baseline', d] },
  { name: 'compare', option: '--markdown', kind: 'file', args: (d) => ['compare', '--base', 'HEAD', '--markdown', d], cwd: repo },
  { name: 'stats capture', option: '--out', kind: 'file', args: (d) => ['stats', 'capture', '--workload', 'receipts', '--out', d] },
  { name: 'gate', option: '--report', kind: 'folder', args: (d) => ['gate', '--baseline', results, '--results', results, '--report', d] },
  { name: 'report', option: '--out', kind: 'folder', args: (d) => ['report', '--results', results, '--out', d] },
  { name: 'run', option: '--out', kind: 'folder', args: (d) => ['run', '--workload', 'receipts', '--scale', '0.01', '--out', d] },
];

/** Destinations no writer can use, with what the one line must say. */
const BAD = (kind: Writer['kind']) => [
  { what: 'on a read-only file system', dest: join(ro, kind === 'file' ? 'x.json' : 'out'), says: mounted ? /is on a read-only file system$/ : /is not writable$/ },
  { what: 'a missing folder under a read-only one', dest: join(ro, 'missing', kind === 'file' ? 'x.json' : 'out'), says: mounted ? /is on a read-only file system$/ : /is not writable$/ },
  kind === 'file'
    ? { what: 'a folder', dest: join(dir, 'adir'), says: /is a folder, not a file$/ }
    : { what: 'a file', dest: join(dir, 'afile'), says: /is a file, not a folder$/ },
];

describe('every writer checks its destination first', () => {
  for (const writer of WRITERS) {
    it.concurrent.each(BAD(writer.kind))(`${writer.name} ${writer.option}: $what is one line, exit 2`, async ({ dest, says }) => {
      const r = await cli(writer.args(dest), writer.cwd);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(new RegExp(`^schemabench: ${writer.option} ${dest.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      expect(r.stderr.trim()).toMatch(says);
      expect(r.stdout).toBe('');
    });
  }

  it.concurrent.each(WRITERS.filter((w) => !['compare', 'run', 'stats capture'].includes(w.name)))('$name $option: a missing folder on a writable place is created', async (writer) => {
    const dest = join(dir, 'new', writer.name.replace(' ', '-'), writer.kind === 'file' ? 'x.json' : 'out');
    const r = await cli(writer.args(dest));
    // SAMPLE holds a failed comparison: the gate says regression (1), having written its report.
    expect(r.code, r.stderr).toBe(writer.name === 'gate' ? 1 : 0);
    expect(existsSync(writer.kind === 'file' ? dest : join(dest, 'report.html'))).toBe(true);
  });
});
