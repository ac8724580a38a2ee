/**
 * How a project is recognised on disk: the nearest folder, from a starting folder up,
 * with a schemabench.config.* or a package.json. Installed with npm, schemabench thus
 * works on the project it is run from, not on its own folder.
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
