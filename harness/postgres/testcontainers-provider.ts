/**
 * The testcontainers provider: @testcontainers/postgresql with the benchmark profile
 * on the server's command line and PGDATA on a tmpfs (no disk noise; the data lives
 * and dies with the container). Published ports bind where the engine binds them:
 * .ci/run starts dockerd with --ip 127.0.0.1 so they are loopback-only.
 */
import { randomBytes } from 'node:crypto';
import { BENCHMARK_PROFILE, profileArgs, type ProfileSetting } from './benchmark-profile.ts';
import { ownerLabels, reapOrphanContainers } from './container-reaper.ts';
import { configureTestcontainersEnv } from './docker-environment.ts';
import type { PgServer } from './pg-server.ts';
import { createServerHandle } from './server-handle.ts';
import { withDatabase } from './database-admin.ts';

export interface TestcontainersOptions {
  /** Image to run. @default 'postgres:17' (SCHEMABENCH_PG_IMAGE) */
  image: string;
  /** Server settings passed as `-c` flags. @default BENCHMARK_PROFILE */
  profile?: readonly ProfileSetting[];
}

const MAIN_DB = 'schemabench_main';

export async function startTestcontainers(options: TestcontainersOptions): Promise<PgServer> {
  configureTestcontainersEnv();
  // Loaded lazily: importing testcontainers probes for an engine and may throw.
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  await reapOrphanContainers();
  const password = randomBytes(24).toString('base64url');
  const container = await new PostgreSqlContainer(options.image)
    .withDatabase(MAIN_DB)
    .withUsername('schemabench')
    .withPassword(password)
    .withLabels(ownerLabels())
    .withTmpFs({ '/var/lib/postgresql/data': 'rw,size=8g' })
    .withCommand(['postgres', ...profileArgs(options.profile ?? BENCHMARK_PROFILE)])
    .start();
  return createServerHandle({
    provider: 'testcontainers',
    adminUri: withDatabase(container.getConnectionUri(), 'postgres'),
    mainDatabase: MAIN_DB,
    databasePrefix: 'schemabench_',
    async shutdown() {
      await container.stop({ remove: true, removeVolumes: true });
    },
  });
}
