/**
 * How a workload's dataset changed between a baseline and results: its key, and (when
 * both runs recorded them) the schema hash, the fixtures' parts, the source files and
 * generator libraries the key hashes, and per table the rows and the checksum of what
 * was loaded. A changed dataset is what a schema change produces (a dropped index, a new
 * table): the gate still compares the cases' plans, buffers and rows, and says this.
 *
 * A key names what the rows are made of, not the rows: an edit that generates the same
 * rows (a comment, a refactor, a new schemabench) changes the key alone. Equal rows and
 * checksums on every table, under the same schema, are the same dataset to a judge.
 */
import type { DatasetDetails, Fingerprint } from '../results/results-schema.ts';

/** One table's side of a dataset: rows loaded and the checksum of their COPY text (null when not recorded). */
export interface TableContent {
  rows: number;
  checksum: string | null;
}

/** A table whose rows or checksum differ; a side is null when the table is not in that dataset. */
export interface TableChange {
  table: string;
  before: TableContent | null;
  after: TableContent | null;
}

/**
 * - `changed`: the schema hash, a table's rows or checksum differ, or a table is new or gone;
 * - `identical`: the key changed, the content did not (same schema, every table's rows and
 *   checksum equal; or a baseline from before content keys whose key is the results' version key);
 * - `unknown`: a side recorded no checksums, so only the key says it changed.
 */
export type DatasetContent = 'changed' | 'identical' | 'unknown';

export interface DatasetChange {
  workload: string;
  before: string;
  after: string;
  /** What differs, one phrase each (empty when a side recorded no details). */
  changes: string[];
  /** Rows per table of the results' dataset, when recorded (a seq scan on an empty table costs nothing). */
  rows: Record<string, number> | null;
  /** Whether the loaded content differs, as far as both sides recorded it. */
  content: DatasetContent;
  /** The tables whose rows or checksum differ, by name (empty when identical or not recorded). */
  tables: TableChange[];
}

const short = (hash: string) => hash.slice(0, 12);

/** Added, removed and changed entries of two records, as phrases: "new source x", "source x gone", "source x changed". */
function recordChanges(noun: string, before: Record<string, string> | undefined, after: Record<string, string> | undefined, changed: (b: string, a: string) => string): string[] {
  if (!before || !after) return [];
  const out: string[] = [];
  for (const name of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    const [b, a] = [before[name], after[name]];
    if (b === undefined) out.push(`new ${noun} ${name}`);
    else if (a === undefined) out.push(`${noun} ${name} gone`);
    else if (a !== b) out.push(`${noun} ${name} ${changed(b, a)}`);
  }
  return out;
}

function tableChanges(before: DatasetDetails, after: DatasetDetails): TableChange[] {
  const side = (d: DatasetDetails, table: string): TableContent | null => (d.rows[table] === undefined ? null : { rows: d.rows[table]!, checksum: d.checksums?.[table] ?? null });
  return [...new Set([...Object.keys(before.rows), ...Object.keys(after.rows)])]
    .sort()
    .map((table) => ({ table, before: side(before, table), after: side(after, table) }))
    .filter((t) => !t.before || !t.after || t.before.rows !== t.after.rows || (t.before.checksum !== null && t.after.checksum !== null && t.before.checksum !== t.after.checksum));
}

function describeTable({ table, before: b, after: a }: TableChange): string {
  if (!b) return `new table ${table} (${a!.rows} rows${a!.checksum ? `, checksum ${a!.checksum}` : ''})`;
  if (!a) return `table ${table} gone (had ${b.rows} rows)`;
  const rows = a.rows !== b.rows ? `${table} rows ${b.rows} -> ${a.rows}` : '';
  const sum = b.checksum && a.checksum && b.checksum !== a.checksum ? `checksum ${b.checksum} -> ${a.checksum}` : '';
  if (rows) return sum ? `${rows}, ${sum}` : rows;
  return `${table} ${sum} (same ${a.rows} rows)`;
}

