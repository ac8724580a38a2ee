/**
 * How a workload's dataset changed between a baseline and results: its key, and (when
 * both runs recorded them) the schema hash, the fixtures' generator parts and the rows
 * per table. A changed dataset is what a schema change produces (a dropped index, a new
 * table): the gate still compares the cases' plans, buffers and rows, and says this.
 */
import type { DatasetDetails, Fingerprint } from '../results/results-schema.ts';

export interface DatasetChange {
  workload: string;
  before: string;
  after: string;
  /** What differs, one phrase each (empty when a side recorded no details). */
  changes: string[];
  /** Rows per table of the results' dataset, when recorded (a seq scan on an empty table costs nothing). */
  rows: Record<string, number> | null;
}

const short = (hash: string) => hash.slice(0, 12);

function describeChange(before: DatasetDetails | undefined, after: DatasetDetails | undefined): string[] {
  if (!before || !after) return [`${before ? 'the results' : 'the baseline'} recorded no schema hash, fixtures or row counts (older schemabench)`];
  const changes: string[] = [];
  if (before.schemaHash !== after.schemaHash) changes.push(`schema hash ${short(before.schemaHash)} -> ${short(after.schemaHash)}`);
  if (before.fixtures !== after.fixtures) changes.push(`fixtures ${before.fixtures} -> ${after.fixtures}`);
  const tables = [...new Set([...Object.keys(before.rows), ...Object.keys(after.rows)])].sort();
  for (const table of tables) {
    const [b, a] = [before.rows[table], after.rows[table]];
    if (b === undefined) changes.push(`new table ${table} (${a} rows)`);
    else if (a === undefined) changes.push(`table ${table} gone (had ${b} rows)`);
    else if (a !== b) changes.push(`${table} rows ${b} -> ${a}`);
  }
  return changes;
}

/** The workloads (among `workloads`) whose dataset key differs, with what changed. */
export function datasetChanges(baseline: Fingerprint, results: Fingerprint, workloads: ReadonlySet<string>): DatasetChange[] {
  const out: DatasetChange[] = [];
  for (const [workload, after] of Object.entries(results.datasets ?? {})) {
    const before = baseline.datasets?.[workload];
    if (!workloads.has(workload) || !before || before === after) continue;
    const details = results.datasetDetails?.[workload];
    out.push({ workload, before, after, changes: describeChange(baseline.datasetDetails?.[workload], details), rows: details?.rows ?? null });
  }
  return out;
}

/** One line: "the store dataset changed (store_81.. -> store_9a..): schema hash a -> b; new table x (10 rows)". */
export function formatDatasetChange(c: DatasetChange): string {
  return `the ${c.workload} dataset changed (${c.before} -> ${c.after})${c.changes.length ? `: ${c.changes.join('; ')}` : ''}; plans, buffers and rows compared`;
}
