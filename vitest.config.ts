import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['./harness/vitest/global-setup.ts'],
    projects: [
      {
        test: {
          name: 'specs',
          include: ['specs/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'benchmarks',
          // Users' benchmarks, and the harness's own measured proofs (specs/*.bench.ts).
          include: ['benchmarks/**/*.bench.ts', 'specs/**/*.bench.ts'],
          // Measurements on 2 shared cores: one benchmark file at a time, after the specs.
          fileParallelism: false,
          testTimeout: 900_000,
          hookTimeout: 900_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
