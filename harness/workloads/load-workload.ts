/**
 * Workloads are found by name: W exists when schema/W/ exists in the project. Its
 * migrations are migrations/W/, its optional overrides fixtures/W/fixtures.ts, its
 * suites and optional report benchmarks/W/. Nothing here names a workload.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { is } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { UsageError } from '../errors.ts';
import { DERIVED_GENERATOR_VERSION, deriveTables } from '../fixtures/derived/derive-tables.ts';
import { tableColumns } from '../fixtures/derived/table-columns.ts';
import { UnsupportedColumns } from '../fixtures/derived/unsupported-columns.ts';
import type { GeneratedTable, TableFixture } from '../fixtures/table-fixture.ts';
import { projectPath, projectRoot } from '../project-root.ts';
import type { FixturesDefinition } from './define-fixtures.ts';
import type { Statistic, Workload, WorkloadReport } from './workload.ts';
import { generatorLibraries, workloadSources } from './workload-sources.ts';

const MODULE = /\.(ts|mts|js|mjs)$/;
const NAME = /^[a-z][a-z0-9_-]*$/;

/** The project's workloads: the folders of schema/, by name. */
export function workloadNames(): string[] {
  const schema = projectPath('schema');
  if (!existsSync(schema)) return [];
  return readdirSync(schema, { withFileTypes: true })
    .filter((e) => e.isDirectory() && NAME.test(e.name))
    .map((e) => e.name)
    .sort();
}

/** `name` if it is a workload of the project, else a usage error listing the ones there are. */
export function checkWorkloadName(name: unknown, option = '--workload'): string {
  const names = workloadNames();
  if (typeof name === 'string' && names.includes(name)) return name;
  const known = names.length ? `one of ${names.join(', ')}` : `a folder of ${projectPath('schema')} (there is none: npx schemabench new NAME creates one)`;
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

export async function loadWorkload(name: string): Promise<Workload> {
  checkWorkloadName(name);
  const schemaFolder = projectPath('schema', name);
  const tables = await schemaTables(schemaFolder);
  const fixturesFile = moduleFile(projectPath('fixtures', name, 'fixtures'));
  const definition: FixturesDefinition = (fixturesFile && (await importDefault<FixturesDefinition>(fixturesFile))) || {};
  const reportFile = moduleFile(projectPath('benchmarks', name, 'report'));

  const byName = new Map(tables.map((t) => [getTableConfig(t).name, t]));
  const complete = (t: GeneratedTable): TableFixture => {
    const table = byName.get(t.table);
    if (!t.columns && !table) throw new UsageError(`fixtures/${name}: table ${t.table} is not in schema/${name}/; give its columns`);
    return { ...t, columns: t.columns ?? tableColumns(table!) };
  };
  const givenNames = new Set([...(definition.generate?.(0, 0.001) ?? []).map((t) => t.table), ...Object.keys(definition.tables ?? {}).filter((t) => definition.tables![t]!.table)]);
  const generate = (seed: number, scale: number): TableFixture[] => {
    const given = new Map<string, TableFixture>();
    for (const t of definition.generate?.(seed, scale) ?? []) given.set(t.table, complete(t));
    for (const [table, override] of Object.entries(definition.tables ?? {})) if (override.table) given.set(table, complete(override.table(seed, scale)));
    const derived = deriveTables(tables, { seed, scale, rows: definition.rows, tables: definition.tables, references: definition.references, independent: definition.independent, given });
    return [...given.values(), ...derived];
  };
  // Derived tables add the derived generator's version to the dataset key; a workload
  // that generates every table itself keeps the key it had.
  // Table names, from one generation at a tiny scale (generators are cheap there).
  const tableNames = tablesOf(name, () => generate(0, 0.001));
  const derivesAny = tableNames.some((t) => !givenNames.has(t));

  return {
    name,
    schemaFolder,
    migrationsFolder: projectPath('migrations', name),
    // The fixtures' own parts: `version` is a manual override now, the content below keys every change.
    cacheKeyParts: [definition.version ?? 1, definition.dependencies ?? {}, ...(derivesAny ? [`derived-${DERIVED_GENERATOR_VERSION}`] : [])],
    content: { sources: await workloadSources(projectRoot(), schemaFolder, fixturesFile), libraries: generatorLibraries() },
    tables: generate,
    statistics: definition.statistics ?? ((client) => rowCounts(client, tableNames)),
    report: reportFile ? async () => (await importDefault<WorkloadReport>(reportFile))! : undefined,
  };
}
