/**
 * Drops the databases a `url` run left behind: those marked by a process of this host
 * that is gone (database-owner.ts). Templates kept as the dataset cache, databases of
 * live runs, of other hosts, unmarked ones and any name without the prefix are left
 * alone.
 */
import { DatabaseAdmin } from './database-admin.ts';
import { isOrphan, listMarked } from './database-owner.ts';

/** Returns the names dropped. A database another role owns is skipped (it cannot be dropped from here). */
export async function reapOrphanDatabases(adminUri: string, prefix: string): Promise<string[]> {
  const admin = new DatabaseAdmin(adminUri, prefix);
  const orphans = (await listMarked(adminUri, prefix)).filter((d) => d.droppable && isOrphan(d));
  for (const db of orphans) await admin.drop(db.name);
  return orphans.map((d) => d.name);
}
