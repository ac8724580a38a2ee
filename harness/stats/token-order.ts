/**
 * Whether the server sorts a column's tokens as it sorts the values they replace, under
 * the column's own collation: shape tokens keep byte order by construction, and a
 * linguistic collation (glibc's en_US, ICU) may weigh punctuation or accents otherwise
 * (shape-tokens.ts). Sorting strings given as parameters reads no table.
 */
import type pg from 'pg';

/** The columns (keys of `tokens`) whose tokens the server orders differently from their values. */
export async function columnsOutOfOrder(client: pg.Client, tokens: ReadonlyMap<string, ReadonlyMap<string, string>>, collations: ReadonlyMap<string, string | null>): Promise<string[]> {
  const out: string[] = [];
  for (const [key, map] of tokens) {
    const collate = collations.get(key);
    if (!collate || map.size < 2) continue;
    // `collate` is quote_ident output from the server's catalog (capture-statistics.ts), not user text.
    const { rows } = await client.query<{ same: boolean }>(
      `SELECT array(SELECT v FROM unnest($1::text[], $2::text[]) AS u(v, t) ORDER BY v COLLATE ${collate}, v COLLATE "C")
            = array(SELECT v FROM unnest($1::text[], $2::text[]) AS u(v, t) ORDER BY t COLLATE ${collate}, v COLLATE "C") AS same`,
      [[...map.keys()], [...map.values()]],
    );
    if (!rows[0]!.same) out.push(key);
  }
  return out;
}
