/**
 * Workloads are found by name: W exists when schema/W/ exists in the project. Its
 * migrations are migrations/W/, its optional overrides fixtures/W/fixtures.ts, its
 * suites and optional report benchmarks/W/. Nothing here names a workload.
 */
import { existsSync, readdirSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { is } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { UsageError } from '../errors.ts';
import { DERIVED_GENERATOR_VERSION, deriveTablesWithKeys, type KeyWriter } from '../fixtures/derived/derive-tables.ts';
import { tableColumns } from '../fixtures/derived/table-columns.ts';
import { UnsupportedColumns } from '../fixtures/derived/unsupported-columns.ts';
import { rowDomain, scannedDomain, type KeyDomain } from '../fixtures/snapshot/key-domain.ts';
import { SNAPSHOT_GENERATOR_VERSION, snapshotTables } from '../fixtures/snapshot/snapshot-tables.ts';
import { readWorkloadSnapshot, type WorkloadSnapshot } from '../fixtures/snapshot/workload-snapshot.ts';
import type { GeneratedTable, TableFixture } from '../fixtures/table-fixture.ts';
import { projectRoot } from '../project-root.ts';
import type { FixturesDefinition } from './define-fixtures.ts';
import type { Statistic, Workload, WorkloadReport } from './workload.ts';
import { generatorLibraries, workloadSources } from './workload-sources.ts';

const MODULE = /\.(ts|mts|js|mjs)$/;
const NAME = /^[a-z][a-z0-9_-]*$/;

/** The project's workloads (or those of the project at `root`): the folders of schema/, by name. */
export function workloadNames(root = projectRoot()): string[] {
  const schema = join(root, 'schema');
  if (!existsSync(schema)) return [];
  return readdirSync(schema, { withFileTypes: true })
    .filter((e) => e.isDirectory() && NAME.test(e.name))
    .map((e) => e.name)
    .sort();
}

/** `name` if it is a workload of the project, else a usage error listing the ones there are. */
export function checkWorkloadName(name: unknown, option = '--workload', root = projectRoot()): string {
  const names = workloadNames(root);
  if (typeof name === 'string' && names.includes(name)) return name;
  const known = names.length ? `one of ${names.join(', ')}` : `a folder of ${join(root, 'schema')} (there is none: npx schemabench new NAME creates one)`;
  throw new UsageError(`${option} must be ${known} (got ${JSON.stringify(name)})`);
}

async function importDefault<T>(file: string): Promise<T | undefined> {
  const module = (await import(pathToFileURL(file).href)) as { default?: T };
  return module.default;
}

/** Every Drizzle table exported by the files of schema/<name>/, in file and export order. */
export async function schemaTables(folder: string): Promise<PgTable[]> {
  const tables: PgTable[] = [];
  for (const file of readdirSync(folder).filter((f) => MODULE.test(f) && !f.endsWith('.d.ts')).sort()) {
    const module = (await import(pathToFileURL(join(folder, file)).href)) as Record<string, unknown>;
    for (const value of Object.values(module)) if (is(value, PgTable) && !tables.includes(value)) tables.push(value);
  }
  return tables;
}

/** First existing file among `base` + each module extension. */
function moduleFile(base: string): string | undefined {
  return ['.ts', '.mts', '.js', '.mjs'].map((ext) => base + ext).find((f) => existsSync(f));
}

async function rowCounts(client: pg.Client, tables: string[]): Promise<Statistic[]> {
  const stats: Statistic[] = [];
  for (const table of tables) {
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${pg.escapeIdentifier(table)}`);
    stats.push({ label: table, value: `${Number(rows[0]!.n).toLocaleString('en-US')} rows` });
  }
  return stats;
}

/** Table names of one generation; columns without a generator are named with the workload whose fixtures fix them. */
function tablesOf(name: string, generate: () => TableFixture[]): string[] {
  try {
    return generate().map((t) => t.table);
  } catch (error) {
    throw error instanceof UnsupportedColumns ? error.forWorkload(name) : error;
  }
}

export interface LoadOptions {
  /** A statistics snapshot to generate from (a path from the working directory), in place of the one the fixtures name. */
  statisticsSnapshot?: string;
}

/** The snapshot a workload generates from: the one given, else the one its fixtures name (relative to fixtures/<name>/). */
function snapshotFile(root: string, name: string, definition: FixturesDefinition, options: LoadOptions): string | undefined {
  if (options.statisticsSnapshot) return resolve(options.statisticsSnapshot);
  if (definition.statisticsSnapshot === undefined) return undefined;
  if (typeof definition.statisticsSnapshot !== 'string' || !definition.statisticsSnapshot) throw new UsageError(`fixtures/${name}: statisticsSnapshot must be a file name (got ${JSON.stringify(definition.statisticsSnapshot)})`);
  return resolve(root, 'fixtures', name, definition.statisticsSnapshot);
}

/** The source-hash entry of a snapshot file: its path from the project root (absolute outside it). */
function snapshotSource(root: string, file: string): string {
  const path = relative(root, file);
  return path.startsWith('..') || isAbsolute(path) ? file : path.split(sep).join('/');
}

/**
 * With a snapshot, the tables it describes are generated from it, whatever the fixtures
 * say of them (a whole-table generator, rows, column functions): a snapshot is the
 * production shape the team asked for. The other tables are generated as without it.
 */
function withSnapshot(tables: readonly PgTable[], given: Map<string, TableFixture>, source: WorkloadSnapshot, except: readonly string[], seed: number, scale: number, derive: (given: Map<string, TableFixture>, givenKeys: (t: string, c: string) => KeyWriter | undefined) => { tables: TableFixture[]; keyOf(t: string, c: string): KeyWriter }): TableFixture[] {
  let derived: { tables: TableFixture[]; keyOf(t: string, c: string): KeyWriter } | undefined;
  const scanned = new Map<string, KeyDomain>();
  const snapshot = snapshotTables(tables, {
    seed,
    scale,
    snapshot: source.snapshot,
    except,
    otherKeys(table, column) {
      const own = given.get(table);
      const at = own?.columns.indexOf(column) ?? -1;
      if (own && at >= 0) {
        // A table the workload writes: its keys are read from its rows, once.
        const id = `${table}.${column}`;
        if (!scanned.has(id)) scanned.set(id, scannedDomain(Array.from({ length: own.rows }, (_, i) => own.line(i).split('\t')[at]!)));
        return scanned.get(id);
      }
      const rows = derived?.tables.find((t) => t.table === table)?.rows;
      return rows === undefined ? undefined : rowDomain(rows, derived!.keyOf(table, column));
    },
  });
  const all = new Map(given);
  for (const f of snapshot.fixtures) all.set(f.table, f);
  derived = derive(all, (t, c) => snapshot.keyWriter(t, c));
  return [...all.values(), ...derived.tables];
}

/** Workload `name` of the project. */
export const loadWorkload = (name: string, options: LoadOptions = {}): Promise<Workload> => loadWorkloadAt(projectRoot(), name, options);

/**
 * Workload `name` of the project at `root`: compare loads base's from base's worktree (its
 * schema, fixtures and migrations, generated by this harness).
 */
export async function loadWorkloadAt(root: string, name: string, options: LoadOptions = {}): Promise<Workload> {
  checkWorkloadName(name, '--workload', root);
  const schemaFolder = join(root, 'schema', name);
  const tables = await schemaTables(schemaFolder);
  const fixturesFile = moduleFile(join(root, 'fixtures', name, 'fixtures'));
  const definition: FixturesDefinition = (fixturesFile && (await importDefault<FixturesDefinition>(fixturesFile))) || {};
  const reportFile = moduleFile(join(root, 'benchmarks', name, 'report'));
  const snapshotPath = snapshotFile(root, name, definition, options);
  const snapshot = snapshotPath ? readWorkloadSnapshot(snapshotPath, name, tables) : undefined;

  const byName = new Map(tables.map((t) => [getTableConfig(t).name, t]));
  const stranger = definition.notFromSnapshot?.find((t) => !byName.has(t));
  if (stranger !== undefined) throw new UsageError(`fixtures/${name}: notFromSnapshot names ${JSON.stringify(stranger)}, which is not a table of schema/${name}/`);
  const complete = (t: GeneratedTable): TableFixture => {
    const table = byName.get(t.table);
    if (!t.columns && !table) throw new UsageError(`fixtures/${name}: table ${t.table} is not in schema/${name}/; give its columns`);
    return { ...t, columns: t.columns ?? tableColumns(table!) };
  };
  const givenNames = new Set([
    ...(definition.generate?.(0, 0.001) ?? []).map((t) => t.table),
    ...Object.keys(definition.tables ?? {}).filter((t) => definition.tables![t]!.table),
    ...(snapshot ? snapshot.snapshot.tables.map((t) => t.name).filter((t) => !definition.notFromSnapshot?.includes(t)) : []),
  ]);
  const generated = new Map<string, TableFixture[]>();
  const generate = (seed: number, scale: number): TableFixture[] => {
    // Generators are pure: the tables of a (seed, scale) are planned once per process.
    const id = `${seed}:${scale}`;
    const known = generated.get(id);
    if (known) return known;
    const given = new Map<string, TableFixture>();
    for (const t of definition.generate?.(seed, scale) ?? []) given.set(t.table, complete(t));
    for (const [table, override] of Object.entries(definition.tables ?? {})) if (override.table) given.set(table, complete(override.table(seed, scale)));
    const derive = (all: Map<string, TableFixture>, givenKeys?: (t: string, c: string) => KeyWriter | undefined) =>
      deriveTablesWithKeys(tables, { seed, scale, rows: definition.rows, tables: definition.tables, references: definition.references, independent: definition.independent, given: all, givenKeys });
    const result = snapshot ? withSnapshot(tables, given, snapshot, definition.notFromSnapshot ?? [], seed, scale, derive) : [...given.values(), ...derive(given).tables];
    generated.set(id, result);
    return result;
  };
  // Derived tables add the derived generator's version to the dataset key; a workload
  // that generates every table itself keeps the key it had.
  // Table names, from one generation at a tiny scale (generators are cheap there).
  const tableNames = tablesOf(name, () => generate(0, 0.001));
  const derivesAny = tableNames.some((t) => !givenNames.has(t));

  return {
    name,
    schemaFolder,
    migrationsFolder: join(root, 'migrations', name),
    // The fixtures' own parts: `version` is a manual override now, the content below keys every change.
    // A snapshot's bytes key the rows it shapes (a file read with fs is not among the hashed modules).
    cacheKeyParts: [
      definition.version ?? 1,
      definition.dependencies ?? {},
      ...(derivesAny ? [`derived-${DERIVED_GENERATOR_VERSION}`] : []),
      ...(snapshot ? [{ statisticsSnapshot: snapshot.hash, generator: SNAPSHOT_GENERATOR_VERSION }] : []),
    ],
    content: {
      sources: { ...(await workloadSources(root, schemaFolder, fixturesFile)), ...(snapshot ? { [snapshotSource(root, snapshot.file)]: snapshot.hash } : {}) },
      libraries: generatorLibraries(),
    },
    ...(snapshot ? { statisticsSnapshot: { file: snapshot.file, hash: snapshot.hash, capturedAt: snapshot.snapshot.capturedAt } } : {}),
    tables: generate,
    statistics: definition.statistics ?? ((client) => rowCounts(client, tableNames)),
    report: reportFile ? async () => (await importDefault<WorkloadReport>(reportFile))! : undefined,
  };
}
