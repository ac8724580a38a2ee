/**
 * The project's package manager, decided by its lockfile (the file its install reads),
 * found in the project's folder or the nearest one above it (a workspace keeps one
 * lockfile at its root): package-lock.json or npm-shrinkwrap.json (npm), pnpm-lock.yaml
 * (pnpm), yarn.lock (yarn; classic 1.x when its first lines say "yarn lockfile v1", else
 * yarn 2+, whose lockfile starts with __metadata). npm when there is none.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

export type PackageManagerName = 'npm' | 'pnpm' | 'yarn';

export interface PackageManager {
  name: PackageManagerName;
  /** The lockfile's path, when there is one. */
  lockfile: string | undefined;
  /** The install that follows the lockfile exactly and fails when it is out of date, as argv. */
  frozenInstall: string[];
  /** Adds packages as dev dependencies, as a command line to show. */
  addDev(packages: string[]): string;
  /** Runs an installed package's binary, as a command line prefix to show (`npx schemabench`). */
  exec(bin: string): string;
}

const MANAGERS: Record<PackageManagerName | 'yarn-berry', Omit<PackageManager, 'lockfile'>> = {
  npm: { name: 'npm', frozenInstall: ['npm', 'ci', '--no-audit', '--no-fund'], addDev: (p) => `npm install --save-dev ${p.join(' ')}`, exec: (bin) => `npx ${bin}` },
  pnpm: { name: 'pnpm', frozenInstall: ['pnpm', 'install', '--frozen-lockfile'], addDev: (p) => `pnpm add --save-dev ${p.join(' ')}`, exec: (bin) => `pnpm exec ${bin}` },
  yarn: { name: 'yarn', frozenInstall: ['yarn', 'install', '--frozen-lockfile', '--non-interactive'], addDev: (p) => `yarn add --dev ${p.join(' ')}`, exec: (bin) => `yarn ${bin}` },
  // yarn 2+ refuses --frozen-lockfile's meaning under that name: --immutable.
  'yarn-berry': { name: 'yarn', frozenInstall: ['yarn', 'install', '--immutable'], addDev: (p) => `yarn add --dev ${p.join(' ')}`, exec: (bin) => `yarn ${bin}` },
};

const LOCKFILES: [file: string, manager: (path: string) => keyof typeof MANAGERS][] = [
  ['package-lock.json', () => 'npm'],
  ['npm-shrinkwrap.json', () => 'npm'],
  ['pnpm-lock.yaml', () => 'pnpm'],
  ['yarn.lock', (path) => (/^# yarn lockfile v1$/m.test(readFileSync(path, 'utf8').slice(0, 500)) ? 'yarn' : 'yarn-berry')],
];

/** The lockfile of the project in `dir` (the nearest one from `dir` up to `top`, inclusive), if any. */
export function findLockfile(dir: string, top = resolve('/')): string | undefined {
  for (let at = resolve(dir); ; at = dirname(at)) {
    for (const [file] of LOCKFILES) if (existsSync(join(at, file))) return join(at, file);
    if (at === resolve(top) || dirname(at) === at) return undefined;
  }
}

/** The package manager of the project in `dir`, by its lockfile (npm without one). */
export function packageManager(dir: string, top?: string): PackageManager {
  const lockfile = findLockfile(dir, top);
  if (!lockfile) return { ...MANAGERS.npm, lockfile };
  const entry = LOCKFILES.find(([file]) => basename(lockfile) === file)!;
  return { ...MANAGERS[entry[1](lockfile)], lockfile };
}
