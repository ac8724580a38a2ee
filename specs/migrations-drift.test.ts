/**
 * The committed migrations match the Drizzle schema: `schemabench generate`, run on a
 * scratch copy of migrations/<workload>, must find nothing to write. drizzle-kit exits
 * 0 even when it did nothing (or prompted without a TTY), so generateMigrations reads
 * the outcome from the files, never from its exit code.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../harness/package-root.ts';
import { generateMigrations } from '../harness/workloads/generate-migrations.ts';
import { workloadNames } from '../harness/workloads/load-workload.ts';

describe.each(workloadNames())('migrations/%s', (workload) => {
  it('has no drift from the Drizzle schema', async () => {
    // drizzle-kit resolves `out` against the project root: keep the scratch copy inside
    // it (under the git-ignored .schemabench/).
    mkdirSync(join(PACKAGE_ROOT, '.schemabench'), { recursive: true });
    const scratch = mkdtempSync(join(PACKAGE_ROOT, '.schemabench', 'drift-'));
    try {
      cpSync(join(PACKAGE_ROOT, 'migrations', workload), scratch, { recursive: true });
      const { written, output } = await generateMigrations(workload, { out: scratch });
      expect(written, `drizzle-kit generate wrote new files:\n${output}`).toEqual([]);
      expect(output).toMatch(/No schema changes, nothing to migrate/);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
