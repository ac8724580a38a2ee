/**
 * How a CompareReport is shown (pure functions on hand-built reports: nothing is measured).
 * The pull-request comment is rendered to HTML by micromark with its GFM extension — the
 * CommonMark + GFM reference parser, tables, strikethrough, autolinks and raw HTML as
 * GitHub has them — so that the tests see tables, tags and text as a reader would.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { afterEach, describe, expect, it } from 'vitest';
import { COMMENT_LIMIT, fitBlocks, type MarkdownBlock } from '../harness/compare/comment-budget.ts';
import { compareChanges } from '../harness/compare/compare-changes.ts';
import { COMPARE_MARKER, compareMarkdown } from '../harness/compare/compare-markdown.ts';
import type { CompareReport } from '../harness/compare/compare-report.ts';
import { compareText } from '../harness/compare/compare-text.ts';
import { reproduceCommands } from '../harness/compare/reproduce-command.ts';
import { strongestLocks } from '../harness/compare/strongest-locks.ts';
import { checkCompareOutputs, writeCompareOutputs } from '../harness/compare/write-compare-outputs.ts';
import { UsageError } from '../harness/errors.ts';
import { PACKAGE_ROOT } from '../harness/package-root.ts';
import { HOSTILE, hostileCompareReport, sampleCompareReport, unchangedCase } from './helpers/sample-compare-report.ts';

/** GitHub renders raw HTML in comments (and then sanitizes it): allow it, as GitHub does. */
const html = (markdown: string) => micromark(markdown, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });

/** Tags the renderer itself writes or that its markdown produces; anything else was injected. */
const ALLOWED_TAGS = new Set(['h2', 'h3', 'p', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'code', 'br', 'strong', 'details', 'summary', 'ul', 'li', 'pre']);

const tagsOf = (page: string) => [...page.matchAll(/<\/?([a-zA-Z][\w-]*)/g)].map((m) => m[1]!.toLowerCase());

/** Every table's body rows have as many cells as its header. */
function tableShapes(page: string): { header: number; rows: number[] }[] {
  return [...page.matchAll(/<table>([\s\S]*?)<\/table>/g)].map(([, table]) => {
    const [head, body = ''] = table!.split('<tbody>');
    return { header: (head!.match(/<th[ >]/g) ?? []).length, rows: [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map(([, row]) => (row!.match(/<td[ >]/g) ?? []).length) };
  });
}

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

function passingReport(): CompareReport {
  const report = sampleCompareReport();
  report.verdict = 'pass';
  report.cases = [unchangedCase(1), unchangedCase(2)];
  report.comparisons = [report.comparisons[1]!];
  report.migrations = [report.migrations[1]!];
  report.notes = [];
  return report;
}

/** A temporary folder removed after the test. */
const scratch: string[] = [];
function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'schemabench-outputs-'));
  scratch.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('what changed, in order', () => {
  it('regressions first (flagged migrations counted), then improvements, then other changes; unchanged items counted', () => {
    const changes = compareChanges(sampleCompareReport());
    expect(changes.items.map((i) => [i.severity, i.type === 'case' ? i.diff.id : i.diff.name])).toEqual([
      // comparison-failed ranks before index-lost (KIND_ORDER), both regressions.
      ['regression', 'receipts/insert: multi-row values vs single transaction'],
      ['regression', 'store/catalog/recs[normalized]'],
      ['improvement', 'receipts/index/purchase-date[btree]'],
      ['change', 'store/carts/items[normalized]'],
      ['change', 'store/users/new[normalized]'],
    ]);
    expect(changes.flaggedMigrations.map((m) => m.file)).toEqual(['0004_loyalty_points.sql']);
    expect([changes.regressions, changes.improvements, changes.others, changes.unchanged]).toEqual([3, 1, 2, { cases: 2, comparisons: 1 }]);
  });

  it('the strongest lock per table, held as long as that mode was seen; rewrites kept', () => {
    const locks = strongestLocks([
      { table: 'users', mode: 'RowExclusiveLock', heldMs: 900, rows: 10, rewritten: false },
      { table: 'users', mode: 'AccessExclusiveLock', heldMs: 40, rows: 10, rewritten: true },
      { table: 'users', mode: 'AccessExclusiveLock', heldMs: 70, rows: 10, rewritten: false },
      { table: 'carts', mode: 'ShareUpdateExclusiveLock', heldMs: 5, rows: 3, rewritten: false },
    ]);
    expect(locks).toEqual([
      { table: 'users', mode: 'AccessExclusiveLock', heldMs: 70, rows: 10, rewritten: true },
      { table: 'carts', mode: 'ShareUpdateExclusiveLock', heldMs: 5, rows: 3, rewritten: false },
    ]);
  });
});

