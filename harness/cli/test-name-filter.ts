/**
 * What `--filter TEXT` means (run and compare): the tests whose name contains TEXT, as
 * plain text (no pattern characters), case-sensitive. A test's name is what results and
 * reports show — `receipts/index/purchase-date-week: btree vs seq-scan`,
 * `receipts/insert/single[normalized]` — without the `[scale=...]` that every test name of
 * a run carries (benchmark-suite.ts puts it on the suite and on each test): TEXT that
 * only that part holds, such as `[` or `scale`, would select every test, which is never
 * what a filter is for. A name without the mark (a test outside benchmarkSuite) is
 * matched whole.
 *
 * vitest's -t takes a regular expression over the full name, `<suite> [scale=S] <name>
 * [scale=S]`: TEXT is escaped and must lie between the suite's mark and the test's.
 */
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function testNamePattern(text: string): string {
  const t = escape(text);
  return `\\[scale=[^\\]]*\\] .*${t}.* \\[scale=|^(?!.*\\[scale=).*${t}`;
}
