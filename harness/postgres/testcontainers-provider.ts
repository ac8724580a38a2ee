/**
 * The testcontainers provider: @testcontainers/postgresql with the benchmark profile
 * on the server's command line and PGDATA on a tmpfs (no disk noise; the data lives
 * and dies with the container). Published ports bind where the engine binds them:
 * .ci/run starts dockerd with --ip 127.0.0.1 so they are loopback-only.
 */
import { randomBytes } from 'node:crypto';
import { BENCHMARK_PROFILE, profileArgs, profileForMajor, type ProfileSetting } from './benchmark-profile.ts';
import { ownerLabels, reapOrphanContainers, removeOwnContainers } from './container-reaper.ts';
import { onShutdown } from '../shutdown.ts';
import { configureTestcontainersEnv } from './docker-environment.ts';
import type { PgServer } from './pg-server.ts';
import { createServerHandle } from './server-handle.ts';
import { withDatabase } from './database-admin.ts';
import { EnvironmentError } from '../errors.ts';

export interface TestcontainersOptions {
  /** Image to run. @default 'postgres:17' (SCHEMABENCH_PG_IMAGE) */
  image: string;
  /** Server settings passed as `-c` flags. @default BENCHMARK_PROFILE */
  profile?: readonly ProfileSetting[];
  /** The image's PostgreSQL major, when known: settings it lacks are left out. @default undefined */
  major?: number;
}

const MAIN_DB = 'schemabench_main';

function profileFor(options: TestcontainersOptions): readonly ProfileSetting[] {
  const profile = options.profile ?? BENCHMARK_PROFILE;
  if (options.major === undefined) return profile;
  const { settings, skipped } = profileForMajor(options.major, profile);
  for (const line of skipped) console.error(`schemabench: ${line}`);
  return settings;
}

export async function startTestcontainers(options: TestcontainersOptions): Promise<PgServer> {
  configureTestcontainersEnv();
  // Loaded lazily: importing testcontainers probes for an engine and may throw.
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  await reapOrphanContainers();
  const password = randomBytes(24).toString('base64url');
  // Registered with the CLI's shutdown before the container exists: a stop while it starts
  // finds it by its owner label. One created after that stop ran is labelled with a dead
  // PID, and the next start reaps it.
  const forget = onShutdown(async () => void (await removeOwnContainers()));
  const container = await new PostgreSqlContainer(options.image)
    .withDatabase(MAIN_DB)
    .withUsername('schemabench')
    .withPassword(password)
    .withLabels(ownerLabels())
    .withTmpFs({ '/var/lib/postgresql/data': 'rw,size=8g' })
    .withCommand(['postgres', ...profileArgs(profileFor(options))])
    .start()
    .catch((error: unknown) => {
      // An image the engine lacks and cannot pull, a container that never got ready: the
      // machine cannot serve this run, nothing was measured (exit 3, one line).
      const reason = String((error as Error)?.message ?? error).split('\n')[0]!.slice(0, 300);
      throw new EnvironmentError(`testcontainers could not start ${options.image} (${reason}): build or pull the image, set SCHEMABENCH_PG_IMAGE, or use --provider embedded`);
    });
  return createServerHandle({
    provider: 'testcontainers',
    adminUri: withDatabase(container.getConnectionUri(), 'postgres'),
    mainDatabase: MAIN_DB,
    databasePrefix: 'schemabench_',
    async shutdown() {
      forget();
      await container.stop({ remove: true, removeVolumes: true });
    },
  });
}
