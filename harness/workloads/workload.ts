import type pg from 'pg';
import type { DatasetSource } from '../fixtures/dataset-source.ts';
import type { ResultsFile } from '../results/results-schema.ts';

/** One line of a workload's statistics block (seed 004's "DATABASE STATISTICS"). */
export interface Statistic {
  label: string;
  value: string;
}

/** A workload's own tables printed after a run (e.g. a seed's tables with our figures beside its claims). */
export type WorkloadReport = (results: ResultsFile) => string;

/**
 * A workload as the harness sees it once discovered: the join of schema/<name>/,
 * migrations/<name>/, fixtures/<name>/ (optional) and benchmarks/<name>/ by name.
 */
export interface Workload extends DatasetSource {
  /** Absolute path of schema/<name>/. */
  schemaFolder: string;
  /** Summary figures of a loaded dataset (row counts per table unless the fixtures say more). */
  statistics(client: pg.Client): Promise<Statistic[]>;
  /** The statistics snapshot its tables are generated from, when there is one: the file, its hash, when it was captured. */
  statisticsSnapshot?: { file: string; hash: string; capturedAt: string };
  /** benchmarks/<name>/report.ts, loaded lazily (it may import anything the benchmarks do). */
  report?: () => Promise<WorkloadReport>;
}
