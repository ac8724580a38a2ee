/**
 * A schema with columns the derived generator has no values for (an extension's types
 * whose values it cannot know: PostGIS geometry, pgvector's vector and halfvec; a
 * customType of a format of its own: tsvector, xml) is bad input: `fixtures` and `run`
 * name every such column in one line and exit 2, before any server starts, with the fix.
 * (Built-in types such as inet, interval, bytea or point are generated:
 * specs/core-type-fixtures.test.ts.)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyChunks } from '../harness/fixtures/copy-loader.ts';
import { deriveTables } from '../harness/fixtures/derived/derive-tables.ts';
import { UnsupportedColumns } from '../harness/fixtures/derived/unsupported-columns.ts';
import { PACKAGE_ROOT } from '../harness/package-root.ts';
import { schemaTables } from '../harness/workloads/load-workload.ts';

const SCHEMA = `import { customType, geometry, halfvec, inet, integer, pgTable, serial, text, vector } from 'drizzle-orm/pg-core';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });
const xml = customType<{ data: string }>({ dataType: () => 'xml' });

export const hosts = pgTable('hosts', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  ip: inet('ip').notNull(),
  embedding: vector('embedding', { dimensions: 3 }).notNull(),
  small: halfvec('small', { dimensions: 2 }),
});

export const visits = pgTable('visits', {
  id: serial('id').primaryKey(),
  hostId: integer('host_id').notNull().references(() => hosts.id),
  words: tsvector('words'),
  page: xml('page'),
  area: geometry('area', { type: 'point' }),
});
`;

const EXPECTED = ['hosts.embedding (vector(3))', 'hosts.small (halfvec(2))', 'visits.words (tsvector)', 'visits.page (xml)', 'visits.area (geometry(point))'];

describe('columns without a generator', () => {
  let dir: string;
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  };
  const cli = (args: string[]) =>
    spawnSync(process.execPath, [join(PACKAGE_ROOT, 'bin', 'schemabench.mjs'), ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, SCHEMABENCH_PROVIDER: 'embedded' }, timeout: 60_000 });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'schemabench-unsupported-'));
    symlinkSync(join(PACKAGE_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    write('package.json', '{ "name": "odd-project", "type": "module", "private": true }\n');
    write('schema/odd/tables.ts', SCHEMA);
    write('benchmarks/odd/hosts.bench.ts', "import { benchmarkSuite } from 'schemabench';\nbenchmarkSuite('odd', () => {});\n");
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const args of [['fixtures', '--workload', 'odd', '--scale', '0.01'], ['run', '--workload', 'odd', '--scale', '0.01']]) {
    it(`${args[0]}: one line naming all ${EXPECTED.length} columns, exit 2, no server started`, () => {
      const r = cli(args);
      expect(r.status, r.stderr).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`no generator for ${EXPECTED.length} columns: ${EXPECTED.join(', ')}`);
      expect(lines[0]).toContain('fixtures/odd/fixtures.ts');
      // Nothing was started: no line about a provider or a server.
      expect(r.stdout).not.toMatch(/provider|PostgreSQL \d/);
    });
  }

  it('a value function for each makes the schema derivable (the fix the message gives)', async () => {
    const tables = await schemaTables(join(dir, 'schema', 'odd'));
    expect(() => deriveTables(tables, { seed: 1, scale: 1 })).toThrow(UnsupportedColumns);
    const fixtures = deriveTables(tables, {
      seed: 1,
      scale: 1,
      rows: { hosts: 10, visits: 20 },
      tables: {
        hosts: { columns: { embedding: ({ index }) => `[${index},1,2]`, small: () => null } },
        visits: { columns: { words: ({ index }) => `word${index % 60}`, page: () => '<p/>', area: () => null } },
      },
    });
    const text = fixtures.map((f) => [...copyChunks(f)].join('')).join('');
    expect(text).toContain('[3,1,2]');
    expect(text).toContain('word7');
  });
});
