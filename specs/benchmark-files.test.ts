/**
 * What benchmark files and the writing guide must be, checked on their text: figures
 * live in calibration data, not in comments; no benchmark file takes an advisory lock
 * (the suite's setup runs under the harness's turn); every case field is documented;
 * the guide's first example is short. No server.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../harness/package-root.ts';

import { GUIDE, guideExamples } from './helpers/guide-examples.ts';

function benchmarkSources(): string[] {
  return readdirSync(join(PACKAGE_ROOT, 'benchmarks'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(PACKAGE_ROOT, 'benchmarks', f));
}

/** The comment text of a TypeScript source, line by line: `//` comments and the lines of `/* ... *\/` blocks. */
function commentLines(source: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let inBlock = false;
  source.split('\n').forEach((text, i) => {
    const trimmed = text.trim();
    if (inBlock || trimmed.startsWith('/*')) {
      out.push({ line: i + 1, text });
      // A block ends on the line that closes it (the opening `/*` itself does not close it).
      inBlock = !trimmed.slice(inBlock ? 0 : 2).includes('*/');
      return;
    }
    const slash = text.search(/(^|\s)\/\/\s/);
    if (slash >= 0) out.push({ line: i + 1, text: text.slice(slash) });
  });
  return out;
}

/** A measured interval as the old comments carried them: `9.3x [8.7, 9.9]`, `15.5x [10.4-23.3]`. */
const MEASURED_INTERVAL = /\d+(\.\d+)?x \[\d/;

describe('benchmark files', () => {
  it('carry no measured intervals in comments: the figures are in calibration.json', () => {
    const found = benchmarkSources().flatMap((file) =>
      commentLines(readFileSync(file, 'utf8'))
        .filter((c) => MEASURED_INTERVAL.test(c.text))
        .map((c) => `${relative(PACKAGE_ROOT, file)}:${c.line}: ${c.text.trim()}`),
    );
    expect(found).toEqual([]);
  });

  it('the comment reader sees line and block comments, and not code', () => {
    const lines = commentLines("const a = '//'; // 2.1x [1.2, 3.4]\n/**\n * 3.1x [2.0, 4.4]\n */\nconst b = `x [1]`;\n/* one line */ const c = 1;");
    expect(lines.map((l) => l.line)).toEqual([1, 2, 3, 4, 6]);
    expect(lines.filter((l) => MEASURED_INTERVAL.test(l.text))).toHaveLength(2);
  });

  it('take no advisory lock (a suite builds what its cases share in its setup)', () => {
    const found = benchmarkSources().filter((file) => /pg_advisory/i.test(readFileSync(file, 'utf8'))).map((file) => relative(PACKAGE_ROOT, file));
    expect(found).toEqual([]);
  });
});

describe('the writing guide', () => {
  it('documents every case field in its table', () => {
    const source = readFileSync(join(PACKAGE_ROOT, 'harness', 'bench', 'benchmark-case.ts'), 'utf8');
    const body = source.slice(source.indexOf('export interface BenchmarkCase {'));
    const fields = [...body.slice(0, body.indexOf('\n}')).matchAll(/^ {2}(\w+)\??:/gm)].map((m) => m[1]!);
    expect(fields).toContain('ownDatabase');
    const guide = readFileSync(GUIDE, 'utf8');
    const table = guide.slice(guide.indexOf('## Case fields'), guide.indexOf('\n## ', guide.indexOf('## Case fields') + 1));
    const documented = new Set([...table.matchAll(/^\| ([^|]+) \|/gm)].flatMap((m) => [...m[1]!.matchAll(/`(\w+)/g)].map((n) => n[1]!)));
    expect(fields.filter((f) => !documented.has(f))).toEqual([]);
  });

  it('opens with a first benchmark of at most 15 lines, importing only schemabench', () => {
    const examples = guideExamples();
    expect(examples.length).toBeGreaterThanOrEqual(4);
    const first = examples[0]!;
    expect(first.code.trimEnd().split('\n').length).toBeLessThanOrEqual(15);
    for (const { file, code } of examples) {
      expect(file).toMatch(/^benchmarks\/shop\/[a-z-]+\.bench\.ts$/);
      expect([...code.matchAll(/from '([^']+)'/g)].map((m) => m[1])).toEqual(['schemabench']);
    }
  });
});
