/**
 * `--pg 14,15,16,17,18` (or SCHEMABENCH_PG_VERSIONS): the same suites on one server per
 * PostgreSQL major, one after another, with the same seed and scale, so each version
 * builds the same dataset byte for byte. Each major's run writes `<out>/pg-<major>/`;
 * its cases, comparisons, metrics, loads and skips are tagged with the server's version
 * (`pgVersion`) and merged into `<out>/results.json`, whose report has a version matrix.
 *
 * The loop is command-agnostic: `run` passes a function that runs vitest once for a
 * major; `compare` can pass its own.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.ts';
import { parsePgMajors } from '../postgres/postgres-versions.ts';
import { mergeResults } from '../results/merge-results.ts';
import { readResults, writeResults } from '../results/results-file.ts';
import type { ResultsFile } from '../results/results-schema.ts';
import { tagWithVersion } from '../results/tag-with-version.ts';
import { writeReports } from '../report/write-reports.ts';

/** The majors of `--pg` or SCHEMABENCH_PG_VERSIONS, or undefined when neither is given. */
export function pgVersionsOption(value: string | undefined, env = process.env): number[] | undefined {
  if (value !== undefined) return parsePgMajors(value, '--pg');
  const fromEnv = env.SCHEMABENCH_PG_VERSIONS;
  return fromEnv ? parsePgMajors(fromEnv, 'SCHEMABENCH_PG_VERSIONS') : undefined;
}

/** Options `--pg` cannot be combined with, checked before any server starts. */
export function checkMatrixOptions(options: { provider: string; scales?: unknown; shard?: unknown }): void {
  if (options.provider === 'url') throw new UsageError('--pg starts one server per version; the url provider uses the one server in DATABASE_URL');
  if (options.scales !== undefined) throw new UsageError('give --pg or --scales, not both (run one scale across versions)');
  if (options.shard !== undefined) throw new UsageError('give --pg or --shard, not both');
}

export interface MatrixOutcome {
  /** The first non-zero exit code of the majors' runs, else 0. */
  code: number;
  /** Merged, tagged results of every major that wrote any. */
  results: ResultsFile | undefined;
}

/**
 * Run `runOne(major, dir)` for each major in order (each writes `dir/results.json`),
 * then tag, merge and write `outDir/results.json` and its reports. A major whose run
 * fails still contributes what it measured; the next major runs anyway, so one
 * version's regression does not hide another's.
 */
export async function runVersionMatrix(
  majors: number[],
  outDir: string,
  runOne: (major: number, dir: string) => Promise<number>,
  log: (line: string) => void = (line) => console.error(line),
): Promise<MatrixOutcome> {
  let code = 0;
  const runs: ResultsFile[] = [];
  for (const major of majors) {
    const dir = join(outDir, `pg-${major}`);
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'results.json');
    // A results.json left by an earlier run must not stand in for this one.
    rmSync(path, { force: true });
    log(`schemabench: PostgreSQL ${major} (${majors.indexOf(major) + 1}/${majors.length}), results in ${dir}`);
    code ||= await runOne(major, dir);
    if (existsSync(path)) runs.push(tagWithVersion(readResults(path)));
  }
  if (!runs.length) return { code, results: undefined };
  const results = mergeResults(runs);
  writeResults(join(outDir, 'results.json'), results);
  writeReports(results, outDir);
  return { code, results };
}
