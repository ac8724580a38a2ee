/**
 * Watches a server the CLI depends on while other processes use it (vitest's, compare's
 * sides): one idle session held open. PostgreSQL ends every session when it shuts down or
 * restarts (57P01 on a fast shutdown, 57P02 after a crash), so the watch learns of it the
 * moment the processes using the server do. It then connects once more: a server that does
 * not answer, or answers having restarted since the watch began (pg_postmaster_start_time),
 * is lost, and every session on it was ended; one that answers unchanged had only ended
 * this session (pg_terminate_backend), and the watch goes on. The watch takes one
 * connection slot of the server.
 */
import pg from 'pg';
import { serverLostReason } from './server-lost.ts';

const startTime = async (client: pg.Client) => (await client.query<{ t: string }>('SELECT pg_postmaster_start_time()::text AS t')).rows[0]!.t;

/** Calls `onLost(reason)` once if the server at `uri` goes away or restarts; returns the unwatch. */
export function watchServer(uri: string, onLost: (reason: string) => void): () => void {
  let watching = true;
  let client: pg.Client | undefined;
  let started: string | undefined;
  const session = async (): Promise<unknown> => {
    const c = new pg.Client({ connectionString: uri, connectionTimeoutMillis: 5_000, application_name: 'schemabench watch' });
    c.on('error', () => undefined);
    client = c;
    await c.connect();
    const now = await startTime(c);
    if (started !== undefined && now !== started) throw new Error(`the server restarted at ${now}`);
    started = now;
    // Resolves when the server ends the session (or the watch stops).
    return new Promise((resolve) => {
      c.once('error', resolve);
      c.once('end', () => resolve(new Error('Connection terminated unexpectedly')));
    });
  };
  void (async () => {
    while (watching) {
      try {
        const ended = await session();
        if (watching && serverLostReason(ended) === undefined) return; // not a server's end: nothing to tell
      } catch (error) {
        if (watching) onLost(serverLostReason(error) ?? (error as Error).message);
        return;
      }
    }
  })();
  return () => {
    watching = false;
    void client?.end().catch(() => undefined);
  };
}
