import { fileURLToPath } from 'node:url';

/** Absolute path of the schemabench checkout (the folder holding package.json). */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
