/**
 * Child process for the lifecycle specs: starts an embedded cluster, prints
 * {"dataDir", "postmasterPid"} as one JSON line, then waits to be killed.
 * argv[2] = "no-watchdog" starts it without the watchdog; argv[3], if given, is the
 * parent directory for the cluster (default: the OS temp directory).
 */
import pg from 'pg';
import { startEmbedded } from '../../harness/postgres/embedded-provider.ts';

const server = await startEmbedded({ watchdog: process.argv[2] !== 'no-watchdog', ...(process.argv[3] ? { root: process.argv[3] } : {}) });
const client = new pg.Client({ connectionString: server.connectionUri });
await client.connect();
const { rows } = await client.query<{ data_directory: string }>('SELECT current_setting($1) AS data_directory', ['data_directory']);
await client.end();
const dataDir = rows[0]!.data_directory;
const postmasterPid = Number((await import('node:fs')).readFileSync(`${dataDir}/postmaster.pid`, 'utf8').split('\n')[0]);
process.stdout.write(`${JSON.stringify({ dataDir, postmasterPid })}\n`);
setInterval(() => undefined, 1 << 30);
