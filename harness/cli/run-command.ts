/**
 * `schemabench run`: the benchmark suites, through vitest (the same tests npm test
 * runs), then results.json, reports and a terminal table. Exit code: vitest's
 * (non-zero when an assertion failed), 2 for bad input.
 *   --scales 0.1,0.3,1   one run per scale, merged; growth exponents per case
 *   --shard i/n          this machine's share of the files (merge shards with `schemabench merge`)
 *   --json               vitest's output to stderr, results.json to stdout
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseScale, resolveConfig } from '../config.ts';
import { UsageError } from '../errors.ts';
import { PACKAGE_ROOT } from '../package-root.ts';
import { mergeResults } from '../results/merge-results.ts';
import { readResults, writeResults } from '../results/results-file.ts';
import type { ResultsFile } from '../results/results-schema.ts';
import { resultsTables } from '../report/results-table.ts';
import { growthExponent } from '../bench/scale-fit.ts';
import { textTable } from '../report/text-table.ts';
import { writeReports } from '../report/write-reports.ts';
import { checkWorkloadName, loadWorkload, workloadNames } from '../workloads/load-workload.ts';
import { parseCommandLine } from './parse-command-line.ts';
import { checkMatrixOptions, pgVersionsOption, runVersionMatrix } from './version-matrix-run.ts';
import { versionMatrixText } from '../report/version-matrix.ts';

export const RUN_USAGE = `schemabench run [--workload NAME|all] [--scale F | --scales F,F,...] [--seed N] [--provider P]
                [--out DIR] [--filter TEXT] [--shard i/n] [--pg 14,15,16,17,18] [--json]
  Run the benchmark suites (vitest project "benchmarks"), write DIR/results.json, report.html, report.md and
  CI formats (default DIR .schemabench/latest), and print a table per workload.
  --filter keeps the tests whose name contains TEXT; --scales runs each scale and fits growth exponents;
  --shard i/n runs this machine's share (merge with schemabench merge); --json prints results.json on stdout;
  --pg runs the suites on one server per PostgreSQL major (SCHEMABENCH_PG_VERSIONS) and reports a version matrix.`;

interface RunPlan {
  vitestArgs: string[];
  env: NodeJS.ProcessEnv;
  outDir: string;
}

async function runVitest(plan: RunPlan, json: boolean): Promise<number> {
  const child = spawn(process.execPath, [join(PACKAGE_ROOT, 'node_modules', 'vitest', 'vitest.mjs'), ...plan.vitestArgs], {
    cwd: PACKAGE_ROOT,
    stdio: ['inherit', json ? process.stderr : 'inherit', 'inherit'],
    env: { ...process.env, ...plan.env, SCHEMABENCH_OUT: plan.outDir },
  });
  // Ctrl-C reaches vitest too (same process group); wait for it to clean up.
  const ignore = () => undefined;
  process.on('SIGINT', ignore);
  const [code] = (await once(child, 'exit')) as [number | null];
  process.off('SIGINT', ignore);
  return code ?? 1;
}

function parseShard(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(value);
  if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new UsageError(`--shard must be i/n with 1 <= i <= n, e.g. 1/2 (got ${JSON.stringify(value)})`);
  return value;
}

function scaleTable(results: ResultsFile): string {
  const ids = [...new Set(results.cases.map((c) => `${c.name}[${c.variant}]`))];
  const rows = ids.flatMap((id) => {
    const cs = results.cases.filter((c) => `${c.name}[${c.variant}]` === id).sort((a, b) => a.scale - b.scale);
    if (new Set(cs.map((c) => c.scale)).size < 2) return [];
    const e = growthExponent(cs.map((c) => ({ scale: c.scale, value: c.latency.p50 })));
    return [[id, e.toFixed(2), cs.map((c) => `${c.scale}: ${c.latency.p50.toFixed(3)} ms`).join(', ')]];
  });
  return rows.length ? `\nScale curves (growth exponent of median latency: 0 constant, 1 linear)\n${textTable([{ header: 'case' }, { header: 'exponent', align: 'right' }, { header: 'median by scale' }], rows)}` : '';
}

export async function runCommand(args: string[]): Promise<number> {
  const values = parseCommandLine('run', args, {
    workload: { type: 'string', default: 'all' },
    scale: { type: 'string' },
    scales: { type: 'string' },
    seed: { type: 'string' },
    provider: { type: 'string' },
    out: { type: 'string' },
    filter: { type: 'string' },
    shard: { type: 'string' },
    json: { type: 'boolean', default: false },
    pg: { type: 'string' },
  });
  if (values.scale !== undefined && values.scales !== undefined) throw new UsageError('give --scale or --scales, not both');
  const scales = values.scales?.split(',').map((s) => parseScale(s.trim()));
  const config = resolveConfig({ scale: values.scale ?? scales?.[0], seed: values.seed, provider: values.provider, outDir: values.out });
  if (values.workload !== 'all') checkWorkloadName(values.workload);
  const shard = parseShard(values.shard);
  const majors = pgVersionsOption(values.pg);
  if (majors) checkMatrixOptions({ provider: config.provider, scales: values.scales, shard: values.shard });
  const outDir = resolve(config.outDir);
  const vitestArgs = ['run', '--project', 'benchmarks'];
  if (values.workload !== 'all') vitestArgs.push(`benchmarks/${values.workload}/`);
  if (values.filter) vitestArgs.push('-t', values.filter.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  if (shard) vitestArgs.push(`--shard=${shard}`);
  const env = { SCHEMABENCH_SEED: String(config.seed), SCHEMABENCH_PROVIDER: config.provider };

  let code = 0;
  let results: ResultsFile | undefined;
  if (majors) {
    const scale = String(config.scale);
    const runOne = (major: number, dir: string) => runVitest({ vitestArgs, env: { ...env, SCHEMABENCH_SCALE: scale, SCHEMABENCH_PG_VERSION: String(major) }, outDir: dir }, values.json);
    ({ code, results } = await runVersionMatrix(majors, outDir, runOne));
  } else if (scales) {
    const runs: ResultsFile[] = [];
    for (const scale of scales) {
      const dir = join(outDir, `scale-${scale}`);
      mkdirSync(dir, { recursive: true });
      code ||= await runVitest({ vitestArgs, env: { ...env, SCHEMABENCH_SCALE: String(scale) }, outDir: dir }, values.json);
      if (existsSync(join(dir, 'results.json'))) runs.push(readResults(join(dir, 'results.json')));
    }
    if (runs.length) {
      results = mergeResults(runs);
      writeResults(join(outDir, 'results.json'), results);
      writeReports(results, outDir);
    }
  } else {
    code = await runVitest({ vitestArgs, env: { ...env, SCHEMABENCH_SCALE: String(config.scale) }, outDir }, values.json);
    const path = join(outDir, 'results.json');
    if (existsSync(path)) results = readResults(path);
  }
  if (!results) return code;
  if (values.json) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    return code;
  }
  process.stdout.write(`${resultsTables(results)}\n${scaleTable(results)}\n${versionMatrixText(results)}`);
  for (const name of workloadNames()) {
    const has = results.cases.some((c) => c.workload === name) || results.metrics.some((m) => m.workload === name);
    const workload = has ? await loadWorkload(name) : undefined;
    if (workload?.report) process.stdout.write(`${(await workload.report())(results)}\n`);
  }
  process.stdout.write(`\nresults: ${join(outDir, 'results.json')}\nreport:  ${join(outDir, 'report.html')}\n`);
  return code;
}
