/**
 * The committed migrations match the Drizzle schema: drizzle-kit generate, run on a
 * scratch copy of migrations/<workload>, must find nothing to write. drizzle-kit
 * exits 0 even when it did nothing (or prompted without a TTY), so the check is on
 * the files, never on its exit code.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT as PROJECT_ROOT } from '../harness/package-root.ts';
import { workloadNames } from '../harness/workloads/load-workload.ts';

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

describe.each(workloadNames())('migrations/%s', (workload) => {
  it('has no drift from the Drizzle schema', () => {
    // drizzle-kit resolves `out` relative to the working directory: keep the scratch
    // copy inside the project (under the git-ignored .schemabench/).
    mkdirSync(join(PROJECT_ROOT, '.schemabench'), { recursive: true });
    const scratch = mkdtempSync(join(PROJECT_ROOT, '.schemabench', 'drift-'));
    try {
      const out = join(scratch, 'migrations');
      cpSync(join(PROJECT_ROOT, 'migrations', workload), out, { recursive: true });
      const before = listFiles(out);
      const config = join(scratch, 'drizzle.config.mjs');
      // The workload's config, with `out` redirected to the scratch copy.
      writeFileSync(
        config,
        `import base from ${JSON.stringify(join(PROJECT_ROOT, 'drizzle', `${workload}.config.ts`))};\nexport default { ...base, out: ${JSON.stringify(`./${relative(PROJECT_ROOT, out)}`)} };\n`,
      );
      const output = execFileSync(join(PROJECT_ROOT, 'node_modules', '.bin', 'drizzle-kit'), ['generate', `--config=${config}`], {
        cwd: PROJECT_ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      expect(listFiles(out), `drizzle-kit generate wrote new files:\n${output}`).toEqual(before);
      expect(output).toMatch(/No schema changes, nothing to migrate/);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
