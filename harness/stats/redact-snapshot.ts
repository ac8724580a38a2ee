/**
 * `--redact`: a snapshot whose text values are tokens of the same shape, in the same order
 * (shape-tokens.ts), for teams that may not commit production's values. A pure function
 * of the snapshot: the same snapshot, the same tokens.
 *
 * - text columns (string types, their domains and arrays): MCVs, histogram bounds, element
 *   MCVs and the column's values in extended-statistics MCV lists share one token map per
 *   column, so a value has one token wherever it appears. For an array column the map is
 *   of its elements, and an array value becomes the array of its elements' tokens (arrays
 *   compare element by element, so their order is kept too).
 * - opaque columns (json, jsonb, xml, bytea, network addresses, other free-form types):
 *   values and their frequencies are removed; null_frac, n_distinct, avg_width and
 *   correlation stay. So are an extended MCV list holding such a column or an expression,
 *   and the values of expression statistics (their type is not recorded).
 * - every other column (numbers, dates, booleans, enums, uuid) is kept as captured.
 */
import { formatArrayLiteral, parseArrayLiteral } from './array-literal.ts';
import type { ValueKind } from './capture-statistics.ts';
import { shapeTokens } from './shape-tokens.ts';
import { columnKey, type ColumnStatistics, type ExtendedStatistics, type StatisticsSnapshot, type TableStatistics } from './statistics-snapshot.ts';

export interface RedactedSnapshot {
  snapshot: StatisticsSnapshot;
  /** columnKey -> value -> token (elements of an array column), for the order check. */
  tokens: Map<string, Map<string, string>>;
}

const isArrayType = (type: string) => type.endsWith('[]');

/** Values of a column as strings to tokenize: elements for an array column. */
function atoms(value: string, array: boolean): string[] {
  if (!array) return [value];
  return (parseArrayLiteral(value) ?? [value]).filter((e): e is string => e !== null);
}

function mapValue(value: string, array: boolean, tokens: Map<string, string>): string {
  if (!array) return tokens.get(value)!;
  const elements = parseArrayLiteral(value);
  return elements ? formatArrayLiteral(elements.map((e) => (e === null ? null : tokens.get(e)!))) : tokens.get(value)!;
}

/** Every value the snapshot holds for one column: its own statistics and its place in extended MCV lists. */
function columnValues(table: TableStatistics, name: string): string[] {
  const values: string[] = [];
  for (const c of table.columns.filter((c) => c.name === name)) values.push(...(c.most_common_vals ?? []), ...(c.histogram_bounds ?? []));
  for (const x of table.extended) {
    const at = x.columns.indexOf(name);
    if (at < 0) continue;
    for (const d of x.data ?? []) for (const item of d.most_common_vals ?? []) if (item[at] !== null && item[at] !== undefined) values.push(item[at]!);
  }
  return values;
}

function tokenize(column: ColumnStatistics, tokens: Map<string, string>): ColumnStatistics {
  const array = isArrayType(column.type);
  const map = (values: string[] | null) => values?.map((v) => mapValue(v, array, tokens)) ?? null;
  const elements = column.most_common_elems?.map((e) => tokens.get(e)!) ?? null;
  return { ...column, most_common_vals: map(column.most_common_vals), histogram_bounds: map(column.histogram_bounds), most_common_elems: elements };
}

function remove(column: ColumnStatistics): ColumnStatistics {
  return { ...column, most_common_vals: null, most_common_freqs: null, histogram_bounds: null, most_common_elems: null, most_common_elem_freqs: null };
}

type Kinds = ReadonlyMap<string, { kind: ValueKind }>;

function redactExtended(table: TableStatistics, x: ExtendedStatistics, kinds: Kinds, tokens: Map<string, Map<string, string>>, removed: string[]): ExtendedStatistics {
  if (!x.data) return x;
  const keyOf = (name: string) => columnKey(table.schema, table.name, name);
  // An expression's type is not recorded, nor is a column the schema does not declare: their values go.
  const opaque = x.expressions.length > 0 || x.columns.some((c) => (kinds.get(keyOf(c))?.kind ?? 'opaque') === 'opaque');
  if (opaque && x.data.some((d) => d.most_common_vals || d.expressions?.length)) removed.push(`${table.name}.${x.name}`);
  const data = x.data.map((d) => {
    const expressions = d.expressions?.map((e) => ({ ...e, most_common_vals: null, most_common_freqs: null, histogram_bounds: null }));
    if (!d.most_common_vals) return { ...d, ...(expressions ? { expressions } : {}) };
    if (opaque) return { ...d, most_common_vals: null, most_common_val_nulls: null, most_common_freqs: null, most_common_base_freqs: null, ...(expressions ? { expressions } : {}) };
    const items = d.most_common_vals.map((item) =>
      item.map((v, i) => {
        const column = x.columns[i]!;
        const map = tokens.get(keyOf(column));
        return v === null || !map ? v : mapValue(v, isArrayType(table.columns.find((c) => c.name === column)?.type ?? ''), map);
      }),
    );
    return { ...d, most_common_vals: items, ...(expressions ? { expressions } : {}) };
  });
  return { ...x, data };
}

export function redactSnapshot(snapshot: StatisticsSnapshot, kinds: Kinds): RedactedSnapshot {
  const tokens = new Map<string, Map<string, string>>();
  const tokenized: string[] = [];
  const removed: string[] = [];
  const tables = snapshot.tables.map((table) => {
    const names = [...new Set(table.columns.map((c) => c.name))];
    for (const name of names) {
      const key = columnKey(table.schema, table.name, name);
      if (kinds.get(key)?.kind !== 'text') continue;
      const column = table.columns.find((c) => c.name === name)!;
      const array = isArrayType(column.type);
      const values = columnValues(table, name).flatMap((v) => atoms(v, array));
      for (const c of table.columns.filter((c) => c.name === name)) values.push(...(c.most_common_elems ?? []));
      tokens.set(key, shapeTokens(values));
      if (values.length) tokenized.push(key);
    }
    const columns = table.columns.map((c) => {
      const key = columnKey(table.schema, table.name, c.name);
      const kind = kinds.get(key)?.kind;
      if (kind === 'text') return tokenize(c, tokens.get(key)!);
      if (kind !== 'opaque') return c;
      if (c.most_common_vals || c.histogram_bounds || c.most_common_elems) removed.push(key);
      return remove(c);
    });
    const extended = table.extended.map((x) => redactExtended(table, x, kinds, tokens, removed));
    return { ...table, columns, extended };
  });
  const redaction = { method: 'shape-tokens-v1' as const, tokenized: [...new Set(tokenized)], removed: [...new Set(removed)], orderNotPreserved: [] };
  return { snapshot: { ...snapshot, redaction, tables }, tokens };
}
