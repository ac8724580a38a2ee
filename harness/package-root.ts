import { fileURLToPath } from 'node:url';

/**
 * Absolute path of schemabench's own package (the folder holding its package.json):
 * where its code, its binaries and its vitest glue live. Inside this repository it
 * is also the project being benchmarked; installed into another project it is
 * `node_modules/schemabench` and the project is found by project-root.ts.
 */
export const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
