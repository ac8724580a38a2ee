/**
 * Derived tables write COPY text as bytes (harness/fixtures/copy-chunk.ts) instead of
 * building strings: the bytes must be exactly what the strings encoded to. CopyChunk
 * against Buffer.from and String(n); derived tables against the checksums the string
 * version gave them, for every column kind; a table's bytes against its lines.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CopyChunk } from '../harness/fixtures/copy-chunk.ts';
import { copyChunks } from '../harness/fixtures/copy-loader.ts';
import { deriveTables, DERIVED_GENERATOR_VERSION } from '../harness/fixtures/derived/derive-tables.ts';
import type { TableFixture } from '../harness/fixtures/table-fixture.ts';
import { PACKAGE_ROOT } from '../harness/package-root.ts';
import { loadWorkload, schemaTables } from '../harness/workloads/load-workload.ts';

describe('CopyChunk', () => {
  it('writes a string as its UTF-8 bytes (ASCII, accents, CJK, emoji, a lone surrogate, escapes)', () => {
    const texts = ['plain ascii', 'café', '東京 tower', 'rocket 🚀 launch', 'lone \ud800 surrogate', 'tab\\tnewline\\n', ''];
    const out = new CopyChunk();
    for (const t of texts) out.text(t);
    expect(out.take()).toEqual(Buffer.from(texts.join('')));
  });

  it('writes integers as String(n) does (zero, -0, negatives, the largest safe integer, beyond it)', () => {
    const numbers = [0, -0, 7, 10, 99, 100, -1, -12345, 2 ** 31, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 60, 1e21];
    const out = new CopyChunk();
    for (const n of numbers) {
      out.int(n);
      out.byte(9);
    }
    expect(out.takeText()).toBe(numbers.map((n) => `${String(n)}\t`).join(''));
  });

  it('grows past its first 64 KB without losing what was written, and starts over after take', () => {
    const out = new CopyChunk();
    const line = `${'x'.repeat(999)}\n`;
    for (let i = 0; i < 300; i++) out.text(line);
    expect(out.takeText()).toBe(line.repeat(300));
    expect(out.length).toBe(0);
    out.raw(Buffer.from('again'));
    expect(out.take().toString()).toBe('again');
  });
});

/** SHA-256 (16 hex digits) of each table's COPY text, as the loader sends it. */
const checksums = (tables: TableFixture[]) =>
  Object.fromEntries(
    tables.map((t) => {
      const hash = createHash('sha256');
      for (const chunk of copyChunks(t)) hash.update(chunk);
      return [t.table, hash.digest('hex').slice(0, 16)];
    }),
  );

describe('derived tables', () => {
  // Version 1's values were recorded as it built strings (line by line, joined and encoded),
  // before cells wrote bytes; version 2 (consistent rows: fan-outs, tenants, time flow, column
  // vocabularies) recorded these, and kept version 1's bytes where it changed nothing (parents,
  // pairs, shop's products). The same seed must keep giving the same bytes: a change of output
  // bumps DERIVED_GENERATOR_VERSION (a new dataset key) and these values with it.
  it('give every column kind the bytes version 2 gave it (specs/schemas, seed 42)', async () => {
    const tables = deriveTables(await schemaTables(join(PACKAGE_ROOT, 'specs', 'schemas')), {
      seed: 42,
      scale: 1,
      rows: { parents: 50, everything: 2000, pairs: 3000 },
      references: { 'everything.parent_id': { zipf: 1.2 } },
    });
    expect(DERIVED_GENERATOR_VERSION).toBe(2);
    expect(checksums(tables)).toEqual({ parents: '6da0d6691769a109', everything: '59d065c771e1a3d4', pairs: '5b4841ff382236bd' });
  });

  it('give shop the bytes version 2 gave it (seed 42, scale 1)', async () => {
    const shop = await loadWorkload('shop');
    expect(checksums(shop.tables(42, 1))).toEqual({ customers: '328a27f9b25f2619', products: '9b65a4335eabd16c', orders: 'df0cdf4ba51a23b2', order_items: '4013a7c0ca40a1e0' });
  });

  it('write the same text as their lines, row by row', async () => {
    const out = new CopyChunk();
    for (const table of (await loadWorkload('shop')).tables(7, 0.2)) {
      expect(table.write, table.table).toBeTypeOf('function');
      for (let i = 0; i < table.rows; i++) {
        table.write!(i, out);
        expect(out.takeText(), `${table.table} row ${i}`).toBe(`${table.line(i)}\n`);
      }
    }
  });
});
