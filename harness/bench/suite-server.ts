/** The run's server as a test file sees it (provided by global-setup.ts). */
import { inject } from 'vitest';
import type { ServerRef } from '../postgres/pg-server.ts';

export interface SuiteServer extends ServerRef {
  /** Dataset scale for this run (SCHEMABENCH_SCALE). */
  scale: number;
  /** Fixture seed for this run (SCHEMABENCH_SEED). */
  seed: number;
  /** Server profile of this run (SCHEMABENCH_PROFILE): 'benchmark' or 'durable'. */
  profile: 'benchmark' | 'durable';
}

declare module 'vitest' {
  export interface ProvidedContext {
    schemabenchServer: SuiteServer;
  }
}

export function suiteServer(): SuiteServer {
  return inject('schemabenchServer');
}
