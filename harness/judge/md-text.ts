/**
 * Text shown in GitHub markdown as text, wherever it stands: in a table cell, a list item,
 * a heading or inside inline HTML such as <code>. On top of the table-cell escaping
 * (pipes, backslashes, emphasis, backticks, brackets, &, <, >; see mdCell), it escapes `~`
 * (GFM strikethrough), turns every line break into a space (CommonMark ends a line at
 * \n, \r or \r\n; a table row cannot span lines) and control characters into U+FFFD.
 * Inline text only: a table cell or inline HTML cannot open a block; text that starts a
 * block (a list item) goes through mdLine.
 * Mentions and references are neutralised by mdCell (neutralise-mentions.ts).
 */
import { mdCell } from '../report/markdown-summary.ts';

export function mdText(text: string): string {
  const oneLine = text.replace(/\r\n|\r|\n/g, ' ').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '\ufffd');
  return mdCell(oneLine).replace(/~/g, '\\~');
}

/**
 * Text that starts a block (a list item's content): mdText, and a backslash before a
 * character that would open another block there (`#` heading, `+`/`-` list, `=` setext
 * underline, `1.` ordered list; CommonMark lets any ASCII punctuation be escaped).
 */
export function mdLine(text: string): string {
  return mdText(text)
    .replace(/^(\s*)([#+=-])/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/, '$1\\$2');
}

/** Text inside `<code>` (monospace, still escaped: GitHub parses markdown inside inline HTML). */
export const mdCode = (text: string) => `<code>${mdText(text)}</code>`;
