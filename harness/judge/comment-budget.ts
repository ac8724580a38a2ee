/**
 * Markdown blocks (a title, a table or list of rows, a closing) fitted into a size budget:
 * GitHub refuses a comment body over 65,536 characters ("Body is too long (maximum is 65536
 * characters)", HTTP 422) and a step summary over 1 MiB. Sizes are counted in UTF-8 bytes,
 * never fewer than characters in any encoding, so a fitted text is within either limit.
 * Rows are given to blocks in priority order; a block that cannot show all its rows says
 * how many it left out, and its table header goes when it shows none.
 */

/** GitHub's largest comment body, characters (the REST API's 422 names it). */
export const COMMENT_LIMIT = 65_536;

/** GitHub's largest step summary ($GITHUB_STEP_SUMMARY), bytes: "supports content up to a size of 1024k". */
export const STEP_SUMMARY_LIMIT = 1024 * 1024;

export interface MarkdownBlock {
  /** Lines before the rows (a title, `<details><summary>`, a blank line). */
  open: string[];
  /** Lines that introduce the rows and mean nothing without them (a table's header and alignment). */
  header: string[];
  rows: string[];
  /** Lines after the rows (a blank line, `</details>`). */
  close: string[];
  /** The line saying that `n` rows are not shown. */
  omitted: (n: number) => string;
  /** Lower gets rows first. @default 0 */
  priority?: number;
}

/** Bytes a line takes in the text, its line break included. */
export const lineSize = (line: string) => Buffer.byteLength(line, 'utf8') + 1;
const size = (lines: string[]) => lines.reduce((n, l) => n + lineSize(l), 0);

/** The lines of a block showing its first `kept` rows. */
export function blockLines(block: MarkdownBlock, kept = block.rows.length): string[] {
  const left = block.rows.length - kept;
  if (kept === 0 && left > 0) return [...block.open, block.omitted(left), ...block.close];
  return [...block.open, ...(kept ? block.header : []), ...block.rows.slice(0, kept), ...(left ? ['', block.omitted(left)] : []), ...block.close];
}

/** Bytes of `lines` joined with line breaks, a final one included. */
export const textSize = size;

/**
 * The blocks' lines within `budget` bytes, or null when even their titles do not fit.
 * All rows when everything fits; otherwise rows by priority, each block in its own order.
 */
export function fitBlocks(blocks: MarkdownBlock[], budget: number): string[] | null {
  const whole = blocks.flatMap((b) => blockLines(b));
  if (size(whole) <= budget) return whole;
  const kept = blocks.map(() => 0);
  // Each block's cost with no row shown: titles, the omitted line, the closing.
  let used = blocks.reduce((n, b) => n + size(blockLines(b, 0)), 0);
  if (used > budget) return null;
  const order = blocks.map((_, i) => i).sort((a, b) => (blocks[a]!.priority ?? 0) - (blocks[b]!.priority ?? 0) || a - b);
  for (const i of order) {
    const block = blocks[i]!;
    if (!block.rows.length) continue;
    // The block's cost with k rows: its frame, the header, the rows, and the omitted line while rows are left.
    const frame = size(block.open) + size(block.close);
    const costWith = (k: number, rowBytes: number) => {
      const left = block.rows.length - k;
      if (k === 0) return frame + lineSize(block.omitted(left));
      return frame + size(block.header) + rowBytes + (left ? lineSize('') + lineSize(block.omitted(left)) : 0);
    };
    let rowBytes = 0;
    let cost = costWith(0, 0);
    for (let k = 1; k <= block.rows.length; k++) {
      const next = costWith(k, rowBytes + lineSize(block.rows[k - 1]!));
      if (used - cost + next > budget) break;
      rowBytes += lineSize(block.rows[k - 1]!);
      used += next - cost;
      cost = next;
      kept[i] = k;
    }
  }
  return blocks.flatMap((b, i) => blockLines(b, kept[i]));
}
