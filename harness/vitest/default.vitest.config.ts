/**
 * The vitest configuration schemabench runs a project's benchmarks with, when the
 * project has no vitest.config.ts of its own (one that has one imports the same from
 * `schemabench/vitest`): two projects, "specs" (the project's specs/*.test.ts, in
 * parallel) and "benchmarks" (benchmarks/**\/*.bench.ts, one file at a time, after the
 * specs), one PostgreSQL server per run (global-setup.ts).
 */
import { defineSchemabenchConfig } from './schemabench-vitest.ts';

export default defineSchemabenchConfig();
