/**
 * One PostgreSQL server per test run (per vitest invocation), started before the
 * first file and stopped after the last, whatever happened in between. Each suite
 * gets its own database on it: a copy of the cached dataset template (see
 * useSuiteDatabase). Benchmark files run one at a time, after every spec file has
 * finished (vitest.config.ts), so nothing else runs on the server while they measure.
 */
import type { TestProject } from 'vitest/node';
import { resolveConfig } from '../config.ts';
import type { PgServer } from '../postgres/pg-server.ts';
import { startPostgres } from '../postgres/start-postgres.ts';
import type { SuiteServer } from './suite-server.ts';

let server: PgServer | undefined;
let starting: Promise<PgServer> | undefined;

export default async function setup(project: TestProject) {
  const config = resolveConfig();
  starting ??= startPostgres(config);
  server = await starting;
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
    const s = server;
    server = undefined;
    starting = undefined;
    await s?.stop();
  };
}
