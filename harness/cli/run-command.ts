/**
 * `schemabench run`: the benchmark suites, through vitest (the same tests npm test
 * runs), then results.json and a terminal table. Exit code: vitest's (non-zero when
 * an assertion failed), 2 for bad input.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { resolveConfig } from '../config.ts';
import { UsageError } from '../errors.ts';
import { PROJECT_ROOT } from '../project-root.ts';
import { readResults } from '../report/results-file.ts';
import { resultsTables } from '../report/results-table.ts';
import { WORKLOADS, WORKLOAD_NAMES } from '../workloads/workload-registry.ts';
import { parseCommandLine } from './parse-command-line.ts';

export const RUN_USAGE = `schemabench run [--workload receipts|store|all] [--scale F] [--seed N] [--provider P] [--out DIR] [--filter TEXT]
  Run the benchmark suites (vitest project "benchmarks"), write DIR/results.json (default .schemabench/latest)
  and print a table per workload. --filter keeps the tests whose name contains TEXT.`;

export async function runCommand(args: string[]): Promise<number> {
  const values = parseCommandLine('run', args, {
    workload: { type: 'string', default: 'all' },
    scale: { type: 'string' },
    seed: { type: 'string' },
    provider: { type: 'string' },
    out: { type: 'string' },
    filter: { type: 'string' },
  });
  const config = resolveConfig({ scale: values.scale, seed: values.seed, provider: values.provider, outDir: values.out });
  if (values.workload !== 'all' && !WORKLOAD_NAMES.includes(values.workload)) {
    throw new UsageError(`--workload must be all or one of ${WORKLOAD_NAMES.join(', ')} (got ${JSON.stringify(values.workload)})`);
  }
  const outDir = resolve(config.outDir);
  const vitestArgs = ['run', '--project', 'benchmarks'];
  if (values.workload !== 'all') vitestArgs.push(`benchmarks/${values.workload}/`);
  if (values.filter) vitestArgs.push('-t', values.filter.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const child = spawn(process.execPath, [join(PROJECT_ROOT, 'node_modules', 'vitest', 'vitest.mjs'), ...vitestArgs], {
    cwd: PROJECT_ROOT,
    stdio: 'inherit',
    env: {
      ...process.env,
      SCHEMABENCH_SCALE: String(config.scale),
      SCHEMABENCH_SEED: String(config.seed),
      SCHEMABENCH_PROVIDER: config.provider,
      SCHEMABENCH_OUT: outDir,
    },
  });
  // Ctrl-C reaches vitest too (same process group); wait for it to clean up.
  const ignore = () => undefined;
  process.on('SIGINT', ignore);
  const [code] = (await once(child, 'exit')) as [number | null];
  process.off('SIGINT', ignore);
  const resultsPath = join(outDir, 'results.json');
  if (existsSync(resultsPath)) {
    const results = readResults(resultsPath);
    process.stdout.write(`${resultsTables(results)}\n`);
    for (const workload of WORKLOADS) {
      if (!workload.report || !results.cases.concat().some((c) => c.workload === workload.name) && !results.metrics.some((m) => m.workload === workload.name)) continue;
      process.stdout.write(`${(await workload.report())(results)}\n`);
    }
    process.stdout.write(`\nresults: ${resultsPath}\n`);
  }
  return code ?? 1;
}
