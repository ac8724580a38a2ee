/**
 * Lines of at most `width` characters, broken after separators ('/', ' ', ':', '[', ','
 * ...) where possible and inside a word only when it is longer than a line: SVG text
 * does not wrap by itself, and report names are shown whole, never cut.
 */
export function wrapText(text: string, width: number): string[] {
  const tokens = text.match(/[^/\s:,[\]-]*[/\s:,[\]-]*/g)!.filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (let token of tokens) {
    while (token.length > width) {
      if (line) (lines.push(line), (line = ''));
      lines.push(token.slice(0, width));
      token = token.slice(width);
    }
    if ((line + token).trimEnd().length > width) (lines.push(line.trimEnd()), (line = token.trimStart()));
    else line += token;
  }
  if (line.trim() || !lines.length) lines.push(line.trimEnd());
  return lines;
}
