/**
 * The specs project's global setup (vitest.config.ts): a folder for this run's packed
 * tarball (package-tarball.ts), removed when the run ends. Packing happens only when a
 * spec file asks for it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

export default function setup(project: TestProject): () => void {
  const folder = mkdtempSync(join(tmpdir(), 'schemabench-tarball-'));
  project.provide('tarballFolder', folder);
  return () => rmSync(folder, { recursive: true, force: true });
}
