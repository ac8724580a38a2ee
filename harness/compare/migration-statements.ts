/**
 * A drizzle-kit migration file as statements: drizzle-kit separates them with
 * `--> statement-breakpoint`, and drizzle's migrate() sends each piece as one query.
 * A piece that is only comments and blank lines is no statement. A first line
 * `-- schemabench: single-transaction` asks for the whole file in one transaction.
 */
const BREAKPOINT = '--> statement-breakpoint';
const SINGLE_TRANSACTION = /^--\s*schemabench:\s*single-transaction\s*$/;

export interface MigrationStatements {
  statements: string[];
  singleTransaction: boolean;
}

export function migrationStatements(sql: string): MigrationStatements {
  const firstLine = sql.split('\n', 1)[0]!.trim();
  const statements = sql
    .split(BREAKPOINT)
    .map((s) => s.trim())
    .filter((s) => s.replace(/^\s*--.*$/gm, '').trim() !== '');
  return { statements, singleTransaction: SINGLE_TRANSACTION.test(firstLine) };
}
