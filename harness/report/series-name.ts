/**
 * The name a result goes by in the CI files: github-action-benchmark keeps one history per
 * name and Bencher one per benchmark key, so a name must be unique in a file and stable
 * from run to run. Names are unique per scale and server within a run
 * (results/unique-names.ts): the scale is always in it (`receipts/index/x[btree] (scale 1)`),
 * the server's major only in a run that measured several (`run --pg 17,18`:
 * `... (scale 1, PostgreSQL 18)`), so a one-server run keeps the names its history has. The
 * major, not the full version: a minor update must not start a new series.
 */
import type { ResultsFile } from '../results/results-schema.ts';

export interface Versioned {
  scale: number;
  /** `server_version` of the run that measured it (a `--pg` run). */
  pgVersion?: string;
}

const major = (version: string) => version.split(/[.\s]/)[0]!;

/** Every pgVersion a run's results carry. */
function serverMajors(results: ResultsFile): Set<string> {
  const items: Versioned[] = [...results.cases, ...results.comparisons, ...results.metrics, ...(results.loads ?? [])];
  return new Set(items.flatMap((i) => (i.pgVersion === undefined ? [] : [major(i.pgVersion)])));
}

/** The naming of one run's results. */
export function seriesNamer(results: ResultsFile): (name: string, item: Versioned) => string {
  const several = serverMajors(results).size > 1;
  return (name, item) => `${name} (scale ${item.scale}${several && item.pgVersion !== undefined ? `, PostgreSQL ${major(item.pgVersion)}` : ''})`;
}
