/** Text placed in HTML or SVG, as text: &, <, >, quotes escaped. */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Numbers as reports print them: thousands separated above 100, two decimals below 10. */
export const fmt = (v: number) => (Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2));

/** A name escaped, with a line-break opportunity after each '/' (names are paths: wrap there first). */
export const escName = (value: unknown) => esc(value).replace(/\//g, '/<wbr>');
