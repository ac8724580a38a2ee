import type pg from 'pg';
import type { TableFixture } from '../fixtures/table-fixture.ts';
import type { ResultsFile } from '../report/results-schema.ts';

/** One line of a workload's statistics block (seed 004's "DATABASE STATISTICS"). */
export interface Statistic {
  label: string;
  value: string;
}

/**
 * A workload: the join key across schema/, fixtures/, migrations/ and benchmarks/.
 * Everything the harness needs to build its dataset.
 */
export interface Workload {
  name: string;
  /** drizzle-kit output folder, relative to the project root. */
  migrationsFolder: string;
  /** Bumped when generator output changes; part of the dataset cache key. */
  generatorVersion: number;
  /** Versions of libraries whose output shapes the data (faker); part of the cache key. */
  generatorDependencies: Record<string, string>;
  /** Tables in load order for (seed, scale). */
  tables(seed: number, scale: number): TableFixture[];
  /** Summary figures of a loaded dataset. */
  statistics(client: pg.Client): Promise<Statistic[]>;
  /** The workload's own tables from results (e.g. the seed's tables with our figures); loaded lazily. */
  report?: () => Promise<(results: ResultsFile) => string>;
}
