/**
 * `schemabench init`: make the current project a schemabench project: a config file,
 * a `bench` script, .schemabench/ ignored by git, and a first workload. Never
 * overwrites a file; says what it left as it was.
 */
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.ts';
import { packageManager } from '../package-manager.ts';
import { packageFolder } from '../package-version.ts';
import { projectRoot } from '../project-root.ts';
import { scaffoldWorkload } from '../scaffold/scaffold-workload.ts';
import { CONFIG_TEMPLATE } from '../scaffold/workload-template.ts';
import { parseCommandLine } from './parse-command-line.ts';

export const INIT_USAGE = `schemabench init [--workload NAME]
  Set up the project in the current folder (it needs a package.json): schemabench.config.ts, an npm script
  "bench", .schemabench/ in .gitignore, and a first workload NAME (default: app).`;

/** JavaScript files of the project's own (outside node_modules) that "type": "module" would reinterpret. */
function hasCommonJsCode(dir: string): boolean {
  return readdirSync(dir, { withFileTypes: true }).some((e) =>
    e.isDirectory() ? e.name !== 'node_modules' && !e.name.startsWith('.') && hasCommonJsCode(join(dir, e.name)) : /\.(js|jsx)$/.test(e.name),
  );
}

/**
 * The bench script, and ES modules: schemabench loads the project's TypeScript
 * (schema, fixtures, config) as ES modules, which Node does only in a "type": "module"
 * package. A new project is switched; one with JavaScript of its own is told how.
 */
function updatePackageJson(root: string, say: (line: string) => void): void {
  const path = join(root, 'package.json');
  let pkg: { scripts?: Record<string, string>; type?: string };
  try {
    pkg = JSON.parse(readFileSync(path, 'utf8')) as typeof pkg;
  } catch {
    throw new UsageError(`${path} is not valid JSON`);
  }
  if (pkg.scripts?.bench) say(`kept package.json script "bench": ${pkg.scripts.bench}`);
  else {
    pkg.scripts = { ...pkg.scripts, bench: 'schemabench run' };
    say('added package.json script "bench": schemabench run');
  }
  if (pkg.type !== 'module') {
    if (hasCommonJsCode(root)) say('note: schemabench loads schema/, fixtures/ and the config as ES modules: set "type": "module" in package.json, or name them .mts');
    else {
      pkg.type = 'module';
      say('set package.json "type": "module" (schemabench loads your TypeScript as ES modules)');
    }
  }
  writeFileSync(path, `${JSON.stringify(pkg, null, 2)}\n`);
}

/** What a project installs next to schemabench (its peer dependencies). */
const PEERS = ['vitest', 'drizzle-orm', 'drizzle-kit', 'pg'];

/** The arguments as typed. */
export function parseInitArguments(args: string[]) {
  return parseCommandLine('init', args, { workload: { type: 'string', default: 'app' } });
}

export async function initCommand(values: ReturnType<typeof parseInitArguments>): Promise<number> {
  const root = projectRoot();
  if (!existsSync(join(root, 'package.json'))) throw new UsageError(`no package.json in ${root}: run npm init -y first`);
  const say = (line: string) => process.stdout.write(`  ${line}\n`);
  const config = join(root, 'schemabench.config.ts');
  if (existsSync(config)) say('kept schemabench.config.ts');
  else {
    writeFileSync(config, CONFIG_TEMPLATE);
    say('wrote schemabench.config.ts');
  }
  updatePackageJson(root, say);
  const ignore = join(root, '.gitignore');
  if (!existsSync(ignore) || !/^\.schemabench\/?$/m.test(readFileSync(ignore, 'utf8'))) {
    appendFileSync(ignore, `${existsSync(ignore) && !readFileSync(ignore, 'utf8').endsWith('\n') ? '\n' : ''}.schemabench/\n`);
    say('.gitignore: .schemabench/ (results and reports)');
  }
  for (const file of await scaffoldWorkload(values.workload)) say(`wrote ${file}`);
  // The lockfile decides how the project installs and runs packages (npm, pnpm or yarn).
  const pm = packageManager(root);
  const sb = pm.exec('schemabench');
  const missing = PEERS.filter((name) => !packageFolder(name));
  const next = [
    ...(missing.length ? [`${pm.addDev(missing)}   (schemabench's peer dependencies)`] : []),
    `${sb} fixtures --workload ${values.workload}`,
    `${sb} run --workload ${values.workload}`,
    'docs: node_modules/schemabench/docs/writing-a-workload.md',
  ];
  process.stdout.write(`\nnext: ${next.join('\n      ')}\n`);
  return 0;
}
