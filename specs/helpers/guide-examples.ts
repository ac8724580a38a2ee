/** The writing guide's runnable examples: fenced `ts` blocks with a title naming their file. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../harness/package-root.ts';

export const GUIDE = join(PACKAGE_ROOT, 'docs', 'writing-a-benchmark.md');

export function guideExamples(markdown = readFileSync(GUIDE, 'utf8')): { file: string; code: string }[] {
  return [...markdown.matchAll(/^```ts title="([^"]+)"\n([\s\S]*?)^```$/gm)].map((m) => ({ file: m[1]!, code: m[2]! }));
}
