/**
 * Derived rows that hold together without any input (issue 22, part 1), on a multi-tenant
 * schema none of the workloads has (specs/schemas/multi-tenant): default row counts, no
 * fixtures file. On a real server: no reference leaves its tenant, no child is dated before
 * its parent, status-like columns have few values, a 3-character currency is an ISO 4217
 * code, a nullable foreign key is NULL at the documented rate, and every parent of a
 * skewed fan-out has a child (the fan-out gives each parent one child before skewing the
 * rest, so the expected share of childless parents is 0 while children outnumber parents).
 * The figures are printed as a table; the same file run against an older generator prints
 * what it did.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { integer, pgTable, serial, text } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteServer } from '../harness/bench/suite-server.ts';
import { copyDataset, ensureDataset, type DatasetCopy } from '../harness/fixtures/dataset-cache.ts';
import type { DatasetSource } from '../harness/fixtures/dataset-source.ts';
import { deriveTables, DERIVED_GENERATOR_VERSION } from '../harness/fixtures/derived/derive-tables.ts';
import { PACKAGE_ROOT } from '../harness/package-root.ts';
import { textTable } from '../harness/report/text-table.ts';
import { generateMigrations } from '../harness/workloads/generate-migrations.ts';
import { schemaTables } from '../harness/workloads/load-workload.ts';

const SCHEMA = join(PACKAGE_ROOT, 'specs', 'schemas', 'multi-tenant');
const SCALE = 1;
/** docs/writing-a-workload.md: "nullable ones get 10% NULLs", foreign keys included. */
const DOCUMENTED_NULL_SHARE = 0.1;
const tables = await schemaTables(SCHEMA);

/** Each figure: a name and the SQL that computes it (one number). */
const FIGURES = {
  'rows: tenants': 'SELECT count(*) FROM tenants',
  'rows: users': 'SELECT count(*) FROM users',
  'rows: projects': 'SELECT count(*) FROM projects',
  'rows: events': 'SELECT count(*) FROM events',
  'rows: project_members': 'SELECT count(*) FROM project_members',
  'project members of another tenant': 'SELECT count(*) FROM project_members m JOIN projects p ON p.id = m.project_id JOIN users u ON u.id = m.user_id WHERE u.tenant_id <> p.tenant_id',
  'projects owned by a user of another tenant': 'SELECT count(*) FROM projects p JOIN users u ON u.id = p.owner_id WHERE u.tenant_id <> p.tenant_id',
  'events whose actor is of another tenant than the project': 'SELECT count(*) FROM events e JOIN projects p ON p.id = e.project_id JOIN users u ON u.id = e.actor_id WHERE u.tenant_id <> p.tenant_id',
  'users created before their tenant': 'SELECT count(*) FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE u.created_at < t.created_at',
  'projects created before their tenant or owner': `SELECT count(*) FROM projects p JOIN tenants t ON t.id = p.tenant_id JOIN users u ON u.id = p.owner_id
     WHERE p.created_at < t.created_at OR p.created_at < u.created_at`,
  'events created before their project or actor': `SELECT count(*) FROM events e JOIN projects p ON p.id = e.project_id LEFT JOIN users u ON u.id = e.actor_id
     WHERE e.created_at < p.created_at OR e.created_at < u.created_at`,
  'events before their tenant': 'SELECT count(*) FROM events e JOIN projects p ON p.id = e.project_id JOIN tenants t ON t.id = p.tenant_id WHERE e.created_at < t.created_at',
  'distinct events.status': 'SELECT count(DISTINCT status) FROM events',
  'distinct projects.status': 'SELECT count(DISTINCT status) FROM projects',
  'distinct events.kind (varchar(32))': 'SELECT count(DISTINCT kind) FROM events',
  'distinct users.role': 'SELECT count(DISTINCT role) FROM users',
  'distinct tenants.plan': 'SELECT count(DISTINCT plan) FROM tenants',
  'distinct events.currency': 'SELECT count(DISTINCT currency) FROM events',
  'distinct tags (events.tags elements)': 'SELECT count(DISTINCT tag) FROM events, unnest(tags) tag',
  'events with a tag used by 1% of events or more (%)': `SELECT round(100.0 * count(*) FILTER (WHERE EXISTS (SELECT 1 FROM unnest(tags) x WHERE x IN (
     SELECT tag FROM events, unnest(tags) tag GROUP BY tag HAVING count(*) >= (SELECT count(*) / 100 FROM events)))) / count(*), 1) FROM events`,
  'distinct key sets of events.payload': "SELECT count(DISTINCT (SELECT string_agg(k, ',' ORDER BY k) FROM jsonb_object_keys(payload) k)) FROM events",
  'events.actor_id NULL (%)': 'SELECT round(100.0 * count(*) FILTER (WHERE actor_id IS NULL) / count(*), 2) FROM events',
  'tenants without a user (%)': 'SELECT round(100.0 * count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.tenant_id = t.id)) / count(*), 2) FROM tenants t',
  'users owning no project (%)': 'SELECT round(100.0 * count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM projects p WHERE p.owner_id = u.id)) / count(*), 2) FROM users u',
  'projects without an event (%)': 'SELECT round(100.0 * count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.project_id = p.id)) / count(*), 2) FROM projects p',
  'events of the busiest project / mean': 'SELECT round(max(n) / avg(n), 1) FROM (SELECT count(*) n FROM events GROUP BY project_id) s',
  'users of the biggest tenant / mean': 'SELECT round(max(n) / avg(n), 1) FROM (SELECT count(*) n FROM users GROUP BY tenant_id) s',
} as const;
type Figure = keyof typeof FIGURES;

