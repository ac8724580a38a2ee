#!/usr/bin/env node
// The schemabench command. Installed, it runs the built JavaScript (dist/); in a checkout
// of this repository, which has the TypeScript sources (harness/, not in the package), it
// runs those through tsx, the loader vitest's runs there resolve the same files with, so
// no build is needed while developing. tsx is registered in both cases: a project's own
// files (schemabench.config.ts, schema/, fixtures/, benchmarks/*/report.ts) are TypeScript.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const source = existsSync(`${root}harness/cli/main.ts`);
const { register } = await import('tsx/esm/api');
// From the sources, `import 'schemabench'` is mapped to them by this checkout's tsconfig
// paths, whatever the working directory; installed, tsx reads the project's tsconfig.
register(source ? { tsconfig: `${root}tsconfig.json` } : {});
const { main } = await import(source ? '../harness/cli/main.ts' : '../dist/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
