/**
 * The order spec files start in: the slowest first (specs/slow-specs.json, seconds measured
 * in CI), then vitest's own order. vitest runs the files it has timings for longest first,
 * but a fresh clone has none and it falls back to the largest file first; a slow file that
 * is small (installed-package-yarn.test.ts is six lines) then starts last and the specs
 * project waits for it alone.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { PACKAGE_ROOT } from '../../harness/package-root.ts';

const slow = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'specs', 'slow-specs.json'), 'utf8')) as { seconds: Record<string, number> }).seconds;
/** The listed files, slowest first. */
const RANK = new Map(
  Object.entries(slow)
    .sort((a, b) => b[1] - a[1])
    .map(([file], i) => [file, i]),
);

export class SlowSpecsFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const ordered = await super.sort(files);
    const rank = (f: TestSpecification) => RANK.get(relative(PACKAGE_ROOT, f.moduleId)) ?? RANK.size;
    const group = (f: TestSpecification) => f.project.config.sequence.groupOrder ?? 0;
    // Array.prototype.sort is stable: within a rank, vitest's order stays.
    return ordered.sort((a, b) => group(a) - group(b) || rank(a) - rank(b));
  }
}
