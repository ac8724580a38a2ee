/**
 * Released migrations that head changed: a file base has that head edited (its SQL
 * differs) or no longer has. Neither is ever applied again to a database base already
 * migrated — drizzle's migrate() only runs journal entries newer than the last one it
 * recorded — so production and a fresh database built from head would differ.
 */
import { migrationFiles } from './migration-files.ts';

export interface EditedMigration {
  file: string;
  change: 'edited' | 'removed';
}

/** Base's migrations that head edited or removed, in base's order. */
export function editedMigrations(baseFolder: string, headFolder: string): EditedMigration[] {
  const head = new Map(migrationFiles(headFolder).map((m) => [m.file, m.sql]));
  return migrationFiles(baseFolder).flatMap((m): EditedMigration[] => {
    const sql = head.get(m.file);
    if (sql === undefined) return [{ file: m.file, change: 'removed' }];
    return sql === m.sql ? [] : [{ file: m.file, change: 'edited' }];
  });
}
