/**
 * CREATE / DROP DATABASE for one handle. Every name must carry the handle's prefix:
 * the harness never creates, copies over or drops a database it does not own. Every
 * database it creates is marked with its owner (database-owner.ts), so that one left
 * behind by a run that died can be told apart and reaped.
 */
import pg from 'pg';
import { pendingName, setMark, type DatabaseOwner } from './database-owner.ts';
import { currentOwner } from '../process-owner.ts';
import { withConnection } from './with-connection.ts';
import { sqlstateOf } from './sqlstate.ts';

const INSUFFICIENT_PRIVILEGE = '42501';
/** "database ... is being accessed by other users". */
const OBJECT_IN_USE = '55006';

/** CREATE DATABASE statements of this process still running: backend PID on the server at `uri`, settled when done. */
interface InFlightCreate {
  uri: string;
  backend: number;
  done: Promise<unknown>;
}
const inFlight = new Set<InFlightCreate>();
const serverOf = (uri: string) => {
  const u = new URL(uri);
  return `${u.hostname}:${u.port || 5432}`;
};

/**
 * Cancel this process's CREATE DATABASE statements on the server of `adminUri` and wait
 * for them to end. A database being created is invisible to everyone else until its
 * CREATE DATABASE commits, and a server finishes a copy whose client is gone: a stop that
 * only dropped what it can see would leave a copy finished after the drop. A backend may
 * cancel a statement of a session of its own role (pg_cancel_backend); the copy is
 * interruptible, and the canceled statement rolls the database back.
 */
export async function cancelCreates(adminUri: string): Promise<void> {
  const mine = [...inFlight].filter((c) => serverOf(c.uri) === serverOf(adminUri));
  if (!mine.length) return;
  await withConnection(adminUri, async (c) => {
    for (const create of mine) await c.query('SELECT pg_cancel_backend($1)', [create.backend]);
  });
  await Promise.allSettled(mine.map((c) => c.done));
}

export class DatabaseAdmin {
  constructor(
    readonly adminUri: string,
    readonly prefix: string,
    /** Written on every database created here. @default this process, no handle */
    readonly owner: DatabaseOwner = currentOwner(),
  ) {}

  /** Run `fn` on a fresh connection to the maintenance database. */
  withClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
    return withConnection(this.adminUri, fn);
  }

  assertOwned(name: string): void {
    if (!name.startsWith(this.prefix) || name.length > 63) {
      throw new Error(`refusing to touch database ${JSON.stringify(name)}: not a ${this.prefix}* name of at most 63 bytes`);
    }
  }

  async exists(name: string): Promise<boolean> {
    return this.withClient(async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1);
  }

  /**
   * Create a database, optionally as a copy of a template. A template database must
   * have no other open connections while it is copied, or CREATE DATABASE fails.
   * STRATEGY FILE_COPY copies the files instead of WAL-logging every block: for a
   * ~100 MB dataset it is several times faster than the default WAL_LOG (PG 15+).
   */
  async create(name: string, template?: string): Promise<void> {
    this.assertOwned(name);
    const id = pg.escapeIdentifier;
    // Created under a name that carries its owner, marked, then renamed (database-owner.ts, pendingName).
    const pending = pendingName(this.prefix, this.owner);
    this.assertOwned(pending);
    await this.withClient(async (c) => {
      // STRATEGY exists from PostgreSQL 15 on (a url server may be older; before 15 every copy is a file copy).
      const version = Number((await c.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0]!.v);
      const strategy = version >= 150000 ? ' STRATEGY FILE_COPY' : '';
      const done = c.query(template ? `CREATE DATABASE ${id(pending)} TEMPLATE ${id(template)}${strategy}` : `CREATE DATABASE ${id(pending)}`);
      const create = { uri: this.adminUri, backend: (c as pg.Client & { processID: number }).processID, done };
      inFlight.add(create);
      await done.finally(() => inFlight.delete(create));
      try {
        await setMark(c, pending, { schemabench: 'owner', ...this.owner });
        await c.query(`ALTER DATABASE ${id(pending)} RENAME TO ${id(name)}`);
      } catch (error) {
        await c.query(`DROP DATABASE IF EXISTS ${id(pending)}`).catch(() => undefined);
        throw error;
      }
    });
  }

  /**
   * Drop a database of ours; WITH (FORCE) ends the connections to that database only.
   *
   * WITH (FORCE) first checks that this role may signal every session in the database,
   * and an autovacuum worker belongs to no role: a role without superuser or
   * pg_signal_backend (a managed server's CREATEDB role) is refused with 42501 while
   * autovacuum is at work there, as after a fresh dataset load. A plain DROP DATABASE
   * cancels autovacuum workers itself and waits up to 5 s for other sessions; if our own
   * sessions were what kept it, FORCE is tried once more with the workers gone. A session
   * of another role still refuses the drop, with the plain DROP's error.
   */
  async drop(name: string): Promise<void> {
    this.assertOwned(name);
    const id = pg.escapeIdentifier(name);
    await this.withClient(async (c) => {
      // A template database cannot be dropped until it is unmarked.
      await c.query(`ALTER DATABASE ${id} IS_TEMPLATE false`).catch(() => undefined);
      const force = () => c.query(`DROP DATABASE IF EXISTS ${id} WITH (FORCE)`);
      try {
        await force();
      } catch (error) {
        if (sqlstateOf(error) !== INSUFFICIENT_PRIVILEGE) throw error;
        try {
          await c.query(`DROP DATABASE IF EXISTS ${id}`);
        } catch (plain) {
          if (sqlstateOf(plain) !== OBJECT_IN_USE) throw plain;
          await force().catch(() => Promise.reject(plain));
        }
      }
    });
  }

  async rename(from: string, to: string): Promise<void> {
    this.assertOwned(from);
    this.assertOwned(to);
    await this.withClient((c) => c.query(`ALTER DATABASE ${pg.escapeIdentifier(from)} RENAME TO ${pg.escapeIdentifier(to)}`));
  }

  /** Mark as template: only its owner or a superuser may then copy it, and nobody connects by accident. */
  async markTemplate(name: string): Promise<void> {
    this.assertOwned(name);
    await this.withClient((c) =>
      c.query(`ALTER DATABASE ${pg.escapeIdentifier(name)} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`),
    );
  }

  async list(): Promise<string[]> {
    return this.withClient(async (c) => {
      const { rows } = await c.query<{ datname: string }>(
        "SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY datname",
        [this.prefix],
      );
      return rows.map((r) => r.datname);
    });
  }
}

/** Replace the database name in a postgres URI. */
export function withDatabase(uri: string, database: string): string {
  const url = new URL(uri);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}
