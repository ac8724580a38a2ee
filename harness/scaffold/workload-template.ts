/**
 * The files `schemabench new NAME` writes: one table, its fixtures override, one
 * benchmark that asserts an index decision, and (after drizzle-kit) its migrations.
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
 * statement twice: once with index scans disabled on its connection, once as planned.
 */
import { benchmarkSuite, defineCase } from 'schemabench';

let email = '';

const scan = defineCase({
  name: '${name}/customers/by-email',
  workload: '${name}',
  variant: 'seq-scan',
  settings: { enable_indexscan: 'off', enable_bitmapscan: 'off', enable_indexonlyscan: 'off' },
  // A customer from the middle of the table, read once before timing.
  setup: async ({ client }) => {
    const { rows } = await client.query('SELECT email FROM customers ORDER BY id OFFSET (SELECT count(*) / 2 FROM customers) LIMIT 1');
    email = rows[0].email;
  },
  statement: () => ({ text: 'SELECT id, name FROM customers WHERE email = $1', values: [email] }),
});

const indexed = defineCase({ ...scan, variant: 'unique-index', settings: {} });

benchmarkSuite('${name}', ({ compare }) => {
  compare({
    baseline: scan,
    candidate: indexed,
    // 95% lower bound of the speedup; measure yours and set the bar below what you see.
    atLeast: 2,
    candidatePlan: { usesIndex: 'customers_email_unique' },
    fewerBuffers: 2,
  });
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
