/**
 * `schemabench/vitest`: the vitest configuration schemabench runs a project with, for a
 * project that has a vitest.config.ts of its own (its unit tests, plugins, aliases):
 *
 *   import { defineSchemabenchConfig } from 'schemabench/vitest';
 *   export default defineSchemabenchConfig({ test: { projects: [{ test: { name: 'unit', include: ['src/**\/*.test.ts'] } }] } });
 *
 * gives the two projects `schemabench run` needs ("specs": specs/*.test.ts in parallel;
 * "benchmarks": benchmarks/**\/*.bench.ts one file at a time, after the specs), one
 * PostgreSQL server per vitest run (global-setup.ts, at the root: a project's global
 * setup would run once per project), and the project's own options merged in (vitest's
 * mergeConfig: its projects are added to these two).
 */
import { fileURLToPath } from 'node:url';
import { mergeConfig, type TestProjectInlineConfiguration, type ViteUserConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** This module's extension: `.ts` run from schemabench's sources (its repository), `.js` built (installed). */
const EXTENSION = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
/** A module of schemabench beside this one, by its path without extension, as a file path. */
const sibling = (path: string) => fileURLToPath(new URL(`${path}${EXTENSION}`, import.meta.url));

/**
 * The harness imports the project's schema/ and fixtures/ modules (TypeScript) itself:
 * those imports must go through vitest's module runner, which transforms TypeScript,
 * and not through Node, so the installed package is processed by vitest instead of
 * being handed to Node as an external dependency.
 */
const server = { deps: { inline: [/[\\/]node_modules[\\/]schemabench[\\/]/] } };

/**
 * `import 'schemabench'` in the project's files is this very package: from a checkout of
 * schemabench its sources (which the CLI runs too), installed its built files. Per project:
 * inline projects do not inherit the root's options.
 */
const resolve = { alias: [{ find: /^schemabench$/, replacement: sibling('../index') }] };

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
 * a turn coordinator). Read here without the descriptor's module: a project's vitest.config.ts
 * loads this file, and with it only what it imports.
 */
function takesTurns(): boolean {
  try {
    return Boolean(JSON.parse(process.env.SCHEMABENCH_RUN ?? '{}')?.turns);
  } catch {
    return false;
  }
}

/** Spec files run at once (they measure nothing; the benchmarks project runs alone, one file at a time). */
const SPEC_WORKERS = 4;

/** The "specs" and "benchmarks" projects (`schemabench run` runs "benchmarks"). */
function schemabenchProjects(): TestProjectInlineConfiguration[] {
  return [
    {
      resolve,
      test: {
        name: 'specs',
        server,
        include: ['specs/**/*.test.ts'],
        // Specs wait on servers and child processes far more than they compute: vitest's
        // default (one worker per core but one) runs them one file at a time on 2 cores.
        maxWorkers: SPEC_WORKERS,
        testTimeout: 120_000,
        hookTimeout: 180_000,
        sequence: { groupOrder: 0 },
      },
    },
    {
      resolve,
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
  ];
}

/** schemabench's vitest configuration with the project's own `config` merged in. */
export function defineSchemabenchConfig(config: ViteUserConfig = {}): ViteUserConfig {
  const own: ViteUserConfig = {
    test: {
      ...(takesTurns() ? { sequence: { sequencer: PathOrder } } : {}),
      // One server for the whole run (root level: global setup runs once, not per project).
      globalSetup: [sibling('./global-setup')],
      projects: schemabenchProjects(),
    },
  };
  return mergeConfig(own, config);
}
