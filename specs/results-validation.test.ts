/**
 * Every command that reads a results file refuses a bad one with one line naming the
 * file and the first problem in it (where in the document, what was expected), exit 2:
 * never a stack trace, never exit 1 (1 means "regression"), never exit 0.
 */
import { mkdtempSync, openSync, closeSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ResultsFile } from '../harness/results/results-schema.ts';
import { resultsJsonSchema, validateResultsFile } from '../harness/results/results-validation.ts';
import { runCli } from './helpers/run-tsx.ts';
import { SAMPLE } from './helpers/sample-results.ts';

const dir = mkdtempSync(join(tmpdir(), 'schemabench-validation-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};
const mutate = (edit: (r: ResultsFile & Record<string, unknown>) => void) => {
  const r = JSON.parse(JSON.stringify(SAMPLE)) as ResultsFile & Record<string, unknown>;
  edit(r);
  return r;
};
/** 50 MB of bytes that are not JSON, written in 1 MB blocks. */
function junk(name: string): string {
  const path = join(dir, name);
  const fd = openSync(path, 'w');
  const block = Buffer.alloc(1 << 20);
  for (let i = 0; i < block.length; i++) block[i] = (i * 7919 + 13) % 251;
  for (let i = 0; i < 50; i++) writeSync(fd, block);
  closeSync(fd);
  return path;
}

const good = file('good.json', SAMPLE);
/** Each maker writes its own file for each command (the commands run concurrently). */
const BAD: [string, (prefix: string) => string, RegExp][] = [
  ['missing', () => join(dir, 'nope.json'), /nope\.json: no such file/],
  ['empty', (p) => file(p + 'empty.json', ''), /empty\.json: empty file/],
  ['[]', (p) => file(p + 'array.json', '[]'), /array\.json: not a schemabench results file \(expected an object, got an array\)/],
  ['truncated', (p) => file(p + 'truncated.json', JSON.stringify(SAMPLE).slice(0, 700)), /truncated\.json: not valid JSON \(truncated/],
  ['"speedup": null', (p) => file(p + 'speedup-null.json', mutate((r) => ((r.comparisons[0] as unknown as Record<string, unknown>).speedup = null))), /at comparisons\[0\]\.speedup: expected object, received null/],
  ['"latency": null', (p) => file(p + 'latency-null.json', mutate((r) => ((r.cases[1] as unknown as Record<string, unknown>).latency = null))), /at cases\[1\]\.latency: expected object, received null/],
  ['"cases": [null]', (p) => file(p + 'cases-null.json', mutate((r) => ((r as Record<string, unknown>).cases = [null]))), /at cases\[0\]: expected object, received null/],
  ['"name": null', (p) => file(p + 'name-null.json', mutate((r) => ((r.comparisons[1] as unknown as Record<string, unknown>).name = null))), /at comparisons\[1\]\.name: expected string, received null/],
  ['"speedup": "fast"', (p) => file(p + 'speedup-fast.json', mutate((r) => ((r.comparisons[0]!.speedup as unknown as Record<string, unknown>).estimate = 'fast'))), /at comparisons\[0\]\.speedup\.estimate: expected number, received string/],
  ['50 MB of junk', (p) => junk(p + 'junk.json'), /junk\.json: not valid JSON/],
];

const COMMANDS: [string, (path: string) => string[]][] = [
  ['gate', (path) => ['gate', '--baseline', good, '--results', path]],
  ['merge', (path) => ['merge', '--out', join(dir, 'merged.json'), good, path]],
  ['report', (path) => ['report', '--results', path, '--out', join(dir, 'report')]],
  ['baseline update', (path) => ['baseline', 'update', '--results', path, '--baseline', join(dir, 'baseline.json')]],
];

describe('a bad results file', () => {
  const cases = COMMANDS.flatMap(([command, args]) => BAD.map(([bad, make, message]) => ({ command, bad, args, make, message })));
  it.concurrent.each(cases)('$command, $bad: exit 2 with one line', async ({ command, args, make, message }) => {
    const r = await runCli(args(make(command.replace(' ', '-') + '-')));
    expect(r.code, r.stderr).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^schemabench: /);
    expect(lines[0]).toMatch(message);
    expect(lines[0]!.length).toBeLessThan(300);
    expect(r.stdout).toBe('');
  });
});

describe('the results schema', () => {
  it('accepts the sample and the committed baseline, and keeps keys it does not know', async () => {
    const { readFileSync } = await import('node:fs');
    const baseline = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'benchmarks', 'baseline.json'), 'utf8')) as unknown;
    expect(validateResultsFile(baseline).ok).toBe(true);
    const extended = mutate((r) => Object.assign(r.comparisons[0]!, { verdict: 'pass' }));
    const checked = validateResultsFile(extended);
    expect(checked.ok && (checked.value.comparisons[0] as unknown as { verdict?: string }).verdict).toBe('pass');
  });

  it('is published as JSON Schema in docs/results.schema.json (node --import tsx scripts/write-results-schema.ts)', async () => {
    const { readFileSync } = await import('node:fs');
    const published = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'docs', 'results.schema.json'), 'utf8')) as unknown;
    expect(published).toEqual(resultsJsonSchema());
  });

  it('reads a file without metrics (an older writer) as one with none', () => {
    const checked = validateResultsFile(mutate((r) => delete (r as Partial<ResultsFile>).metrics));
    expect(checked.ok && checked.value.metrics).toEqual([]);
  });
});