describe('compareText (terminal)', () => {
  it('the verdict first, the sides, server and scale; a table of what changed, regressions first; migrations; unchanged count; notes last', () => {
    const lines = compareText(sampleCompareReport()).trimEnd().split('\n');
    expect(lines[0]).toBe('schemabench compare: REGRESSION (3); 1 improvement, 2 other changes');
    expect(lines.slice(1, 5)).toEqual(['base    origin/main 0123456789ab', 'head    working tree fedcba987654 (uncommitted changes)', 'server  embedded, PostgreSQL 17.10', 'scale   1 (seed 20240601); workloads receipts, store; 4m 12s']);
    const rows = lines.filter((l) => /^(REGRESSION|improvement|changed) /.test(l));
    expect(rows.map((r) => r.split(/\s{2,}/)[0])).toEqual(['REGRESSION', 'REGRESSION', 'improvement', 'changed', 'changed']);
    const recs = rows.find((r) => r.includes('store/catalog/recs[normalized]'))!;
    for (const evidence of ['0.21 -> 3.40 ms', 'indexes carts_user_id_idx -> none', 'seq scans none -> carts', 'buffers 12 -> 3,456', 'latency 16.20x [15.10, 17.30]']) expect(recs).toContain(evidence);
    expect(rows[0]).toContain('base 15.36x [14.14, 16.69] pass; head 5.01x [4.76, 5.26] FAIL; required >= 10.00x');
    const flagged = lines.find((l) => l.startsWith('FLAGGED'))!;
    for (const fact of ['store/0004_loyalty_points.sql', '1,834 ms', 'users AccessExclusiveLock 1,790 ms', '200,000', '1,760 ms', 'rewrites users']) expect(flagged).toContain(fact);
    // Unchanged cases are counted, not listed.
    expect(lines.some((l) => l.includes('store/unchanged/'))).toBe(false);
    expect(lines.at(-2)).toBe('unchanged: 2 cases, 1 comparison; a latency ratio regresses when its interval lies wholly above 1.10x');
    expect(lines.at(-1)).toBe('note: base: 1 test failed (store/rentals: rent): shown as a note, not judged');
  });

  it('nothing changed: PASS and no table', () => {
    const text = compareText(passingReport());
    expect(text.split('\n')[0]).toBe('schemabench compare: PASS; nothing changed');
    expect(text).toContain('no case or comparison changed');
  });

  it('a hostile name cannot add lines or drive the terminal (no control characters out)', () => {
    const text = compareText(hostileCompareReport());
    // The same number of lines as a benign report with as many notes: each value stays on its line.
    const benign = sampleCompareReport();
    benign.notes = ['one', 'two'];
    expect(text.split('\n').length).toBe(compareText(benign).split('\n').length);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
  });
});

