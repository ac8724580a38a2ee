#!/usr/bin/env node
// The schemabench command. The harness is TypeScript, run through tsx's loader so
// that the CLI and vitest execute the very same source files.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../harness/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
