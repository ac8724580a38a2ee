/**
 * What a workload's rows are made of, as content: every module of schema/<name>/ and
 * fixtures/<name>/fixtures.ts with every local module they import, transitively, each
 * by the SHA-256 of its bytes. esbuild resolves the imports (TypeScript extensions,
 * index files, tsconfig paths) as tsx does when it runs them; packages stay external:
 * their part of the key is their version (`generatorLibraries`).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { build } from 'esbuild';
import { DERIVED_GENERATOR_VERSION } from '../fixtures/derived/derive-tables.ts';
import { packageVersion } from '../package-version.ts';

const MODULE = /\.(ts|mts|js|mjs)$/;

/** Hash (16 hex digits of SHA-256) of each source file, by its path relative to the project root, sorted. */
export type SourceHashes = Record<string, string>;

const hashFile = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16);

/** The modules of a schema folder: what `schemaTables` imports. */
export function schemaModules(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((f) => MODULE.test(f) && !f.endsWith('.d.ts'))
    .sort()
    .map((f) => join(folder, f));
}

/**
 * `entries` and the local modules they import, transitively, hashed. The build writes
 * nothing; `packages: 'external'` keeps node_modules (and `schemabench` itself) out.
 */
export async function sourceHashes(root: string, entries: readonly string[]): Promise<SourceHashes> {
  if (!entries.length) return {};
  const { metafile } = await build({
    entryPoints: [...entries],
    absWorkingDir: root,
    bundle: true,
    write: false,
    metafile: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    outdir: join(root, '.schemabench-sources'),
    logLevel: 'silent',
  });
  const files = Object.keys(metafile.inputs)
    .map((input) => (isAbsolute(input) ? input : resolve(root, input)))
    // Inputs esbuild made up (namespaced paths) or found outside the project are not the project's sources.
    .filter((path) => existsSync(path) && !relative(root, path).startsWith('..') && !path.split(sep).includes('node_modules'));
  const hashes: SourceHashes = {};
  for (const path of files.map((p) => relative(root, p).split(sep).join('/')).sort()) hashes[path] = hashFile(join(root, path));
  return hashes;
}

/** Versions of the libraries whose output shapes generated rows. */
export function generatorLibraries(): Record<string, string> {
  return { '@faker-js/faker': packageVersion('@faker-js/faker'), 'drizzle-orm': packageVersion('drizzle-orm'), derived: String(DERIVED_GENERATOR_VERSION) };
}

const cache = new Map<string, Promise<SourceHashes>>();

/**
 * The source hashes of one workload, once per process: ES modules are imported once per
 * process too, so a process keys the rows of the modules it actually runs.
 */
export function workloadSources(root: string, schemaFolder: string, fixturesFile: string | undefined): Promise<SourceHashes> {
  const id = JSON.stringify([root, schemaFolder, fixturesFile]);
  let hashes = cache.get(id);
  if (!hashes) {
    hashes = sourceHashes(root, [...schemaModules(schemaFolder), ...(fixturesFile ? [fixturesFile] : [])]);
    cache.set(id, hashes);
  }
  return hashes;
}
