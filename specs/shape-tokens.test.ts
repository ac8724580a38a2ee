/**
 * --redact's tokens (harness/stats/shape-tokens.ts, redact-snapshot.ts): the same shape,
 * the same order in byte order for any characters, one token per value, the same tokens
 * for the same values; an array column tokenized element by element; free-form values
 * removed. The order under a linguistic collation is the server's to judge: the check
 * (token-order.ts) on a real server flags a column whose ICU order the tokens break.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteServer } from '../harness/bench/suite-server.ts';
import { DatabaseAdmin, withDatabase } from '../harness/postgres/database-admin.ts';
import { parseArrayLiteral } from '../harness/stats/array-literal.ts';
import { redactSnapshot } from '../harness/stats/redact-snapshot.ts';
import { shapeTokens } from '../harness/stats/shape-tokens.ts';
import { columnsOutOfOrder } from '../harness/stats/token-order.ts';
import type { ColumnStatistics } from '../harness/stats/statistics-snapshot.ts';
import { sampleSnapshot } from './helpers/sample-snapshot.ts';

/** A seeded stream of strings over characters that sort differently in bytes and in collations. */
function strings(seed: number, count: number): string[] {
  const alphabet = [...'aAbBzZ09-_ .@é漢€ß'];
  let s = seed;
  const next = () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  return Array.from({ length: count }, () => Array.from({ length: 1 + Math.floor(next() * 7) }, () => alphabet[Math.floor(next() * alphabet.length)]).join(''));
}

const bytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
const shape = (s: string) => [...s].map((c) => (/[a-z]/.test(c) ? 'a' : /[A-Z]/.test(c) ? 'A' : /[0-9]/.test(c) ? '9' : c.codePointAt(0)! > 0x7f ? '*' : c)).join('');

describe('shape tokens', () => {
  it('keep the shape and the byte order of 200 random value sets, one token per value', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const values = [...new Set(strings(seed, 60))];
      const tokens = shapeTokens(values);
      expect(values.map((v) => shape(tokens.get(v)!))).toEqual(values.map(shape));
      expect(new Set(tokens.values()).size).toBe(values.length);
      const sorted = [...values].sort(bytes);
      expect(sorted.map((v) => tokens.get(v)!)).toEqual([...tokens.values()].sort(bytes));
      expect(values.filter((v) => tokens.get(v) === v && /[a-z0-9]/i.test(v)).length).toBeLessThan(values.length / 4);
    }
  });

  it('are a function of the set of values: the same set in another order, the same tokens', () => {
    const values = strings(7, 50);
    expect([...shapeTokens([...values].reverse())].sort()).toEqual([...shapeTokens(values)].sort());
  });
});

describe('redactSnapshot', () => {
  const column = (over: Partial<ColumnStatistics>): ColumnStatistics => ({ ...sampleSnapshot().tables[0]!.columns[0]!, ...over });

  it('tokenizes an array column element by element and removes jsonb values', () => {
    const snapshot = sampleSnapshot();
    snapshot.tables[0]!.columns = [
      column({ name: 'tags', type: 'text[]', most_common_vals: ['{red,blue}', '{blue}'], most_common_freqs: [0.5, 0.2], histogram_bounds: null, most_common_elems: ['blue', 'red'], most_common_elem_freqs: [0.7, 0.5, 0.5, 0.7, 0] }),
      column({ name: 'doc', type: 'jsonb', most_common_vals: ['{"a": 1}'], most_common_freqs: [0.9], histogram_bounds: null }),
    ];
    const kinds = new Map([
      ['vendors.tags', { kind: 'text' as const }],
      ['vendors.doc', { kind: 'opaque' as const }],
    ]);
    const { snapshot: redacted } = redactSnapshot(snapshot, kinds);
    const [tags, doc] = redacted.tables[0]!.columns;
    const [blue, red] = tags!.most_common_elems!;
    expect([blue!.length, red!.length]).toEqual([4, 3]);
    expect(blue! < red!).toBe(true);
    expect(tags!.most_common_vals!.map((v) => parseArrayLiteral(v))).toEqual([[red, blue], [blue]]);
    expect(doc).toMatchObject({ most_common_vals: null, most_common_freqs: null, n_distinct: -1 });
    expect(redacted.redaction).toEqual({ method: 'shape-tokens-v1', tokenized: ['vendors.tags'], removed: ['vendors.doc'], orderNotPreserved: [] });
  });
});

describe('token order under a collation, on the server', () => {
  const server = suiteServer();
  const name = `schemabench_tokens_${process.pid}`;
  const admin = new DatabaseAdmin(server.adminUri, server.databasePrefix);
  let client: pg.Client;
  beforeAll(async () => {
    await admin.create(name);
    client = new pg.Client({ connectionString: withDatabase(server.adminUri, name) });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await admin.drop(name);
  });

  it('byte order holds under "C"; ICU sorts é with e, its CJK token after z, and the check says so', async () => {
    const { rows } = await client.query<{ icu: boolean }>("SELECT EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu') AS icu");
    expect(rows[0]!.icu, 'this server has ICU collations').toBe(true);
    const tokens = new Map([
      ['accents.word', shapeTokens(['éa', 'fa', 'eb'])],
      ['plain.word', shapeTokens(['Home Depot', 'Lowes', 'ace', 'A-1', 'b_2'])],
    ]);
    const c = new Map([
      ['accents.word', 'pg_catalog."C"'],
      ['plain.word', 'pg_catalog."C"'],
    ]);
    expect(await columnsOutOfOrder(client, tokens, c)).toEqual([]);
    const icu = new Map([
      ['accents.word', 'pg_catalog."und-x-icu"'],
      ['plain.word', 'pg_catalog."und-x-icu"'],
    ]);
    expect(await columnsOutOfOrder(client, tokens, icu)).toEqual(['accents.word']);
  });
});
