/**
 * The files `schemabench new NAME` writes: one table, its fixtures override, one
 * benchmark asking whether an index is worth it (its bar calibrated: a first run reports
 * the speedup, it cannot fail on a guessed bar), and (after drizzle-kit) its migrations.
 * Each file says what to change next.
 */
export function workloadFiles(name: string): Record<string, string> {
  return {
    [`schema/${name}/schema.ts`]: `/**
 * The ${name} workload's tables, in Drizzle. schemabench generates rows for every table
 * from these definitions (types, NOT NULL, keys, foreign keys, checks); after a change,
 * \`npx schemabench generate --workload ${name}\` writes migrations/${name}/.
 */
import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const customers = pgTable('customers', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  city: text('city'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
`,
    [`fixtures/${name}/fixtures.ts`]: `/**
 * Overrides of what schemabench derives from schema/${name}/: row counts at scale 1,
 * column value functions, whole tables. Delete what you do not need. The cached
 * dataset is keyed by this file, the modules it imports and schema/${name}/: edit
 * them and the next run builds a new one (no version to bump).
 */
import { defineFixtures } from 'schemabench';

export default defineFixtures({
  rows: { customers: 100_000 },
  tables: {
    // customers: { columns: { city: ({ random }) => random.pick(['Lisbon', 'Osaka', 'Lima']) } },
  },
});
`,
    [`benchmarks/${name}/customer-by-email.bench.ts`]: `/**
 * Is the unique index on customers.email worth it for a lookup by email? The same
 * query on a private copy without the index and on the dataset with it: same rows
 * (checked first), the index usable by the query (its plan is asserted), and the speedup.
 *
 * The speedup's bar is calibrated(): reported until \`npx schemabench calibrate --workload ${name}\`
 * has measured it on your machines (benchmarks/${name}/calibration.json), asserted from then on.
 */
import { benchmarkSuite, indexWorthIt } from 'schemabench';

benchmarkSuite('${name}', ({ compare }) => {
  compare(
    indexWorthIt({
      name: '${name}/customers/by-email',
      index: 'customers_email_unique',
      // One customer's email, read by its key first (an InitPlan): what is timed is the lookup by email.
      statement: { text: 'SELECT id, name FROM customers WHERE email = (SELECT email FROM customers WHERE id = $1)', values: [42] },
    }),
  );
});
`,
  };
}

export const CONFIG_TEMPLATE = `import { defineConfig } from 'schemabench';

// Defaults for every schemabench command in this project; command-line options and
// SCHEMABENCH_* environment variables take precedence.
export default defineConfig({
  scale: 1,
  outDir: '.schemabench/latest',
});
`;
