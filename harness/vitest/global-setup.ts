/**
 * One PostgreSQL server per test run (per vitest invocation), started before the
 * first file and stopped after the last, whatever happened in between. Each suite
 * gets its own database on it: a copy of the cached dataset template. Benchmark
 * files run one at a time, after every spec file has finished (vitest.config.ts), so
 * nothing else runs on the server while they measure.
 *
 * At the end, the benchmark files' result parts are merged into results.json with
 * the run's fingerprint.
 *
 * Started by `schemabench run`, the output folder is already locked by the CLI, bad
 * input found here is handed back to it as one line (SCHEMABENCH_USAGE_ERROR_FILE,
 * exit 2), and the run stops itself if the CLI dies (parent-watch.ts). Started by
 * vitest directly (npm test), it locks the output folder itself.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

import { resolveConfig } from '../config.ts';
import { SHARED_SERVER_ENV, type PgServer, type ServerRef } from '../postgres/pg-server.ts';
import { startPostgres } from '../postgres/start-postgres.ts';
import { projectRoot } from '../project-root.ts';
import { machineFingerprint, serverFingerprint } from '../report/fingerprint.ts';
import { clearParts, mergeParts, partsDirectory, readParts, writeResults } from '../results/results-file.ts';
import { loadAverage, runNoise } from '../report/run-noise.ts';
import { writeReports } from '../report/write-reports.ts';
import type { SuiteServer } from '../bench/suite-server.ts';
import { lockOutputFolder } from '../results/output-lock.ts';
import { watchParent } from './parent-watch.ts';

type RunServer = ServerRef & Pick<PgServer, 'stop'>;

/** Bad input found here: when `schemabench run` started this vitest, it prints the line and exits 2. */
async function started(config: ReturnType<typeof resolveConfig>): Promise<RunServer> {
  const shared = process.env[SHARED_SERVER_ENV];
  // Used, never stopped here: its owner stops it when both sides are done.
  if (shared) return { ...(JSON.parse(shared) as ServerRef), stop: async () => undefined };
  try {
    return await startPostgres(config);
  } catch (error) {
    const file = process.env.SCHEMABENCH_USAGE_ERROR_FILE;
    if (!file || (error as Error).name !== 'UsageError') throw error;
    writeFileSync(file, `${(error as Error).message}\n`);
    process.exit(2);
  }
}

export default async function setup(project: TestProject) {
  const config = resolveConfig();
  const loadStart = loadAverage();
  const release = process.env.SCHEMABENCH_OUT_LOCKED ? () => undefined : lockOutputFolder(resolve(projectRoot(), config.outDir));
  let server: RunServer;
  try {
    server = await started(config);
  } catch (error) {
    release();
    throw error;
  }
  const unwatch = watchParent(() => server.stop());
  try {
    const postgres = await serverFingerprint(server.connectionUri, server.provider, server.provider === 'url' ? 'as-found' : config.profile);
    const partsDir = partsDirectory(config.outDir);
    clearParts(partsDir);
    const ref: SuiteServer = {
      provider: server.provider,
      connectionUri: server.connectionUri,
      adminUri: server.adminUri,
      databasePrefix: server.databasePrefix,
      ...(server.owner ? { owner: server.owner } : {}),
      scale: config.scale,
      seed: config.seed,
      profile: config.profile,
    };
    project.provide('schemabenchServer', ref);
    return async () => {
      unwatch();
      await server.stop();
      const parts = readParts(partsDir);
      if (!parts.length) return release();
      const results = mergeParts(parts, { postgres, ...machineFingerprint(), scale: config.scale, seed: config.seed });
      results.fingerprint.noise = runNoise(results.comparisons, loadStart);
      const path = resolve(projectRoot(), config.outDir, 'results.json');
      writeResults(path, results);
      writeReports(results, resolve(projectRoot(), config.outDir));
      console.log(`schemabench: ${results.cases.length} cases, ${results.comparisons.length} comparisons, ${results.loads?.length ?? 0} loads written to ${path} (and report.html, report.md, CI formats)`);
      release();
    };
  } catch (error) {
    unwatch();
    await server.stop();
    release();
    throw error;
  }
}
