/**
 * schemabench packed as a team installs it (`npm pack`: the prepack build, dist/ with
 * declarations), once per vitest run for every spec file that installs it. The specs
 * project's global setup (tarball-folder.ts) names the run's folder; the first file to ask
 * makes it and packs into it while the others wait on its lock: two packs at once would
 * each remove the other's dist/ (the build starts by removing it).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inject } from 'vitest';
import { PACKAGE_ROOT } from '../../harness/package-root.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A folder of this vitest run for the packed tarball (tarball-folder.ts). */
    tarballFolder: string;
  }
}

const exec = promisify(execFile);

/** The tarball's path; packs it if no file of this run has. */
export async function packageTarball(): Promise<string> {
  const folder = inject('tarballFolder');
  const done = join(folder, 'tarball-path');
  const failed = join(folder, 'pack-failed');
  try {
    mkdirSync(folder, { recursive: true });
    mkdirSync(join(folder, 'lock'));
  } catch {
    // Another file packs: wait for its result (a pack takes ~10 s alone, a minute on a busy machine).
    const deadline = Date.now() + 300_000;
    while (!existsSync(done) && !existsSync(failed) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    if (existsSync(done)) return readFileSync(done, 'utf8');
    throw new Error(`npm pack in another spec file failed or took over 300 s: ${existsSync(failed) ? readFileSync(failed, 'utf8') : 'no result'}`);
  }
  try {
    const { stdout } = await exec('npm', ['pack', '--silent', '--pack-destination', folder], { cwd: PACKAGE_ROOT, encoding: 'utf8', timeout: 180_000 });
    const tarball = join(folder, stdout.trim().split('\n').pop()!);
    writeFileSync(done, tarball);
    return tarball;
  } catch (error) {
    writeFileSync(failed, String((error as Error).message));
    throw error;
  }
}
