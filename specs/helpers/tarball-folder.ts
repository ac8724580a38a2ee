/**
 * The specs project's global setup (vitest.config.ts): the path of a folder for this run's
 * packed tarball (package-tarball.ts), made only when a spec file packs, removed when the
 * run ends. A vitest run that is killed (the lifecycle specs kill the `schemabench run`
 * they start, and its vitest loads this config too) runs no teardown: folders of runs whose
 * process is gone are removed here, at the next start.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { reapFoldersOfGoneProcesses } from '../../harness/cli/private-temp-dir.ts';

const PREFIX = 'schemabench-tarball-';

export default function setup(project: TestProject): () => void {
  reapFoldersOfGoneProcesses(tmpdir(), [PREFIX]);
  const folder = join(tmpdir(), `${PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`);
  project.provide('tarballFolder', folder);
  return () => rmSync(folder, { recursive: true, force: true });
}
