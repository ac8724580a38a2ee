/**
 * A schema with columns the derived generator has no values for (interval, inet, cidr,
 * macaddr, bytea, citext, point, PostGIS geometry) is bad input: `fixtures` and `run`
 * name every such column in one line and exit 2, before any server starts, with the fix.
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

const SCHEMA = `import { cidr, customType, geometry, inet, integer, interval, macaddr, pgTable, point, serial, text } from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });
const citext = customType<{ data: string }>({ dataType: () => 'citext' });

export const hosts = pgTable('hosts', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  ip: inet('ip').notNull(),
  net: cidr('net'),
  mac: macaddr('mac'),
});

export const visits = pgTable('visits', {
  id: serial('id').primaryKey(),
  hostId: integer('host_id').notNull().references(() => hosts.id),
  wait: interval('wait'),
  body: bytea('body'),
  email: citext('email'),
  spot: point('spot'),
  area: geometry('area', { type: 'point' }),
});
`;

const EXPECTED = ['hosts.ip (inet)', 'hosts.net (cidr)', 'hosts.mac (macaddr)', 'visits.wait (interval)', 'visits.body (bytea)', 'visits.email (citext)', 'visits.spot (point)', 'visits.area (geometry(point))'];

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
        hosts: { columns: { ip: ({ index }) => `10.0.${index % 250}.1`, net: () => '10.0.0.0/8', mac: () => '08:00:2b:01:02:03' } },
        visits: { columns: { wait: ({ index }) => `${index % 60} minutes`, body: () => '\\x00ff', email: () => null, spot: () => '(1,2)', area: () => null } },
      },
    });
    const text = fixtures.map((f) => [...copyChunks(f)].join('')).join('');
    expect(text).toContain('10.0.3.1');
    expect(text).toContain('7 minutes');
  });
});
