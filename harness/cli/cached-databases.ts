/**
 * What `schemabench cache list|clear` does once its arguments are checked (cache-command.ts):
 * the schemabench_* databases on a `url` server
 * (DATABASE_URL). Servers the harness starts take everything with them when they stop;
 * an existing server keeps dataset templates (schemabench_tpl_*) as a cache across
 * runs, and may hold databases of runs that died. `list` shows them and needs no
 * privilege beyond connecting (it creates nothing); `clear` drops the templates and
 * the leftovers of dead runs, never a database of a live run or without the prefix.
 */
import { resolveConfig } from '../config.ts';
import { UsageError } from '../errors.ts';
import { DatabaseAdmin } from '../postgres/database-admin.ts';
import { isOrphan, listMarked, type MarkedDatabase } from '../postgres/database-owner.ts';
import { describeOwner } from '../process-owner.ts';
import { describeUri, probeUrl, URL_PREFIX } from '../postgres/url-provider.ts';
import type { CacheAction } from './cache-command.ts';

/** Names the url provider gave its databases before they carried owner marks. */
const UNMARKED_LEFTOVER = /^schemabench_(main_[0-9a-f]{8}(_snap)?|build_[0-9a-f]{8}|[a-z0-9]{1,20}_[0-9a-f]{8})$/;

/** cached: a dataset template; orphan: its creator is gone; live: its creator runs (or runs elsewhere); unknown: no mark, not a url-provider name. */
type Kind = 'cached' | 'orphan' | 'live' | 'unknown';

function kindOf(db: MarkedDatabase): Kind {
  if (db.mark?.schemabench === 'dataset' || (!db.mark && db.name.startsWith(`${URL_PREFIX}tpl_`))) return 'cached';
  if (isOrphan(db) || (!db.mark && UNMARKED_LEFTOVER.test(db.name))) return 'orphan';
  return db.mark ? 'live' : 'unknown';
}

function describe(db: MarkedDatabase, kind: Kind): string {
  const mark = db.mark;
  if (kind === 'cached') return `cached ${db.name}${mark?.schemabench === 'dataset' ? ` (built ${mark.builtAt})` : ''}`;
  if (kind === 'unknown') return `unknown ${db.name} (no owner mark and not a name the url provider gives: left alone)`;
  const by = mark?.schemabench === 'owner' ? describeOwner(mark) : 'a schemabench without owner marks';
  return kind === 'orphan' ? `orphan ${db.name} (left by ${by}, which is gone)` : `in use ${db.name} (by ${by})`;
}

/** `schemabench cache ACTION` with its arguments checked (cache-command.ts) and the project's config applied. */
export async function cachedDatabases(action: CacheAction): Promise<number> {
  // Validates DATABASE_URL and reachability with the url provider's messages; creates nothing.
  const databaseUrl = await probeUrl(resolveConfig().databaseUrl, { needCreateDb: false });
  const databases = (await listMarked(databaseUrl, URL_PREFIX)).map((db) => ({ db, kind: kindOf(db) }));
  const where = describeUri(databaseUrl);
  if (action === 'list') {
    for (const { db, kind } of databases) process.stdout.write(`${describe(db, kind)}\n`);
    const count = (k: Kind) => databases.filter((d) => d.kind === k).length;
    process.stdout.write(`${count('cached')} dataset template(s), ${count('orphan')} orphan(s), ${count('live')} in use, ${count('unknown')} unknown on ${where}\n`);
    return 0;
  }
  const doomed = databases.filter((d) => d.kind === 'cached' || d.kind === 'orphan').map((d) => d.db);
  const refused = doomed.filter((db) => !db.droppable);
  if (refused.length) {
    throw new UsageError(
      `cache clear: the role of DATABASE_URL may not drop ${refused.map((db) => `${db.name} (owned by ${JSON.stringify(db.role)})`).join(', ')}; connect as their owner or a superuser. Nothing was dropped`,
    );
  }
  const admin = new DatabaseAdmin(databaseUrl, URL_PREFIX);
  for (const db of doomed) {
    await admin.drop(db.name);
    process.stdout.write(`dropped ${db.name}\n`);
  }
  const templates = doomed.filter((db) => kindOf(db) === 'cached').length;
  process.stdout.write(`${templates} dataset template(s) and ${doomed.length - templates} orphan(s) dropped from ${where}\n`);
  return 0;
}
