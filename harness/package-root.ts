import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Absolute path of schemabench's own package (the folder holding its package.json):
 * where its code, its binaries and its vitest glue live. Inside this repository it
 * is also the project being benchmarked; installed into another project it is
 * `node_modules/schemabench` and the project is found by project-root.ts. The same
 * depth from harness/ (sources) and dist/ (built).
 */
export const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');

/**
 * The vitest config a schemabench package folder runs projects with. Like its
 * bin/schemabench.mjs: its sources where they are (a checkout of this repository, and
 * installed versions up to 0.1, which shipped only sources), else its build.
 */
export function defaultVitestConfig(packageDir = PACKAGE_ROOT): string {
  const source = join(packageDir, 'harness', 'vitest', 'default.vitest.config.ts');
  return existsSync(source) ? source : join(packageDir, 'dist', 'vitest', 'default.vitest.config.js');
}

/** The folder of the schemabench a project folder resolves (its own install), if any. */
export function installedPackageRoot(projectDir: string): string | undefined {
  try {
    // Resolved as Node would from the project (pnpm's symlinked store, yarn's hoisting).
    return join(createRequire(join(projectDir, 'package.json')).resolve('schemabench/package.json'), '..');
  } catch {
    return undefined;
  }
}
