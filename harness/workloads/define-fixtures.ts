/**
 * What fixtures/<workload>/fixtures.ts may say. Every field is optional: with no
 * fixtures file at all, every table of schema/<workload>/ is generated from its
 * Drizzle definition (harness/fixtures/derived/). The file only overrides.
 */
import type pg from 'pg';
import type { ColumnValue, TableOverride } from '../fixtures/derived/derived-options.ts';
import type { ReferenceDistribution } from '../fixtures/derived/fan-out.ts';
import type { GeneratedTable } from '../fixtures/table-fixture.ts';
import type { Statistic } from './workload.ts';

export type { ColumnValue, ReferenceDistribution, TableOverride };

export interface FixturesDefinition {
  /**
   * A manual override of the dataset key: bump it to build a new dataset when nothing
   * the key hashes changed (the key already hashes this file, every local module it
   * imports, the schema, the migrations and the generator libraries' versions). @default 1
   */
  version?: number;
  /** Versions of further libraries whose output shapes the rows: part of the cache key (faker's and drizzle-orm's are in it already). @default {} */
  dependencies?: Record<string, string>;
  /**
   * Rows per table: a number at scale 1 (multiplied by the scale, at least 1), or a
   * function of the scale. @default 1000 at scale 1 for a table that references no
   * other, 4 times the rows of its largest parent for one that does
   */
  rows?: Record<string, number | ((scale: number) => number)>;
  /** Per table: column value functions, a row count, or the whole table. */
  tables?: Record<string, TableOverride>;
  /**
   * How a foreign key shares its child rows among the parent rows, per 'table.column'
   * (each parent gets one child first while there are enough): 'uniform' (evenly) or
   * { zipf: s } (weight 1/(k+1)^s for parent row k: the first parents get most children).
   * @default Zipf with exponent 0.8 over a seeded ranking of the parent rows
   */
  references?: Record<string, ReferenceDistribution>;
  /**
   * Foreign keys, as 'table.column', whose parent row is picked without regard to an
   * ancestor it shares with another key of its table: by default a comment's author is a
   * user under the same root as its post's (the same tenant, or with no tenants the
   * post's author); naming 'comments.author_id' lets any user comment. @default []
   */
  independent?: string[];
  /**
   * Whole tables generated together (generators that share state). Each replaces the
   * schema-derived table of the same name; its columns default to that table's.
   */
  generate?: (seed: number, scale: number) => GeneratedTable[];
  /**
   * A statistics snapshot (`schemabench stats capture`) to generate from: a file name
   * relative to fixtures/<workload>/, e.g. 'production-stats.json'. Every table it
   * describes is then generated to match it (rows, NULLs, distinct values, most common
   * values, histograms, physical order), whatever the fields above say of that table,
   * and `--scale` is the fraction of its row counts (docs/production-statistics.md,
   * "Generating from a snapshot"). `schemabench fixtures --stats FILE` uses another file.
   * @default none: rows are generated as the fields above say
   */
  statisticsSnapshot?: string;
  /**
   * Tables generated as the fields above say even from a snapshot: tables whose columns
   * depend on each other in ways a snapshot does not record (a calendar whose month
   * decides its season, under a unique index on a view). Foreign keys of snapshot
   * tables into them take their generated keys. @default []
   */
  notFromSnapshot?: string[];
  /** The statistics block `schemabench fixtures` prints. @default row counts per table */
  statistics?: (client: pg.Client) => Promise<Statistic[]>;
}

export function defineFixtures(definition: FixturesDefinition): FixturesDefinition {
  if (definition.version !== undefined && !(Number.isInteger(definition.version) && definition.version >= 1)) {
    throw new TypeError(`defineFixtures: version must be an integer >= 1 (got ${JSON.stringify(definition.version)})`);
  }
  return definition;
}
