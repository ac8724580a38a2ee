/**
 * Testcontainers settings for engines like the ones here: Ryuk (its reaper container)
 * cannot be pulled without a registry, and inside a container-like machine
 * (/.dockerenv) testcontainers would address the bridge gateway instead of the local
 * engine's published ports. Explicit user settings always win. The harness reaps
 * its own containers by label instead (container-reaper.ts).
 */
import { existsSync } from 'node:fs';
import { request } from 'node:http';

export function configureTestcontainersEnv(env = process.env): void {
  env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  const localEngine = !env.DOCKER_HOST || env.DOCKER_HOST.startsWith('unix://');
  if (localEngine && existsSync('/.dockerenv')) env.TESTCONTAINERS_HOST_OVERRIDE ??= 'localhost';
}

/**
 * GET /_ping on the engine DOCKER_HOST names (unix:// or tcp://). When DOCKER_HOST is
 * set it is the engine the user means, as for the docker CLI: no fallback to others.
 */
function ping(dockerHost: string, timeoutMs: number): Promise<void> {
  const url = new URL(dockerHost);
  const target =
    url.protocol === 'unix:' ? { socketPath: url.pathname } : { host: url.hostname, port: Number(url.port || 2375) };
  return new Promise((resolve, reject) => {
    const req = request({ ...target, path: '/_ping', timeout: timeoutMs }, (res) => {
      res.resume();
      if (res.statusCode === 200) resolve();
      else reject(new Error(`${dockerHost} answered HTTP ${res.statusCode}`));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${dockerHost} within ${timeoutMs} ms`)));
    req.on('error', (e) => reject(new Error(`${dockerHost}: ${(e as NodeJS.ErrnoException).code ?? e.message}`)));
    req.end();
  });
}

/** True when a Docker engine answers within `timeoutMs`. Never throws. */
export async function dockerEngineAnswers(timeoutMs = 5_000): Promise<{ ok: boolean; reason: string }> {
  configureTestcontainersEnv();
  try {
    if (process.env.DOCKER_HOST && /^(unix|tcp):/.test(process.env.DOCKER_HOST)) await ping(process.env.DOCKER_HOST, timeoutMs);
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
