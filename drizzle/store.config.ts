import { defineConfig } from 'drizzle-kit';

// Generates only; migrations are applied by the harness with drizzle's migrator.
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./schema/store/normalized.ts'],
  out: './migrations/store',
});
