/**
 * What a change can move, so that compare measures only that (issue 26). A benchmark
 * file's results are a function of its inputs: the file and the local modules it imports;
 * its workload's dataset (schema modules, fixtures and their imports, migrations: what the
 * dataset key hashes); the harness that measures (schemabench's version, or its sources
 * when the project is schemabench itself); the dependencies (lockfiles, package.json) and
 * the configuration (schemabench.config.*, vitest.config.*, tsconfig.json). When none of
 * them differs between base and head, both sides would measure the same thing on the same
 * server: skipping the file on both sides cannot hide a regression (what differs between
 * two runs of identical inputs is noise, which compare exists to tell from change). The
 * server is the one compare starts for both, so it is the same input on both sides.
 *
 * A workload whose set of benchmark files differs (a file added or removed) is measured
 * whole, so that an added or removed case reads as such.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { schemaModules, sourceHashes } from '../workloads/workload-sources.ts';

/** Files at a project's top whose change may move any result. */
const PROJECT_FILES = ['package.json', 'package-lock.json', 'pnpm-lock.yaml', 'yarn.lock', 'tsconfig.json', 'schemabench.config.ts', 'schemabench.config.mts', 'schemabench.config.js', 'schemabench.config.mjs', 'vitest.config.ts', 'vitest.config.mts', 'vitest.config.js', 'vitest.config.mjs'];

const BENCH = /\.bench\.(ts|mts|js|mjs)$/;

export interface MeasurePlan {
  /** Per workload to measure: the benchmark files to run (relative to the project), or 'all' for its whole folder. */
  measured: Map<string, string[] | 'all'>;
  /** One line per workload or file not measured, and why. */
  unmeasured: string[];
}

const digest = (parts: unknown) => createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
const fileHash = (path: string) => (existsSync(path) && statSync(path).isFile() ? createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16) : null);

/** Every file under `dir`, relative to it, hashed (the migrations folder: SQL and drizzle-kit's meta). */
function folderHashes(dir: string): Record<string, string | null> {
  if (!existsSync(dir)) return {};
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(join(dir, f)).isFile()).sort();
  return Object.fromEntries(files.map((f) => [f.split(sep).join('/'), fileHash(join(dir, f))]));
}

/**
 * The harness the project's benchmarks import as 'schemabench': its version when it is an
 * installed package, its own sources when the project is schemabench itself (this repository).
 */
function harnessIdentity(dir: string): unknown {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
  if (manifest.name === 'schemabench') return { sources: ['harness', 'bin'].map((f) => folderHashes(join(dir, f))) };
  const installed = join(dir, 'node_modules', 'schemabench', 'package.json');
  return { version: existsSync(installed) ? (JSON.parse(readFileSync(installed, 'utf8')) as { version?: string }).version : null };
}

/** What every result of a side depends on. */
function globalInputs(dir: string): string {
  return digest([harnessIdentity(dir), PROJECT_FILES.map((f) => fileHash(join(dir, f)))]);
}

/** What a workload's dataset is made of. */
async function datasetInputs(dir: string, workload: string): Promise<string> {
  const fixtures = join(dir, 'fixtures', workload, 'fixtures.ts');
  const sources = await sourceHashes(dir, [...schemaModules(join(dir, 'schema', workload)), ...(existsSync(fixtures) ? [fixtures] : [])]);
  return digest([sources, folderHashes(join(dir, 'migrations', workload))]);
}

function benchFiles(dir: string, workload: string): string[] {
  const folder = join(dir, 'benchmarks', workload);
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((f) => BENCH.test(f))
    .map((f) => relative(dir, join(folder, f)).split(sep).join('/'))
    .sort();
}

const fileInputs = async (dir: string, file: string) => digest(await sourceHashes(dir, [join(dir, file)]));

export async function planMeasurement(baseDir: string, headDir: string, workloads: string[]): Promise<MeasurePlan> {
  const measured = new Map<string, string[] | 'all'>();
  const unmeasured: string[] = [];
  if (globalInputs(baseDir) !== globalInputs(headDir)) {
    for (const w of workloads) measured.set(w, 'all');
    return { measured, unmeasured };
  }
  for (const w of workloads) {
    if ((await datasetInputs(baseDir, w)) !== (await datasetInputs(headDir, w))) {
      measured.set(w, 'all');
      continue;
    }
    const [base, head] = [benchFiles(baseDir, w), benchFiles(headDir, w)];
    if (base.join('\n') !== head.join('\n')) {
      measured.set(w, 'all');
      continue;
    }
    const changed: string[] = [];
    const same: string[] = [];
    for (const file of head) ((await fileInputs(baseDir, file)) === (await fileInputs(headDir, file)) ? same : changed).push(file);
    if (changed.length) {
      measured.set(w, changed);
      unmeasured.push(...same.map((file) => `${file}: the file, the modules it imports and the ${w} dataset are unchanged`));
    } else {
      unmeasured.push(`workload ${w}: nothing it depends on changed (its schema, migrations, fixtures, benchmarks and the modules they import, schemabench, dependencies, configuration)`);
    }
  }
  return { measured, unmeasured };
}
