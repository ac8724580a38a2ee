// schemabench's own tests use the configuration it gives every project: specs/*.test.ts
// (the harness's specs) and the benchmarks, with the harness's measured proofs
// (specs/*.bench.ts) in the benchmarks project. The specs project also gets a folder for
// the packed tarball the installed-package specs share (specs/helpers/tarball-folder.ts).
import type { TestProjectInlineConfiguration } from 'vitest/config';
import config from './harness/vitest/default.vitest.config.ts';

for (const project of (config.test?.projects ?? []) as TestProjectInlineConfiguration[]) {
  if (project.test?.name === 'specs') project.test.globalSetup = ['./specs/helpers/tarball-folder.ts'];
}

export default config;
