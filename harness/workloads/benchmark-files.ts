/**
 * A workload's suites: the *.bench.ts files under benchmarks/<name>/ (the files the
 * "benchmarks" vitest project includes). A workload may have none (a schema alone makes a
 * workload: `fixtures` builds its dataset), but then there is nothing to run or compare,
 * which is said in one line before vitest starts (vitest's own "No test files found" is a
 * block of lines and exit 1).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.ts';
import { projectRoot } from '../project-root.ts';

const BENCH_FILE = /\.bench\.(ts|mts|js|mjs)$/;

/** The workload's benchmark files in project `root`, relative to benchmarks/<name>/. */
export function benchmarkFiles(workload: string, root = projectRoot()): string[] {
  const dir = join(root, 'benchmarks', workload);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => BENCH_FILE.test(f)).sort();
}

/** Refuses a workload without benchmarks, with where they go and what works without them. */
export function checkHasBenchmarks(workload: string, root = projectRoot()): void {
  if (benchmarkFiles(workload, root).length) return;
  throw new UsageError(
    `--workload ${workload} has no benchmarks (no *.bench.ts in benchmarks/${workload}/): nothing to measure; ` +
      `schemabench fixtures --workload ${workload} builds its dataset, docs/writing-a-benchmark.md adds a suite`,
  );
}