describe('compareMarkdown (pull-request comment)', () => {
  it('the hidden marker, then the verdict heading first', () => {
    const md = compareMarkdown(sampleCompareReport());
    const lines = md.split('\n');
    expect(lines[0]).toBe(COMPARE_MARKER);
    expect(lines[1]).toBe('## ❌ schemabench compare: REGRESSION (3); 1 improvement, 2 other changes');
    expect(compareMarkdown(passingReport()).split('\n')[1]).toBe('## ✅ schemabench compare: PASS; nothing changed');
    const page = html(md);
    // The marker stays a comment (hidden when rendered); the first thing shown is the verdict.
    expect(page.startsWith(`${COMPARE_MARKER}\n<h2>❌ schemabench compare: REGRESSION (3)`)).toBe(true);
  });

  it('above <details>: only what changed, regressions (and flagged migrations) before improvements before other changes', () => {
    const md = compareMarkdown(sampleCompareReport());
    const [above, below] = [md.slice(0, md.indexOf('<details>')), md.slice(md.indexOf('<details>'))];
    const headings = [...above.matchAll(/^### (.*)$/gm)].map((m) => m[1]);
    expect(headings).toEqual(['❌ Regressions (2)', '❌ Migrations flagged (1)', '✅ Improvements (1)', '🔄 Other changes (2)']);
    for (const changed of ['store/catalog/recs\\[normalized\\]', 'receipts/insert: multi-row values vs single transaction', 'store/0004\\_loyalty\\_points.sql', 'receipts/index/purchase-date\\[btree\\]', 'store/users/new\\[normalized\\]']) expect(above).toContain(changed);
    // What did not change is folded: unchanged cases, the passing comparison, the safe migration, notes.
    for (const unchanged of ['store/unchanged/case-0001', 'receipts/date-analysis', '0005\\_loyalty\\_points\\_safe', 'rentals: rent']) {
      expect(above).not.toContain(unchanged);
      expect(below).toContain(unchanged);
    }
    expect(above).toContain('2 cases and 1 comparison unchanged');
    // Evidence before -> after: plan, indexes, buffers, latency ratio with interval; speedups with bars; lock times.
    const recs = above.split('\n').find((l) => l.includes('store/catalog/recs'))!;
    for (const e of ['p50 0.21 → 3.40 ms', 'indexes carts\\_user\\_id\\_idx → none', 'seq scans none → carts', 'buffers 12 → 3,456', 'latency 16.20x \\[15.10, 17.30\\]']) expect(recs).toContain(e);
    const speedups = above.split('\n').find((l) => l.includes('multi-row values'))!;
    expect(speedups).toMatch(/<code>base █{16}<\/code> 15\.36x \\\[14\.14, 16\.69\\\] pass<br><code>head █{5}[▏▎▍▌▋▊▉]?<\/code> 5\.01x \\\[4\.76, 5\.26\\\] \*\*FAIL\*\*/);
    expect(above).toContain('users AccessExclusiveLock 1,790 ms');
  });

  it('everything else folded: every case with its ratio, comparisons, migrations, notes, the command that reproduces it', () => {
    const md = compareMarkdown(sampleCompareReport());
    const summaries = [...md.matchAll(/<details><summary>(.*?)<\/summary>/g)].map((m) => m[1]);
    expect(summaries).toEqual([
      'All cases (6): p50 and latency head / base, 95% intervals',
      'All comparisons (2): speedup on base and on head',
      'Migrations of the change (2), applied to base&#39;s data under concurrent clients',
      'Notes (1)',
      'How to reproduce',
    ]);
    expect(md).toContain('| store/unchanged/case-0001\\[normalized\\] | unchanged | 0.20 → 0.20 | 1.01x \\[0.98, 1.04\\] |');
    expect(md).toContain('\n```\nnpx schemabench compare --base origin/main --workload all --scale 1\n```\n');
    const page = html(md);
    expect(page.match(/<details>/g)).toHaveLength(5);
    expect(page.match(/<\/details>/g)).toHaveLength(5);
    for (const shape of tableShapes(page)) expect(shape.rows.every((n) => n === shape.header)).toBe(true);
  });

  it('a hostile case name, message, SQL, index, table, ref, server version, workload and note cannot break a table or inject HTML', () => {
    const md = compareMarkdown(hostileCompareReport());
    const page = html(md);
    // Tags: only the renderer's own; the one comment is the marker.
    expect([...new Set(tagsOf(page))].filter((t) => !ALLOWED_TAGS.has(t))).toEqual([]);
    expect(page.match(/<!--/g)).toHaveLength(1);
    expect(page).not.toMatch(/<script|<img|<a |<del>/i);
    // Tables keep their shape: each body row has the header's number of cells, and the same rows as a benign report.
    const shapes = tableShapes(page);
    const benign = tableShapes(html(compareMarkdown(sampleCompareReport())));
    expect(shapes).toEqual(benign);
    expect(shapes.every((s) => s.rows.every((n) => n === s.header))).toBe(true);
    // Sections stay as they were: the same headings and foldings, all closed.
    expect(page.match(/<h3>/g)).toHaveLength(4);
    expect([page.match(/<details>/g)?.length, page.match(/<\/details>/g)?.length]).toEqual([5, 5]);
    // The text is shown as text, whole: escaped, not interpreted.
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(2)&gt; &amp; `tick` **bold** [link](javascript:alert(3)) &lt;/details&gt; &lt;!--');
    expect(page).toContain('<li># evil | &lt;script&gt;');
    // The reproduce command quotes the ref as one shell word, inside a code block it cannot close.
    expect(page).toContain(`<pre><code>npx schemabench compare --base $'origin/evil | &lt;script&gt;`);
    expect(HOSTILE).toContain('\n');
  });

  it(`stays under GitHub's ${COMMENT_LIMIT}-character limit: the folded part is cut with a line saying so, the verdict and changes stay`, () => {
    const report = sampleCompareReport();
    const long = 'x'.repeat(150);
    for (let i = 0; i < 3000; i++) report.cases.push({ ...unchangedCase(i), id: `store/unchanged/${long}/${i}[normalized]` });
    const md = compareMarkdown(report);
    expect(bytes(md)).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(md.split('\n')[1]).toBe('## ❌ schemabench compare: REGRESSION (3); 1 improvement, 2 other changes');
    expect(md).toMatch(/_[\d,]+ more rows not shown \(GitHub limits a comment's size\); `schemabench compare --json` has everything\._/);
    const above = md.slice(0, md.indexOf('<details>'));
    expect(above).toBe(compareMarkdown(sampleCompareReport()).slice(0, compareMarkdown(sampleCompareReport()).indexOf('<details>')).replace('2 cases and', '3002 cases and'));
    // The smaller folded sections keep all their rows; the notes and the command stay.
    expect(md).toContain('rentals: rent');
    expect(md).toContain('npx schemabench compare --base origin/main');
    const page = html(md);
    expect([page.match(/<details>/g)?.length, page.match(/<\/details>/g)?.length]).toEqual([5, 5]);
    for (const shape of tableShapes(page)) expect(shape.rows.every((n) => n === shape.header)).toBe(true);
    // Multi-byte text is counted in bytes: never over the limit in characters either.
    const wide = sampleCompareReport();
    for (let i = 0; i < 3000; i++) wide.cases.push({ ...unchangedCase(i), id: `store/照合/${'検'.repeat(60)}/${i}[n]` });
    expect(bytes(compareMarkdown(wide))).toBeLessThanOrEqual(COMMENT_LIMIT);
  });

  it('too many changes for one comment: the verdict and as many regressions as fit, then a line saying what was left out', () => {
    const report = sampleCompareReport();
    const regressed = report.cases[1]!;
    for (let i = 0; i < 2000; i++) report.cases.push({ ...regressed, id: `store/regressed/${i}[normalized]` });
    const md = compareMarkdown(report);
    expect(bytes(md)).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(md.split('\n')[1]).toBe('## ❌ schemabench compare: REGRESSION (2003); 1 improvement, 2 other changes');
    expect(md).toContain('### ❌ Regressions (2002)');
    expect(md).toMatch(/more rows not shown/);
    const page = html(md);
    expect(page.match(/<details>/g)?.length).toBe(page.match(/<\/details>/g)?.length);
    for (const shape of tableShapes(page)) expect(shape.rows.every((n) => n === shape.header)).toBe(true);
  });

  it('rows go to blocks by priority, each in its own order; a block with none keeps no table header', () => {
    const block = (name: string, rows: number, priority: number): MarkdownBlock => ({
      open: [`### ${name}`, ''],
      header: ['| a |', '|---|'],
      rows: Array.from({ length: rows }, (_, i) => `| ${name}${i} ${'y'.repeat(40)} |`),
      close: [''],
      omitted: (n) => `_${n} more_`,
      priority,
    });
    const lines = fitBlocks([block('low', 50, 1), block('high', 50, 0)], 2000)!;
    const kept = (name: string) => lines.filter((l) => l.startsWith(`| ${name}`)).length;
    expect(kept('high')).toBeGreaterThan(0);
    expect(kept('low')).toBeLessThan(kept('high'));
    expect(lines.join('\n').length + 1).toBeLessThanOrEqual(2000);
    const none = fitBlocks([block('only', 50, 0)], 60)!;
    expect(none).toEqual(['### only', '', '_50 more_', '']);
    expect(fitBlocks([block('none', 5, 0)], 10)).toBeNull();
  });

  it("docs/ci.md's workflow finds its comment by the marker the renderer writes", () => {
    const ci = readFileSync(join(PACKAGE_ROOT, 'docs', 'ci.md'), 'utf8');
    expect(ci).toContain(`const marker = '${COMPARE_MARKER}';`);
    expect(ci).toContain('npx schemabench compare --base "origin/$BASE_REF" --markdown compare.md || code=$?');
  });

  it('the reproduce command: --head for a ref, the seed through the environment, pinned commits for a clean head', () => {
    const report = sampleCompareReport();
    expect(reproduceCommands(report)).toEqual(['npx schemabench compare --base origin/main --workload all --scale 1']);
    report.head = { ref: 'feature/x', commit: 'f'.repeat(40) };
    report.workloads = ['store'];
    report.seed = 7;
    report.scale = 0.3;
    expect(reproduceCommands(report)).toEqual([
      'SCHEMABENCH_SEED=7 npx schemabench compare --base origin/main --head feature/x --workload store --scale 0.3',
      `SCHEMABENCH_SEED=7 npx schemabench compare --base ${report.base.commit} --head ${'f'.repeat(40)} --workload store --scale 0.3`,
    ]);
  });
});

describe('writeCompareOutputs', () => {
  it('--json: stdout is the report, and it round-trips', () => {
    const report = sampleCompareReport();
    const out = writeCompareOutputs(report, { json: true, env: {} });
    expect(JSON.parse(out)).toEqual(report);
    expect(out.endsWith('}\n')).toBe(true);
    const hostile = hostileCompareReport();
    expect(JSON.parse(writeCompareOutputs(hostile, { json: true, env: {} }))).toEqual(hostile);
  });

  it('writes the comment to --markdown (creating its folder), appends it to $GITHUB_STEP_SUMMARY, returns the terminal text', () => {
    const dir = scratchDir();
    const summary = join(dir, 'step-summary.md');
    writeFileSync(summary, '# earlier step output\n');
    const report = sampleCompareReport();
    const file = join(dir, 'nested', 'compare.md');
    const out = writeCompareOutputs(report, { markdownFile: file, env: { GITHUB_STEP_SUMMARY: summary } });
    expect(out).toBe(compareText(report));
    expect(readFileSync(file, 'utf8')).toBe(compareMarkdown(report));
    expect(readFileSync(summary, 'utf8')).toBe(`# earlier step output\n${compareMarkdown(report).trimEnd()}\n\n`);
    // Without $GITHUB_STEP_SUMMARY nothing else is written.
    expect(writeCompareOutputs(report, { env: {} })).toBe(compareText(report));
  });

  it('an unusable --markdown is refused in one line before anything is measured', () => {
    const dir = scratchDir();
    writeFileSync(join(dir, 'a-file'), '');
    expect(() => checkCompareOutputs({ markdownFile: dir, env: {} })).toThrow(UsageError);
    expect(() => checkCompareOutputs({ markdownFile: join(dir, 'a-file', 'compare.md'), env: {} })).toThrow(/is a file, not a folder/);
    expect(() => checkCompareOutputs({ markdownFile: '', env: {} })).toThrow('--markdown needs a file name');
    expect(() => checkCompareOutputs({ env: { GITHUB_STEP_SUMMARY: dir } })).toThrow(/is a folder, not a file/);
    expect(checkCompareOutputs({ markdownFile: join(dir, 'new', 'compare.md'), env: {} })).toBe(join(dir, 'new', 'compare.md'));
    expect(() => writeCompareOutputs(sampleCompareReport(), { markdownFile: join(dir, 'a-file', 'compare.md'), env: {} })).toThrow(UsageError);
  });
});
