/**
 * The migrations of a workload's drizzle-kit folder (`migrations/<W>/NNNN_tag.sql` and
 * `meta/_journal.json`), in the order drizzle's migrate() applies them: migrate() reads
 * the journal's entries and runs `<tag>.sql` for each, so a `.sql` file the journal
 * does not list is never applied and is left out here too. A folder without a journal
 * (hand-made) gives its `*.sql` files in name order.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface MigrationFile {
  /** File name, e.g. `0003_add_loyalty.sql`. */
  file: string;
  sql: string;
}

interface Journal {
  entries?: { tag?: unknown }[];
}

/** The folder's migrations; none when the folder does not exist. */
export function migrationFiles(folder: string): MigrationFile[] {
  if (!existsSync(folder)) return [];
  const journalPath = join(folder, 'meta', '_journal.json');
  let names: string[];
  if (existsSync(journalPath)) {
    let journal: Journal;
    try {
      journal = JSON.parse(readFileSync(journalPath, 'utf8')) as Journal;
    } catch (error) {
      throw new Error(`${journalPath} is not JSON: ${(error as Error).message}`);
    }
    names = (journal.entries ?? []).map((entry, i) => {
      if (typeof entry.tag !== 'string' || !entry.tag) throw new Error(`${journalPath}: entry ${i} has no tag`);
      return `${entry.tag}.sql`;
    });
    const missing = names.filter((name) => !existsSync(join(folder, name)));
    if (missing.length) throw new Error(`${journalPath} lists ${missing.join(', ')}, missing from ${folder}`);
  } else {
    names = readdirSync(folder, { withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.sql'))
      .map((e) => e.name)
      .sort();
  }
  // Line endings are normalized: a checkout with CRLF is not an edit.
  return names.map((file) => ({ file, sql: readFileSync(join(folder, file), 'utf8').replace(/\r\n/g, '\n') }));
}
