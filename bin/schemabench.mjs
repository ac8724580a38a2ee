#!/usr/bin/env node
// The schemabench command. Installed, it runs the built JavaScript (dist/); in a checkout
// of this repository, which has the TypeScript sources (harness/, not in the package), it
// runs those through tsx, so no build is needed while developing. Either way a command
// gets tsx's loader: a project's own files (schemabench.config.ts, schema/, fixtures/,
// benchmarks/*/report.ts) are TypeScript.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
if (existsSync(`${root}harness/cli/main.ts`)) {
  const { register } = await import('tsx/esm/api');
  // `import 'schemabench'` then means these sources (this checkout's tsconfig paths),
  // whatever the working directory.
  register({ tsconfig: `${root}tsconfig.json` });
  const { main } = await import('../harness/cli/main.ts');
  process.exitCode = await main(argv);
} else {
  const { main } = await import('../dist/cli/main.js');
  // Loaded only when a command runs (not for --help or --version: ~0.15 s).
  const loadTypeScript = async () => (await import('tsx/esm/api')).register();
  process.exitCode = await main(argv, { loadTypeScript });
}
