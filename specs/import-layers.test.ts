/**
 * The library's shape, checked on its sources: dependencies between harness folders
 * point one way (no folder imports a folder that imports it back), the library never
 * imports a project's content (schema/, fixtures/, benchmarks/), and content imports
 * the library only through its public entry, 'schemabench'.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../harness/package-root.ts';

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g;

function sources(dir: string): string[] {
  return readdirSync(join(PACKAGE_ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|mts)$/.test(f))
    .map((f) => join(PACKAGE_ROOT, dir, f));
}

function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2]!).filter((s) => s.startsWith('.')).map((s) => resolve(dirname(file), s));
}

/** harness/<folder>/x.ts -> <folder>; harness/x.ts -> '.' (the leaf modules at the top). */
const folderOf = (file: string) => relative(join(PACKAGE_ROOT, 'harness'), file).split('/').slice(0, -1)[0] ?? '.';

describe('import layers', () => {
  it('harness folders import each other one way only', () => {
    const edges = new Map<string, Set<string>>();
    for (const file of sources('harness')) {
      for (const target of relativeImports(file)) {
        const [from, to] = [folderOf(file), folderOf(target)];
        if (from !== to && to !== '.') (edges.get(from) ?? edges.set(from, new Set()).get(from)!).add(to);
      }
    }
    const cycles: string[] = [];
    const visit = (node: string, path: string[]) => {
      if (path.includes(node)) return void cycles.push([...path.slice(path.indexOf(node)), node].join(' -> '));
      for (const next of edges.get(node) ?? []) visit(next, [...path, node]);
    };
    for (const node of edges.keys()) visit(node, []);
    expect([...new Set(cycles)]).toEqual([]);
    // The results contract is the bottom: it imports no other folder.
    expect([...(edges.get('results') ?? [])]).toEqual([]);
  });

  it('the library never imports a project content folder', () => {
    const content = ['schema', 'fixtures', 'benchmarks', 'migrations'].map((room) => join(PACKAGE_ROOT, room) + '/');
    const offending = sources('harness').flatMap((file) => relativeImports(file).filter((t) => content.some((c) => t.startsWith(c))).map((t) => `${relative(PACKAGE_ROOT, file)} -> ${relative(PACKAGE_ROOT, t)}`));
    expect(offending).toEqual([]);
  });

  it("benchmarks and fixtures import the library only as 'schemabench'", () => {
    const harness = join(PACKAGE_ROOT, 'harness') + '/';
    const offending = [...sources('benchmarks'), ...sources('fixtures'), ...sources('schema')].flatMap((file) =>
      relativeImports(file).filter((t) => t.startsWith(harness)).map((t) => `${relative(PACKAGE_ROOT, file)} -> ${relative(PACKAGE_ROOT, t)}`),
    );
    expect(offending).toEqual([]);
  });
});
