// schemabench's own tests use the configuration it gives every project: specs/*.test.ts
// (the harness's specs) and the benchmarks, with the harness's measured proofs
// (specs/*.bench.ts) in the benchmarks project. Two additions of this repository's own:
// the specs project's folder for the packed tarball the installed-package specs share
// (specs/helpers/tarball-folder.ts), and the slowest spec files started first
// (specs/helpers/slow-specs-first.ts; not under compare, whose sides run in path order).
import type { TestProjectInlineConfiguration } from 'vitest/config';
import config from './harness/vitest/default.vitest.config.ts';
import { SlowSpecsFirst } from './specs/helpers/slow-specs-first.ts';

for (const project of (config.test?.projects ?? []) as TestProjectInlineConfiguration[]) {
  if (project.test?.name === 'specs') project.test.globalSetup = ['./specs/helpers/tarball-folder.ts'];
}
const test = config.test!;
if (!test.sequence?.sequencer) test.sequence = { ...test.sequence, sequencer: SlowSpecsFirst };

export default config;
