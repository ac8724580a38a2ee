/**
 * The statistics snapshot format (harness/stats/statistics-snapshot.ts): the zod schema
 * every reader checks a snapshot with, and the JSON Schema published from it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../harness/errors.ts';
import { readStatisticsSnapshot, statisticsSnapshotJsonSchema, validateStatisticsSnapshot } from '../harness/stats/statistics-snapshot.ts';
import { sampleSnapshot } from './helpers/sample-snapshot.ts';

const dir = mkdtempSync(join(tmpdir(), 'schemabench-snapshot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the statistics snapshot format', () => {
  it('accepts a snapshot and keeps keys it does not know', () => {
    const extended = { ...sampleSnapshot(), futureField: 1 };
    const checked = validateStatisticsSnapshot(extended);
    expect(checked.ok && (checked.value as unknown as { futureField: number }).futureField).toBe(1);
  });

  it('names the first problem on one line: MCVs and their frequencies must pair up', () => {
    const bad = sampleSnapshot();
    bad.tables[0]!.columns[0]!.most_common_freqs = [0.5];
    const checked = validateStatisticsSnapshot(bad);
    expect(checked).toEqual({ ok: false, problem: 'tables[0].columns[0].most_common_freqs: has 1 entries for 2 most_common_vals' });
  });

  it('reads a file, refusing another format or a broken document with a UsageError naming the file', () => {
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify(sampleSnapshot()));
    expect(readStatisticsSnapshot(good).tables[0]!.name).toBe('vendors');
    const results = join(dir, 'results.json');
    writeFileSync(results, JSON.stringify({ schemaVersion: 1 }));
    expect(() => readStatisticsSnapshot(results)).toThrow(UsageError);
    expect(() => readStatisticsSnapshot(results)).toThrow(`${results}: not a statistics snapshot (format undefined, expected "schemabench-statistics")`);
    const fraction = join(dir, 'fraction.json');
    const bad = sampleSnapshot();
    bad.tables[0]!.columns[0]!.null_frac = 1.5;
    writeFileSync(fraction, JSON.stringify(bad));
    expect(() => readStatisticsSnapshot(fraction)).toThrow(/fraction\.json: invalid statistics snapshot at tables\[0\]\.columns\[0\]\.null_frac: Too big/);
  });

  it('is published as JSON Schema in docs/statistics-snapshot.schema.json (node --import tsx scripts/write-statistics-snapshot-schema.ts)', () => {
    const published = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'docs', 'statistics-snapshot.schema.json'), 'utf8')) as unknown;
    expect(published).toEqual(statisticsSnapshotJsonSchema());
  });
});
