/**
 * A COPY the server refuses names the table it was loading: a generated column computed
 * from derived values (price * qty over two integers) overflows with 22003 "integer out
 * of range", which by itself names no table or column.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteServer } from '../harness/bench/suite-server.ts';
import { applyMigrations } from '../harness/fixtures/apply-migrations.ts';
import { bulkLoad } from '../harness/fixtures/bulk-load.ts';
import { deriveTables } from '../harness/fixtures/derived/derive-tables.ts';
import { PACKAGE_ROOT } from '../harness/package-root.ts';
import { DatabaseAdmin, withDatabase } from '../harness/postgres/database-admin.ts';
import { generateMigrations } from '../harness/workloads/generate-migrations.ts';
import { schemaTables } from '../harness/workloads/load-workload.ts';

const SCHEMA = join(PACKAGE_ROOT, 'specs', 'schemas', 'overflow');

describe('a COPY the server refuses', () => {
  const server = suiteServer();
  const admin = new DatabaseAdmin(server.adminUri, server.databasePrefix);
  const database = `${server.databasePrefix}overflow`;
  let scratch: string;

  beforeAll(async () => {
    mkdirSync(join(PACKAGE_ROOT, '.schemabench'), { recursive: true });
    scratch = mkdtempSync(join(PACKAGE_ROOT, '.schemabench', 'overflow-spec-'));
    await generateMigrations('overflow', { schema: join(SCHEMA, 'lines.ts'), out: scratch, name: 'overflow' });
    await admin.create(database);
    await applyMigrations(withDatabase(server.adminUri, database), scratch);
  });
  afterAll(async () => {
    await admin.drop(database).catch(() => undefined);
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('names the table and its generated columns, and keeps the SQLSTATE', async () => {
    const fixtures = deriveTables(await schemaTables(SCHEMA), { seed: 1, scale: 1, rows: { order_lines: 2000 } });
    const error = await bulkLoad(withDatabase(server.adminUri, database), fixtures).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(pg.DatabaseError);
    expect((error as pg.DatabaseError).code).toBe('22003');
    expect((error as Error).message).toMatch(/^COPY into order_lines: integer out of range/);
    expect((error as Error).message).toContain('generated column total');
  });
});
