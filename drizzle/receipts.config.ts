import { defineConfig } from 'drizzle-kit';

// drizzle-kit only generates here; migrations are applied by harness code with
// drizzle's migrator (which reports the failing statement, unlike `drizzle-kit migrate`).
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./schema/receipts/normalized.ts', './schema/receipts/denormalized.ts', './schema/receipts/views.ts', './schema/receipts/legacy.ts'],
  out: './migrations/receipts',
  casing: undefined,
});
