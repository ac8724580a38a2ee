/**
 * What `schemabench run` owns between its checks and its exit: the output folder
 * (locked, emptied of an earlier run's files), the environment its vitest children
 * get, and the ways a run ends other than with results — bad input found inside
 * vitest's global setup (carried out through a file as one line), no test matched,
 * or a signal (then whatever the stopped children left is reaped).
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.ts';
import { reapOrphanClusters } from '../postgres/cluster-reaper.ts';
import { reapOrphanDatabases } from '../postgres/database-reaper.ts';
import { URL_PREFIX } from '../postgres/url-provider.ts';
import { lockOutputFolder } from '../results/output-lock.ts';
import { clearPreviousOutput } from './output-folder.ts';

export const USAGE_ERROR_FILE = '.usage-error';

export interface RunSession {
  /** What the session gives every vitest child's run descriptor: the folder is locked, and where bad input goes. */
  run: { outLocked: true; usageErrorFile: string };
  /** vitest reporter arguments that let the session count the tests that ran in `dir`. */
  reporterArgs(dir: string): string[];
  /** A one-line bad-input message left by a child's global setup, if any. */
  usageError(): string | undefined;
  /** Tests that ran (passed or failed) in `dir`; undefined when vitest wrote no report. */
  testsRun(dir: string): number | undefined;
  release(): void;
}

export function openRunSession(outDir: string): RunSession {
  const release = lockOutputFolder(outDir);
  clearPreviousOutput(outDir);
  const errorFile = join(outDir, USAGE_ERROR_FILE);
  rmSync(errorFile, { force: true });
  return {
    run: { outLocked: true, usageErrorFile: errorFile },
    reporterArgs: (dir) => ['--reporter=default', '--reporter=json', `--outputFile.json=${join(dir, 'vitest.json')}`],
    usageError() {
      if (!existsSync(errorFile)) return undefined;
      const message = readFileSync(errorFile, 'utf8').trim();
      rmSync(errorFile, { force: true });
      return message;
    },
    testsRun(dir) {
      try {
        const report = JSON.parse(readFileSync(join(dir, 'vitest.json'), 'utf8')) as { numPassedTests: number; numFailedTests: number };
        return report.numPassedTests + report.numFailedTests;
      } catch {
        return undefined;
      }
    },
    release: () => {
      rmSync(errorFile, { force: true });
      release();
    },
  };
}

/**
 * After its children were stopped by a signal: the servers and databases they had
 * started belong to processes that are gone, which is exactly what the reapers remove
 * (an embedded cluster of this machine; a url server's marked databases).
 */
export async function reapAfterInterrupt(config: Pick<Config, 'provider' | 'databaseUrl'>): Promise<string[]> {
  const reaped: string[] = [];
  if (config.provider !== 'url' && config.provider !== 'testcontainers') reaped.push(...(await reapOrphanClusters()));
  if (config.provider === 'testcontainers' || config.provider === 'auto') {
    try {
      const { dockerEngineAnswers } = await import('../postgres/docker-environment.ts');
      if ((await dockerEngineAnswers(2_000)).ok) reaped.push(...(await (await import('../postgres/container-reaper.ts')).reapOrphanContainers()));
    } catch {
      // no engine: nothing of ours can run there
    }
  }
  if (config.provider === 'url' && config.databaseUrl) reaped.push(...(await reapOrphanDatabases(config.databaseUrl, URL_PREFIX)));
  return reaped;
}