function compareDetails(key: string, before: DatasetDetails | undefined, after: DatasetDetails | undefined): Pick<DatasetChange, 'changes' | 'content' | 'tables'> {
  // A baseline from before content keys: its key is what the results' version key recomputes.
  const sameVersionKey = after?.versionKey !== undefined && after.versionKey === key;
  if (!before || !after) {
    if (sameVersionKey && after) return { changes: ['key scheme changed (the baseline was keyed before content keys, by the same schema and fixtures version)'], content: 'identical', tables: [] };
    return { changes: [`${before ? 'the results' : 'the baseline'} recorded no schema hash, fixtures or row counts (older schemabench)`], content: 'unknown', tables: [] };
  }
  const changes: string[] = [];
  if (before.schemaHash !== after.schemaHash) changes.push(`schema hash ${short(before.schemaHash)} -> ${short(after.schemaHash)}`);
  // Plans made with production's statistics are not the generated rows' plans: another dataset to a judge.
  const planned = (d: DatasetDetails) => (d.plannedWith ? `production statistics ${d.plannedWith.snapshot} (captured ${d.plannedWith.capturedAt})` : "the dataset's own statistics");
  const plannedChanged = planned(before) !== planned(after);
  if (plannedChanged) changes.push(`planned with ${planned(before)} -> ${planned(after)}`);
  if (before.fixtures !== after.fixtures) changes.push(`fixtures ${before.fixtures} -> ${after.fixtures}`);
  changes.push(...recordChanges('source', before.sources, after.sources, () => 'changed'));
  changes.push(...recordChanges('library', before.libraries, after.libraries, (b, a) => `${b} -> ${a}`));
  const tables = tableChanges(before, after);
  changes.push(...tables.map(describeTable));
  const checksummed = (d: DatasetDetails) => d.checksums !== undefined && Object.keys(d.rows).every((t) => d.checksums![t] !== undefined);
  if (before.schemaHash !== after.schemaHash || tables.length > 0 || plannedChanged) return { changes, content: 'changed', tables };
  const n = Object.keys(after.rows).length;
  if (checksummed(before) && checksummed(after)) return { changes: [`same rows and checksums on all ${n} tables`, ...changes], content: 'identical', tables };
  if (sameVersionKey) return { changes: [`same rows on all ${n} tables and the same key before content keys (the baseline recorded no checksums)`, ...changes], content: 'identical', tables };
  return { changes, content: 'unknown', tables };
}

export interface DatasetChangesOptions {
  /**
   * Also return the workloads whose key changed while their content is identical
   * (`content: 'identical'`), to report them; judges leave them out. @default false
   */
  identical?: boolean;
}

/**
 * The workloads (among `workloads`) whose dataset key differs, with what changed. A
 * dataset whose content is identical is not a changed dataset: it is left out unless
 * `options.identical` asks for it.
 */
export function datasetChanges(baseline: Fingerprint, results: Fingerprint, workloads: ReadonlySet<string>, options: DatasetChangesOptions = {}): DatasetChange[] {
  const out: DatasetChange[] = [];
  for (const [workload, after] of Object.entries(results.datasets ?? {})) {
    const before = baseline.datasets?.[workload];
    const plannedWith = (f: Fingerprint) => JSON.stringify(f.datasetDetails?.[workload]?.plannedWith ?? null);
    if (!workloads.has(workload) || !before || (before === after && plannedWith(baseline) === plannedWith(results))) continue;
    const details = results.datasetDetails?.[workload];
    const compared = compareDetails(before, baseline.datasetDetails?.[workload], details);
    if (compared.content === 'identical' && !options.identical) continue;
    out.push({ workload, before, after, ...compared, rows: details?.rows ?? null });
  }
  return out;
}

/**
 * One line: "the store dataset changed (store_81.. -> store_9a..): schema hash a -> b; new table x (10 rows)",
 * or for a key-only change "the store dataset key changed (..), content identical: source x changed".
 */
export function formatDatasetChange(c: DatasetChange): string {
  const what = c.changes.length ? `: ${c.changes.join('; ')}` : '';
  if (c.content === 'identical') return `the ${c.workload} dataset key changed (${c.before} -> ${c.after}), content identical${what}`;
  return `the ${c.workload} dataset changed (${c.before} -> ${c.after})${what}; plans, buffers and rows compared`;
}
