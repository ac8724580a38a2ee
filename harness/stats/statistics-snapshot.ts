/**
 * A statistics snapshot: what a production database's planner knows about a workload's
 * tables, without a row of them (`schemabench stats capture` writes it, by default to
 * fixtures/<workload>/production-stats.json; generation from it and injection read it).
 *
 * Fields that come from PostgreSQL keep PostgreSQL's names: pg_class's (reltuples,
 * relpages, relallvisible, relallfrozen) and pg_stats' (null_frac, n_distinct,
 * most_common_vals, ...), which are also the argument names of PostgreSQL 18's
 * pg_restore_relation_stats / pg_restore_attribute_stats. Values of a column (MCVs,
 * histogram bounds, element MCVs) are strings: each element as the server prints it (the
 * type's output function), in the server's order. The format is published as JSON Schema
 * in docs/statistics-snapshot.schema.json (scripts/write-statistics-snapshot-schema.ts).
 *
 * Objects are loose, as results.json's are: a key this version does not know passes
 * through, so a newer writer's file stays readable within formatVersion 1.
 */
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { UsageError } from '../errors.ts';
import { firstProblem } from '../results/results-validation.ts';

export const STATISTICS_SNAPSHOT_FORMAT = 'schemabench-statistics';
export const STATISTICS_SNAPSHOT_VERSION = 1;

const fraction = z.number().min(0).max(1);
const count = z.number().int().nonnegative();
const values = z.array(z.string()).nullable();
const freqs = z.array(fraction).nullable();

/**
 * One row of pg_stats. `n_distinct`: > 0 an absolute count; < 0 minus the fraction of
 * rows that are distinct (-1: unique), PostgreSQL's way of saying "grows with the table";
 * 0 unknown. `most_common_elem_freqs` has three more entries than `most_common_elems`
 * (the minimum and maximum element frequency, then the frequency of null elements) and
 * `elem_count_histogram` ends with the average number of distinct elements, as stored.
 */
export const columnStatisticsSchema = z
  .looseObject({
    /** Column name. */
    name: z.string().min(1),
    /** `format_type` of the column, e.g. `numeric(10,2)`, `text[]`. */
    type: z.string(),
    /** The column's collation when it has one (`C`, `en_US.utf8`, `default`): histogram bounds are sorted in it. */
    collation: z.string().nullable(),
    /** pg_stats.inherited: true for the statistics of an inheritance tree / partitioned table as a whole. */
    inherited: z.boolean(),
    null_frac: fraction,
    avg_width: count,
    n_distinct: z.number().min(-1),
    most_common_vals: values,
    most_common_freqs: freqs,
    histogram_bounds: values,
    /** Between -1 and 1 as computed (float4: not clamped here). */
    correlation: z.number().nullable(),
    most_common_elems: values,
    most_common_elem_freqs: freqs,
    elem_count_histogram: z.array(z.number().nonnegative()).nullable(),
    /** Range types only (pg_stats has them from PostgreSQL 17). */
    range_length_histogram: values.optional(),
    range_empty_frac: fraction.nullable().optional(),
    range_bounds_histogram: values.optional(),
  })
  .superRefine((c, ctx) => {
    if ((c.most_common_vals?.length ?? 0) !== (c.most_common_freqs?.length ?? 0)) {
      ctx.addIssue({ code: 'custom', path: ['most_common_freqs'], message: `has ${c.most_common_freqs?.length ?? 0} entries for ${c.most_common_vals?.length ?? 0} most_common_vals` });
    }
    if (c.most_common_elems && c.most_common_elem_freqs && c.most_common_elem_freqs.length !== c.most_common_elems.length + 3) {
      ctx.addIssue({ code: 'custom', path: ['most_common_elem_freqs'], message: `has ${c.most_common_elem_freqs.length} entries for ${c.most_common_elems.length} most_common_elems (expected 3 more: min, max, null frequency)` });
    }
  });

/** Statistics of one expression of an extended statistics object (pg_stats_ext_exprs). */
export const expressionStatisticsSchema = z.looseObject({
  expression: z.string(),
  null_frac: fraction.nullable(),
  avg_width: count.nullable(),
  n_distinct: z.number().min(-1).nullable(),
  most_common_vals: values,
  most_common_freqs: freqs,
  histogram_bounds: values,
  correlation: z.number().nullable(),
});

/**
 * An extended statistics object (CREATE STATISTICS). Its definition comes from
 * pg_statistic_ext, readable by every role; its data from pg_stats_ext, which shows it
 * only to the table's owner: `data` is null when the capturing role could not read it.
 * `n_distinct` and `dependencies` are PostgreSQL's own text forms (pg_ndistinct,
 * pg_dependencies). PostgreSQL 18 cannot restore extended statistics (no
 * pg_restore_extended_stats): they are recorded, not injected.
 */
