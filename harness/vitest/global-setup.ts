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
 * Everything it needs comes from the run descriptor (run-descriptor.ts). Started by
 * `schemabench run`, the output folder is already locked by the CLI, bad input found here
 * is handed back to it as one line (the descriptor's usageErrorFile, exit 2), and the
 * run stops itself if the CLI dies (parent-watch.ts); under `schemabench compare` the
 * server is the one both sides share. Started by vitest directly (npm test), it resolves
 * its options from the environment and locks the output folder itself.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

import type { PgServer, ServerRef } from '../postgres/pg-server.ts';
import { startPostgres } from '../postgres/start-postgres.ts';
import { currentRun, type RunDescriptor } from '../run-descriptor.ts';
import { machineFingerprint, serverFingerprint } from '../report/fingerprint.ts';
import { clearParts, mergeParts, partsDirectory, readParts, writeResults } from '../results/results-file.ts';
import { loadAverage, runNoise } from '../report/run-noise.ts';
import { writeReports } from '../report/write-reports.ts';
import type { SuiteServer } from '../bench/suite-server.ts';
import { lockOutputFolder } from '../results/output-lock.ts';
import { watchParent } from './parent-watch.ts';

type RunServer = ServerRef & Pick<PgServer, 'stop'>;

/** Bad input found here: when `schemabench run` started this vitest, it prints the line and exits 2. */
async function started(run: RunDescriptor): Promise<RunServer> {
  // Used, never stopped here: its owner stops it when both sides are done.
  if (run.server) return { ...run.server, stop: async () => undefined };
  try {
    return await startPostgres({ ...run, databaseUrl: process.env.DATABASE_URL });
  } catch (error) {
    const file = run.usageErrorFile;
    if (!file || (error as Error).name !== 'UsageError') throw error;
    writeFileSync(file, `${(error as Error).message}\n`);
    process.exit(2);
  }
}

export default async function setup(project: TestProject) {
  const run = currentRun();
  // `schemabench calibrate`'s bars run measures nothing: the suites only write their bars (bench/suite-bars.ts).
  if (run.calibration?.mode === 'bars') return;
  const loadStart = loadAverage();
  const release = run.outLocked ? () => undefined : lockOutputFolder(run.outDir);
  let server: RunServer;
  try {
    server = await started(run);
  } catch (error) {
    release();
    throw error;
  }
  const unwatch = watchParent(() => server.stop());
  try {
    const postgres = await serverFingerprint(server.connectionUri, server.provider, server.provider === 'url' ? 'as-found' : run.profile);
    const partsDir = partsDirectory(run.outDir);
    clearParts(partsDir);
    const ref: SuiteServer = {
      provider: server.provider,
      connectionUri: server.connectionUri,
      adminUri: server.adminUri,
      databasePrefix: server.databasePrefix,
      ...(server.owner ? { owner: server.owner } : {}),
      scale: run.scale,
      seed: run.seed,
      profile: run.profile,
    };
    project.provide('schemabenchServer', ref);
    return async () => {
      unwatch();
      await server.stop();
      const parts = readParts(partsDir);
      if (!parts.length) return release();
      const results = mergeParts(parts, { postgres, ...machineFingerprint(), scale: run.scale, seed: run.seed });
      results.fingerprint.noise = runNoise(results.comparisons, loadStart);
      const path = resolve(run.outDir, 'results.json');
      writeResults(path, results);
      writeReports(results, run.outDir);
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
