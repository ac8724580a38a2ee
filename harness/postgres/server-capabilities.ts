/**
 * What a server offers a case, asked of the server itself (version, role, available
 * extensions), so that a missing feature is a skip with its reason, never a failure.
 */
import type pg from 'pg';

interface ServerFacts {
  versionNum: number;
  version: string;
  role: string;
  superuser: boolean;
  buffercacheAvailable: boolean;
}

async function serverFacts(client: pg.Client): Promise<ServerFacts> {
  const { rows } = await client.query<{ num: string; version: string; role: string; superuser: boolean; buffercache: boolean }>(
    `SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version, current_user AS role,
            (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
            EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_buffercache') AS buffercache`,
  );
  const r = rows[0]!;
  return { versionNum: Number(r.num), version: r.version, role: r.role, superuser: r.superuser, buffercacheAvailable: r.buffercache };
}

/**
 * Why a cold-cache case cannot run here, or undefined when it can. Eviction is
 * `pg_buffercache_evict()`: added in PostgreSQL 17, shipped in the pg_buffercache
 * extension (contrib; a managed server may not offer it), and callable by superusers
 * only (the function checks it; pg_buffercache is not a trusted extension either).
 */
export async function coldCacheUnsupported(client: pg.Client): Promise<string | undefined> {
  const s = await serverFacts(client);
  if (s.versionNum < 170000) return `cold cache needs pg_buffercache_evict(), added in PostgreSQL 17; this server is ${s.version}`;
  if (!s.buffercacheAvailable) return `cold cache needs the pg_buffercache extension, which this server (${s.version}) does not offer`;
  if (!s.superuser) return `cold cache needs pg_buffercache_evict(), which only a superuser may call; role ${s.role} is not one`;
  return undefined;
}
