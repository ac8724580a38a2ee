/**
 * Datasets keyed by what they are made of (issue 21): in a throwaway project on disk, the
 * dataset key changes with no `version` bump when the rows of one table, a value
 * function, a helper module the fixtures import or a module the schema imports change,
 * and stays when an unrelated file changes. Each dataset is built on a real server, and
 * datasetChanges() says per table what differs (rows, checksum), and that a key-only
 * change is content identical, which the judges then leave out.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteServer } from '../harness/bench/suite-server.ts';
import { datasetChanges } from '../harness/judge/dataset-changes.ts';
import { PACKAGE_ROOT } from '../harness/package-root.ts';
import { describeRun, runEnvironment } from '../harness/run-descriptor.ts';
import type { DatasetDetails, Fingerprint } from '../harness/results/results-schema.ts';
import { collect, spawnTsx } from './helpers/run-tsx.ts';

interface Printed {
  key: string;
  versionKey: string;
  details: DatasetDetails;
  built: boolean;
}

const FILES: Record<string, string> = {
  'package.json': '{ "name": "saas-project", "private": true, "type": "module" }\n',
  'lib/columns.ts': `import { integer } from 'drizzle-orm/pg-core';\nexport const id = () => integer('id').primaryKey();\n`,
  'schema/saas/schema.ts': `import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { id } from '../../lib/columns.ts';
export const accounts = pgTable('accounts', { id: id(), name: text('name').notNull() });
export const events = pgTable('events', { id: id(), accountId: integer('account_id').notNull().references(() => accounts.id), kind: text('kind').notNull() });
`,
  'migrations/saas/meta/_journal.json': JSON.stringify({ version: '7', dialect: 'postgresql', entries: [{ idx: 0, version: '7', when: 1795455214002, tag: '0000_saas', breakpoints: true }] }),
  'migrations/saas/0000_saas.sql': `CREATE TABLE "accounts" ("id" integer PRIMARY KEY NOT NULL, "name" text NOT NULL);
--> statement-breakpoint
CREATE TABLE "events" ("id" integer PRIMARY KEY NOT NULL, "account_id" integer NOT NULL REFERENCES "accounts"("id"), "kind" text NOT NULL);
`,
  'fixtures/saas/kinds.ts': `export const KINDS = ['signup', 'login', 'upgrade'];\n`,
  'fixtures/saas/fixtures.ts': `import { defineFixtures } from 'schemabench';
import { KINDS } from './kinds.ts';

// Events per account follow the product's usage.
export default defineFixtures({
  rows: { accounts: 20, events: 400 },
  tables: { events: { columns: { kind: ({ random }) => random.pick(KINDS) } } },
});
`,
  'fixtures/saas/notes.ts': `export const NOTE = 'not imported by the fixtures';\n`,
  'README.md': '# saas\n',
};

describe('dataset key: what the dataset is made of', () => {
  const server = suiteServer();
  let dir: string;
  const edit = (file: string, from: string, to: string) => {
    const path = join(dir, file);
    const text = readFileSync(path, 'utf8');
    if (!text.includes(from)) throw new Error(`${from} not in ${file}`);
    writeFileSync(path, text.replace(from, to));
  };
  /** Key and details in a fresh process (ES modules load once per process), the dataset built on the spec's server. */
  const print = async (build = true): Promise<Printed> => {
    const args = ['saas', '1', '7', ...(build ? [JSON.stringify(server)] : [])];
    const r = await collect(spawnTsx('specs/helpers/print-dataset.ts', args, { ...process.env, ...runEnvironment(describeRun({}, {}, dir)) }));
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as Printed;
  };
  const fingerprint = (p: Printed, details = true) => ({ datasets: { saas: p.key }, ...(details ? { datasetDetails: { saas: p.details } } : {}) }) as unknown as Fingerprint;
  const judged = new Set(['saas']);

  let base: Printed;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'schemabench-dataset-key-'));
    for (const [file, text] of Object.entries(FILES)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    // The project's packages: schemabench itself and the drizzle-orm it shares with it.
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(PACKAGE_ROOT, join(dir, 'node_modules', 'schemabench'), 'dir');
    symlinkSync(join(PACKAGE_ROOT, 'node_modules', 'drizzle-orm'), join(dir, 'node_modules', 'drizzle-orm'), 'dir');
    base = await print();
  }, 120_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('hashes the schema, the fixtures and the local modules they import, not the packages or unrelated files', () => {
    expect(Object.keys(base.details.sources!)).toEqual(['fixtures/saas/fixtures.ts', 'fixtures/saas/kinds.ts', 'lib/columns.ts', 'schema/saas/schema.ts']);
    expect(Object.keys(base.details.libraries!).sort()).toEqual(['@faker-js/faker', 'derived', 'drizzle-orm']);
    expect(base.built).toBe(true);
    expect(Object.keys(base.details.checksums!).sort()).toEqual(['accounts', 'events']);
    expect(base.details.rows).toEqual({ accounts: 20, events: 400 });
  });

  it('an unrelated file changes nothing: same key, the cached dataset and its recorded checksums', async () => {
    edit('fixtures/saas/notes.ts', 'not imported', 'still not imported');
    edit('README.md', '# saas', '# saas, the product');
    const after = await print();
    expect(after.key).toBe(base.key);
    expect(after.built).toBe(false);
    expect(after.details.checksums).toEqual(base.details.checksums);
    expect(datasetChanges(fingerprint(base), fingerprint(after), judged, { identical: true })).toEqual([]);
  }, 90_000);

  it('the rows of one table, no version bump: a new key, and events reported with rows and checksum', async () => {
    edit('fixtures/saas/fixtures.ts', 'events: 400 }', 'events: 40 }');
    const after = await print();
    // The key before content keys (version, dependencies) did not see it: the bug of issue 21.
    expect(after.versionKey).toBe(base.versionKey);
    expect(after.key).not.toBe(base.key);
    const [change] = datasetChanges(fingerprint(base), fingerprint(after), judged);
    expect(change).toMatchObject({ workload: 'saas', before: base.key, after: after.key, content: 'changed' });
    expect(change!.tables).toEqual([{ table: 'events', before: { rows: 400, checksum: base.details.checksums!.events }, after: { rows: 40, checksum: after.details.checksums!.events } }]);
    expect(change!.changes).toContain('source fixtures/saas/fixtures.ts changed');
    expect(change!.changes).toContain(`events rows 400 -> 40, checksum ${base.details.checksums!.events} -> ${after.details.checksums!.events}`);
    edit('fixtures/saas/fixtures.ts', 'events: 40 }', 'events: 400 }');
    expect((await print()).key).toBe(base.key);
  }, 90_000);

  it('a value function: a new key, same rows, the checksum of events changes', async () => {
    edit('fixtures/saas/fixtures.ts', 'random.pick(KINDS)', "random.pick(KINDS.slice(1))");
    const after = await print();
    expect(after.key).not.toBe(base.key);
    const [change] = datasetChanges(fingerprint(base), fingerprint(after), judged);
    expect(change!.content).toBe('changed');
    expect(change!.tables.map((t) => [t.table, t.before!.rows, t.after!.rows])).toEqual([['events', 400, 400]]);
    expect(change!.tables[0]!.after!.checksum).not.toBe(change!.tables[0]!.before!.checksum);
    expect(change!.changes).toContain(`events checksum ${base.details.checksums!.events} -> ${after.details.checksums!.events} (same 400 rows)`);
    edit('fixtures/saas/fixtures.ts', 'random.pick(KINDS.slice(1))', 'random.pick(KINDS)');
  }, 90_000);

  it('a helper module the fixtures import, and a module the schema imports: new keys', async () => {
    edit('fixtures/saas/kinds.ts', "'upgrade'", "'upgrade', 'churn'");
    const helper = await print();
    expect(helper.key).not.toBe(base.key);
    const [change] = datasetChanges(fingerprint(base), fingerprint(helper), judged);
    expect(change!.changes[0]).toBe('source fixtures/saas/kinds.ts changed');
    expect(change!.tables.map((t) => t.table)).toEqual(['events']);
    edit('fixtures/saas/kinds.ts', "'upgrade', 'churn'", "'upgrade'");

    edit('lib/columns.ts', 'export const id', '// Every table keys by an integer.\nexport const id');
    const schemaHelper = await print(false);
    expect(schemaHelper.key).not.toBe(base.key);
    edit('lib/columns.ts', '// Every table keys by an integer.\nexport const id', 'export const id');
  }, 120_000);

  it('a key-only change (a comment) is content identical: reported as such, not a changed dataset', async () => {
    edit('fixtures/saas/fixtures.ts', "// Events per account follow the product's usage.", '// Events per account, as the product records them.');
    const after = await print();
    expect(after.key).not.toBe(base.key);
    expect(after.built).toBe(true);
    expect(after.details.checksums).toEqual(base.details.checksums);
    expect(datasetChanges(fingerprint(base), fingerprint(after), judged)).toEqual([]);
    const [identical] = datasetChanges(fingerprint(base), fingerprint(after), judged, { identical: true });
    expect(identical).toMatchObject({ content: 'identical', tables: [], changes: ['same rows and checksums on all 2 tables', 'source fixtures/saas/fixtures.ts changed'] });
  }, 90_000);

  it('equal rows and checksums under another schema hash (an index dropped) stay a changed dataset', () => {
    const after = { ...base, key: 'saas_ffffffffffffffff', details: { ...base.details, schemaHash: 'f'.repeat(64) } };
    const [change] = datasetChanges(fingerprint(base), fingerprint(after), judged);
    expect(change).toMatchObject({ content: 'changed', tables: [] });
    expect(change!.changes[0]).toMatch(/^schema hash \w{12} -> ffffffffffff$/);
  });

  it('a baseline keyed before content keys (no details) and the same version key: content identical', async () => {
    const now = await print(false);
    const old = { datasets: { saas: now.versionKey } } as unknown as Fingerprint;
    expect(datasetChanges(old, fingerprint(now), judged)).toEqual([]);
    expect(datasetChanges(old, fingerprint(now), judged, { identical: true })[0]!.content).toBe('identical');
    // Another version key (a schema or fixtures version of its own) stays a changed dataset, content unknown.
    const other = { datasets: { saas: 'saas_0123456789abcdef' } } as unknown as Fingerprint;
    expect(datasetChanges(other, fingerprint(now), judged)[0]!.content).toBe('unknown');
  }, 90_000);
});
