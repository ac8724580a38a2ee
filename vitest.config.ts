// schemabench's own tests use the configuration it gives every project: specs/*.test.ts
// (the harness's specs) and the benchmarks, with the harness's measured proofs
// (specs/*.bench.ts) in the benchmarks project.
export { default } from './harness/vitest/default.vitest.config.ts';
