/**
 * schemabench installed into another project, as a team would: `npm pack`, a fresh
 * project outside this repository, `npm install <tarball>`, `schemabench init`, a
 * Drizzle schema of the project's own (three tables, foreign keys, an enum, a numeric,
 * timestamps) and one benchmark asserting an index speedup; then `fixtures` and `run`
 * pass there and nothing is left running. Needs the npm registry (the peers install
 * from it; the npm cache makes a second run quick).
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../harness/package-root.ts';

const run = promisify(execFile);

const SCHEMA = `import { index, integer, numeric, pgEnum, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const genre = pgEnum('genre', ['novel', 'poetry', 'essay', 'science']);

export const authors = pgTable('authors', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  name: text('name').notNull(),
});

export const books = pgTable('books', {
  id: integer('id').primaryKey(),
  authorId: integer('author_id').notNull().references(() => authors.id),
  title: text('title').notNull(),
  genre: genre('genre').notNull(),
  price: numeric('price', { precision: 8, scale: 2 }).notNull(),
  publishedAt: timestamp('published_at', { withTimezone: true }).notNull(),
});

export const loans = pgTable('loans', {
  id: integer('id').primaryKey(),
  bookId: integer('book_id').notNull().references(() => books.id),
  borrower: text('borrower').notNull(),
  loanedAt: timestamp('loaned_at').notNull(),
}, (t) => [index('loans_book_id_idx').on(t.bookId)]);
`;

const FIXTURES = `import { defineFixtures } from 'schemabench';

export default defineFixtures({ rows: { authors: 200, books: 2_000, loans: 40_000 }, references: { 'loans.book_id': { zipf: 0.8 } } });
`;

const BENCHMARK = `import { benchmarkSuite, defineCase } from 'schemabench';

const loansOfBook = { text: 'SELECT id, borrower, loaned_at FROM loans WHERE book_id = $1 ORDER BY loaned_at', values: [700] };
const scan = defineCase({
  name: 'library/loans/of-one-book',
  workload: 'library',
  variant: 'seq-scan',
  settings: { enable_indexscan: 'off', enable_bitmapscan: 'off', enable_indexonlyscan: 'off' },
  statement: loansOfBook,
});
const indexed = defineCase({ ...scan, variant: 'book-id-index', settings: {} });

benchmarkSuite('library', ({ compare }) => {
  compare({ baseline: scan, candidate: indexed, atLeast: 3, fewerBuffers: 5, candidatePlan: { usesIndex: 'loans_book_id_idx' } });
});
`;

describe('schemabench installed in another project', () => {
  let base: string;
  let project: string;
  let env: NodeJS.ProcessEnv;
  const npx = (args: string[], timeout = 240_000) => run('npx', ['--no-install', ...args], { cwd: project, env, timeout, encoding: 'utf8' });

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'schemabench-installed-'));
    // The embedded server runs as the postgres OS user when we are root: its temp folder must be enterable.
    chmodSync(base, 0o755);
    project = join(base, 'project');
    const tmp = join(base, 'tmp');
    mkdirSync(project);
    mkdirSync(tmp, { mode: 0o777 });
    chmodSync(tmp, 0o1777);
    // A user's shell: none of this run's vitest or schemabench variables, the embedded server.
    env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(VITEST|SCHEMABENCH_|NODE_OPTIONS$|TEST$)/.test(k)));
    Object.assign(env, { TMPDIR: tmp, CI: 'true', SCHEMABENCH_PROVIDER: 'embedded' });
    const { stdout } = await run('npm', ['pack', '--silent', '--pack-destination', base], { cwd: PACKAGE_ROOT, encoding: 'utf8', timeout: 60_000 });
    const tarball = join(base, stdout.trim().split('\n').pop()!);
    await run('npm', ['init', '-y'], { cwd: project, env, timeout: 60_000 });
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: project, env, timeout: 280_000 });
  }, 400_000);
  afterAll(() => {
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it('init scaffolds the config, an npm script and a first workload with its migrations', async () => {
    const { stdout } = await npx(['schemabench', 'init']);
    expect(stdout).toMatch(/wrote schemabench\.config\.ts/);
    expect(stdout).toMatch(/wrote migrations\/app\/0000_app_schema\.sql/);
    const pkg = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as { type: string; scripts: Record<string, string> };
    expect(pkg).toMatchObject({ type: 'module', scripts: { bench: 'schemabench run' } });
  });

  it("builds a dataset and passes an asserted benchmark on the project's own schema, leaving nothing running", async () => {
    for (const [path, text] of [['schema/library/schema.ts', SCHEMA], ['fixtures/library/fixtures.ts', FIXTURES], ['benchmarks/library/loans.bench.ts', BENCHMARK]] as const) {
      mkdirSync(join(project, path, '..'), { recursive: true });
      writeFileSync(join(project, path), text);
    }
    const generated = await npx(['schemabench', 'generate', '--workload', 'library', '--name', 'library_schema']);
    expect(generated.stdout).toMatch(/library: wrote migrations\/library\/0000_library_schema\.sql/);

    const fixtures = await npx(['schemabench', 'fixtures', '--workload', 'library']);
    expect(fixtures.stdout).toMatch(/loans\s+40,000/);
    expect(fixtures.stdout).toMatch(/books\s+2,000/);

    // Both workloads: the one init scaffolded and the project's own.
    const bench = await npx(['schemabench', 'run', '--workload', 'all']);
    expect(bench.stdout).toMatch(/library\/loans\/of-one-book: book-id-index vs seq-scan\s.*pass/);
    expect(bench.stdout).toMatch(/app\/customers\/by-email: unique-index vs seq-scan\s.*pass/);
    const results = JSON.parse(readFileSync(join(project, '.schemabench', 'latest', 'results.json'), 'utf8')) as { comparisons: { name: string; passed: boolean }[] };
    expect(results.comparisons.map((c) => [c.name.split(':')[0], c.passed]).sort()).toEqual([['app/customers/by-email', true], ['library/loans/of-one-book', true]]);

    // Nothing left: no cluster folder in the run's temp folder, no server serving from it.
    expect(readdirSync(join(base, 'tmp')).filter((d) => d.startsWith('schemabench-pg-'))).toEqual([]);
    const { stdout: ps } = await run('ps', ['-eo', 'args'], { encoding: 'utf8' });
    expect(ps.split('\n').filter((l) => l.includes(base) && /postgres/.test(l))).toEqual([]);
  });
});
