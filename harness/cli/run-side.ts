/**
 * One side of `schemabench compare`: that side's benchmark suites in its own vitest, on
 * the server both sides share, taking turns with the other side (both named in the
 * side's run descriptor). Its output is prefixed with the side's name, line by line; its
 * results.json and vitest's JSON report land in the side's output folder.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { UsageError } from '../errors.ts';
import { packageManager } from '../package-manager.ts';
import { projectRoot } from '../project-root.ts';
import { defaultVitestConfig, installedPackageRoot } from '../package-root.ts';
import { packageFolder } from '../package-version.ts';
import { readResults } from '../results/results-file.ts';
import type { ResultsFile } from '../results/results-schema.ts';
import type { RunDescriptor } from '../run-descriptor.ts';
import { runSupervised, type ChildOutcome } from './supervised-child.ts';

export interface SidePlan {
  name: 'base' | 'head';
  /** vitest arguments after `run` (project, folders, -t). */
  vitestArgs: string[];
  /** The side's run: its project folder (root: the head checkout, or base's worktree), output folder, server and turns. */
  run: RunDescriptor;
}

export interface SideOutcome {
  name: SidePlan['name'];
  outcome: ChildOutcome;
  results: ResultsFile | undefined;
  /** Full names of the tests that failed, and of those that passed. */
  failed: string[];
  passed: string[];
  /** Each failed test's error, its first line (a cause may be named there: an index that does not exist). */
  messages: Record<string, string>;
}

/** The side's vitest: its own install (or base's shared node_modules), else the one beside schemabench. */
function vitestEntry(dir: string): string {
  const own = join(dir, 'node_modules', 'vitest', 'vitest.mjs');
  if (existsSync(own)) return own;
  const shared = packageFolder('vitest');
  if (!shared) throw new UsageError(`vitest is not installed: ${packageManager(projectRoot()).addDev(['vitest'])} (a peer dependency of schemabench)`);
  return join(shared, 'vitest.mjs');
}

/**
 * The project's own vitest config when it has one, else the one schemabench ships: the
 * schemabench installed there (base's worktree may have another version), or this one.
 */
export function vitestConfig(dir: string): string {
  const own = ['vitest.config.ts', 'vitest.config.mts', 'vitest.config.js', 'vitest.config.mjs'].map((f) => join(dir, f)).find((f) => existsSync(f));
  return own ?? defaultVitestConfig(installedPackageRoot(dir));
}

/** The side's output, line by line with its name; nothing once the CLI is stopping it (supervised-child.ts). */
function prefixLines(stream: Readable | null, prefix: string, out: NodeJS.WritableStream, stopped: () => boolean): void {
  if (!stream) return;
  createInterface({ input: stream }).on('line', (line) => stopped() || out.write(`${prefix}${line}\n`));
}

function testNames(file: string): Pick<SideOutcome, 'failed' | 'passed' | 'messages'> {
  try {
    const report = JSON.parse(readFileSync(file, 'utf8')) as { testResults: { assertionResults: { fullName: string; status: string; failureMessages?: string[] }[] }[] };
    const all = report.testResults.flatMap((f) => f.assertionResults);
    const failed = all.filter((t) => t.status === 'failed');
    const firstLine = (m: string | undefined) => (m ?? '').split('\n').find((l) => l.trim()) ?? '';
    return { failed: failed.map((t) => t.fullName), passed: all.filter((t) => t.status === 'passed').map((t) => t.fullName), messages: Object.fromEntries(failed.map((t) => [t.fullName, firstLine(t.failureMessages?.[0]).slice(0, 500)])) };
  } catch {
    return { failed: [], passed: [], messages: {} };
  }
}

export async function runSide(plan: SidePlan, log: NodeJS.WritableStream): Promise<SideOutcome> {
  const { root: dir, outDir } = plan.run;
  const report = join(outDir, 'vitest.json');
  const args = [vitestEntry(dir), 'run', ...plan.vitestArgs, '--config', vitestConfig(dir), '--root', dir, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`];
  const outcome = await runSupervised(process.execPath, args, {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
    run: plan.run,
    onSpawn: (child, stopped) => {
      prefixLines(child.stdout, `[${plan.name}] `, log, stopped);
      prefixLines(child.stderr, `[${plan.name}] `, log, stopped);
    },
  });
  const path = join(outDir, 'results.json');
  return { name: plan.name, outcome, results: existsSync(path) ? readResults(path) : undefined, ...testNames(report) };
}
