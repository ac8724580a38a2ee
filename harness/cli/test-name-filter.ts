/**
 * What `--filter TEXT` means (run and compare): the tests whose name contains TEXT, as
 * plain text (no pattern characters), case-sensitive. A test's name is what results and
 * reports show — `receipts/index/purchase-date-week: btree vs seq-scan`,
 * `receipts/insert/single[normalized]` — without the `[scale=...]` that every test name of
 * a run carries (benchmark-suite.ts puts it on the suite and on most tests): TEXT that
 * only that part holds, such as `[` or `scale=`, would select every test, which is never
 * what a filter is for. The suite's name (the workload) is part of the name; a test
 * outside benchmarkSuite is matched whole.
 *
 * vitest's -t takes a regular expression over the full name, `<suite> [scale=S] <name>`
 * and most often ` [scale=S]` after it: TEXT is escaped and must begin before any
 * ` [scale=` of the name part (a lookahead keeps the match from stepping into one).
 */
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function testNamePattern(text: string): string {
  return `^(?:[^[]* \\[scale=[^\\]]*\\] )?(?:(?! \\[scale=).)*?${escape(text)}`;
}
