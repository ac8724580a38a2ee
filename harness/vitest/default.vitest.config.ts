/**
 * The vitest configuration schemabench runs a project's benchmarks with, when the
 * project has no vitest.config.ts of its own: two projects, "specs" (the project's
 * specs/*.test.ts, in parallel) and "benchmarks" (benchmarks/**\/*.bench.ts, one file
 * at a time, after the specs), one PostgreSQL server per run (global-setup.ts).
 *
 * Self-contained on purpose: installed, this file lives in node_modules/schemabench
 * and is bundled by vitest's config loader on its own.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

// schemabench ships TypeScript sources: in a project's node_modules, vitest must
// transform them instead of handing them to Node (which cannot load .ts).
const server = { deps: { inline: [/[\\/]node_modules[\\/]schemabench[\\/]/] } };

/**
 * Under `schemabench compare` base and head take turns round by round; their rounds pair
 * up only if both visit the same files in the same order, so files run in path order
 * there (vitest's default order depends on each side's cached durations).
 */
class PathOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const group = (f: TestSpecification) => f.project.config.sequence.groupOrder ?? 0;
    return [...files].sort((a, b) => group(a) - group(b) || a.project.name.localeCompare(b.project.name) || a.moduleId.localeCompare(b.moduleId));
  }
}

/**
 * This run takes turns with another (its run descriptor, harness/run-descriptor.ts, names
 * a turn coordinator). Read here without the descriptor's module: this file stays self-contained.
 */
function takesTurns(): boolean {
  try {
    return Boolean(JSON.parse(process.env.SCHEMABENCH_RUN ?? '{}')?.turns);
  } catch {
    return false;
  }
}

export default defineConfig({
  test: {
    ...(takesTurns() ? { sequence: { sequencer: PathOrder } } : {}),
    // One server for the whole run (root level: global setup runs once, not per project).
    globalSetup: [here('./global-setup.ts')],
    projects: [
      {
        test: {
          name: 'specs',
          server,
          include: ['specs/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'benchmarks',
          server,
          include: ['benchmarks/**/*.bench.ts', 'specs/**/*.bench.ts'],
          // Measurements on shared cores: one benchmark file at a time, after the specs.
          fileParallelism: false,
          testTimeout: 900_000,
          hookTimeout: 900_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
