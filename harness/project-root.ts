/**
 * The project being benchmarked: the folder holding its schema/, fixtures/,
 * migrations/ and benchmarks/. The run descriptor's root when the CLI started this
 * process (run-descriptor.ts); otherwise the nearest project folder from the working
 * directory up (project-markers.ts).
 */
import { join } from 'node:path';
import { findProjectRoot } from './project-markers.ts';
import { handedRun } from './run-descriptor.ts';

export { CONFIG_FILES, findProjectRoot } from './project-markers.ts';

let cached: string | undefined;

/** The project root, resolved once per process. */
export function projectRoot(): string {
  cached ??= handedRun()?.root ?? findProjectRoot();
  return cached;
}

/** A path inside the project, e.g. projectPath('migrations', 'receipts'). */
export function projectPath(...segments: string[]): string {
  return join(projectRoot(), ...segments);
}