describe('derived rows of a multi-tenant schema, with no input', () => {
  const server = suiteServer();
  let scratch: string;
  let copy: DatasetCopy;
  let client: pg.Client;
  const figures = {} as Record<Figure, number>;

  beforeAll(async () => {
    mkdirSync(join(PACKAGE_ROOT, '.schemabench'), { recursive: true });
    scratch = mkdtempSync(join(PACKAGE_ROOT, '.schemabench', 'consistency-spec-'));
    await generateMigrations('multi-tenant', { schema: join(SCHEMA, 'schema.ts'), out: scratch, name: 'multi_tenant' });
    const source: DatasetSource = {
      name: 'multitenant',
      migrationsFolder: scratch,
      cacheKeyParts: [`derived-${DERIVED_GENERATOR_VERSION}`],
      tables: (seed, scale) => deriveTables(tables, { seed, scale }),
    };
    const dataset = await ensureDataset(server, { workload: source, scale: SCALE, seed: server.seed });
    copy = await copyDataset(server, dataset, 'consistency');
    client = new pg.Client({ connectionString: copy.uri });
    await client.connect();
    for (const [name, sql] of Object.entries(FIGURES)) figures[name as Figure] = Number((await client.query<{ n: string }>(`SELECT (${sql}) AS n`)).rows[0]!.n);
    const currencies = (await client.query<{ currency: string }>('SELECT DISTINCT currency FROM events')).rows.map((r) => r.currency);
    const iso = new Set(Intl.supportedValuesOf('currency'));
    currencies.forEach((c) => iso.has(c) || console.log(`not an ISO 4217 code: ${JSON.stringify(c)}`));
    (figures as Record<string, number>)['events.currency values that are not ISO 4217 codes'] = currencies.filter((c) => !iso.has(c)).length;
    console.log(
      `\nDerived rows, multi-tenant schema (specs/schemas/multi-tenant), scale ${SCALE}, seed ${server.seed}, generator ${DERIVED_GENERATOR_VERSION}\n` +
        textTable([{ header: 'figure' }, { header: 'value', align: 'right' }], Object.entries(figures).map(([k, v]) => [k, String(v)])),
    );
  }, 120_000);
  afterAll(async () => {
    await client?.end();
    await copy?.drop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('keeps composite keys: users unique by (tenant_id, email), the composite foreign key (tenant_id, owner_id) validated', async () => {
    const { rows } = await client.query<{ conname: string; convalidated: boolean }>(
      "SELECT conname, convalidated FROM pg_constraint WHERE conname IN ('users_tenant_email_key', 'users_tenant_id_key', 'projects_owner_in_tenant_fk') ORDER BY 1",
    );
    expect(rows).toEqual(['projects_owner_in_tenant_fk', 'users_tenant_email_key', 'users_tenant_id_key'].map((conname) => ({ conname, convalidated: true })));
  });

  it('keeps every reference inside its tenant (a project owner, an event actor, a project member)', () => {
    expect(figures['projects owned by a user of another tenant']).toBe(0);
    expect(figures['events whose actor is of another tenant than the project']).toBe(0);
    expect(figures['project members of another tenant']).toBe(0);
    expect(figures['rows: project_members']).toBeGreaterThan(figures['rows: projects']);
  });

  it('dates no child before its parent', () => {
    expect(figures['users created before their tenant']).toBe(0);
    expect(figures['projects created before their tenant or owner']).toBe(0);
    expect(figures['events created before their project or actor']).toBe(0);
    expect(figures['events before their tenant']).toBe(0);
  });

  it('gives status-like columns few values and a 3-character currency ISO 4217 codes', () => {
    for (const column of ['distinct events.status', 'distinct projects.status', 'distinct events.kind (varchar(32))', 'distinct users.role', 'distinct tenants.plan'] as const) {
      expect(figures[column], column).toBeGreaterThan(1);
      expect(figures[column], column).toBeLessThanOrEqual(20);
    }
    expect(figures['distinct events.currency']).toBeGreaterThan(1);
    expect((figures as Record<string, number>)['events.currency values that are not ISO 4217 codes']).toBe(0);
  });

  it('draws tags from a shared vocabulary and payloads in several shapes', () => {
    expect(figures['distinct tags (events.tags elements)']).toBeLessThanOrEqual(100);
    expect(figures['events with a tag used by 1% of events or more (%)']).toBeGreaterThan(50);
    expect(figures['distinct key sets of events.payload']).toBeGreaterThanOrEqual(5);
  });

  it('makes a nullable foreign key NULL at the documented rate (within 2 points)', () => {
    expect(Math.abs(figures['events.actor_id NULL (%)'] - DOCUMENTED_NULL_SHARE * 100)).toBeLessThanOrEqual(2);
  });

  it('lets children outnumber parents with a skewed fan-out that leaves no parent childless', () => {
    expect(figures['rows: users']).toBeGreaterThan(figures['rows: tenants']);
    expect(figures['rows: projects']).toBeGreaterThan(figures['rows: users']);
    expect(figures['rows: events']).toBeGreaterThan(figures['rows: projects']);
    // Expected share of childless parents: 0 (one child each first, the rest skewed).
    expect(figures['tenants without a user (%)']).toBe(0);
    expect(figures['users owning no project (%)']).toBe(0);
    expect(figures['projects without an event (%)']).toBe(0);
    // Skewed: the busiest parent has several times the mean.
    expect(figures['events of the busiest project / mean']).toBeGreaterThan(5);
    expect(figures['users of the biggest tenant / mean']).toBeGreaterThan(5);
  });
});

describe('a root shared by two keys without tenants (comments of posts, by users)', () => {
  const users = pgTable('users', { id: serial('id').primaryKey(), name: text('name').notNull() });
  const posts = pgTable('posts', { id: serial('id').primaryKey(), authorId: integer('author_id').notNull().references(() => users.id) });
  const comments = pgTable('comments', {
    id: serial('id').primaryKey(),
    postId: integer('post_id').notNull().references(() => posts.id),
    authorId: integer('author_id').notNull().references(() => users.id),
  });
  /** Share of comments whose author is their post's author. */
  const ownPosts = (independent?: string[]) => {
    const tables = Object.fromEntries(deriveTables([users, posts, comments], { seed: 3, scale: 0.5, independent }).map((t) => [t.table, t]));
    const cells = (table: string, i: number) => tables[table]!.line(i).split('\t');
    const postAuthor = (postId: string) => cells('posts', Number(postId) - 1)[1];
    let own = 0;
    for (let i = 0; i < tables.comments!.rows; i++) {
      const [, postId, authorId] = cells('comments', i);
      if (postAuthor(postId!) === authorId) own++;
    }
    return own / tables.comments!.rows;
  };

  it("keeps a comment under its post's root row (its author), unless the key is named independent", () => {
    expect(ownPosts()).toBe(1);
    expect(ownPosts(['comments.author_id'])).toBeLessThan(0.05);
  });

  it('names an independent key that is not a foreign key of the schema', () => {
    expect(() => deriveTables([users, posts, comments], { seed: 3, scale: 0.5, independent: ['comments.body'] })).toThrow(/comments\.body.*not a foreign key/);
  });
});
