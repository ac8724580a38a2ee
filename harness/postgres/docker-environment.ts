/**
 * Testcontainers settings for engines like the ones here: Ryuk (its reaper container)
 * cannot be pulled without a registry, and inside a container-like machine
 * (/.dockerenv) testcontainers would address the bridge gateway instead of the local
 * engine's published ports. Explicit user settings always win. The harness reaps
 * its own containers by label instead (container-reaper.ts).
 */
import { existsSync } from 'node:fs';

export function configureTestcontainersEnv(env = process.env): void {
  env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  const localEngine = !env.DOCKER_HOST || env.DOCKER_HOST.startsWith('unix://');
  if (localEngine && existsSync('/.dockerenv')) env.TESTCONTAINERS_HOST_OVERRIDE ??= 'localhost';
}

/** True when a Docker engine answers within `timeoutMs`. Never throws. */
export async function dockerEngineAnswers(timeoutMs = 5_000): Promise<{ ok: boolean; reason: string }> {
  configureTestcontainersEnv();
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    const client = await Promise.race([
      getContainerRuntimeClient(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)),
    ]);
    return { ok: true, reason: `Docker engine ${client.info.containerRuntime.serverVersion ?? ''} answers`.replace('  ', ' ') };
  } catch (error) {
    return { ok: false, reason: `no Docker engine answers (${(error as Error).message.split('\n')[0]})` };
  }
}
