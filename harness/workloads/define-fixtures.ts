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
   * function of the scale. @default 1000 at scale 1 for every table
   */
  rows?: Record<string, number | ((scale: number) => number)>;
  /** Per table: column value functions, a row count, or the whole table. */
  tables?: Record<string, TableOverride>;
  /**
   * How a foreign key picks its parent row, per 'table.column':
   * 'uniform' or { zipf: s } (a few parents get most children). @default 'uniform'
   */
  references?: Record<string, ReferenceDistribution>;
  /**
   * Whole tables generated together (generators that share state). Each replaces the
   * schema-derived table of the same name; its columns default to that table's.
   */
  generate?: (seed: number, scale: number) => GeneratedTable[];
  /** The statistics block `schemabench fixtures` prints. @default row counts per table */
  statistics?: (client: pg.Client) => Promise<Statistic[]>;
}

export function defineFixtures(definition: FixturesDefinition): FixturesDefinition {
  if (definition.version !== undefined && !(Number.isInteger(definition.version) && definition.version >= 1)) {
    throw new TypeError(`defineFixtures: version must be an integer >= 1 (got ${JSON.stringify(definition.version)})`);
  }
  return definition;
}
