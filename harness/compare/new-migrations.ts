/**
 * The migrations head has and base does not: what a deploy of head would apply to a
 * database that base migrated. A missing base folder (a new workload) makes every head
 * migration new. Released migrations edited or removed in head are reported apart, by
 * `editedMigrations`.
 */
import { migrationFiles, type MigrationFile } from './migration-files.ts';

/** Head's migrations whose file names base's folder does not have, in head's order. */
export function newMigrations(baseFolder: string, headFolder: string): MigrationFile[] {
  const base = new Set(migrationFiles(baseFolder).map((m) => m.file));
  return migrationFiles(headFolder).filter((m) => !base.has(m.file));
}
