/**
 * One PostgreSQL server per test run (per vitest invocation), started before the
 * first file and stopped after the last, whatever happened in between. Each suite
 * gets its own database on it: a copy of the cached dataset template. Benchmark
 * files run one at a time, after every spec file has finished (vitest.config.ts), so
 * nothing else runs on the server while they measure.
 *
 * At the end, the benchmark files' result parts are merged into results.json with
 * the run's fingerprint.
 */
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

import { resolveConfig } from '../config.ts';
import type { PgServer } from '../postgres/pg-server.ts';
import { startPostgres } from '../postgres/start-postgres.ts';
import { projectRoot } from '../project-root.ts';
import { machineFingerprint, serverFingerprint } from '../report/fingerprint.ts';
import { clearParts, mergeParts, partsDirectory, readParts, writeResults } from '../results/results-file.ts';
import { loadAverage, runNoise } from '../report/run-noise.ts';
import { writeReports } from '../report/write-reports.ts';
import type { SuiteServer } from './suite-server.ts';

export default async function setup(project: TestProject) {
  const config = resolveConfig();
  const loadStart = loadAverage();
  const server: PgServer = await startPostgres(config);
  try {
    const postgres = await serverFingerprint(server.connectionUri, server.provider);
    const partsDir = partsDirectory(config.outDir);
    clearParts(partsDir);
    const ref: SuiteServer = {
      provider: server.provider,
      connectionUri: server.connectionUri,
      adminUri: server.adminUri,
      databasePrefix: server.databasePrefix,
      scale: config.scale,
      seed: config.seed,
    };
    project.provide('schemabenchServer', ref);
    return async () => {
      await server.stop();
      const parts = readParts(partsDir);
      if (!parts.length) return;
      const results = mergeParts(parts, { postgres, ...machineFingerprint(), scale: config.scale, seed: config.seed });
      results.fingerprint.noise = runNoise(results.comparisons, loadStart);
      const path = resolve(projectRoot(), config.outDir, 'results.json');
      writeResults(path, results);
      writeReports(results, resolve(projectRoot(), config.outDir));
      console.log(`schemabench: ${results.cases.length} cases, ${results.comparisons.length} comparisons written to ${path} (and report.html, report.md, CI formats)`);
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
