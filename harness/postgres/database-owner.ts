/**
 * Ownership marks on the databases the harness creates. On a `url` server a run that
 * dies (SIGKILL, a lost connection) cannot drop what it created; the mark lets a later
 * start find those databases and drop them, and only them. The mark is the database's
 * comment (COMMENT ON DATABASE, stored in pg_shdescription; only the database's owner
 * may set it): a JSON object naming the creating process — host, PID, start time —
 * and the server handle it belongs to. A dataset template kept as a cache carries a
 * dataset mark instead and is never reaped.
 *
 * Nothing here touches a database without the handle's prefix (DatabaseAdmin refuses).
 */
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import pg from 'pg';
import { ownerGone, type ProcessOwner } from '../process-owner.ts';
import { withConnection } from './with-connection.ts';

/** The process and server handle that created a database. */
export interface DatabaseOwner extends ProcessOwner {
  /** The handle's main database: every database created through one handle shares it. */
  handle?: string | undefined;
}

export type DatabaseMark =
  | ({ schemabench: 'owner' } & DatabaseOwner)
  | { schemabench: 'dataset'; key: string; builtAt: string; build?: unknown };

export function markText(mark: DatabaseMark): string {
  return JSON.stringify(mark);
}

/** The mark in a database comment, or undefined when it carries none (another tool, or a schemabench before marks). */
export function parseMark(comment: string | null | undefined): DatabaseMark | undefined {
  if (!comment) return undefined;
  try {
    const value = JSON.parse(comment) as DatabaseMark;
    if (value && (value.schemabench === 'owner' || value.schemabench === 'dataset')) return value;
  } catch {
    // not ours
  }
  return undefined;
}

/** COMMENT ON DATABASE takes no parameters: the name is an identifier, the text a quoted literal. */
export async function setMark(client: pg.ClientBase, database: string, mark: DatabaseMark): Promise<void> {
  await client.query(`COMMENT ON DATABASE ${pg.escapeIdentifier(database)} IS ${pg.escapeLiteral(markText(mark))}`);
}

/**
 * CREATE DATABASE cannot run in a transaction, so the mark is a second statement: a run
 * killed in between (a template copy takes seconds) would leave an unmarked database
 * nobody reaps. A database is therefore created under a name that carries its creator
 * (host hash, PID, start time), marked, then renamed: at every moment either its name or
 * its comment says whose it is.
 */
const PENDING = 'new_';
let pendingCount = 0;
const hostToken = (host: string) => createHash('sha256').update(host).digest('hex').slice(0, 8);

/** A name for a database being created by `owner`, unique within the process. */
export function pendingName(prefix: string, owner: ProcessOwner): string {
  const started = Date.parse(owner.started);
  return `${prefix}${PENDING}${hostToken(owner.host)}_${owner.pid.toString(36)}_${(Number.isFinite(started) ? started : 0).toString(36)}_${(pendingCount++).toString(36)}`;
}

/** The owner mark a pending name carries (undefined for any other name). */
export function pendingMark(prefix: string, name: string): DatabaseMark | undefined {
  if (!name.startsWith(prefix + PENDING)) return undefined;
  const m = /^([0-9a-f]{8})_([0-9a-z]+)_([0-9a-z]+)_[0-9a-z]+$/.exec(name.slice(prefix.length + PENDING.length));
  if (!m) return undefined;
  const here = hostname();
  return { schemabench: 'owner', host: m[1] === hostToken(here) ? here : `host ${m[1]}`, pid: parseInt(m[2]!, 36), started: new Date(parseInt(m[3]!, 36)).toISOString() };
}

export interface MarkedDatabase {
  name: string;
  mark: DatabaseMark | undefined;
  /** Role owning the database (only it, a member of it, or a superuser may drop it). */
  role: string;
  /** The connected role may drop it. */
  droppable: boolean;
}

/** Every database whose name starts with `prefix`, with its mark. Needs no privilege beyond connecting. */
export async function listMarked(adminUri: string, prefix: string): Promise<MarkedDatabase[]> {
  return withConnection(adminUri, async (c) => {
    const { rows } = await c.query<{ name: string; comment: string | null; role: string; droppable: boolean }>(
      `SELECT d.datname AS name, shobj_description(d.oid, 'pg_database') AS comment, pg_get_userbyid(d.datdba) AS role,
              pg_has_role(current_user, d.datdba, 'MEMBER') AS droppable
         FROM pg_database d
        WHERE starts_with(d.datname, $1)
        ORDER BY d.datname`,
      [prefix],
    );
    return rows.map((r) => ({ name: r.name, mark: parseMark(r.comment) ?? pendingMark(prefix, r.name), role: r.role, droppable: r.droppable }));
  });
}

/** A database whose creator is gone (same host, process ended): nobody will drop it but us. */
export function isOrphan(db: Pick<MarkedDatabase, 'mark'>): boolean {
  return db.mark?.schemabench === 'owner' && ownerGone(db.mark);
}

/** Databases marked as created through the handle whose main database is `handle`, by `owner`. */
export function ownedBy(db: Pick<MarkedDatabase, 'mark'>, owner: DatabaseOwner): boolean {
  const m = db.mark;
  return m?.schemabench === 'owner' && m.host === owner.host && m.pid === owner.pid && m.handle === owner.handle;
}
