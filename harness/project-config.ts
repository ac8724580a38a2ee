/**
 * schemabench.config.ts: a project's defaults for the options every command takes.
 * Optional; it also marks the project root. Precedence stays: command-line options >
 * environment > this file > built-in defaults (config.ts): the CLI turns the file's
 * values into SCHEMABENCH_* environment defaults, which the vitest processes it starts
 * inherit.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseProvider, parseScale, parseSeed, type ProviderChoice } from './config.ts';
import { UsageError } from './errors.ts';
import { CONFIG_FILES, projectRoot } from './project-root.ts';

export interface ProjectConfig {
  /** PostgreSQL provider. @default 'auto' */
  provider?: ProviderChoice;
  /** Dataset scale (1 = each workload's nominal size). @default 1 */
  scale?: number;
  /** Fixture seed. @default 20240601 */
  seed?: number;
  /** Docker image for the testcontainers provider. @default 'postgres:17' */
  image?: string;
  /** Where results and reports are written, relative to the project root. @default '.schemabench/latest' */
  outDir?: string;
}

const ENV: Record<keyof ProjectConfig, { env: string; parse: (v: unknown) => unknown }> = {
  provider: { env: 'SCHEMABENCH_PROVIDER', parse: parseProvider },
  scale: { env: 'SCHEMABENCH_SCALE', parse: parseScale },
  seed: { env: 'SCHEMABENCH_SEED', parse: parseSeed },
  image: { env: 'SCHEMABENCH_PG_IMAGE', parse: String },
  outDir: { env: 'SCHEMABENCH_OUT', parse: String },
};

export function defineConfig(config: ProjectConfig): ProjectConfig {
  return config;
}

/** Load the project's config file, if any, into environment defaults. */
export async function applyProjectConfig(env = process.env): Promise<string | undefined> {
  const file = CONFIG_FILES.map((f) => join(projectRoot(), f)).find((f) => existsSync(f));
  if (!file) return undefined;
  let config: unknown;
  try {
    config = ((await import(pathToFileURL(file).href)) as { default?: unknown }).default;
  } catch (error) {
    throw new UsageError(`${file}: ${(error as Error).message.split('\n')[0]}`);
  }
  if (!config || typeof config !== 'object') throw new UsageError(`${file}: export default defineConfig({ ... })`);
  for (const [key, value] of Object.entries(config)) {
    const option = ENV[key as keyof ProjectConfig];
    if (!option) throw new UsageError(`${file}: unknown option ${JSON.stringify(key)}; the options are ${Object.keys(ENV).join(', ')}`);
    try {
      option.parse(value);
    } catch (error) {
      throw new UsageError(`${file}: ${(error as Error).message.replace(/^--\S+/, key)}`);
    }
    env[option.env] ??= String(value);
  }
  return file;
}
