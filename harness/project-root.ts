/**
 * The project being benchmarked: the folder holding its schema/, fixtures/,
 * migrations/ and benchmarks/. SCHEMABENCH_ROOT when set (the CLI sets it for the
 * vitest processes it starts); otherwise the nearest folder, from the working
 * directory up, with a schemabench.config.ts or a package.json. Installed with npm, schemabench thus works on
 * the project it is run from, not on its own folder.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from './errors.ts';

/** Names of a project's config file (project-config.ts reads it). */
export const CONFIG_FILES = ['schemabench.config.ts', 'schemabench.config.mts', 'schemabench.config.js', 'schemabench.config.mjs'];
const MARKERS = [...CONFIG_FILES, 'package.json'];

export function findProjectRoot(from = process.cwd()): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (MARKERS.some((f) => existsSync(join(dir, f)))) return dir;
    if (dirname(dir) === dir) throw new UsageError(`no package.json in ${resolve(from)} or above: run schemabench inside your project (npx schemabench init creates its folders)`);
  }
}

let cached: string | undefined;

/** The project root, resolved once per process. */
export function projectRoot(): string {
  cached ??= process.env.SCHEMABENCH_ROOT ? resolve(process.env.SCHEMABENCH_ROOT) : findProjectRoot();
  return cached;
}

/** A path inside the project, e.g. projectPath('migrations', 'receipts'). */
export function projectPath(...segments: string[]): string {
  return join(projectRoot(), ...segments);
}
