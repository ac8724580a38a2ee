/**
 * PostgreSQL's text form of a one-dimensional array (`{a,"b c",NULL}`): the values of an
 * array column's MCVs and histogram bounds are printed so. Elements are quoted when they
 * hold a delimiter, brace, quote, backslash or space, or spell NULL; inside quotes a
 * backslash escapes the next character (PostgreSQL's array_out / array_in rules).
 */

/** The elements of a one-dimensional array literal (null for an unquoted NULL), or undefined when it is not one. */
export function parseArrayLiteral(text: string): (string | null)[] | undefined {
  if (!text.startsWith('{') || !text.endsWith('}')) return undefined;
  const body = text.slice(1, -1);
  if (body === '') return [];
  const out: (string | null)[] = [];
  let i = 0;
  while (i <= body.length) {
    let element = '';
    let quoted = false;
    if (body[i] === '"') {
      quoted = true;
      i++;
      while (i < body.length && body[i] !== '"') {
        if (body[i] === '\\') i++;
        element += body[i++] ?? '';
      }
      if (body[i] !== '"') return undefined;
      i++;
    } else {
      while (i < body.length && body[i] !== ',') {
        // A nested array ({{a},{b}}) or a stray quote: not the one-dimensional form.
        if (body[i] === '{' || body[i] === '"') return undefined;
        element += body[i++];
      }
      element = element.trim();
    }
    out.push(!quoted && element.toUpperCase() === 'NULL' ? null : element);
    if (i === body.length) break;
    if (body[i] !== ',') return undefined;
    i++;
  }
  return out;
}

/** A one-dimensional array literal; every element quoted (array_in reads it back the same). */
export function formatArrayLiteral(elements: readonly (string | null)[]): string {
  return `{${elements.map((e) => (e === null ? 'NULL' : `"${e.replace(/[\\"]/g, (c) => `\\${c}`)}"`)).join(',')}}`;
}
