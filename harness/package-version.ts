/**
 * The installed version of a package as Node would resolve it from schemabench's
 * own folder (its dependencies, and the host project's peers when installed there).
 * Read from the package's package.json found along Node's lookup paths: many
 * packages do not export ./package.json, so require.resolve cannot name it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

/** Folder of an installed package, or undefined when it is not installed. */
export function packageFolder(name: string): string | undefined {
  for (const dir of require.resolve.paths(name) ?? []) {
    if (existsSync(join(dir, name, 'package.json'))) return join(dir, name);
  }
  return undefined;
}

export function packageVersion(name: string): string {
  const folder = packageFolder(name);
  if (!folder) return 'missing';
  return (JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { version: string }).version;
}
