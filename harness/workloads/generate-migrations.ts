/**
 * drizzle-kit generate for one workload: schema/<W>/ -> migrations/<W>/, with no
 * config file (dialect, schema folder and output folder given on its command line).
 * drizzle-kit exits 0 even when it did nothing, for instance when it stopped at a
 * rename prompt it cannot ask without a terminal: the outcome is read from the files
 * it wrote, never from its exit code. Stopped half-way (Ctrl-C: the CLI's shutdown), it
 * is ended and the folder put back as it was: a migration without its journal entry, or
 * an entry without its file, would be applied wrongly or not at all.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { UsageError } from '../errors.ts';
import { packageManager } from '../package-manager.ts';
import { packageFolder } from '../package-version.ts';
import { projectRoot } from '../project-root.ts';
import { onShutdown } from '../shutdown.ts';

export interface GenerateOptions {
  /** Schema folder or file. @default schema/<workload> in the project */
  schema?: string;
  /** Output folder. @default migrations/<workload> in the project */
  out?: string;
  /** An empty migration to write SQL by hand (drizzle-kit generate --custom). @default false */
  custom?: boolean;
  /** Tag of the new migration file (NNNN_<name>.sql). */
  name?: string;
}

export interface GenerateResult {
  workload: string;
  /** Files drizzle-kit added, relative to the output folder. */
  written: string[];
  /** drizzle-kit's output, for messages. */
  output: string;
}

/** Files (not folders) below `dir`, relative to it. */
const listFiles = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => relative(dir, join(e.parentPath, e.name)))
        .sort()
    : [];

export async function generateMigrations(workload: string, options: GenerateOptions = {}): Promise<GenerateResult> {
  const kit = packageFolder('drizzle-kit');
  if (!kit) throw new UsageError(`drizzle-kit is not installed: ${packageManager(projectRoot()).addDev(['drizzle-kit'])} (a peer dependency of schemabench)`);
  const root = projectRoot();
  const out = options.out ?? join(root, 'migrations', workload);
  const before = new Set(listFiles(out));
  const schema = options.schema ?? join(root, 'schema', workload);
  // drizzle-kit takes paths relative to its working directory (the project root).
  const args = [join(kit, 'bin.cjs'), 'generate', '--dialect', 'postgresql', '--schema', `./${relative(root, schema)}`, '--out', `./${relative(root, out)}`];
  if (options.custom) args.push('--custom');
  if (options.name) args.push('--name', options.name);
  const journal = join(out, 'meta', '_journal.json');
  const journalBefore = existsSync(journal) ? readFileSync(journal, 'utf8') : undefined;
  const kill = new AbortController();
  const running = promisify(execFile)(process.execPath, args, { cwd: root, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' }, signal: kill.signal });
  const forget = onShutdown(async () => {
    kill.abort();
    await running.catch(() => undefined);
    for (const f of listFiles(out)) if (!before.has(f)) rmSync(join(out, f), { force: true });
    if (journalBefore !== undefined) writeFileSync(journal, journalBefore);
  });
  let output: string;
  try {
    const { stdout, stderr } = await running;
    output = `${stdout}${stderr}`;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new UsageError(`drizzle-kit generate failed for ${workload}: ${(e.stderr || e.stdout || e.message).trim().split('\n').slice(-3).join(' | ')}`);
  } finally {
    forget();
  }
  const written = listFiles(out).filter((f) => !before.has(f));
  if (!written.length && !/No schema changes/.test(output)) {
    throw new UsageError(`drizzle-kit generate wrote nothing for ${workload} (it may be waiting for an answer to a rename question: run npx drizzle-kit generate --dialect postgresql --schema ./schema/${workload} --out ./migrations/${workload} in a terminal)`);
  }
  return { workload, written, output };
}