export const extendedStatisticsSchema = z.looseObject({
  schema: z.string(),
  name: z.string(),
  /** Columns the object covers. */
  columns: z.array(z.string()),
  /** Expressions it covers, as pg_get_statisticsobjdef_expressions prints them. */
  expressions: z.array(z.string()),
  /** stxkind: d (n-distinct), f (functional dependencies), m (MCV list), e (expressions). */
  kinds: z.array(z.enum(['d', 'f', 'm', 'e'])),
  data: z
    .array(
      z.looseObject({
        inherited: z.boolean(),
        n_distinct: z.string().nullable(),
        dependencies: z.string().nullable(),
        most_common_vals: z.array(z.array(z.string().nullable())).nullable(),
        most_common_val_nulls: z.array(z.array(z.boolean())).nullable(),
        most_common_freqs: freqs,
        most_common_base_freqs: freqs,
        expressions: z.array(expressionStatisticsSchema).optional(),
      }),
    )
    .nullable(),
});

export const indexStatisticsSchema = z.looseObject({
  name: z.string(),
  /** pg_get_indexdef: what the index is, so a loaded database's index of the same name can be told apart. */
  definition: z.string(),
  relpages: count,
  reltuples: z.number(),
  bytes: count,
});

export const tableStatisticsSchema = z.looseObject({
  schema: z.string(),
  name: z.string(),
  /** pg_class.reltuples: the planner's row count as of the last VACUUM/ANALYZE (-1: never). */
  reltuples: z.number(),
  relpages: count,
  relallvisible: count,
  /** PostgreSQL 18 and later. */
  relallfrozen: count.optional(),
  bytes: z.looseObject({
    /** Main fork (pg_relation_size). */
    table: count,
    /** TOAST table and its index. */
    toast: count,
    /** All indexes (pg_indexes_size). */
    indexes: count,
    /** pg_total_relation_size: all of the above, with the free space and visibility maps. */
    total: count,
  }),
  indexes: z.array(indexStatisticsSchema),
  columns: z.array(columnStatisticsSchema),
  extended: z.array(extendedStatisticsSchema),
});

/**
 * What `--redact` did: columns whose values were replaced by tokens of the same shape,
 * in the same order (harness/stats/redact-values.ts), and columns whose values were
 * removed because they have no such shape (json, jsonb, xml, bytea).
 */
export const redactionSchema = z.looseObject({
  method: z.literal('shape-tokens-v1'),
  tokenized: z.array(z.string()),
  removed: z.array(z.string()),
  /** Columns whose tokens the server sorts differently from their values, under the column's collation (see docs/production-statistics.md). */
  orderNotPreserved: z.array(z.string()),
});

export const statisticsSnapshotSchema = z.looseObject({
  format: z.literal(STATISTICS_SNAPSHOT_FORMAT),
  formatVersion: z.literal(STATISTICS_SNAPSHOT_VERSION),
  workload: z.string().min(1),
  /** ISO 8601, when the catalogs were read. */
  capturedAt: z.string(),
  server: z.looseObject({
    /** server_version, e.g. "17.10" or "15.14 (Debian 15.14-0+deb12u1)". */
    version: z.string(),
    /** server_version_num, e.g. 170010. */
    versionNum: z.number().int().positive(),
  }),
  redaction: redactionSchema.nullable(),
  tables: z.array(tableStatisticsSchema),
});

export type ColumnStatistics = z.output<typeof columnStatisticsSchema>;
export type ExpressionStatistics = z.output<typeof expressionStatisticsSchema>;
export type ExtendedStatistics = z.output<typeof extendedStatisticsSchema>;
export type IndexStatistics = z.output<typeof indexStatisticsSchema>;
export type TableStatistics = z.output<typeof tableStatisticsSchema>;
export type Redaction = z.output<typeof redactionSchema>;
export type StatisticsSnapshot = z.output<typeof statisticsSnapshotSchema>;

/** How a column is named in messages and in `redaction`: `table.column`, with its schema when not public. */
export function columnKey(schema: string, table: string, column: string): string {
  return schema === 'public' ? `${table}.${column}` : `${schema}.${table}.${column}`;
}

/** The snapshot format as JSON Schema (draft 2020-12), as published in docs/statistics-snapshot.schema.json. */
export function statisticsSnapshotJsonSchema(): Record<string, unknown> {
  return { title: `schemabench statistics snapshot, formatVersion ${STATISTICS_SNAPSHOT_VERSION}`, ...z.toJSONSchema(statisticsSnapshotSchema, { io: 'input' }) };
}

/** A parsed snapshot, or a one-line problem (where it is and what was expected). */
export function validateStatisticsSnapshot(document: unknown): { ok: true; value: StatisticsSnapshot } | { ok: false; problem: string } {
  const parsed = statisticsSnapshotSchema.safeParse(document);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problem: firstProblem(parsed.error) };
}

/** A snapshot file given to a command: every problem is one line naming the file (UsageError, exit 2). */
export function readStatisticsSnapshot(path: string): StatisticsSnapshot {
  if (!existsSync(path)) throw new UsageError(`${path}: no such statistics snapshot (schemabench stats capture writes one)`);
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new UsageError(`${path}: not valid JSON, expected a statistics snapshot`);
  }
  const format = (document as { format?: unknown } | null)?.format;
  if (format !== STATISTICS_SNAPSHOT_FORMAT) throw new UsageError(`${path}: not a statistics snapshot (format ${JSON.stringify(format)}, expected ${JSON.stringify(STATISTICS_SNAPSHOT_FORMAT)})`);
  const checked = validateStatisticsSnapshot(document);
  if (!checked.ok) throw new UsageError(`${path}: invalid statistics snapshot at ${checked.problem}`);
  return checked.value;
}
