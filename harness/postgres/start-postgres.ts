/**
 * Starts a PostgreSQL server from the resolved provider choice. `auto` picks
 * testcontainers when a Docker engine answers, embedded otherwise, and says which
 * and why in one line.
 */
import type { Config } from '../config.ts';
import { UsageError } from '../errors.ts';
import { dockerEngineAnswers } from './docker-environment.ts';
import type { PgServer, ProviderName } from './pg-server.ts';
import { PROFILES } from './benchmark-profile.ts';
import { imageForMajor } from './postgres-versions.ts';

export type StartOptions = Pick<Config, 'provider' | 'image' | 'databaseUrl'> & {
  /** Server settings for servers we start (embedded, testcontainers). @default 'benchmark' */
  profile?: Config['profile'];
  /** PostgreSQL major to start (embedded, testcontainers); refused for `url`. @default Config.pgVersion */
  pgVersion?: number;
  /** Where the one-line provider choice is written, once the server is up. @default console.error */
  log?: (line: string) => void;
};

export async function resolveProvider(options: StartOptions): Promise<{ name: ProviderName; reason: string }> {
  if (options.provider === 'embedded' || options.provider === 'url') return { name: options.provider, reason: 'chosen explicitly' };
  const docker = await dockerEngineAnswers();
  if (options.provider === 'testcontainers') {
    if (!docker.ok) throw new UsageError(`--provider testcontainers: ${docker.reason}`);
    return { name: 'testcontainers', reason: 'chosen explicitly' };
  }
  return docker.ok
    ? { name: 'testcontainers', reason: docker.reason }
    : { name: 'embedded', reason: docker.reason };
}

export async function startPostgres(options: StartOptions): Promise<PgServer> {
  const log = options.log ?? ((line: string) => console.error(line));
  const { name, reason } = await resolveProvider(options);
  const started = performance.now();
  if (options.pgVersion !== undefined && name === 'url') {
    throw new UsageError(`--pg ${options.pgVersion}: the url provider uses the server in DATABASE_URL and cannot choose its version`);
  }
  const server = await startProvider(name, options);
  const version = options.pgVersion === undefined ? '' : ` PostgreSQL ${options.pgVersion},`;
  log(`schemabench: postgres provider ${name} (${reason}),${version} ${name === 'url' ? 'settings as found' : `profile ${options.profile ?? 'benchmark'}`}, ready in ${Math.round(performance.now() - started)} ms`);
  return server;
}

async function startProvider(name: ProviderName, options: StartOptions): Promise<PgServer> {
  const profile = PROFILES[options.profile ?? 'benchmark'];
  switch (name) {
    case 'embedded':
      return (await import('./embedded-provider.ts')).startEmbedded({ profile, major: options.pgVersion });
    case 'testcontainers': {
      const major = options.pgVersion;
      const image = major === undefined ? options.image : imageForMajor(options.image, major);
      return (await import('./testcontainers-provider.ts')).startTestcontainers({ image, profile, major });
    }
    case 'url':
      return (await import('./url-provider.ts')).startUrl(options.databaseUrl);
  }
}
